"""Accounts test factories: they create users through user_create, like the application."""

import factory

from sikesal.accounts.models import User
from sikesal.accounts.services import user_create

PASSWORD = "Rahasia-Jambi-2026"


class UserFactory(factory.django.DjangoModelFactory):
    """A citizen account with the password PASSWORD and no mobile number."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"warga{n}")
    full_name = factory.Sequence(lambda n: f"Warga Uji {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@contoh.id")
    mobile = None
    password = PASSWORD

    @classmethod
    def _create(cls, model_class: type[User], *args, **kwargs) -> User:
        return user_create(**kwargs)
