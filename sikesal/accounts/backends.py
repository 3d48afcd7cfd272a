"""Log in with a username, an email address or a mobile number, plus the password."""

from contextlib import suppress

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest

from sikesal.accounts.models import User
from sikesal.accounts.phone import normalize_mobile


def user_for_login(login: str) -> User | None:
    """The account `login` names: its username or email in any case, or its mobile number
    written any common way. None when no account matches. A reporter without a login
    (`User.is_registered` False) is never one: they may share an email with an account."""
    login = (login or "").strip()
    if not login:
        return None
    match = Q(username__iexact=login) | Q(email__iexact=login)
    with suppress(ValidationError):  # not a phone number: username or email only
        match |= Q(mobile=normalize_mobile(login))
    return User.objects.filter(match, is_registered=True).first()


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The name django-axes counts failed logins under (AXES_USERNAME_CALLABLE).

    One key per account however the login was written: otherwise "budi", "BUDI", the email
    and every way of writing the mobile number would each get their own five attempts.
    A login that names no account is counted as typed, lower-cased.
    """
    if credentials:
        login = credentials.get("username")
    else:
        login = getattr(request, "POST", {}).get("username")
    if not login:
        return None
    user = user_for_login(login)
    return user.username.lower() if user is not None else login.strip().lower()


class UsernameEmailMobileBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs,
    ) -> User | None:
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            # Spend the same time as a real check, so a timing difference does not reveal
            # which logins exist (as Django's ModelBackend does).
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
