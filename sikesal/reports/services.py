"""Monthly recaps: which months are owed, reading one without creating it, the head's KET
remarks, and submission (a frozen version)."""

import dataclasses
import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from sikesal.accounts.models import User
from sikesal.agencies.models import Agency
from sikesal.complaints.access import is_agency_head
from sikesal.complaints.models import Complaint, IdentityAccess
from sikesal.core.calendar import local_date
from sikesal.reports.models import MonthlyRecap, RecapSubmission
from sikesal.reports.pdf import recap_pdf
from sikesal.reports.recap import ANONYMOUS_REPORTER, Month, Recap, recap_build

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off paper
CODE_LENGTH = 8
CODE_ATTEMPTS = 10
# A submission re-renders when the recap changed while its PDF was being made; a recap that
# keeps changing (a busy agency at the end of the month) is refused after this many tries.
SUBMIT_ATTEMPTS = 3
REMARK_MAX_CHARS = 300


class CodeSpaceExhausted(RuntimeError):
    """No unused verification code was found: the random source is broken."""


def recap_go_live(*, now: datetime | None = None) -> Month:
    """The first month whose recap agencies owe.

    `SIKESAL_GO_LIVE_MONTH` when set; otherwise the month of the first complaint or of the
    first submitted recap, whichever is earlier; with neither, the current month (a new
    deployment owes nothing for the months before it ran).
    """
    if settings.SIKESAL_GO_LIVE_MONTH:
        return Month.parse(settings.SIKESAL_GO_LIVE_MONTH)
    today = local_date(now or timezone.now())
    starts = [today.replace(day=1)]
    first_complaint = Complaint.objects.aggregate(first=Min("submitted_at"))["first"]
    if first_complaint is not None:
        starts.append(local_date(first_complaint).replace(day=1))
    first_recap = (
        MonthlyRecap.objects.filter(submissions__isnull=False)
        .order_by("year", "month")
        .values_list("year", "month")
        .first()
    )
    if first_recap is not None:
        starts.append(Month(*first_recap).first_day)
    first = min(starts)
    return Month(first.year, first.month)


def recap_for(agency: Agency, month: Month) -> MonthlyRecap:
    """The agency's recap of `month`: the stored one, or an unsaved draft when the 1st's job
    has not made it yet. Reading never creates the row; saving remarks or submitting does."""
    recap = MonthlyRecap.objects.filter(agency=agency, year=month.year, month=month.month).first()
    return recap or MonthlyRecap(agency=agency, year=month.year, month=month.month)


def _store(recap: MonthlyRecap) -> None:
    """Give an unsaved draft from `recap_for` its row (another request may have made it
    meanwhile: then it becomes that row)."""
    if recap.pk is None:
        stored, _created = MonthlyRecap.objects.get_or_create(
            agency=recap.agency, year=recap.year, month=recap.month
        )
        recap.pk = stored.pk
        recap.refresh_from_db()


def recap_identities_logged(
    *, agency: Agency, month: Month, reporters: Iterable[str], user: User | None, shown_as: str
) -> bool:
    """Log that `user` saw the named reporters of a recap (UU 27/2022 Pasal 31), shown as
    `shown_as` ("halaman", "PDF draf", "PDF versi 2", ...); one row per view or download.
    `user` None: the server's command line. False, and nothing logged, when every reporter
    on it is anonymous (or there are none)."""
    if not any(reporter and reporter != ANONYMOUS_REPORTER for reporter in reporters):
        return False
    IdentityAccess.objects.create(
        agency=agency,
        month=str(month),
        user=user,
        purpose=f"Rekap {agency.code.upper()} {month}: {shown_as}"[:200],
    )
    return True


def recap_with_remarks(recap: MonthlyRecap, *, today=None) -> Recap:
    """The recap's rows as of `today`, the head's remarks added to KET."""
    built = recap_build(recap.agency, Month(recap.year, recap.month), today=today)
    rows = [
        dataclasses.replace(row, remarks=f"{row.remarks}. {note}")
        if (note := recap.remarks.get(row.register))
        else row
        for row in built.rows
    ]
    return dataclasses.replace(built, rows=rows)


def recap_remarks_save(recap: MonthlyRecap, *, user: User, remarks: dict[str, str]) -> None:
    """Keep the head's KET remarks (register number → text); blank ones are dropped."""
    if not is_agency_head(user, recap.agency):
        raise PermissionDenied
    cleaned = {register: " ".join(text.split()) for register, text in remarks.items()}
    too_long = [register for register, text in cleaned.items() if len(text) > REMARK_MAX_CHARS]
    if too_long:
        raise ValidationError(
            _("Catatan KET paling banyak %(max)s karakter (register %(registers)s).")
            % {"max": REMARK_MAX_CHARS, "registers": ", ".join(too_long)}
        )
    _store(recap)
    recap.remarks = {register: text for register, text in cleaned.items() if text}
    recap.save(update_fields=["remarks", "updated_at"])


def recap_submit(
    recap: MonthlyRecap, *, user: User, now: datetime | None = None
) -> RecapSubmission:
    """Freeze the recap as the next version: its rows, the PDF with its QR code, SHA-256.

    The PDF (half a minute for 2,000 rows) is made outside any transaction, so other writers
    never wait for it (on SQLite a transaction holds the whole database). Then the rows are
    built again: if they changed while the PDF was made, it is made again (at most
    SUBMIT_ATTEMPTS times). The write is one short transaction that locks the recap and
    checks that the version number and the remarks printed are still the current ones.
    """
    now = now or timezone.now()
    if not is_agency_head(user, recap.agency):
        raise PermissionDenied
    month = Month(recap.year, recap.month)
    if local_date(now) < month.next.first_day:
        raise ValidationError(
            _("Rekapitulasi bulan %(month)s baru dapat dikirim setelah bulan itu berakhir.")
            % {"month": month}
        )
    _store(recap)
    today = local_date(now)
    frozen = recap_with_remarks(recap, today=today)
    for _attempt in range(SUBMIT_ATTEMPTS):
        submission = RecapSubmission(
            recap=recap,
            version=_next_version(recap),
            code=_unused_code(),
            submitted_by=user,
            submitted_at=now,
        )
        content = recap_pdf(frozen, submission=submission)
        recap.refresh_from_db(fields=["remarks"])
        latest = recap_with_remarks(recap, today=today)
        if latest != frozen:
            frozen = latest
            continue
        with transaction.atomic():
            locked = MonthlyRecap.objects.select_for_update().get(pk=recap.pk)
            if not is_agency_head(user, locked.agency):
                raise PermissionDenied
            printed_is_current = (
                locked.remarks == recap.remarks
                and _next_version(locked) == submission.version
                and not RecapSubmission.objects.filter(code=submission.code).exists()
            )
            if printed_is_current:
                submission.rows = [_row_json(row) for row in frozen.rows]
                submission.sha256 = hashlib.sha256(content).hexdigest()
                submission.pdf.save("recap.pdf", ContentFile(content), save=False)
                submission.save()
        if printed_is_current:
            return submission
        recap.refresh_from_db(fields=["remarks"])
        frozen = recap_with_remarks(recap, today=today)
    raise ValidationError(
        _(
            "Rekapitulasi berubah selama PDF-nya dibuat, %(attempts)s kali berturut-turut; "
            "tidak ada yang dikirim. Mohon kirim kembali sebentar lagi."
        )
        % {"attempts": SUBMIT_ATTEMPTS}
    )


def _next_version(recap: MonthlyRecap) -> int:
    return max(recap.submissions.values_list("version", flat=True), default=0) + 1


def _unused_code() -> str:
    for _attempt in range(CODE_ATTEMPTS):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not RecapSubmission.objects.filter(code=code).exists():
            return code
    # 31^8 codes: ten collisions in a row mean the random source is broken, not bad luck.
    raise CodeSpaceExhausted(
        f"No unused recap verification code in {CODE_ATTEMPTS} attempts; "
        "the random number source is not random."
    )


def _row_json(row) -> dict:
    data = dataclasses.asdict(row)
    data["received_on"] = row.received_on.isoformat()
    return data
