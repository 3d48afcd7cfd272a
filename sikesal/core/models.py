"""Shared building blocks: the timestamped base model and the holiday calendar."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Abstract base: when a row was created and last changed."""

    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class Holiday(TimeStampedModel):
    """A day with no public service: a national holiday or a cuti bersama.

    Seeded from the `holidays` package (`manage.py seed_holidays`) and edited by
    administrators when the government moves a day. Deadline clocks skip these days
    (cuti bersama only while SIKESAL_CUTI_BERSAMA_IS_DAY_OFF is on).
    """

    class Kind(models.TextChoices):
        PUBLIC = "public", _("Hari libur nasional")  # set by Presidential decree
        CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")  # collective leave for civil servants

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.PUBLIC)
    is_active = models.BooleanField(
        _("berlaku"),
        default=True,
        help_text=_("Matikan bila pemerintah membatalkan atau memindahkan hari libur ini."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class PeriodicTaskRun(TimeStampedModel):
    """When the scheduler last enqueued one periodic task (SIKESAL_PERIODIC_TASKS).

    One row per schedule name. The scheduler takes a run with a conditional UPDATE of
    `last_enqueued_at` (sikesal/core/periodic.py), so restarting it, or running two, never
    enqueues a task twice within its interval.
    """

    name = models.CharField(_("nama"), max_length=100, unique=True)
    task_path = models.CharField(_("tugas"), max_length=255)
    last_enqueued_at = models.DateTimeField(_("terakhir dijalankan"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tugas berkala")
        verbose_name_plural = _("tugas berkala")

    def __str__(self) -> str:
        return self.name


class ProcessHeartbeat(models.Model):
    """When a long-running process (the worker, the scheduler) was last alive.

    One row per kind of process, upserted by whichever of them beat last
    (sikesal/core/processes.py): the monitoring page warns when it is old.
    """

    name = models.CharField(_("proses"), max_length=50, unique=True)
    host = models.CharField(_("mesin"), max_length=255)
    pid = models.PositiveIntegerField(_("PID"))
    seen_at = models.DateTimeField(_("terakhir aktif"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("detak proses")
        verbose_name_plural = _("detak proses")

    def __str__(self) -> str:
        return f"{self.name} {self.host}:{self.pid}"
