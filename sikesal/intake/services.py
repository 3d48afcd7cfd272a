"""Assisted intake: an officer enters a complaint on a citizen's behalf (counter, phone,
letter, Call Center 112, SP4N-LAPOR!, social media, email, WhatsApp).

One write path, `complaint_intake`: it finds or records the reporter (`reporters`), files
through `complaints.services.complaint_submission` like every other door, keeps the
letter's scan, and, for a complaint taken at an agency's own counter, lets the system take
the workflow's own `review` and `route` steps to that agency. A reporter no notice would
reach is sent the tracking number by SMS (else email) through the outbox. All of it in one
transaction: a refusal leaves nothing behind but the staged photos and scan, which the
form keeps.
"""

import contextlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sikesal.accounts.models import User
from sikesal.agencies.models import Agency
from sikesal.complaints.access import agency_ids_for, is_secretariat
from sikesal.complaints.deadlines import local_today
from sikesal.complaints.images import clean_original_name
from sikesal.complaints.models import Channel, Complaint, ComplaintPhoto
from sikesal.complaints.services import complaint_submission
from sikesal.complaints.workflow import Route, transition
from sikesal.core.links import absolute_url
from sikesal.intake import reporters
from sikesal.intake.models import LetterScan
from sikesal.notifications.services import email_queue, sms_queue

logger = logging.getLogger(__name__)

# Every door an officer types for: all but the citizen's own account.
INTAKE_CHANNELS = tuple(channel for channel in Channel if channel != Channel.WEB)
# A date received further back is far more likely a typing slip (2025 for 2026) than a
# letter left a year unopened.
RECEIVED_MAX_DAYS_AGO = 365

# What each kind of scan starts with: the type is read from the content, never the name.
SCAN_SIGNATURES = (
    (b"%PDF-", LetterScan.Kind.PDF),
    (b"\xff\xd8\xff", LetterScan.Kind.JPEG),
    (b"\x89PNG\r\n\x1a\n", LetterScan.Kind.PNG),
)


@dataclass(frozen=True)
class Desk:
    """Where an officer takes complaints: the Secretariat (`agency` None), or the counter of
    an agency they work for, whose complaints go straight to that agency."""

    agency: Agency | None

    @property
    def value(self) -> str:
        return str(self.agency.pk) if self.agency else "sekretariat"

    @property
    def label(self) -> str:
        if self.agency is None:
            return _("Sekretariat Pengaduan")
        return _("Loket %(agency)s (langsung ke antrean OPD ini)") % {"agency": self.agency.name}


def can_take_intake(user: User) -> bool:
    """Whether `user` has a desk (`intake_desks`), without loading the agencies."""
    return user.is_authenticated and (is_secretariat(user) or bool(agency_ids_for(user)))


def intake_desks(user: User) -> list[Desk]:
    """The desks `user` may enter complaints at: the Secretariat for its officers, and
    each active agency they are an officer or head of. Empty: not for them."""
    if not user.is_authenticated or not user.is_active:
        return []
    desks = [Desk(None)] if is_secretariat(user) else []
    agencies = Agency.objects.filter(pk__in=agency_ids_for(user), is_active=True).order_by("name")
    return desks + [Desk(agency) for agency in agencies]


@dataclass(frozen=True)
class Intake:
    """What `complaint_intake` did: the complaint (filed now, or by an earlier sending of
    the same form: `created` false), and whether its reporter was already known."""

    complaint: Complaint
    reporter_known: bool
    created: bool


def complaint_intake(
    *,
    officer: User,
    desk: Desk,
    channel: str,
    full_name: str,
    email: str = "",
    mobile: str = "",
    received_on: date,
    letter_scan: LetterScan | None = None,
    photos: list[ComplaintPhoto] = (),
    idempotency_key: str = "",
    now: datetime | None = None,
    **fields,
) -> Intake:
    """File a complaint `officer` took at `desk` through `channel` for the person named.

    `fields` are `complaint_submission`'s (`ComplaintForm.submission_fields`). Raises
    ValidationError (per field) and writes nothing when anything is wrong, PermissionError
    when `officer` may not use `desk`.
    """
    now = now or timezone.now()
    if desk not in intake_desks(officer):
        raise PermissionError("Not an intake desk of this officer")
    errors = {}
    if channel not in INTAKE_CHANNELS:
        errors["channel"] = _("Pilih saluran pengaduan.")
    if problem := received_on_problem(received_on):
        errors["received_on"] = problem
    if letter_scan is not None:
        if channel != Channel.LETTER:
            errors["letter_scan"] = _("Pindaian surat hanya untuk pengaduan melalui surat.")
        elif letter_scan.complaint_id is not None or letter_scan.uploaded_by_id != officer.pk:
            errors["letter_scan"] = _("Pindaian surat ini tidak dapat dilampirkan.")
    errors.update(
        reporters.reporter_identity_errors(full_name=full_name, email=email, mobile=mobile)
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        reporter, known = _reporter(full_name=full_name, email=email, mobile=mobile)
        submission = complaint_submission(
            reporter=reporter,
            actor=officer,
            channel=channel,
            allow_unverified_reporter=True,
            received_at=_received_at(received_on, now),
            counter=desk.agency,
            photos=photos,
            idempotency_key=idempotency_key,
            now=now,
            **fields,
        )
        complaint = submission.complaint
        if not submission.created:
            return Intake(complaint, reporter_known=True, created=False)
        if letter_scan is not None:
            letter_scan.complaint = complaint
            letter_scan.save(update_fields=["complaint"])
        if desk.agency is not None:
            _to_counter_agency(complaint, desk.agency, now=now)
        _send_receipt(complaint)
    logger.info(
        "Complaint %s entered by %s at %s through %s",
        complaint.tracking_number,
        officer.pk,
        desk.value,
        channel,
    )
    return Intake(complaint, reporter_known=known, created=True)


def received_on_problem(received_on: date) -> str:
    """What is wrong with a date received, or ""."""
    today = local_today()
    if received_on > today:
        return _("Tanggal diterima tidak boleh di masa depan.")
    if received_on < today - timedelta(days=RECEIVED_MAX_DAYS_AGO):
        return _("Tanggal diterima lebih dari setahun yang lalu; periksa tahunnya.")
    return ""


def _received_at(received_on: date, now: datetime) -> datetime:
    """When the complaint counts as filed, which is when its deadline clocks start.

    The date it was received, not the day it was typed in: Perwal 40/2017 Pasal 5 ayat (2)
    obliges the agencies to follow up every complaint "yang diterima", and the response
    and decision periods it follows (UU 25/2009, 14 and 60 days; SP4N-LAPOR!'s 3 working
    days for review) run from receipt. A letter left a week on a desk must not gain a week.
    Today's complaints are filed as of now; an earlier day's at its start (the hour was
    not recorded).
    """
    if received_on >= timezone.localdate(now):
        return now
    return datetime.combine(received_on, time.min, tzinfo=timezone.get_current_timezone())


def _reporter(*, full_name: str, email: str, mobile: str) -> tuple[User, bool]:
    """The account that proved this contact, else the reporter without a login known by
    it (updated) or a new one; and whether they were known before."""
    known = reporters.known_reporter(email=email, mobile=mobile)
    if known is not None and known.is_registered:
        return known, True
    reporter = reporters.reporter_for_intake(full_name=full_name, email=email, mobile=mobile)
    return reporter, known is not None


def _to_counter_agency(complaint: Complaint, agency: Agency, *, now: datetime) -> None:
    """Send a complaint taken at `agency`'s own counter straight to its queue: the system
    takes the workflow's `review` and `route` on the Secretariat's behalf, each event
    saying why, so the Secretariat still sees every step and may act on it as on any
    routed complaint."""
    name = agency.short_name or agency.name
    transition(
        complaint,
        "review",
        actor=None,
        now=now,
        note=_("Diterima di loket %(agency)s; disalurkan langsung ke OPD tersebut.")
        % {"agency": name},
    )
    transition(
        complaint,
        "route",
        actor=None,
        now=now,
        routes=[Route(agency=agency, is_lead=True)],
        note=_("Disalurkan otomatis kepada %(agency)s: pengaduan diterima di loket OPD ini.")
        % {"agency": name},
    )


def _send_receipt(complaint: Complaint) -> None:
    """Tell a reporter whom `notify` does not reach (no login, nothing proved) the tracking
    number: by SMS to the number the officer read back to them, else by email.

    An account, or a reporter who proved a contact, already got `complaint_submitted`.
    """
    reporter = complaint.reporter
    if reporter.is_registered or reporter.is_verified:
        return
    context = {
        "tracking_number": complaint.tracking_number,
        "title": complaint.title,
        "site_name": settings.SIKESAL_SITE_NAME,
        "link": absolute_url(reverse("accounts:register")),
    }
    with translation.override(reporter.language or settings.LANGUAGE_CODE):
        if reporter.mobile:
            body = render_to_string("intake/receipt_sms.txt", context)
            sms_queue(to=reporter.mobile, body=" ".join(body.split()))
        elif reporter.email:
            email_queue(
                to=reporter.email,
                subject=render_to_string("intake/receipt_subject.txt", context),
                body=render_to_string("intake/receipt_email.txt", context).strip() + "\n",
            )


# --- the letter's scan ------------------------------------------------------------------


def letter_scan_stage(*, upload: UploadedFile, uploaded_by: User) -> LetterScan:
    """Check and keep a letter's scan until its form is submitted.

    Raises ValidationError (Indonesian message) for a file over
    `SIKESAL_LETTER_SCAN_MAX_BYTES` (refused before it is read) or one that is not a PDF,
    JPEG or PNG by its content; nothing is stored then.
    """
    limit = settings.SIKESAL_LETTER_SCAN_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("Berkas pindaian terlalu besar; paling besar %(megabytes)d MB.")
            % {"megabytes": limit // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = next((kind for magic, kind in SCAN_SIGNATURES if head.startswith(magic)), None)
    if kind is None:
        raise ValidationError(
            _("Pindaian surat harus berkas PDF, JPEG atau PNG."), code="invalid_type"
        )
    scan = LetterScan(
        uploaded_by=uploaded_by,
        content_type=kind,
        size=upload.size,
        original_name=clean_original_name(upload.name or ""),
        created_at=timezone.now(),
    )
    try:
        scan.file.save("scan", upload, save=False)
        scan.save()
    except BaseException:
        # A file with no row is reachable by no one: remove it, report the first failure.
        if scan.file.name:
            with contextlib.suppress(OSError):
                scan.file.delete(save=False)
        raise
    return scan


def staged_letter_scan(*, user: User, scan_id: str) -> LetterScan | None:
    """The user's own staged scan with this id (from a form), else None."""
    if not (scan_id.isascii() and scan_id.isdigit() and len(scan_id) <= 18):
        return None
    return LetterScan.objects.filter(
        pk=int(scan_id), uploaded_by=user, complaint__isnull=True
    ).first()
