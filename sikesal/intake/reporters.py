"""Reporters without a login: the one way every intake channel records who complains.

Pasal 7 wants a name and a way to reach the reporter. A channel that is not the citizen's
own account (an Open311 client such as FixMyStreet today; the Secretariat's counter, phone
and letter intake next) records them as a `User` with `is_registered` False: no usable
password, nothing verified, their email and mobile number unique among registered accounts
only. The same person coming back by the same email or mobile number is found again rather
than written twice. Once someone proves that email or number on a registered account
(`reporter_claim`, called by the verification in sikesal.accounts), that reporter's
complaints move to the account.
"""

import logging
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sikesal.accounts.models import User
from sikesal.accounts.phone import normalize_mobile

logger = logging.getLogger(__name__)

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
    email, mobile = _normalized(email, mobile)
    reporter = reporter_without_login(email=email, mobile=mobile)
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


def _normalized(email: str, mobile: str) -> tuple[str, str | None]:
    email = User.objects.normalize_email(email.strip()) if email.strip() else ""
    return email, normalize_mobile(mobile) if mobile.strip() else None


def reporter_without_login(*, email: str = "", mobile: str | None = None) -> User | None:
    """The reporter without a login known by this email (else this mobile number), both
    normalized, or None."""
    match = Q()
    if email:
        match |= Q(email__iexact=email)
    if mobile:
        match |= Q(mobile=mobile)
    if not match:
        return None
    known = list(User.objects.filter(match, is_registered=False).order_by("pk")[:10])
    # The email names a person more surely than a number shared in a household.
    reporter = next((u for u in known if email and u.email.lower() == email.lower()), None)
    return reporter or (known[0] if known else None)


def account_with_proven_contact(*, email: str = "", mobile: str | None = None) -> User | None:
    """The active registered account that proved this email (else this mobile number), both
    normalized, or None.

    What an officer files for such a contact belongs to that account: it is exactly what
    `reporter_claim` would move there, had the account proved the contact later.
    """
    match = Q()
    if email:
        match |= Q(email__iexact=email, email_verified_at__isnull=False)
    if mobile:
        match |= Q(mobile=mobile, mobile_verified_at__isnull=False)
    if not match:
        return None
    found = list(User.objects.filter(match, is_registered=True, is_active=True).order_by("pk"))
    by_email = next((u for u in found if email and u.email.lower() == email.lower()), None)
    return by_email or (found[0] if found else None)


def known_reporter(*, email: str = "", mobile: str = "") -> User | None:
    """Who assisted intake would file for with this contact, without writing anything: a
    registered account that proved it, else a reporter without a login who gave it; None
    for someone new (or a contact that is not valid)."""
    try:
        email, mobile = _normalized(email, mobile)
    except ValidationError:
        return None
    return account_with_proven_contact(email=email, mobile=mobile) or reporter_without_login(
        email=email, mobile=mobile
    )


def reporter_claim(*, account: User, proved: str) -> int:
    """Move to `account` every complaint of the reporters without a login who gave the
    contact `account` has just proved (`proved`: "email" or "mobile"); return how many.

    Call it in the transaction that records the proof, never before: a contact typed by an
    officer or another system proves nothing until its holder answers the link or the code.
    Each complaint gets an internal event saying so, and the move is logged. Their
    in-app notifications move too, so that the account's list tells the whole story.
    """
    from sikesal.complaints.models import Complaint, ComplaintEvent, Visibility
    from sikesal.notifications.models import Notification

    if not account.is_registered:
        return 0
    if proved == "email" and account.email and account.email_verified_at:
        match = Q(email__iexact=account.email)
    elif proved == "mobile" and account.mobile and account.mobile_verified_at:
        match = Q(mobile=account.mobile)
    else:
        return 0
    now = timezone.now()
    with transaction.atomic():
        reporters = list(
            User.objects.select_for_update()
            .filter(match, is_registered=False)
            .exclude(pk=account.pk)
            .values_list("pk", flat=True)
        )
        complaints = list(
            Complaint.objects.select_for_update()
            .filter(reporter_id__in=reporters)
            .order_by("pk")
            .values_list("pk", "reporter_id", "status")
        )
        if not complaints:
            return 0
        ComplaintEvent.objects.bulk_create(
            ComplaintEvent(
                complaint_id=pk,
                action="claim",
                from_status=status,
                to_status=status,
                actor=account,
                actor_role="reporter",
                visibility=Visibility.INTERNAL,
                data={"from_reporter": reporter_id, "proved": proved},
                created_at=now,
            )
            for pk, reporter_id, status in complaints
        )
        Complaint.objects.filter(pk__in=[pk for pk, _r, _s in complaints]).update(
            reporter=account, updated_at=now
        )
        Notification.objects.filter(recipient_id__in=reporters).update(recipient=account)
    logger.info(
        "Account %s claimed complaints %s of reporters without a login %s (proved its %s)",
        account.pk,
        [pk for pk, _r, _s in complaints],
        reporters,
        proved,
    )
    return len(complaints)
