"""What a person does to their own account: register, change settings and contact details.

Creating the account itself goes through services.user_create, like every other account.
"""

import logging
import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sikesal.accounts.models import User
from sikesal.accounts.phone import normalize_mobile
from sikesal.accounts.ratelimit import RateLimit
from sikesal.accounts.services import user_create, user_validate_unique

logger = logging.getLogger(__name__)

# Per client address and hour, for the page (/daftar/) and the API together. Each refusal
# of a taken username, email or number tells the asker that it is registered: few are
# needed to register, many to harvest.
REGISTRATION_TAKEN_ANSWERS = RateLimit("registration-taken", count=20)
REGISTRATION_SUBMISSIONS = RateLimit("registration", count=60)


def registration_wait(client_address: str | None) -> int:
    """Seconds before this address may submit a registration again (0: it may now). A
    refused submission is not even checked, so it tells nothing about taken names."""
    return max(
        REGISTRATION_TAKEN_ANSWERS.wait(client_address),
        REGISTRATION_SUBMISSIONS.wait(client_address),
    )


def registration_refusal(wait: int) -> str:
    """What a refused address is told, `wait` being registration_wait's answer."""
    minutes = math.ceil(wait / 60)
    return ngettext(
        "Terlalu banyak percobaan pendaftaran dari jaringan Anda. Coba lagi %(count)d menit lagi.",
        "Terlalu banyak percobaan pendaftaran dari jaringan Anda. Coba lagi %(count)d menit lagi.",
        minutes,
    ) % {"count": minutes}


def registration_record(
    client_address: str | None, errors: dict[str, list[ValidationError]]
) -> None:
    """Count one checked registration from this address, and one "taken" answer when
    `errors` (a form's `errors.as_data()`) refuse a username, email or number as taken."""
    REGISTRATION_SUBMISSIONS.record(client_address)
    if any(error.code == "unique" for field_errors in errors.values() for error in field_errors):
        REGISTRATION_TAKEN_ANSWERS.record(client_address)


def citizen_register(
    *,
    username: str,
    password: str,
    full_name: str,
    email: str,
    mobile: str,
    privacy_consent: bool,
) -> User:
    """Create a citizen account from the registration form and return it.

    Every field is required (Perwal 40/2017 Pasal 7.1), and so is consent to the privacy
    notice (UU 27/2022), whose time is recorded on the account. Raises ValidationError
    keyed by field, as user_create does; nothing is saved then.
    """
    errors: dict[str, ValidationError] = {}
    if not privacy_consent:
        errors["privacy_consent"] = ValidationError(
            _("Setujui pemberitahuan privasi untuk mendaftar."), code="required"
        )
    if not mobile:
        errors["mobile"] = ValidationError(_("Isi nomor ponsel Anda."), code="required")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = user_create(
            username=username, password=password, full_name=full_name, email=email, mobile=mobile
        )
        user.privacy_consented_at = timezone.now()
        user.save(update_fields=["privacy_consented_at"])
    return user


def user_settings_update(*, user: User, language: str, notify_by_sms: bool) -> None:
    """Save the person's language and whether they want notifications by SMS.

    SMS go out only once the number is verified (User.receives_sms); the wish is kept
    until then.
    """
    user.language = language
    user.notify_by_sms = notify_by_sms
    _validate_fields(user, ["language", "notify_by_sms"])
    user.save(update_fields=["language", "notify_by_sms"])


def user_contact_change(*, user: User, email: str, mobile: str) -> set[str]:
    """Change the person's email and/or mobile number; return the names of the changed fields.

    A changed address or number is unverified again (its old links and codes stop
    working); the caller sends the verifications contact_verifications_due names. Raises
    ValidationError keyed by field when the new value is invalid or another account holds it.
    """
    email = User.objects.normalize_email(email or "").strip()
    try:
        mobile = normalize_mobile(mobile)
    except ValidationError as error:
        raise ValidationError({"mobile": error.error_list}) from None
    changed = set()
    if email != user.email:
        changed.add("email")
    if mobile != user.mobile:
        changed.add("mobile")
    if not changed:
        return changed
    with transaction.atomic():
        user_validate_unique(
            email=email if "email" in changed else None,
            mobile=mobile if "mobile" in changed else None,
            exclude=user,
        )
        now = timezone.now()
        fields = []
        if "email" in changed:
            # Only a change of address, not of letter case, needs a new verification.
            if email.lower() != user.email.lower():
                user.email_verified_at = None
                user.email_verification_sent_at = None
                fields += ["email_verified_at", "email_verification_sent_at"]
            user.email = email
            fields.append("email")
        if "mobile" in changed:
            user.mobile = mobile
            user.mobile_verified_at = None
            user.mobile_verifications.filter(used_at__isnull=True).update(used_at=now)
            fields += ["mobile", "mobile_verified_at"]
        _validate_fields(user, fields)
        user.save(update_fields=fields)
    logger.info("Account %s changed its %s", user.pk, " and ".join(sorted(changed)))
    return changed


def contact_verifications_due(*, user: User, changed: set[str]) -> set[str]:
    """Which of "email" and "mobile" need a new link or code after user_contact_change
    changed `changed`: a new address or number is unverified again (a change of letter
    case only is not). The page and the API send them at once."""
    return {field for field in changed if getattr(user, f"{field}_verified_at") is None}


def _validate_fields(user: User, fields: list[str]) -> None:
    # Only what changed: an old account's other fields may predate today's rules.
    user.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in fields])
