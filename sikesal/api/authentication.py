"""`Authorization: Bearer <token>`: a device token (sikesal/api/tokens.py)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from sikesal.api.tokens import device_token_for_key

# How often `last_used_at` is written: not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=15)


class DeviceTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Header Authorization tidak sah."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Token tidak sah.")) from None
        now = timezone.now()
        token = device_token_for_key(key, now)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("Token tidak sah, kedaluwarsa atau sudah dicabut. Masuk lagi.")
            )
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            type(token).objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    """The schema's security scheme for DeviceTokenAuthentication (registered on import)."""

    target_class = DeviceTokenAuthentication
    name = "deviceToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "skl_...",
            "description": (
                "Token perangkat dari POST /api/v1/auth/token/: `Authorization: Bearer "
                "skl_...`. / A device token from POST /api/v1/auth/token/, sent as "
                "`Authorization: Bearer skl_...`."
            ),
        }
