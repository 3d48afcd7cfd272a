"""Notification test factories."""

import factory
from django.utils import timezone

from sikesal.accounts.tests.factories import UserFactory
from sikesal.notifications.models import Notification, OutboxMessage


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "generic"
    title = factory.Sequence(lambda n: f"Pengaduan {n} diteruskan")
    body = "Pengaduan Anda diteruskan ke OPD."
    url = ""


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    """A pending email, due now."""

    class Meta:
        model = OutboxMessage

    channel = OutboxMessage.Channel.EMAIL
    to = factory.Sequence(lambda n: f"warga{n}@contoh.id")
    subject = factory.Sequence(lambda n: f"Pesan {n}")
    body = "Isi pesan."
    next_attempt_at = factory.LazyFunction(timezone.now)
