"""Changing monthly recaps: the head's KET remarks, and submission (a frozen version)."""

import dataclasses
import hashlib
import secrets
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikesal.accounts.models import Membership, Role, User
from sikesal.agencies.models import Agency
from sikesal.core.calendar import local_date
from sikesal.reports.models import MonthlyRecap, RecapSubmission
from sikesal.reports.pdf import recap_pdf
from sikesal.reports.recap import Month, Recap, recap_build

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off paper
CODE_LENGTH = 8
REMARK_MAX_CHARS = 300


def recap_for(agency: Agency, month: Month) -> MonthlyRecap:
    recap, _created = MonthlyRecap.objects.get_or_create(
        agency=agency, year=month.year, month=month.month
    )
    return recap


def is_head_of(user: User, agency: Agency) -> bool:
    return (
        user.is_active
        and Membership.objects.filter(user=user, agency=agency, role=Role.AGENCY_HEAD).exists()
    )


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
    if not is_head_of(user, recap.agency):
        raise PermissionDenied
    cleaned = {register: " ".join(text.split()) for register, text in remarks.items()}
    too_long = [register for register, text in cleaned.items() if len(text) > REMARK_MAX_CHARS]
    if too_long:
        raise ValidationError(
            _("Catatan KET paling banyak %(max)s karakter (register %(registers)s).")
            % {"max": REMARK_MAX_CHARS, "registers": ", ".join(too_long)}
        )
    recap.remarks = {register: text for register, text in cleaned.items() if text}
    recap.save(update_fields=["remarks", "updated_at"])


def recap_submit(
    recap: MonthlyRecap, *, user: User, now: datetime | None = None
) -> RecapSubmission:
    """Freeze the recap as the next version: its rows, the PDF with its QR code, SHA-256."""
    now = now or timezone.now()
    if not is_head_of(user, recap.agency):
        raise PermissionDenied
    month = Month(recap.year, recap.month)
    if local_date(now) < month.next.first_day:
        raise ValidationError(
            _("Rekapitulasi bulan %(month)s baru dapat dikirim setelah bulan itu berakhir.")
            % {"month": month}
        )
    with transaction.atomic():
        locked = MonthlyRecap.objects.select_for_update().get(pk=recap.pk)
        version = max(locked.submissions.values_list("version", flat=True), default=0) + 1
        submission = RecapSubmission(
            recap=locked,
            version=version,
            code=_unused_code(),
            submitted_by=user,
            submitted_at=now,
        )
        frozen = recap_with_remarks(locked, today=local_date(now))
        content = recap_pdf(frozen, submission=submission)
        submission.rows = [_row_json(row) for row in frozen.rows]
        submission.sha256 = hashlib.sha256(content).hexdigest()
        submission.pdf.save("recap.pdf", ContentFile(content), save=False)
        submission.save()
    return submission


def _unused_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not RecapSubmission.objects.filter(code=code).exists():
            return code


def _row_json(row) -> dict:
    data = dataclasses.asdict(row)
    data["received_on"] = row.received_on.isoformat()
    return data
