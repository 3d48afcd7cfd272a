"""Proving that an email address and a mobile number belong to the person.

A complaint is submitted only once either is verified (`User.is_verified`).

- Email: a signed link, no table. It carries the account and a keyed digest of the
  address, so it stops working when the address changes, and it expires after
  EMAIL_LINK_MAX_AGE.
- Mobile: a six-digit code by SMS. Only its keyed hash is stored (MobileVerification);
  it expires after CODE_LIFETIME and dies after MAX_ATTEMPTS wrong guesses.

Both sends are throttled: an SMS costs the city money and both can be aimed at
someone else's inbox or phone.
"""

import logging
import math
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sikesal.accounts.models import MobileVerification, User
from sikesal.accounts.ratelimit import RateLimit
from sikesal.core.links import absolute_url
from sikesal.core.sms import send_sms
from sikesal.notifications.services import email_queue

logger = logging.getLogger(__name__)

EMAIL_LINK_SALT = "sikesal.accounts.verification.email"
EMAIL_LINK_MAX_AGE = timedelta(days=3)
EMAIL_RESEND_INTERVAL = timedelta(seconds=60)

CODE_SALT = "sikesal.accounts.verification.mobile"
CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5  # wrong guesses per code; the next one, even if right, is refused
CODE_RESEND_INTERVAL = timedelta(seconds=60)
MAX_CODES_PER_HOUR = 5  # per account and per number
# Per client address and hour: one address cycling through accounts or numbers.
CODES_PER_ADDRESS = RateLimit("sms-code-address", count=10)


# --- Email ---------------------------------------------------------------------------------


def _email_digest(email: str) -> str:
    # Keyed, so the link neither shows the address (links end up in logs) nor can be
    # forged for another one.
    return salted_hmac(EMAIL_LINK_SALT, email.strip().lower(), algorithm="sha256").hexdigest()[:32]


def email_verification_token(user: User) -> str:
    """The signed, timestamped token of the link that verifies `user`'s current email."""
    return signing.TimestampSigner(salt=EMAIL_LINK_SALT).sign_object(
        {"user": user.pk, "email": _email_digest(user.email)}
    )


def email_verification_send(*, user: User) -> None:
    """Email `user` a link that verifies their address, in their language.

    The link is on SIKESAL_SITE_URL (core.links), whichever door asked: the page or the
    API. The email goes through the outbox (notifications.services.email_queue): queued
    with the throttle's timestamp, so that a mail server that is down delays it rather than
    losing it. Raises ValidationError (code "already_verified" or "throttled", whose
    params["wait"] is the seconds to wait) instead.
    """
    if user.email_verified_at is not None:
        raise ValidationError(_("Email Anda sudah terverifikasi."), code="already_verified")
    now = timezone.now()
    url = absolute_url(reverse("accounts:email_verify", args=[email_verification_token(user)]))
    context = {
        "user": user,
        "url": url,
        "days": EMAIL_LINK_MAX_AGE.days,
        "site_name": settings.SIKESAL_SITE_NAME,
    }
    with translation.override(user.language):
        subject = render_to_string("accounts/email/verify_email_subject.txt", context)
        body = render_to_string("accounts/email/verify_email.txt", context)
    with transaction.atomic():
        # Claim the send under a row lock, so that two quick clicks send one email.
        sent_at = (
            User.objects.select_for_update()
            .values_list("email_verification_sent_at", flat=True)
            .get(pk=user.pk)
        )
        if sent_at is not None and now < sent_at + EMAIL_RESEND_INTERVAL:
            raise _throttled(sent_at + EMAIL_RESEND_INTERVAL - now)
        User.objects.filter(pk=user.pk).update(email_verification_sent_at=now)
        message = email_queue(to=user.email, subject=subject, body=body)
    user.email_verification_sent_at = now
    logger.info("Email verification link queued for account %s (outbox %s)", user.pk, message.pk)


def email_verification_confirm(*, token: str) -> User:
    """Mark the email the token was made for as verified and return its account.

    Raises ValidationError with code "expired" (older than EMAIL_LINK_MAX_AGE) or
    "invalid" (tampered, unknown account, or the address has changed since). A link
    used twice keeps the time of the first use.
    """
    try:
        data = signing.TimestampSigner(salt=EMAIL_LINK_SALT).unsign_object(
            token, max_age=EMAIL_LINK_MAX_AGE
        )
    except signing.SignatureExpired:
        raise ValidationError(
            _("Tautan verifikasi ini sudah kedaluwarsa. Minta tautan baru di halaman Akun."),
            code="expired",
        ) from None
    except signing.BadSignature:
        raise _invalid_link() from None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None or not constant_time_compare(data.get("email", ""), _email_digest(user.email)):
        raise _invalid_link()
    if user.email_verified_at is None:
        with transaction.atomic():
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
            _claim(user, proved="email")
        logger.info("Email of account %s verified", user.pk)
    return user


def _claim(user: User, *, proved: str) -> None:
    """The contact is proved now: complaints an officer or another system filed for it
    without a login become this account's (in the caller's transaction)."""
    from sikesal.intake.reporters import reporter_claim

    reporter_claim(account=user, proved=proved)


def _invalid_link() -> ValidationError:
    return ValidationError(
        _(
            "Tautan verifikasi ini tidak berlaku: mungkin tidak lengkap tersalin atau alamat "
            "email akun sudah diubah. Minta tautan baru di halaman Akun."
        ),
        code="invalid",
    )


# --- Mobile --------------------------------------------------------------------------------


def _code_hash(*, user_id: int, mobile: str, code: str) -> str:
    return salted_hmac(CODE_SALT, f"{user_id}:{mobile}:{code}", algorithm="sha256").hexdigest()


def mobile_verification_send(
    *, user: User, client_address: str | None = None
) -> MobileVerification:
    """Text a new six-digit code to `user`'s mobile number and return its record.

    Any earlier code stops working. Raises ValidationError (code "no_mobile",
    "already_verified" or "throttled": per account, per number, or per `client_address`,
    the address the request came from) instead of sending, and sikesal.core.sms.SmsError
    when the gateway refuses; the attempt then still counts towards the throttle.
    """
    if not user.mobile:
        raise ValidationError(_("Akun Anda belum mempunyai nomor ponsel."), code="no_mobile")
    if user.mobile_verified_at is not None:
        raise ValidationError(_("Nomor ponsel Anda sudah terverifikasi."), code="already_verified")
    address_wait = CODES_PER_ADDRESS.wait(client_address)
    if address_wait:
        raise _throttled(timedelta(seconds=address_wait))
    now = timezone.now()
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        # One send at a time per account: the throttle below counts what is committed.
        User.objects.select_for_update().values_list("pk", flat=True).get(pk=user.pk)
        recent = MobileVerification.objects.filter(
            Q(user=user) | Q(mobile=user.mobile), created_at__gt=now - timedelta(hours=1)
        ).order_by("created_at")
        sent = list(recent.values_list("created_at", flat=True))
        if sent and now < sent[-1] + CODE_RESEND_INTERVAL:
            raise _throttled(sent[-1] + CODE_RESEND_INTERVAL - now)
        if len(sent) >= MAX_CODES_PER_HOUR:
            raise _throttled(sent[-MAX_CODES_PER_HOUR] + timedelta(hours=1) - now)
        user.mobile_verifications.filter(used_at__isnull=True).update(used_at=now)
        verification = MobileVerification.objects.create(
            user=user,
            mobile=user.mobile,
            code_hash=_code_hash(user_id=user.pk, mobile=user.mobile, code=code),
            expires_at=now + CODE_LIFETIME,
        )
    CODES_PER_ADDRESS.record(client_address)
    # Outside the transaction: no database lock is held while the gateway answers.
    with translation.override(user.language):
        text = _(
            "Kode verifikasi %(site)s: %(code)s. Berlaku %(minutes)d menit. "
            "Jangan berikan kode ini kepada siapa pun."
        ) % {
            "site": settings.SIKESAL_SITE_NAME,
            "code": code,
            "minutes": CODE_LIFETIME.seconds // 60,
        }
    send_sms(user.mobile, text)
    logger.info("Mobile verification code %s sent to account %s", verification.pk, user.pk)
    return verification


def mobile_verification_confirm(*, user: User, code: str) -> None:
    """Mark `user`'s mobile number verified if `code` is the latest code sent to it.

    Raises ValidationError with code "no_code" (none sent, or sent to another number),
    "expired", "too_many_attempts" or "wrong_code"; a wrong code counts as an attempt.
    """
    now = timezone.now()
    code = "".join(code.split())
    with transaction.atomic():
        verification = (
            user.mobile_verifications.select_for_update().filter(used_at__isnull=True).first()
        )
        if verification is None or verification.mobile != user.mobile:
            error = ValidationError(
                _("Belum ada kode yang berlaku untuk nomor ini. Minta kode baru."),
                code="no_code",
            )
        elif now >= verification.expires_at:
            error = ValidationError(
                _("Kode ini sudah kedaluwarsa. Minta kode baru."), code="expired"
            )
        elif verification.attempts >= MAX_ATTEMPTS:
            error = ValidationError(
                _("Terlalu banyak percobaan salah untuk kode ini. Minta kode baru."),
                code="too_many_attempts",
            )
        elif not constant_time_compare(
            verification.code_hash,
            _code_hash(user_id=user.pk, mobile=verification.mobile, code=code),
        ):
            verification.attempts += 1
            verification.save(update_fields=["attempts", "updated_at"])
            error = _wrong_code(remaining=MAX_ATTEMPTS - verification.attempts)
        else:
            error = None
            verification.used_at = now
            verification.save(update_fields=["used_at", "updated_at"])
            user.mobile_verified_at = now
            user.save(update_fields=["mobile_verified_at"])
            _claim(user, proved="mobile")
    # Raised after the block, so that a wrong attempt is counted, not rolled back.
    if error is not None:
        raise error
    logger.info("Mobile number of account %s verified", user.pk)


def _wrong_code(*, remaining: int) -> ValidationError:
    if remaining > 0:
        message = ngettext(
            "Kode salah. Anda masih dapat mencoba %(count)d kali lagi.",
            "Kode salah. Anda masih dapat mencoba %(count)d kali lagi.",
            remaining,
        ) % {"count": remaining}
    else:
        message = _("Kode salah. Percobaan untuk kode ini sudah habis; minta kode baru.")
    return ValidationError(message, code="wrong_code")


# --- Shared --------------------------------------------------------------------------------


def _throttled(wait: timedelta) -> ValidationError:
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds <= 90:
        message = ngettext(
            "Tunggu %(count)d detik sebelum meminta lagi.",
            "Tunggu %(count)d detik sebelum meminta lagi.",
            seconds,
        ) % {"count": seconds}
    else:
        minutes = math.ceil(seconds / 60)
        message = ngettext(
            "Terlalu sering meminta. Coba lagi %(count)d menit lagi.",
            "Terlalu sering meminta. Coba lagi %(count)d menit lagi.",
            minutes,
        ) % {"count": minutes}
    return ValidationError(message, code="throttled", params={"wait": seconds})
