"""Log in with a username, an email address or a mobile number, plus the password."""

from contextlib import suppress

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest

from sikesal.accounts.models import User
from sikesal.accounts.phone import normalize_mobile


class UsernameEmailMobileBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None,
        password: str | None = None, **kwargs,
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        login = username.strip()
        match = Q(username__iexact=login) | Q(email__iexact=login)
        with suppress(ValidationError):  # not a phone number: username or email only
            match |= Q(mobile=normalize_mobile(login))
        user = User.objects.filter(match).first()
        if user is None:
            # Spend the same time as a real check, so a timing difference does not reveal
            # which logins exist (as Django's ModelBackend does).
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
