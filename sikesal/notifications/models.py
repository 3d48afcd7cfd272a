"""What people are told, and how each message travels.

A `Notification` is the in-app message a person reads on /notifikasi/. Each email or SMS
that goes with it is an `OutboxMessage`: written in the same transaction as the change
that caused it, then delivered by the background worker (delivery.py), retried with
backoff, and kept as the delivery log.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikesal.core.models import TimeStampedModel


class Notification(TimeStampedModel):
    """One in-app message to one person, rendered in their language when it was written."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(
        _("jenis"),
        max_length=64,
        help_text=_("Nama templat di templates/notifications/, mis. complaint_routed."),
    )
    title = models.CharField(_("judul"), max_length=255)
    body = models.TextField(_("isi"))
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("dibaca pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            # The unread badge on every page counts these.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutboxMessage(TimeStampedModel):
    """One delivery of one message over one channel (email or SMS).

    The row is written in the caller's transaction, so a message exists exactly when the
    change that caused it was committed. The worker claims a due row (status SENDING with
    a lease), sends it, and marks it DELIVERED; a failure schedules the next attempt with
    backoff until SIKESAL_OUTBOX_BACKOFF_MINUTES is used up, then the row is FAILED.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")  # due at next_attempt_at (first try or a retry)
        SENDING = "sending", _("Sedang dikirim")  # claimed by a worker until lease_expires_at
        DELIVERED = "delivered", _("Terkirim")  # accepted by the mail server or SMS gateway
        FAILED = "failed", _("Gagal")  # every attempt failed; an administrator may retry

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("pemberitahuan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    to = models.CharField(
        _("kepada"), max_length=254, help_text=_("Alamat email atau nomor E.164.")
    )
    subject = models.CharField(_("subjek"), max_length=255, blank=True)
    body = models.TextField(_("isi"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("jumlah percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), default=timezone.now)
    claimed_by = models.CharField(_("diambil oleh"), max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(_("batas waktu pengiriman"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        indexes = [
            # The two halves of the worker's "due" query (delivery.due_messages).
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outbox_pending_due_idx",
            ),
            models.Index(
                fields=["lease_expires_at"],
                condition=Q(status="sending"),
                name="outbox_lease_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "delivered", "failed"]),
                name="outbox_status_valid",
                violation_error_message=_("Status pesan keluar tidak dikenal."),
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["email", "sms"]),
                name="outbox_channel_valid",
                violation_error_message=_("Saluran pesan keluar tidak dikenal."),
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(lease_expires_at__isnull=False),
                name="outbox_sending_has_lease",
                violation_error_message=_("Pesan yang sedang dikirim harus punya batas waktu."),
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                name="outbox_delivered_has_time",
                violation_error_message=_("Pesan terkirim harus punya waktu pengiriman."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.to} ({self.get_status_display()})"
