"""What people are told, and how each message travels.

A `Notification` is the in-app message a person reads on /notifikasi/. Each email, SMS or
push that goes with it is an `OutboxMessage`: written in the same transaction as the change
that caused it, then delivered by the background worker (delivery.py), retried with
backoff, and kept as the delivery log. A push goes to a `PushSubscription`: one browser
that opted in on /akun/.
"""

from urllib.parse import urlsplit

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


class PushSubscription(TimeStampedModel):
    """One browser (one device) that asked for push notifications for its signed-in user.

    What the browser's PushManager.subscribe() answered: the push service's address for this
    browser (`endpoint`, a capability URL: whoever knows it may send to the browser, so it
    is shown only by its host) and the keys the payload is encrypted to. Removed when the
    person turns push off on that device, or when the push service answers 404 or 410
    (the browser dropped it).
    """

    ENDPOINT_MAX_LENGTH = 1000

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    endpoint = models.CharField(
        _("alamat layanan push"), max_length=ENDPOINT_MAX_LENGTH, unique=True
    )
    # The browser's P-256 public key (65 bytes) and its 16-byte auth secret, base64url.
    p256dh = models.CharField(_("kunci p256dh"), max_length=100)
    auth = models.CharField(_("rahasia auth"), max_length=50)
    device_label = models.CharField(
        _("perangkat"),
        max_length=100,
        blank=True,
        help_text=_('Nama yang diberikan aplikasi atau peramban, mis. "Chrome di Android".'),
    )
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    last_success_at = models.DateTimeField(_("terakhir berhasil dikirim"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("langganan push")
        verbose_name_plural = _("langganan push")

    def __str__(self) -> str:
        return f"{self.device_label or self.push_service} ({self.user})"

    @property
    def push_service(self) -> str:
        """The push service's host (e.g. fcm.googleapis.com): what may be shown of it."""
        return urlsplit(self.endpoint).hostname or ""

    def as_subscription_info(self) -> dict:
        """The shape pywebpush (and the browser's PushSubscription.toJSON()) uses."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class OutboxMessage(TimeStampedModel):
    """One delivery of one message over one channel (email, SMS, or push to one device).

    The row is written in the caller's transaction, so a message exists exactly when the
    change that caused it was committed. The worker claims a due row (status SENDING with
    a lease), sends it, and marks it DELIVERED; a failure schedules the next attempt with
    backoff until SIKESAL_OUTBOX_BACKOFF_MINUTES is used up, then the row is FAILED.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        PUSH = "push", _("Push")

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
        _("kepada"),
        max_length=254,
        help_text=_("Alamat email, nomor E.164, atau perangkat dan layanan push."),
    )
    # A push's device. Emptied when the subscription goes (turned off, or expired): the
    # message then fails at once instead of being retried.
    push_subscription = models.ForeignKey(
        PushSubscription,
        verbose_name=_("langganan push"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
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
                condition=Q(channel__in=["email", "sms", "push"]),
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
