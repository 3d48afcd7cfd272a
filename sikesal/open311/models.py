"""Open311 clients (the connected systems that may file and comment) and the requests
they filed.

A client's key is shown once, when the administrator creates it in the admin; only its
prefix (to find the row) and a SHA-256 digest are kept, as `api.DeviceToken` does.
"""

import hashlib
import hmac
import secrets

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikesal.complaints.models import OPEN311_CHANNEL_PREFIX, Complaint

KEY_PREFIX = "o311_"
# o311_<8 characters to find the row>_<the secret>
KEY_ID_LENGTH = 8
SLUG_MAX_LENGTH = 32  # "open311:" + the slug fits Complaint.channel (40)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Open311Client(models.Model):
    """A system allowed to file requests and/or post updates (a FixMyStreet site, an
    agency's own system): named, with a hashed key, its own rate and a way to revoke it."""

    name = models.CharField(_("nama"), max_length=100, unique=True)
    slug = models.CharField(
        _("kode"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        validators=[
            RegexValidator(r"^[a-z0-9][a-z0-9-]*$", _("Huruf kecil, angka dan tanda hubung saja."))
        ],
        help_text=_("Dicatat sebagai saluran pengaduan: open311:<kode>."),
    )
    contact = models.CharField(
        _("kontak pengelola"),
        max_length=200,
        blank=True,
        help_text=_("Siapa yang dihubungi bila sistem ini bermasalah."),
    )
    key_id = models.CharField(
        _("awalan kunci"), max_length=KEY_ID_LENGTH, unique=True, editable=False
    )
    key_digest = models.CharField(_("hash kunci"), max_length=64, editable=False)
    can_post_requests = models.BooleanField(_("boleh mengirim pengaduan"), default=True)
    can_post_updates = models.BooleanField(_("boleh mengirim komentar"), default=False)
    rate_per_hour = models.PositiveIntegerField(
        _("batas permintaan per jam"),
        default=600,
        validators=[MinValueValidator(1)],
        help_text=_("Permintaan POST dengan kunci ini per jam."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(
        _("terakhir dipakai"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("klien Open311")
        verbose_name_plural = _("klien Open311")

    def __str__(self) -> str:
        return self.name

    @property
    def channel(self) -> str:
        return f"{OPEN311_CHANNEL_PREFIX}{self.slug}"

    @property
    def is_usable(self) -> bool:
        return self.is_active and self.revoked_at is None

    def new_key(self) -> str:
        """Give this client a new key (the old one stops working once saved); return it:
        the only time it is ever seen."""
        key_id = secrets.token_hex(KEY_ID_LENGTH // 2)
        key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
        self.key_id = key_id
        self.key_digest = _digest(key)
        return key

    def key_matches(self, key: str) -> bool:
        return hmac.compare_digest(self.key_digest, _digest(key))

    @staticmethod
    def key_id_of(key: str) -> str | None:
        """The row-finding part of a key as given, or None when it is not shaped like one."""
        if not key.startswith(KEY_PREFIX) or len(key) > 200:
            return None
        key_id, _sep, secret = key.removeprefix(KEY_PREFIX).partition("_")
        if len(key_id) != KEY_ID_LENGTH or not secret:
            return None
        return key_id


class Open311Request(models.Model):
    """A service request a client filed: its token (the GeoReport answer a client may poll
    with `tokens/{token}`) and the complaint it became."""

    client = models.ForeignKey(
        Open311Client, verbose_name=_("klien"), on_delete=models.PROTECT, related_name="requests"
    )
    complaint = models.OneToOneField(
        Complaint,
        verbose_name=_("pengaduan"),
        on_delete=models.CASCADE,
        related_name="open311_request",
    )
    token = models.CharField(_("token"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("permintaan Open311")
        verbose_name_plural = _("permintaan Open311")

    def __str__(self) -> str:
        return f"{self.client} · {self.token}"
