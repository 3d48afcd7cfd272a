"""What the API keeps of its own: one sign-in token per device."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def token_digest(key: str) -> str:
    """What is stored of a token: its SHA-256. A token is 256 random bits, so a fast hash is
    enough; a copy of the database gives no usable token."""
    return hashlib.sha256(key.encode()).hexdigest()


class DeviceTokenQuerySet(models.QuerySet):
    def usable(self, now=None) -> "DeviceTokenQuerySet":
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class DeviceToken(models.Model):
    """A phone (or another program) signed in to one account through the API.

    The key is shown once, when it is issued; only its digest is stored. The owner sees
    their devices on /akun/ and may revoke any of them; a token also ends at `expires_at`.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="device_tokens",
    )
    name = models.CharField(_("nama perangkat"), max_length=100)
    # The first characters of the key, to tell devices apart in lists and logs.
    prefix = models.CharField(_("awalan"), max_length=12)
    digest = models.CharField(_("sidik token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)

    objects = DeviceTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("token perangkat")
        verbose_name_plural = _("token perangkat")
        indexes = [models.Index(fields=["user", "-created_at"], name="devicetoken_user_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
