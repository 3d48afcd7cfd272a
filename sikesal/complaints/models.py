"""Complaints: the case, its routing to agencies, its timeline, photos and audit rows.

Nothing here changes a status by itself: every change goes through
`sikesal.complaints.workflow.transition`, which writes one `ComplaintEvent` per action.
"""

import re
import secrets
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sikesal.agencies.models import Agency, Category, Region
from sikesal.core.city import city_government, city_province
from sikesal.core.models import TimeStampedModel

DESCRIPTION_MAX_LENGTH = 4000
# Room for a UUID or any client's own key; /lapor/'s token is 32 characters.
IDEMPOTENCY_KEY_MAX_LENGTH = 64

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a tracking number read aloud over the phone or copied from
# a screenshot must not be misread.
TRACKING_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
TRACKING_PREFIX = "SKL-"
TRACKING_LENGTH = 6


def new_tracking_number() -> str:
    """A random, non-sequential tracking number such as `SKL-7K3QX9` (25^6 ≈ 244 million)."""
    return TRACKING_PREFIX + "".join(
        secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH)
    )


class ReportType(models.TextChoices):
    COMPLAINT = "pengaduan", _("Pengaduan")  # a service failed or was refused
    ASPIRATION = "aspirasi", _("Aspirasi")  # a suggestion or wish
    INFORMATION_REQUEST = "informasi", _("Permintaan informasi")  # a question


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Diterima sistem")  # filed, waiting for the Secretariat
    IN_REVIEW = "in_review", _("Ditelaah Sekretariat")  # being reviewed, or handed back
    NEEDS_CLARIFICATION = "needs_clarification", _("Menunggu klarifikasi pelapor")  # clock off
    DECLINED = "declined", _("Tidak ditindaklanjuti")  # Pasal 11.2 and the other reasons
    ROUTED = "routed", _("Disalurkan ke OPD")  # waiting for an agency to accept
    IN_PROGRESS = "in_progress", _("Ditindaklanjuti OPD")  # accepted by at least one agency
    RESPONDED = "responded", _("Sudah ditanggapi")  # every agency answered; citizen's turn
    CLOSED = "closed", _("Selesai")  # rated, or no reply from the citizen in time
    ARCHIVED = "archived", _("Diarsipkan")  # kept for the record, no more changes


# Status groups: each is defined here once, named for what it is; import it, never retype it.
# With the Secretariat: new, in review (also when handed back), or waiting for the citizen.
AWAITING_SECRETARIAT = (Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_CLARIFICATION)
# With one or more agencies, before every one of them has answered.
WITH_AGENCIES = (Status.ROUTED, Status.IN_PROGRESS)
# Not answered yet: the handling clocks run (a clarification request pauses them).
IN_HANDLING = (*AWAITING_SECRETARIAT, *WITH_AGENCIES)
# Routed to an agency at some point (what public pages may show; a declined complaint never was).
ROUTED_OR_LATER = (*WITH_AGENCIES, Status.RESPONDED, Status.CLOSED, Status.ARCHIVED)
# Handling is over (declined or closed); archived once SIKESAL_DEADLINES' archive_after_days pass.
FINISHED = (Status.DECLINED, Status.CLOSED)
# Closed for good: closed, or archived since (whatever it was before).
CLOSED_OR_ARCHIVED = (Status.CLOSED, Status.ARCHIVED)
# Every state but the archive: staff may still add internal notes.
NOT_ARCHIVED = tuple(status for status in Status if status != Status.ARCHIVED)


class StatusTone(StrEnum):
    """What a status means to the reader, by its group: the colour of its badge on every
    page (`Complaint.status_tone`, `Assignment.status_tone`; the classes
    `status-tone status-tone--<tone>` in static/css/sikesal.css). None is an error colour: an
    answered complaint is good news, and the red of the pages stays for what is overdue."""

    PENDING = "pending"  # AWAITING_SECRETARIAT: with the Secretariat, or the reporter
    PROGRESS = "progress"  # WITH_AGENCIES: being handled
    ANSWERED = "answered"  # RESPONDED: the agencies answered
    CLOSED = "closed"  # CLOSED_OR_ARCHIVED: done
    DECLINED = "declined"  # DECLINED: not taken up (not a fault of the page)


# The one mapping from status group to tone.
STATUS_TONES = {
    **dict.fromkeys(AWAITING_SECRETARIAT, StatusTone.PENDING),
    **dict.fromkeys(WITH_AGENCIES, StatusTone.PROGRESS),
    Status.RESPONDED: StatusTone.ANSWERED,
    **dict.fromkeys(CLOSED_OR_ARCHIVED, StatusTone.CLOSED),
    Status.DECLINED: StatusTone.DECLINED,
}


class Channel(models.TextChoices):
    WEB = "web", _("Situs web / aplikasi")  # the citizen's own account: /lapor/, the API
    # Entered by an officer on the citizen's behalf (assisted intake, sikesal/intake):
    WALK_IN = "walk_in", _("Datang langsung")  # at the Secretariat's or an agency's counter
    PHONE = "phone", _("Telepon")
    LETTER = "letter", _("Surat")  # a scan of the letter may be kept (intake.LetterScan)
    CALL_CENTER_112 = "call_center_112", _("Call Center 112")  # passed on by the 112 desk
    LAPOR = "lapor", _("SP4N-LAPOR!")
    SOCIAL_MEDIA = "social_media", _("Media sosial")
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")


# A complaint filed by an Open311 client is of channel "open311:<client slug>"
# (sikesal.open311.models.Open311Client): one channel per connected system.
OPEN311_CHANNEL_PREFIX = "open311:"
CHANNEL_MAX_LENGTH = 40
_OPEN311_CHANNEL = re.compile(r"open311:[a-z0-9][a-z0-9-]{0,31}")


def validate_channel(value: str) -> None:
    """A `Channel`, or `open311:<client slug>`."""
    if value in Channel.values or _OPEN311_CHANNEL.fullmatch(value or ""):
        return
    raise ValidationError(_("Saluran tidak dikenal."), code="invalid_channel")


class DeclineReason(models.TextChoices):
    UNETHICAL = "unethical", _("Tidak etis")  # Pasal 11.2
    SARA = "sara", _("Mengandung SARA")  # Pasal 11.2
    IRRESPONSIBLE = "irresponsible", _("Tidak bertanggung jawab")  # Pasal 11.2
    SPAM = "spam", _("Spam")
    DUPLICATE = "duplicate", _("Duplikat pengaduan lain")  # linked to the original
    OUT_OF_SCOPE = (
        "out_of_scope",
        format_lazy(_("Bukan kewenangan {government}"), government=city_government()),
    )
    INCOMPLETE = "incomplete", _("Tidak lengkap")  # also when a clarification goes unanswered


class Referral(models.TextChoices):
    """Where a complaint outside the city's authority should go instead."""

    PLN = "pln", _("PLN (listrik): aplikasi PLN Mobile atau Call Center 123")
    BPJS = "bpjs", _("BPJS Kesehatan / Ketenagakerjaan: Care Center 165 / 175")
    PROVINCE = (
        "province",
        format_lazy(_("Pemerintah Provinsi {province}"), province=city_province()),
    )
    LAPOR = "lapor", _("SP4N-LAPOR! (lapor.go.id) untuk instansi pusat")
    OMBUDSMAN = (
        "ombudsman",
        format_lazy(
            _("Ombudsman RI Perwakilan {province} (maladministrasi)"), province=city_province()
        ),
    )
    OTHER = "other", _("Lainnya (lihat pesan)")


class Complaint(TimeStampedModel):
    """One case, from filing to archive (pengaduan / keluhan)."""

    tracking_number = models.CharField(
        _("nomor pelacakan"), max_length=12, unique=True, default=new_tracking_number
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelapor"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    report_type = models.CharField(
        _("jenis laporan"), max_length=20, choices=ReportType.choices, default=ReportType.COMPLAINT
    )
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="complaints"
    )
    title = models.CharField(_("judul"), max_length=150)
    description = models.TextField(
        _("uraian"), validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)]
    )
    event_date = models.DateField(_("tanggal kejadian atau layanan"), null=True, blank=True)
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("alamat atau patokan"), max_length=255, blank=True)
    kelurahan = models.ForeignKey(
        Region,
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kecamatan = models.ForeignKey(
        Region,
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_confidential = models.BooleanField(
        _("rahasia"), default=False, help_text=_("Tidak pernah ditampilkan kepada publik.")
    )
    is_anonymous = models.BooleanField(
        _("anonim"),
        default=False,
        help_text=_("Identitas pelapor disembunyikan dari OPD; Sekretariat tetap melihatnya."),
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.SUBMITTED
    )
    # A `Channel` value or "open311:<client slug>"; `channel_label` names it.
    channel = models.CharField(
        _("saluran"),
        max_length=CHANNEL_MAX_LENGTH,
        validators=[validate_channel],
        default=Channel.WEB,
    )
    submitted_at = models.DateTimeField(_("diajukan pada"))
    # The submission token of /lapor/ or the API's Idempotency-Key: a retry of the same
    # submission by the same reporter finds this complaint instead of filing another.
    idempotency_key = models.CharField(
        _("kunci pengiriman"), max_length=IDEMPOTENCY_KEY_MAX_LENGTH, blank=True, editable=False
    )

    # Deadlines: Asia/Jakarta dates; a clock is stopped by clearing its date.
    review_due = models.DateField(_("batas penelaahan"), null=True, blank=True)
    response_due = models.DateField(_("batas tanggapan pertama"), null=True, blank=True)
    decision_due = models.DateField(_("batas penyelesaian"), null=True, blank=True)
    clarification_due = models.DateField(_("batas klarifikasi"), null=True, blank=True)
    rating_due = models.DateField(_("batas penilaian"), null=True, blank=True)
    paused_on = models.DateField(
        _("jam berhenti sejak"),
        null=True,
        blank=True,
        help_text=_("Tanggal jam tenggat dihentikan untuk menunggu pelapor."),
    )
    first_response_at = models.DateTimeField(_("tanggapan pertama"), null=True, blank=True)
    responded_at = models.DateTimeField(_("ditanggapi pada"), null=True, blank=True)
    closed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    decline_reason = models.CharField(
        _("alasan tidak ditindaklanjuti"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    decline_message = models.TextField(_("pesan kepada pelapor"), blank=True)
    referral = models.CharField(
        _("disarankan ke"), max_length=16, choices=Referral.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplikat dari"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    rating = models.PositiveSmallIntegerField(
        _("penilaian"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("komentar penilaian"), blank=True)
    objection_count = models.PositiveSmallIntegerField(_("jumlah keberatan"), default=0)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="complaint_status_idx"),
            models.Index(fields=["reporter", "-submitted_at"], name="complaint_reporter_idx"),
            # Partial indexes in the order the lists read them, so that a page reads its
            # rows off the index instead of sorting the table (query-plan tests:
            # test_query_plans.py). Their conditions must stay those of the selectors
            # that use them: `selectors.public_complaints` (the public list, newest
            # first) and the staff queue's statuses (`IN_HANDLING` holds every status the
            # queue, its overdue filter and `deadlines.complaint_overdue` ask for).
            models.Index(
                fields=["-submitted_at", "-id"],
                condition=Q(
                    is_confidential=False, status__in=list(ROUTED_OR_LATER), decline_reason=""
                ),
                name="complaint_public_idx",
            ),
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status__in=list(IN_HANDLING)),
                name="complaint_open_queue_idx",
            ),
            # The running clocks (`deadlines.complaint_overdue`): the Secretariat's overdue
            # count reads only this index (an index-only scan, 4x faster than the rows).
            models.Index(
                fields=["review_due", "response_due", "decision_due", "id"],
                condition=Q(status__in=list(IN_HANDLING), paused_on__isnull=True),
                name="complaint_running_clocks_idx",
            ),
            # Every complaint in filing order: the queue's "all" and the staff API.
            models.Index(fields=["submitted_at", "id"], name="complaint_submitted_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="complaint_rating_1_to_5",
                violation_error_message=_("Penilaian harus 1 sampai 5."),
            ),
            models.CheckConstraint(
                condition=~Q(decline_reason="duplicate") | Q(duplicate_of__isnull=False),
                name="complaint_duplicate_has_original",
                violation_error_message=_("Pengaduan duplikat harus menunjuk pengaduan aslinya."),
            ),
            models.UniqueConstraint(
                fields=["reporter", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="complaint_idempotency_key_unique",
                violation_error_message=_("Pengaduan ini sudah terkirim."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.title}"

    @property
    def is_public(self) -> bool:
        """Shown on the public pages: not confidential and not declined."""
        return (
            not self.is_confidential and not self.decline_reason and self.status in ROUTED_OR_LATER
        )

    @property
    def status_tone(self) -> str:
        """The colour of the status badge: `status-tone--<this>` (see `StatusTone`)."""
        return STATUS_TONES[self.status]

    @property
    def geo_uri(self) -> str:
        """The pinned point as a `geo:` URI (RFC 5870) that opens the phone's maps app with
        a pin on it, or "" without a point. Never for public pages: the point is private."""
        if self.latitude is None or self.longitude is None:
            return ""
        point = f"{self.latitude:f},{self.longitude:f}"
        # `q=` asks Android's maps apps to drop a pin there, not only to centre on it.
        return f"geo:{point}?q={point}"

    @property
    def channel_label(self) -> str:
        """How the complaint arrived, as people read it (pages, API, exports): a `Channel`'s
        label, or "Open311: <client name>"."""
        if self.channel in Channel.values:
            return str(Channel(self.channel).label)
        if self.channel.startswith(OPEN311_CHANNEL_PREFIX):
            from sikesal.open311.models import Open311Client

            slug = self.channel.removeprefix(OPEN311_CHANNEL_PREFIX)
            name = Open311Client.objects.filter(slug=slug).values_list("name", flat=True).first()
            return str(_("Open311: %(client)s") % {"client": name or slug})
        return self.channel


class AssignmentStatus(models.TextChoices):
    ROUTED = "routed", _("Menunggu diterima")  # sent to the agency, not yet registered
    ACCEPTED = "accepted", _("Ditindaklanjuti")  # registered; the agency is working on it
    RESPONDED = "responded", _("Sudah dijawab")  # HASIL PENANGANAN given
    RETURNED = "returned", _("Dikembalikan ke Sekretariat")  # wrong agency
    WITHDRAWN = "withdrawn", _("Ditarik")  # the complaint was closed before the agency answered


# Assignment status groups (see the complaint's above).
# The agency still owes its answer.
WORKING_ASSIGNMENT_STATUSES = (AssignmentStatus.ROUTED, AssignmentStatus.ACCEPTED)
# Active: the agency works on it or has answered; its staff see the complaint.
ACTIVE_ASSIGNMENT_STATUSES = (*WORKING_ASSIGNMENT_STATUSES, AssignmentStatus.RESPONDED)
# The agency's cases ("complaints of agency X" in queues and reports): routed to it and not
# handed back; a case withdrawn when the complaint closed stays the agency's.
AGENCY_CASE_STATUSES = (*ACTIVE_ASSIGNMENT_STATUSES, AssignmentStatus.WITHDRAWN)
# An assignment's tone, in the complaint's terms: waiting for the agency to accept it is
# like waiting at the Secretariat; handed back or withdrawn, the agency's part is over.
ASSIGNMENT_STATUS_TONES = {
    AssignmentStatus.ROUTED: StatusTone.PENDING,
    AssignmentStatus.ACCEPTED: StatusTone.PROGRESS,
    AssignmentStatus.RESPONDED: StatusTone.ANSWERED,
    AssignmentStatus.RETURNED: StatusTone.DECLINED,
    AssignmentStatus.WITHDRAWN: StatusTone.CLOSED,
}


class Assignment(TimeStampedModel):
    """A complaint routed to one agency (penyaluran / disposisi).

    Accepting it enters it in the agency's REGISTER (Lampiran I): a running number per
    agency per year, `<AGENCY-CODE>/<YYYY>/<NNNN>`, gap-free.
    """

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("pengaduan"), on_delete=models.CASCADE, related_name="assignments"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="assignments"
    )
    is_lead = models.BooleanField(_("OPD utama"), default=False)
    instructions = models.TextField(_("arahan Sekretariat"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ROUTED,
    )
    routed_at = models.DateTimeField(_("disalurkan pada"))
    # None: routed by the system (a complaint entered at the agency's own counter).
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disalurkan oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    followup_due = models.DateField(_("batas tindak lanjut pertama"), null=True, blank=True)
    first_followup_at = models.DateTimeField(_("tindak lanjut pertama"), null=True, blank=True)

    register_year = models.PositiveSmallIntegerField(_("tahun register"), null=True, blank=True)
    register_seq = models.PositiveIntegerField(_("urutan register"), null=True, blank=True)
    register_number = models.CharField(_("nomor register"), max_length=40, blank=True)
    received_at = models.DateTimeField(_("tanggal terima"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas penerima"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    response = models.TextField(_("hasil penanganan"), blank=True)
    responded_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dijawab oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("alasan pengembalian"), blank=True)

    class Meta:
        ordering = ["-is_lead", "routed_at"]
        verbose_name = _("penyaluran")
        verbose_name_plural = _("penyaluran")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "register_year", "register_seq"],
                condition=Q(register_seq__isnull=False),
                name="assignment_register_unique",
                violation_error_message=_("Nomor register ini sudah dipakai."),
            ),
            models.UniqueConstraint(
                fields=["complaint", "agency"],
                condition=Q(status__in=list(ACTIVE_ASSIGNMENT_STATUSES)),
                name="assignment_one_active_per_agency",
                violation_error_message=_("Pengaduan ini sudah disalurkan ke OPD tersebut."),
            ),
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(is_lead=True, status__in=list(ACTIVE_ASSIGNMENT_STATUSES)),
                name="assignment_one_active_lead",
                violation_error_message=_("Satu pengaduan hanya punya satu OPD utama."),
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="assignment_agency_status_idx"),
            # An agency's queue (`selectors.assignment_queue`), oldest first.
            models.Index(
                fields=["agency", "routed_at", "id"],
                condition=Q(status__in=list(ACTIVE_ASSIGNMENT_STATUSES)),
                name="assignment_agency_queue_idx",
            ),
            # Agencies yet to follow up (`deadlines.followup_past_due`): the overdue count
            # and filter look these up for every open complaint.
            models.Index(
                fields=["complaint", "followup_due"],
                condition=Q(
                    status__in=list(WORKING_ASSIGNMENT_STATUSES), first_followup_at__isnull=True
                ),
                name="assignment_followup_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint.tracking_number} → {self.agency.short_name or self.agency.code}"

    @property
    def status_tone(self) -> str:
        """The colour of the status badge (see `StatusTone`)."""
        return ASSIGNMENT_STATUS_TONES[self.status]

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ASSIGNMENT_STATUSES


class RegisterCounter(models.Model):
    """The last REGISTER number an agency gave in a year; locked while the next is taken."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="register_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency.code}/{self.year}: {self.last_seq}"


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal (petugas)")  # staff only
    REPORTER = "reporter", _("Pelapor")  # staff and the reporter
    PUBLIC = "public", _("Publik")  # everyone, when the complaint is public


class ComplaintEvent(models.Model):
    """One step in a complaint's timeline: append-only, written only by the workflow."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("pengaduan"), on_delete=models.CASCADE, related_name="events"
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("penyaluran"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
    )
    action = models.CharField(_("tindakan"), max_length=32)
    from_status = models.CharField(_("dari status"), max_length=24, choices=Status.choices)
    to_status = models.CharField(_("ke status"), max_length=24, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Kosong bila dilakukan otomatis oleh sistem."),
    )
    actor_role = models.CharField(_("peran pelaku"), max_length=16)
    note = models.TextField(_("catatan"), blank=True)
    visibility = models.CharField(_("terlihat oleh"), max_length=10, choices=Visibility.choices)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("riwayat pengaduan")
        verbose_name_plural = _("riwayat pengaduan")

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.action} {self.from_status}→{self.to_status}"

    def save(self, *args, **kwargs) -> None:
        # The timeline is an audit trail: rows are added, never changed.
        if self.pk is not None:
            raise ValidationError("Complaint events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Complaint events are append-only.")


def photo_path(instance: "ComplaintPhoto", filename: str) -> str:
    return f"photos/{instance.created_at:%Y/%m}/{secrets.token_hex(12)}.jpg"


def thumbnail_path(instance: "ComplaintPhoto", filename: str) -> str:
    return f"photos/{instance.created_at:%Y/%m}/thumbs/{secrets.token_hex(12)}.jpg"


def received_path(instance: "ComplaintPhoto", filename: str) -> str:
    # Never served, and gone once the worker has re-encoded it; no name from the upload.
    return f"photos/{instance.created_at:%Y/%m}/received/{secrets.token_hex(12)}"


class PhotoState(models.TextChoices):
    PENDING = "pending", _("Sedang diproses")  # stored as received, waiting for the worker
    READY = "ready", _("Siap")  # re-encoded without metadata, with its thumbnail: may be shown
    FAILED = "failed", _("Gagal diproses")  # not a sound photo after all: never shown


class ComplaintPhoto(models.Model):
    """A photo of a complaint, a clarification or a follow-up.

    Photos uploaded while a form is being filled are held with no complaint (staged) so that
    a form error never loses them. The request stores the upload as received (`received`,
    its header checked) in state PENDING; the worker re-encodes it without metadata into
    `image` and `thumbnail` (READY), or records why it could not (FAILED, `failure`). Only a
    READY photo is ever served.
    """

    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("pengaduan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    event = models.ForeignKey(
        ComplaintEvent,
        verbose_name=_("riwayat"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    state = models.CharField(
        _("keadaan"), max_length=10, choices=PhotoState.choices, default=PhotoState.PENDING
    )
    failure = models.CharField(_("alasan gagal"), max_length=255, blank=True)
    received = models.FileField(_("berkas diterima"), upload_to=received_path, blank=True)
    image = models.ImageField(
        _("foto"), upload_to=photo_path, width_field="width", height_field="height", blank=True
    )
    thumbnail = models.ImageField(_("gambar kecil"), upload_to=thumbnail_path, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    original_name = models.CharField(_("nama berkas asli"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("diunggah"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("foto")
        verbose_name_plural = _("foto")
        indexes = [
            # The sweep for photos whose task was lost reads the few pending ones only.
            models.Index(
                fields=["created_at"],
                condition=Q(state="pending"),
                name="photo_pending_created",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name or self.image.name or self.received.name

    @property
    def is_ready(self) -> bool:
        return self.state == PhotoState.READY

    @property
    def state_note(self) -> str:
        """What a page shows in place of a photo that is not ready."""
        if self.state == PhotoState.FAILED:
            return _("Foto tidak dapat diproses: %(reason)s") % {"reason": self.failure}
        return _("Foto sedang diproses…")

    # Photos are served through a view that checks who is asking (views/photos.py), never
    # from MEDIA_URL: a confidential complaint's photos must not be one guessed link away.
    @property
    def url(self) -> str:
        return reverse("complaints:photo", args=[self.pk])

    @property
    def thumbnail_url(self) -> str:
        return reverse("complaints:photo_thumbnail", args=[self.pk])


class ComplaintDraft(TimeStampedModel):
    """What a citizen typed on /lapor/ before submitting (one per citizen).

    An unverified citizen may draft; the complaint is submitted once the email or mobile
    number is verified.
    """

    reporter = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelapor"),
        on_delete=models.CASCADE,
        related_name="complaint_draft",
    )
    data = models.JSONField(_("isian"), default=dict)

    class Meta:
        verbose_name = _("draf pengaduan")
        verbose_name_plural = _("draf pengaduan")

    def __str__(self) -> str:
        return str(self.data.get("title") or self.reporter)


class DeadlineKind(models.TextChoices):
    REVIEW = "review", _("Penelaahan dan penyaluran")
    FIRST_FOLLOWUP = "first_followup", _("Tindak lanjut pertama OPD")
    RESPONSE = "response", _("Tanggapan kepada pelapor")
    DECISION = "decision", _("Penyelesaian")


class DeadlineBreach(models.Model):
    """A deadline found passed; one row per breach, so its alert goes out once."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="breaches")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, null=True, blank=True, related_name="breaches"
    )
    kind = models.CharField(_("tenggat"), max_length=16, choices=DeadlineKind.choices)
    due = models.DateField(_("batas"))
    detected_at = models.DateTimeField(_("terdeteksi"), auto_now_add=True)

    class Meta:
        verbose_name = _("pelanggaran tenggat")
        verbose_name_plural = _("pelanggaran tenggat")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "kind", "due"],
                condition=Q(assignment__isnull=True),
                name="deadline_breach_once_per_complaint",
            ),
            models.UniqueConstraint(
                fields=["assignment", "kind", "due"],
                condition=Q(assignment__isnull=False),
                name="deadline_breach_once_per_assignment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.due}"


class IdentityAccess(models.Model):
    """A staff member saw reporters' identities (UU 27/2022 Pasal 31): one complaint's
    reporter, or the named reporters on an agency's monthly recap (its page, a PDF or an
    XLSX). Append-only."""

    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.CASCADE,
        related_name="identity_accesses",
        null=True,  # a monthly recap's identities
        blank=True,
    )
    # Which monthly recap: its agency and month, YYYY-MM (a recap being read may have no
    # MonthlyRecap row yet).
    agency = models.ForeignKey(
        Agency, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="+", null=True
    )
    month = models.CharField(_("bulan rekapitulasi"), max_length=7, blank=True)
    # None: `manage.py recap` run at the server without --user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    purpose = models.CharField(_("keperluan"), max_length=200)
    accessed_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name = _("akses identitas pelapor")
        verbose_name_plural = _("akses identitas pelapor")
        constraints = [
            models.CheckConstraint(
                condition=Q(complaint__isnull=False) | (Q(agency__isnull=False) & ~Q(month="")),
                name="identity_access_names_what",
            )
        ]

    def __str__(self) -> str:
        seen = self.complaint_id or f"{self.agency_id} {self.month}"
        return f"{self.user_id} → {seen} {self.accessed_at:%Y-%m-%d %H:%M}"


# --- Rollups: the figures' tallies (`sikesal.complaints.rollups`) ------------------------------


class TallyKey(models.Model):
    """The attributes the figures count complaints by (no foreign keys, no NULLs: 0, -1 and
    "" stand for "none", so that a unique key matches on every database).

    A complaint contributes one row with `agency_id` 0, plus one row per agency case
    (`AGENCY_CASE_STATUSES`) with that agency: the complaint's attributes again (for the
    figures of "the complaints of agency X") and the case's. Moments are counted in
    calendar days, Asia/Jakarta dates: working days are counted when reading, by the
    calendar of that moment.
    """

    day = models.DateField()  # submitted on
    agency_id = models.IntegerField()  # 0: the complaint's own row
    category_id = models.IntegerField()
    kecamatan_id = models.IntegerField()  # 0: none
    kelurahan_id = models.IntegerField()  # 0: none
    channel = models.CharField(max_length=CHANNEL_MAX_LENGTH)
    report_type = models.CharField(max_length=16)
    status = models.CharField(max_length=24)
    decline_reason = models.CharField(max_length=24)
    rating = models.SmallIntegerField()  # 0: not rated
    first_days = models.IntegerField()  # `day` to the first response; -1: none yet
    answer_days = models.IntegerField()  # `day` to `Complaint.responded_at`; -1: not answered
    # An agency's row only (-1 on the complaint's row, and for "not yet"):
    routed_days = models.IntegerField()  # `day` to the routing
    case_first_days = models.IntegerField()  # routing to the first follow-up
    case_answer_days = models.IntegerField()  # routing to the agency's answer
    due_days = models.IntegerField()  # routing to `Assignment.followup_due`

    KEY = (
        "day",
        "agency_id",
        "category_id",
        "kecamatan_id",
        "kelurahan_id",
        "channel",
        "report_type",
        "status",
        "decline_reason",
        "rating",
        "first_days",
        "answer_days",
        "routed_days",
        "case_first_days",
        "case_answer_days",
        "due_days",
    )

    class Meta:
        abstract = True


class Tally(TallyKey):
    """How many complaints (or agency cases) have one `TallyKey`, as of the last fold."""

    n = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=TallyKey.KEY, name="tally_key_unique")]
        indexes = [
            models.Index(fields=["agency_id", "day"], name="tally_agency_day_idx"),
            # Rows a fold brought to zero, deleted by the same fold.
            models.Index(fields=["id"], condition=Q(n=0), name="tally_empty_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} agency {self.agency_id} {self.status}: {self.n}"


class TallyEntry(TallyKey):
    """What one complaint adds to `Tally` as of the last fold: its rows, each counting 1.
    A fold takes them back out before it adds the complaint's present rows."""

    complaint_id = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["complaint_id"], name="tally_entry_complaint_idx")]

    def __str__(self) -> str:
        return f"complaint {self.complaint_id}, agency {self.agency_id}"


class TallyPending(models.Model):
    """A complaint changed since the last fold: a database trigger on complaints and
    assignments adds it (every writer, the workflow, the admin or a bulk load alike); a
    fold, or a reader correcting on the fly, reads it."""

    complaint_id = models.IntegerField(primary_key=True)

    def __str__(self) -> str:
        return f"complaint {self.complaint_id}"
