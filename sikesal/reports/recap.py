"""The monthly recap of one agency (Perwal 40/2017 Pasal 9, Lampiran I).

One row per complaint the agency entered in its REGISTER during the month (accepted, which
gave it its number), whatever happened to it since: a number once given is never dropped,
so the recap shows the register without gaps. The columns are those of Lampiran I:

    NO, REGISTER, TANGGAL TERIMA, DATA PELAPOR, URAIAN PENGADUAN, PETUGAS PENERIMA,
    HASIL PENANGANAN, KET

DATA PELAPOR is the reporter's name and mobile number, or `Dirahasiakan` for an anonymous
complaint.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sikesal.agencies.models import Agency
from sikesal.complaints.deadlines import OverdueCounter, assignment_dues, is_overdue
from sikesal.complaints.models import Assignment, AssignmentStatus, Channel, Complaint
from sikesal.core.calendar import local_date
from sikesal.reports.signatory import Signatory, signatory_for

COLUMNS = (
    "NO",
    "REGISTER",
    "TANGGAL TERIMA",
    "DATA PELAPOR",
    "URAIAN PENGADUAN",
    "PETUGAS PENERIMA",
    "HASIL PENANGANAN",
    "KET",
)
DESCRIPTION_CHARS = 600
ANONYMOUS_REPORTER = "Dirahasiakan"  # DATA PELAPOR of an anonymous complaint


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        """`YYYY-MM` → Month; ValueError with a message for anything else."""
        try:
            year, month = (int(part) for part in text.split("-"))
            date(year, month, 1)
        except ValueError:
            raise ValueError(
                _("Bulan harus ditulis TTTT-BB, misalnya 2026-03; diterima: %(text)s")
                % {"text": text}
            ) from None
        return cls(year, month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def previous(self) -> "Month":
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def bounds(self) -> tuple[datetime, datetime]:
        """The month's start and the next month's start, as aware Asia/Jakarta times."""
        zone = timezone.get_default_timezone()
        start = datetime.combine(self.first_day, time.min, tzinfo=zone)
        end = datetime.combine(self.next.first_day, time.min, tzinfo=zone)
        return start, end

    def name_id(self) -> str:
        """The month's name in Indonesian, in capitals: MARET."""
        with translation.override("id"):
            return formats.date_format(self.first_day, "F").upper()

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class RecapRow:
    number: int
    register: str
    received_on: date
    reporter: str
    description: str
    received_by: str
    result: str
    remarks: str

    def cells(self) -> list:
        """The row in the order of COLUMNS: NO a number, TANGGAL TERIMA a date."""
        return [
            self.number,
            self.register,
            self.received_on,
            self.reporter,
            self.description,
            self.received_by,
            self.result,
            self.remarks,
        ]


@dataclass(frozen=True)
class Recap:
    agency: Agency
    month: Month
    rows: list[RecapRow]
    signatory: Signatory  # who signs under KEPALA/DIREKTUR

    @property
    def title(self) -> str:
        month, year = self.month.name_id(), self.month.year
        return f"REKAPITULASI HASIL PENANGANAN PENGADUAN BULAN {month} TAHUN {year}"

    @property
    def agency_line(self) -> str:
        return f"BADAN/DINAS/PERUSAHAAN DAERAH: {self.agency.name}"


def recap_assignments(agency: Agency, month: Month) -> QuerySet[Assignment]:
    start, end = month.bounds()
    return (
        Assignment.objects.filter(
            agency=agency,
            register_seq__isnull=False,
            received_at__gte=start,
            received_at__lt=end,
        )
        .select_related(
            "complaint__reporter",
            "complaint__category",
            "complaint__kelurahan",
            "complaint__kecamatan",
            "received_by",
        )
        .prefetch_related("breaches")
        .order_by("register_year", "register_seq")
    )


def recap_build(agency: Agency, month: Month, *, today: date | None = None) -> Recap:
    """The recap of `agency` for `month` as of `today`, in a fixed number of queries
    however many rows it has."""
    today = today or timezone.localdate()
    assignments = list(recap_assignments(agency, month))
    overdue = _overdue_days(assignments, today)
    with translation.override("id"):
        rows = [
            _row(number, assignment, overdue.get(assignment.pk))
            for number, assignment in enumerate(assignments, start=1)
        ]
    return Recap(agency=agency, month=month, rows=rows, signatory=signatory_for(agency))


def _overdue_days(assignments: list[Assignment], today: date) -> dict[int, int]:
    """Working days past its earliest running deadline of each late assignment still being
    handled (0 on the weekend after a Friday deadline: late all the same). One query."""
    earliest = {a.pk: min(assignment_dues(a), default=None) for a in assignments}
    counter = OverdueCounter(earliest.values(), today)
    return {pk: counter.days(due) for pk, due in earliest.items() if is_overdue(due, today)}


def _row(number: int, assignment: Assignment, overdue_days: int | None) -> RecapRow:
    complaint = assignment.complaint
    if complaint.is_anonymous:
        reporter = ANONYMOUS_REPORTER
    else:
        person = complaint.reporter
        reporter = "\n".join(part for part in (person.full_name, person.mobile_display) if part)
    description = complaint.description
    if len(description) > DESCRIPTION_CHARS:
        description = description[: DESCRIPTION_CHARS - 1].rstrip() + "…"
    if assignment.status == AssignmentStatus.RESPONDED:
        result = assignment.response
    elif assignment.status == AssignmentStatus.RETURNED:
        result = _("Dikembalikan ke Sekretariat: %(reason)s") % {"reason": assignment.return_reason}
    else:
        result = str(assignment.get_status_display())
    return RecapRow(
        number=number,
        register=assignment.register_number,
        received_on=local_date(assignment.received_at),
        reporter=reporter,
        description=f"{complaint.title} ({complaint.tracking_number})\n{description}",
        received_by=assignment.received_by.full_name if assignment.received_by else "",
        result=result,
        remarks=", ".join(
            part for part in (_remarks(assignment, overdue_days), _channel(complaint)) if part
        ),
    )


def _channel(complaint: Complaint) -> str:
    """KET's note of a complaint an officer entered (counter, phone, letter…): how it came."""
    if complaint.channel == Channel.WEB or complaint.channel not in Channel.values:
        return ""
    return _("masuk melalui %(channel)s") % {"channel": Channel(complaint.channel).label}


def _remarks(assignment: Assignment, overdue_days: int | None) -> str:
    """KET: the state and what is notable: `Selesai, dinilai 4/5`, `Dalam proses, lewat
    batas waktu 3 hari kerja`, `Dikembalikan ke Sekretariat`. `overdue_days` is None when
    the assignment is not overdue."""
    complaint = assignment.complaint
    if assignment.status == AssignmentStatus.RETURNED:
        return _("Dikembalikan ke Sekretariat")
    if assignment.status == AssignmentStatus.WITHDRAWN:
        return _("Ditarik: pengaduan ditutup sebelum dijawab")
    if assignment.status == AssignmentStatus.RESPONDED:
        parts = [str(complaint.get_status_display())]
        if complaint.rating:
            parts.append(_("dinilai %(rating)s/5") % {"rating": complaint.rating})
        if assignment.breaches.all():
            parts.append(_("dijawab lewat batas waktu"))
        return ", ".join(parts)
    parts = [_("Dalam proses")]
    if complaint.paused_on:
        parts.append(_("menunggu klarifikasi pelapor"))
    if overdue_days:
        parts.append(
            ngettext(
                "lewat batas waktu %(days)s hari kerja",
                "lewat batas waktu %(days)s hari kerja",
                overdue_days,
            )
            % {"days": overdue_days}
        )
    elif overdue_days == 0:
        parts.append(_("lewat batas waktu"))
    return ", ".join(parts)
