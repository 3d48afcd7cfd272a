"""Reporters without a login: the one way every intake channel records who complains.

Pasal 7 wants a name and a way to reach the reporter. A channel that is not the citizen's
own account (an Open311 client such as FixMyStreet today; the Secretariat's counter, phone
and letter intake next) records them as a `User` with `is_registered` False: no usable
password, nothing verified, their email and mobile number unique among registered accounts
only. The same person coming back by the same email or mobile number is found again rather
than written twice. Claiming those complaints when they register (after proving the email
or number) is future work, and needs no other record.
"""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _

from sikesal.accounts.models import User
from sikesal.accounts.phone import normalize_mobile

FULL_NAME_MAX_LENGTH = User._meta.get_field("full_name").max_length
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length


def reporter_identity_errors(*, full_name: str, email: str, mobile: str) -> dict[str, str]:
    """What is missing or wrong in an identity given on someone's behalf (Pasal 7: a name,
    and an email or a mobile number), by field; empty when it will do."""
    errors = {}
    if not full_name.strip():
        errors["name"] = _("Nama pelapor wajib diisi (Pasal 7).")
    elif len(full_name.strip()) > FULL_NAME_MAX_LENGTH:
        errors["name"] = _("Nama pelapor terlalu panjang.")
    if not email.strip() and not mobile.strip():
        errors["contact"] = _("Email atau nomor ponsel pelapor wajib diisi (Pasal 7).")
    if email.strip():
        try:
            if len(email.strip()) > EMAIL_MAX_LENGTH:
                raise ValidationError("too long")
            validate_email(email.strip())
        except ValidationError:
            errors["email"] = _("Alamat email pelapor tidak valid.")
    if mobile.strip():
        try:
            normalize_mobile(mobile)
        except ValidationError:
            errors["phone"] = _("Nomor ponsel pelapor tidak valid.")
    return errors


def reporter_for_intake(*, full_name: str, email: str = "", mobile: str = "") -> User:
    """The reporter without a login with this email (else this mobile number), updated with
    what they gave now, or a new one; never a registered account (what another system
    typed proves nothing about whose account it is).

    Raises ValidationError (by field: name, contact, email, phone) when the identity does
    not satisfy Pasal 7; nothing is written then.
    """
    errors = reporter_identity_errors(full_name=full_name, email=email, mobile=mobile)
    if errors:
        raise ValidationError(errors)
    full_name = " ".join(full_name.split())
    email = User.objects.normalize_email(email.strip()) if email.strip() else ""
    mobile = normalize_mobile(mobile) if mobile.strip() else None
    match = Q()
    if email:
        match |= Q(email__iexact=email)
    if mobile:
        match |= Q(mobile=mobile)
    known = list(User.objects.filter(match, is_registered=False).order_by("pk")[:10])
    # The email names a person more surely than a number shared in a household.
    reporter = next((u for u in known if email and u.email.lower() == email.lower()), None)
    reporter = reporter or (known[0] if known else None)
    if reporter is None:
        reporter = User(username=f"pelapor-{secrets.token_hex(8)}", is_registered=False)
        reporter.set_unusable_password()
    reporter.full_name = full_name
    if email:
        reporter.email = email
    if mobile:
        reporter.mobile = mobile
    reporter.full_clean(validate_unique=False, validate_constraints=False)
    reporter.save()
    return reporter
