"""The monthly recaps agencies send the Secretariat (Perwal 40/2017 Pasal 9).

A `MonthlyRecap` is one agency's recap for one month: created as a draft on the 1st of
the next month, reviewed by the agency head (who may add remarks to KET), and submitted.
Each submission is a `RecapSubmission`: a frozen snapshot of the rows as submitted, the
PDF as printed, its SHA-256, who and when, and a short code for the public check page
that the printed PDF's QR code points to. A resubmission is a new version; none is ever
changed or deleted.
"""

from datetime import datetime, time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikesal.agencies.models import Agency
from sikesal.core.models import TimeStampedModel
from sikesal.reports.recap import Month

DUE_DAY = 10  # Pasal 9.2: "selambat-lambatnya pada tanggal 10 setiap bulan"


def submission_deadline(year: int, month: int) -> datetime:
    """The first moment a recap of (year, month) is late: 00:00 on the 11th of the next
    month, Asia/Jakarta."""
    first_late_day = Month(year, month).next.first_day.replace(day=DUE_DAY + 1)
    return datetime.combine(first_late_day, time.min, tzinfo=timezone.get_default_timezone())


class RecapState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Berjalan")  # the month has not ended
    DRAFT = "draft", _("Draf")
    ON_TIME = "on_time", _("Dikirim tepat waktu")
    LATE = "late", _("Dikirim terlambat")
    MISSING = "missing", _("Belum dikirim (terlambat)")


class MonthlyRecap(TimeStampedModel):
    agency = models.ForeignKey(
        Agency, verbose_name=_("OPD"), on_delete=models.PROTECT, related_name="monthly_recaps"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    month = models.PositiveSmallIntegerField(_("bulan"))
    # KET remarks the head added, by register number.
    remarks = models.JSONField(_("catatan KET"), default=dict, blank=True)
    # The reminder days (5, 9) already sent, so each goes out once.
    reminders_sent = models.JSONField(_("pengingat terkirim"), default=list, blank=True)

    class Meta:
        verbose_name = _("rekapitulasi bulanan")
        verbose_name_plural = _("rekapitulasi bulanan")
        ordering = ["-year", "-month", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "month"], name="monthly_recap_once_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="monthly_recap_month_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.short_name or self.agency.code} {self.year:04d}-{self.month:02d}"

    @property
    def deadline(self) -> datetime:
        return submission_deadline(self.year, self.month)

    def state(self, now: datetime | None = None) -> str:
        """In progress (the month is running), draft, submitted on time, submitted late, or
        not submitted by the deadline. The first submission decides lateness; a later
        version does not change it. An unsaved recap (`services.recap_for`) has none."""
        submissions = self.submissions.all() if self.pk is not None else []
        first = min((s.submitted_at for s in submissions), default=None)
        if first is not None:
            return RecapState.ON_TIME if first < self.deadline else RecapState.LATE
        now = now or timezone.now()
        if now >= self.deadline:
            return RecapState.MISSING
        month_end = Month(self.year, self.month).bounds()[1]
        return RecapState.IN_PROGRESS if now < month_end else RecapState.DRAFT


def recap_pdf_path(instance: "RecapSubmission", filename: str) -> str:
    recap = instance.recap
    return (
        f"recaps/{recap.year:04d}-{recap.month:02d}/"
        f"{recap.agency.code}-v{instance.version}-{instance.code}.pdf"
    )


class RecapSubmission(models.Model):
    """One submitted version of a monthly recap, frozen."""

    recap = models.ForeignKey(
        MonthlyRecap,
        verbose_name=_("rekapitulasi"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    version = models.PositiveSmallIntegerField(_("versi"))
    code = models.CharField(_("kode verifikasi"), max_length=16, unique=True)
    rows = models.JSONField(_("baris"))
    pdf = models.FileField(_("PDF"), upload_to=recap_pdf_path)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dikirim oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("dikirim pada"))

    class Meta:
        verbose_name = _("kiriman rekapitulasi")
        verbose_name_plural = _("kiriman rekapitulasi")
        ordering = ["recap", "version"]
        constraints = [
            models.UniqueConstraint(fields=["recap", "version"], name="recap_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.recap} v{self.version}"
