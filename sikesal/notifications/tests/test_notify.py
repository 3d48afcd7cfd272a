"""notify(): rows in the caller's transaction, delivery enqueued on commit, the recipient's
language, SMS only for those who chose it with a verified number."""

import pytest
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sikesal.accounts.models import User
from sikesal.notifications.models import Notification, OutboxMessage
from sikesal.notifications.services import absolute_url, notify

DELIVER_TASK = "sikesal.notifications.tasks.deliver_outbox"


def enqueued_deliveries() -> int:
    return DBTaskResult.objects.filter(task_path=DELIVER_TASK).count()


def generic(user: User, **context) -> Notification:
    return notify(
        user,
        "generic",
        context={
            "subject": "Pengaduan diteruskan",
            "body": "Pengaduan Anda diteruskan.",
            **context,
        },
        url="/pengaduan/12/",
    )


# --- Transactions ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_delivery_is_enqueued_only_when_the_callers_transaction_commits(ani):
    with transaction.atomic():
        notification = generic(ani)
        # Given the caller's transaction is still open, nothing is queued for the worker.
        assert enqueued_deliveries() == 0
        assert OutboxMessage.objects.filter(notification=notification).count() == 1

    assert Notification.objects.filter(recipient=ani).count() == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.PENDING
    assert enqueued_deliveries() == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_notification_and_sends_nothing(ani):
    class WorkflowFailed(Exception):
        pass

    with pytest.raises(WorkflowFailed), transaction.atomic():
        generic(ani)
        raise WorkflowFailed

    assert Notification.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    assert enqueued_deliveries() == 0


@pytest.mark.django_db(transaction=True)
def test_a_failing_enqueue_does_not_fail_the_committed_change(ani, monkeypatch):
    from sikesal.notifications import tasks

    def broken_enqueue(*args, **kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr(type(tasks.deliver_outbox), "enqueue", broken_enqueue)

    with transaction.atomic():
        generic(ani)

    # The sweep (notifications.retry_due) sends it later.
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.PENDING


def test_a_missing_template_raises_before_anything_is_written(ani):
    with pytest.raises(TemplateDoesNotExist):
        notify(ani, "no_such_kind", context={})

    assert Notification.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


# --- What gets written ------------------------------------------------------------------------


def test_notify_writes_the_in_app_notification_and_one_email(
    ani, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        notification = generic(ani)

    assert notification.recipient == ani
    assert notification.kind == "generic"
    assert notification.title == "Pengaduan diteruskan"
    assert notification.body == "Pengaduan Anda diteruskan."
    assert notification.url == "/pengaduan/12/"
    assert notification.read_at is None
    email = OutboxMessage.objects.get()
    assert email.notification == notification
    assert email.channel == OutboxMessage.Channel.EMAIL
    assert email.to == "ani@contoh.id"
    assert email.subject == "Pengaduan diteruskan"
    assert email.body == (
        "Yth. Ani,\n"
        "\n"
        "Pengaduan Anda diteruskan.\n"
        "\n"
        "Selengkapnya: http://127.0.0.1:8000/pengaduan/12/\n"
        "\n"
        "-- \n"
        "SIKESAL Kota Jambi\n"
        "Email ini dikirim otomatis; mohon tidak membalasnya.\n"
    )
    assert email.status == OutboxMessage.Status.PENDING
    assert email.attempts == 0
    assert len(callbacks) == 1


def test_plain_text_is_not_html_escaped(ani):
    notify(
        ani,
        "generic",
        context={"subject": 'Jalan "Sudirman" & drainase <rusak>', "body": "A & B"},
    )

    email = OutboxMessage.objects.get()
    assert email.subject == 'Jalan "Sudirman" & drainase <rusak>'
    assert "A & B" in email.body


def test_a_multi_line_subject_becomes_one_line(ani):
    notify(ani, "generic", context={"subject": "Baris satu\nbaris   dua\n", "body": "-"})

    assert OutboxMessage.objects.get().subject == "Baris satu baris dua"


def test_no_email_row_for_an_account_without_email(ani, django_capture_on_commit_callbacks):
    User.objects.filter(pk=ani.pk).update(email="")
    ani.refresh_from_db()

    with django_capture_on_commit_callbacks() as callbacks:
        generic(ani)

    assert Notification.objects.count() == 1
    assert OutboxMessage.objects.count() == 0
    assert callbacks == []


def test_absolute_url_uses_the_site_url(settings):
    settings.SIKESAL_SITE_URL = "https://sikesal.jambikota.go.id"

    assert absolute_url("/pengaduan/1/") == "https://sikesal.jambikota.go.id/pengaduan/1/"
    assert absolute_url("") == ""
    assert absolute_url("https://lapor.go.id/x") == "https://lapor.go.id/x"


# --- Language ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("test_templates")
def test_texts_are_rendered_in_the_recipients_language(ani, budi):
    notify(ani, "greeting", context={"complaint_title": "Lampu jalan"})
    notify(budi, "greeting", context={"complaint_title": "Street light"})

    for_ani = Notification.objects.get(recipient=ani)
    for_budi = Notification.objects.get(recipient=budi)
    assert for_ani.title == "[id] Beranda: Lampu jalan"
    assert for_ani.body == "id: Lampu jalan Masuk"
    assert for_budi.title == "[en] Home: Street light"
    assert for_budi.body == "en: Street light Sign in"
    assert OutboxMessage.objects.get(channel="sms").body == "SMS en: Street light"


def test_lazy_strings_in_the_context_are_translated_for_the_recipient(budi):
    notify(budi, "generic", context={"subject": gettext_lazy("Beranda"), "body": "-"})

    assert Notification.objects.get().title == "Home"


def test_the_callers_language_is_restored(budi):
    from django.utils import translation

    with translation.override("id"):
        notify(budi, "generic", context={"subject": "x", "body": "y"})
        assert translation.get_language() == "id"


# --- SMS --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("test_templates")
def test_sms_when_chosen_verified_and_the_kind_has_an_sms_text(budi):
    notify(budi, "greeting", context={"complaint_title": "Banjir"})

    sms = OutboxMessage.objects.get(channel=OutboxMessage.Channel.SMS)
    assert sms.to == "+6281234567890"
    assert sms.subject == ""
    assert sms.body == "SMS en: Banjir"
    assert OutboxMessage.objects.filter(channel=OutboxMessage.Channel.EMAIL).count() == 1


@pytest.mark.usefixtures("test_templates")
@pytest.mark.parametrize(
    "change",
    [
        {"notify_by_sms": False},
        {"mobile_verified_at": None},
    ],
    ids=["not chosen", "not verified"],
)
def test_no_sms_unless_chosen_and_verified(budi, change):
    User.objects.filter(pk=budi.pk).update(**change)
    budi.refresh_from_db()

    notify(budi, "greeting", context={"complaint_title": "Banjir"})

    assert list(OutboxMessage.objects.values_list("channel", flat=True)) == ["email"]


@pytest.mark.usefixtures("test_templates")
def test_no_sms_for_a_kind_without_sms_text(budi):
    notify(budi, "no_sms", context={"subject": "s", "body": "b"})

    assert list(OutboxMessage.objects.values_list("channel", flat=True)) == ["email"]


def test_generic_sms_carries_the_site_name_subject_and_link(budi):
    notify(budi, "generic", context={"subject": "Pengaduan selesai", "body": "-"}, url="/p/1/")

    sms = OutboxMessage.objects.get(channel="sms")
    assert sms.body == "SIKESAL Kota Jambi: Pengaduan selesai http://127.0.0.1:8000/p/1/"
    assert sms.notification.read_at is None
    assert sms.next_attempt_at <= timezone.now()


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_notifications_queues_one_delivery_task_while_it_waits(ani):
    for _ in range(5):
        generic(ani)

    assert OutboxMessage.objects.count() == 5
    assert enqueued_deliveries() == 1


@pytest.mark.django_db(transaction=True)
def test_a_notification_after_the_waiting_task_was_taken_queues_another(ani):
    generic(ani)
    # The worker takes the waiting task (and may already be past the outbox's rows).
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING)

    generic(ani)

    assert enqueued_deliveries() == 2
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
