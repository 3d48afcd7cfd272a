"""Digital Asset Links: the statement that lets the Android app open this site full screen.

Android's Trusted Web Activity shows the site without a browser bar only when the site
declares, at /.well-known/assetlinks.json, that the app with this package id and signing
key may handle all its URLs. The package and the keys' SHA-256 fingerprints come from
settings (SIKESAL_ANDROID_PACKAGE, SIKESAL_ANDROID_SHA256_FINGERPRINTS); docs/android.md
says which fingerprints to configure.
"""

import re

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from sikesal.pwa.identity import app_identity

# A SHA-256 certificate fingerprint as keytool and the Play Console print it.
FINGERPRINT = re.compile(r"(?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}")


def asset_statements() -> list[dict]:
    """The statement list: none until a signing key is configured (as Bubblewrap's own
    generator answers), so that no app is trusted by mistake."""
    identity = app_identity()
    fingerprints = [value.upper() for value in identity.sha256_fingerprints]
    if not fingerprints:
        return []
    return [
        {
            "relation": ["delegate_permission/common.handle_all_urls"],
            "target": {
                "namespace": "android_app",
                "package_name": identity.package_id,
                "sha256_cert_fingerprints": fingerprints,
            },
        }
    ]


@login_not_required
@require_safe
def assetlinks(request: HttpRequest) -> JsonResponse:
    """/.well-known/assetlinks.json, which Android and Google Play read without signing in."""
    return JsonResponse(asset_statements(), safe=False)
