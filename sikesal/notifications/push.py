"""Web Push: the outbox's third channel, beside email and SMS.

A browser that opted in on /akun/ (static/js/push-optin.js) gave us a `PushSubscription`:
its push service's address and the keys to encrypt to. `notify` writes one outbox row per
subscription; the worker (delivery.py) sends it here: the payload encrypted with
aes128gcm (RFC 8291), signed with our VAPID key (RFC 8292: a JWT for the endpoint's
origin, valid 12 hours, with SIKESAL_VAPID_SUBJECT as the contact), POSTed to the
endpoint by pywebpush. The service worker (static/js/sw/push.js) shows it.

The push service's answer decides what happens next: 201 delivered; 404 or 410 means the
browser dropped the subscription, so it is deleted and the message fails at once
(`PushGone`); anything else (a 5xx, a 429, no answer) is retried by the outbox's backoff.
"""

import base64
import binascii
import ipaddress
import json
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from sikesal.core.db import retry_on_lock
from sikesal.notifications.models import OutboxMessage, PushSubscription
from sikesal.pwa.identity import ICONS

# How long a push service keeps a message for a phone that is off or out of signal.
PUSH_TTL_SECONDS = 2 * 24 * 60 * 60
# Seconds to wait for the push service: well under SIKESAL_OUTBOX_LEASE_SECONDS, so that a
# slow send is never taken over by a second worker.
PUSH_TIMEOUT_SECONDS = 15
# A push payload may be at most 4,096 bytes once encrypted (RFC 8291: 86 bytes of header,
# padding and tag); the text is shortened to stay under this.
PAYLOAD_MAX_BYTES = 3000
# Answers meaning the subscription is gone for good (RFC 8030 section 7.3).
GONE_STATUSES = {404, 410}

# The app's 192 px icon (sikesal.pwa.identity), shown beside the notification.
ICON = next(path for path, size, purpose in ICONS if size == 192 and purpose == "any")


class PushGone(Exception):
    """The message cannot be delivered now or later: not retried."""


# --- Configuration -----------------------------------------------------------------------------


def push_enabled() -> bool:
    """Push is on when the VAPID key pair and the subject are configured."""
    return bool(
        settings.SIKESAL_VAPID_PUBLIC_KEY
        and settings.SIKESAL_VAPID_PRIVATE_KEY
        and settings.SIKESAL_VAPID_SUBJECT
    )


def b64url_decode(value: str) -> bytes:
    """base64url with or without padding; ValueError for anything else."""
    if not isinstance(value, str) or not value or len(value) > 200:
        raise ValueError("not base64url text")
    stripped = value.rstrip("=")
    if stripped.strip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"):
        raise ValueError("not base64url text")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValueError("not base64url text") from error


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def p256_public_key(value: str) -> ec.EllipticCurvePublicKey:
    """A P-256 public key from its uncompressed point (65 bytes), base64url; ValueError if
    it is not one."""
    raw = b64url_decode(value)
    if len(raw) != 65 or raw[0] != 4:
        raise ValueError("not an uncompressed P-256 point")
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)


def vapid_configuration_problem() -> str | None:
    """What is wrong with the three VAPID settings, or None (also when push is off)."""
    values = {
        "SIKESAL_VAPID_PUBLIC_KEY": settings.SIKESAL_VAPID_PUBLIC_KEY,
        "SIKESAL_VAPID_PRIVATE_KEY": settings.SIKESAL_VAPID_PRIVATE_KEY,
        "SIKESAL_VAPID_SUBJECT": settings.SIKESAL_VAPID_SUBJECT,
    }
    missing = [name for name, value in values.items() if not value]
    if len(missing) == len(values):
        return None
    if missing:
        return f"Web Push needs all three VAPID settings; {', '.join(missing)} is empty."
    subject = settings.SIKESAL_VAPID_SUBJECT
    if not (subject.startswith("mailto:") and "@" in subject) and not subject.startswith(
        "https://"
    ):
        return "SIKESAL_VAPID_SUBJECT must be mailto:address or an https:// address."
    try:
        public = p256_public_key(settings.SIKESAL_VAPID_PUBLIC_KEY)
    except ValueError:
        return "SIKESAL_VAPID_PUBLIC_KEY is not a base64url P-256 public key (87 characters)."
    try:
        private_raw = b64url_decode(settings.SIKESAL_VAPID_PRIVATE_KEY)
        if len(private_raw) != 32:
            raise ValueError("not 32 bytes")
        private = ec.derive_private_key(int.from_bytes(private_raw, "big"), ec.SECP256R1())
    except ValueError:
        return "SIKESAL_VAPID_PRIVATE_KEY is not a base64url P-256 private key (43 characters)."
    if _point(private.public_key()) != _point(public):
        return "SIKESAL_VAPID_PUBLIC_KEY is not the public half of SIKESAL_VAPID_PRIVATE_KEY."
    return None


def vapid_keys_generate() -> tuple[str, str]:
    """A new VAPID key pair: (public key, private key), base64url, as the settings take them."""
    private = ec.generate_private_key(ec.SECP256R1())
    private_raw = private.private_numbers().private_value.to_bytes(32, "big")
    return b64url_encode(_point(private.public_key())), b64url_encode(private_raw)


def _point(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


# --- Subscriptions -----------------------------------------------------------------------------


def endpoint_problem(endpoint: str) -> str | None:
    """Why `endpoint` cannot be a push service's address, or None.

    Push services are public HTTPS hosts (fcm.googleapis.com, updates.push.services.mozilla
    .com, *.notify.windows.com, web.push.apple.com); the worker POSTs to whatever is stored,
    so an address on this machine or the city's network is refused.
    """
    if len(endpoint) > PushSubscription.ENDPOINT_MAX_LENGTH:
        return str(
            _("Alamat layanan push terlalu panjang (paling banyak %(limit)d karakter).")
            % {"limit": PushSubscription.ENDPOINT_MAX_LENGTH}
        )
    if any(char.isspace() or ord(char) < 32 or ord(char) > 126 for char in endpoint):
        return str(_("Alamat layanan push memuat karakter yang tidak sah."))
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return str(_("Alamat layanan push bukan URL yang sah."))
    if parts.scheme != "https":
        return str(_("Alamat layanan push harus memakai https://."))
    host = (parts.hostname or "").rstrip(".")
    if not host or parts.username is not None or parts.password is not None:
        return str(_("Alamat layanan push bukan URL yang sah."))
    if port not in (None, 443) or _is_local_host(host):
        return str(_("Alamat layanan push harus berupa layanan push publik."))
    return None


def push_key_problem(*, p256dh: str, auth: str) -> dict[str, str]:
    """The subscription's keys that are not what a browser gives, with the reason."""
    problems = {}
    try:
        p256_public_key(p256dh)
    except ValueError:
        problems["p256dh"] = str(
            _("Kunci p256dh harus berupa kunci publik P-256 (65 bita) dalam base64url.")
        )
    try:
        if len(b64url_decode(auth)) != 16:
            raise ValueError("not 16 bytes")
    except ValueError:
        problems["auth"] = str(_("Rahasia auth harus berupa 16 bita dalam base64url."))
    return problems


def push_recipient_label(subscription: PushSubscription) -> str:
    """The outbox's `to` for a push: the device and its push service, never the endpoint."""
    label = subscription.device_label or "push"
    return f"{label} @ {subscription.push_service} #{subscription.pk}"[:254]


def _is_local_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return True  # push services have names; an address literal is someone's machine
    if "." not in host:
        return True
    return host.lower().endswith((".localhost", ".local", ".internal", ".lan", ".home.arpa"))


# --- Sending ---------------------------------------------------------------------------------


def push_payload(*, title: str, body: str, url: str, tag: str) -> str:
    """The JSON the service worker reads (static/js/sw/push.js), under PAYLOAD_MAX_BYTES."""
    title = title[:120]
    while True:
        payload = json.dumps(
            {"title": title, "body": body, "url": url, "icon": _icon_url(), "tag": tag},
            ensure_ascii=False,
        )
        if len(payload.encode("utf-8")) <= PAYLOAD_MAX_BYTES or not body:
            return payload
        body = body[: max(0, len(body) * 3 // 4 - 1)].rstrip() + "…"


def _icon_url() -> str:
    try:
        return static(ICON)
    except ValueError:
        # Not in the static files manifest (collectstatic not run since it was added): the
        # notification goes without it rather than not at all.
        return ""


def push_send(message: OutboxMessage) -> None:
    """Send one push outbox row to its subscription; raises PushGone when it never can be."""
    if not push_enabled():
        raise PushGone("Push is off: the VAPID settings are empty.")
    subscription = message.push_subscription
    if subscription is None:
        raise PushGone("The subscription was removed (turned off, or expired).")
    # Here, not at the top: pywebpush brings aiohttp (0.2 s, some MB) into every process
    # that imports notifications, and only the worker sends.
    from py_vapid import Vapid
    from pywebpush import WebPushException, webpush

    try:
        webpush(
            subscription_info=subscription.as_subscription_info(),
            data=message.body,
            vapid_private_key=Vapid.from_raw(settings.SIKESAL_VAPID_PRIVATE_KEY.encode("ascii")),
            # A fresh dict each time: pywebpush writes `aud` and `exp` into it.
            vapid_claims={"sub": settings.SIKESAL_VAPID_SUBJECT},
            ttl=PUSH_TTL_SECONDS,
            timeout=PUSH_TIMEOUT_SECONDS,
            headers={"Urgency": "normal"},
        )
    except WebPushException as error:
        if error.status_code in GONE_STATUSES:
            retry_on_lock(_subscription_delete)(subscription.pk)
            raise PushGone(
                f"The push service answered {error.status_code}: the subscription is gone "
                "and was deleted."
            ) from error
        raise


def _subscription_delete(pk: int) -> None:
    # Its pending messages keep their rows with the subscription emptied (SET_NULL), and
    # fail at once when their turn comes.
    PushSubscription.objects.filter(pk=pk).delete()
