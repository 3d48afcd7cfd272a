"""System checks of the Android app's settings: a mistyped fingerprint or package id would
publish an assetlinks.json that Android silently rejects, and the app would open with a
browser bar instead of full screen."""

import re
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.checks import Error, register

from sikesal.pwa.assetlinks import FINGERPRINT

# An Android application id: two or more dot-separated segments, each a letter followed by
# letters, digits or underscores (developer.android.com, "Configure the app module").
PACKAGE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)+")
PLAY_DETAILS = "https://play.google.com/store/apps/details"


@register()
def check_android_settings(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    package = settings.SIKESAL_ANDROID_PACKAGE
    if not PACKAGE_ID.fullmatch(package):
        errors.append(
            Error(
                f"SIKESAL_ANDROID_PACKAGE {package!r} is not an Android application id.",
                hint="Dot-separated segments that start with a letter, e.g. "
                "id.go.jambikota.sikesal.",
                id="sikesal.pwa.E001",
            )
        )
    for position, fingerprint in enumerate(settings.SIKESAL_ANDROID_SHA256_FINGERPRINTS, 1):
        if not FINGERPRINT.fullmatch(fingerprint):
            errors.append(
                Error(
                    f"SIKESAL_ANDROID_SHA256_FINGERPRINTS: fingerprint {position} "
                    f"({fingerprint!r}) is not a SHA-256 fingerprint.",
                    hint="32 pairs of hexadecimal digits separated by colons, as the Play "
                    "Console (App integrity) or `keytool -list -v` prints it; separate "
                    "several fingerprints with commas.",
                    id="sikesal.pwa.E002",
                )
            )
    play_url = settings.SIKESAL_ANDROID_PLAY_URL
    if play_url:
        parts = urlsplit(play_url)
        listed = parse_qs(parts.query).get("id", [])
        if f"{parts.scheme}://{parts.netloc}{parts.path}" != PLAY_DETAILS or listed != [package]:
            errors.append(
                Error(
                    f"SIKESAL_ANDROID_PLAY_URL {play_url!r} is not the Google Play page of "
                    f"{package}.",
                    hint=f"{PLAY_DETAILS}?id={package}, or empty while the app is not published.",
                    id="sikesal.pwa.E003",
                )
            )
    return errors
