"""Creating accounts: the one write path that registration, demo data and commands share."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sikesal.accounts.models import User
from sikesal.accounts.phone import normalize_mobile

logger = logging.getLogger(__name__)

# The flags a caller may set on a new account; anything else is a programming error.
USER_FLAGS = frozenset({"is_active", "is_staff", "is_superuser", "is_executive"})


def user_validate_unique(
    *,
    username: str | None = None,
    email: str | None = None,
    mobile: str | None = None,
    exclude: User | None = None,
) -> None:
    """Raise ValidationError, keyed by field, for every identity another account holds.

    Username and email compare regardless of case ("Budi" is taken once "budi" exists),
    the mobile number in its stored E.164 form. `exclude` is the account being edited.
    The database enforces the same rules; this gives the person a message per field.
    Reporters without a login (`is_registered` False) hold nothing: their email and
    mobile number are unproven, and whoever proves them may register with them.
    """
    others = User.objects.filter(is_registered=True)
    if exclude is not None and exclude.pk is not None:
        others = others.exclude(pk=exclude.pk)
    errors = {}
    checks = [
        ("username", username, {"username__iexact": username}),
        ("email", email, {"email__iexact": email}),
        ("mobile", mobile, {"mobile": mobile}),
    ]
    for field, value, lookup in checks:
        if value and others.filter(**lookup).exists():
            errors[field] = ValidationError(
                User._meta.get_field(field).error_messages["unique"], code="unique"
            )
    if errors:
        raise ValidationError(errors)


def user_create(
    *,
    username: str,
    password: str | None,
    full_name: str,
    email: str,
    mobile: str | None = None,
    actor: User | None = None,
    **flags: bool,
) -> User:
    """Create an account and return it.

    The mobile number may be written any common way (`0812-3456-7890`) and is stored as
    E.164; username and email keep the case they were typed in but must be unique
    regardless of case. A password of None makes an account that cannot log in with a
    password until one is set. Checking the password's strength is the form's job (it
    knows the person's other answers); this only hashes it.

    `actor` is who creates the account (None for self-registration and commands).
    `flags` are `is_active`, `is_staff`, `is_superuser` and `is_executive`.
    Raises ValidationError (per field, Indonesian messages) when anything is invalid or
    already taken; nothing is saved then.
    """
    unknown = set(flags) - USER_FLAGS
    if unknown:
        raise TypeError(f"user_create() got unexpected flags: {sorted(unknown)}")
    errors: dict[str, list[ValidationError]] = {}
    username = User.normalize_username(username or "")
    email = User.objects.normalize_email(email or "")
    try:
        mobile = normalize_mobile(mobile) if mobile else None
    except ValidationError as error:
        errors["mobile"] = error.error_list
        mobile = None
    if not email:
        # Optional on the model for reporters without a login (sikesal.intake.reporters).
        errors["email"] = [ValidationError(_("Isi alamat email Anda."), code="required")]
    user = User(username=username, full_name=full_name, email=email, mobile=mobile, **flags)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    with transaction.atomic():
        try:
            user_validate_unique(username=username, email=email, mobile=mobile)
        except ValidationError as error:
            for field, field_errors in error.error_dict.items():
                errors.setdefault(field, []).extend(field_errors)
        # Fields already in error are not checked again: one clear message per field.
        try:
            user.full_clean(exclude=list(errors))
        except ValidationError as error:
            for field, field_errors in error.error_dict.items():
                errors.setdefault(field, []).extend(field_errors)
        if errors:
            raise ValidationError(errors)
        user.save()
    logger.info(
        "Account %s (id %s) created by %s",
        user.username,
        user.pk,
        f"{actor.username} (id {actor.pk})" if actor is not None else "self/system",
    )
    return user
