"""/.well-known/assetlinks.json: the Digital Asset Links statement that lets the Google
Play app (a Trusted Web Activity) open the site full screen, from settings."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from sikesal.pwa import twa

APP_SIGNING = ":".join(["9C"] * 32)
UPLOAD = ":".join(["0f", "e1"] * 16)
URL = "/.well-known/assetlinks.json"


def test_without_a_fingerprint_nothing_is_trusted(client: Client, settings):
    settings.SIKESAL_ANDROID_SHA256_FINGERPRINTS = []

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == []


def test_the_statement_names_the_package_and_every_fingerprint(client: Client, settings):
    """Anyone (Android, Google's verifier) reads it without signing in."""
    settings.SIKESAL_ANDROID_PACKAGE = "id.go.jambikota.sikesal"
    settings.SIKESAL_ANDROID_SHA256_FINGERPRINTS = [APP_SIGNING, UPLOAD]

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == [
        {
            "relation": ["delegate_permission/common.handle_all_urls"],
            "target": {
                "namespace": "android_app",
                "package_name": "id.go.jambikota.sikesal",
                "sha256_cert_fingerprints": [APP_SIGNING, UPLOAD.upper()],
            },
        }
    ]
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


def test_assetlinks_and_the_android_manifest_name_the_same_app(client: Client, settings, tmp_path):
    settings.SIKESAL_SITE_URL = "https://sikesal.jambikota.go.id"
    settings.SIKESAL_ANDROID_PACKAGE = "id.go.example.lapor"
    settings.SIKESAL_ANDROID_SHA256_FINGERPRINTS = [UPLOAD, APP_SIGNING]
    output = tmp_path / "twa-manifest.json"

    call_command("android_manifest", output=output)
    manifest = json.loads(output.read_text(encoding="utf-8"))
    (statement,) = client.get(URL).json()

    assert statement["target"]["package_name"] == manifest["packageId"]
    assert statement["target"]["sha256_cert_fingerprints"] == [
        fingerprint["value"] for fingerprint in manifest["fingerprints"]
    ]


def test_the_committed_android_manifest_has_the_configured_fingerprints(client: Client):
    committed = json.loads(twa.MANIFEST_PATH.read_text(encoding="utf-8"))
    statements = client.get(URL).json()

    served = statements[0]["target"]["sha256_cert_fingerprints"] if statements else []
    assert served == [fingerprint["value"] for fingerprint in committed["fingerprints"]]


@pytest.mark.parametrize(
    "fingerprints, named",
    [
        ([APP_SIGNING, "9C:9C:9C"], "fingerprint 2 ('9C:9C:9C')"),
        ([APP_SIGNING.replace(":", "")], f"fingerprint 1 ('{APP_SIGNING.replace(':', '')}')"),
        ([APP_SIGNING[:-2] + "GG"], f"fingerprint 1 ('{APP_SIGNING[:-2]}GG')"),
        ([APP_SIGNING + ":00"], f"fingerprint 1 ('{APP_SIGNING}:00')"),
    ],
)
def test_a_malformed_fingerprint_fails_the_system_check_by_name(settings, fingerprints, named):
    settings.SIKESAL_ANDROID_SHA256_FINGERPRINTS = fingerprints

    with pytest.raises(SystemCheckError) as failure:
        call_command("check")

    assert "sikesal.pwa.E002" in str(failure.value)
    assert named in str(failure.value)


def test_the_package_and_the_play_address_are_checked(settings):
    settings.SIKESAL_ANDROID_SHA256_FINGERPRINTS = [APP_SIGNING]
    settings.SIKESAL_ANDROID_PACKAGE = "id.go.jambikota.sikesal"
    settings.SIKESAL_ANDROID_PLAY_URL = (
        "https://play.google.com/store/apps/details?id=id.go.jambikota.sikesal"
    )
    call_command("check")  # a well-formed configuration passes

    settings.SIKESAL_ANDROID_PLAY_URL = "https://play.google.com/store/apps/details?id=com.other"
    with pytest.raises(SystemCheckError, match=r"sikesal\.pwa\.E003"):
        call_command("check")
    settings.SIKESAL_ANDROID_PLAY_URL = ""
    settings.SIKESAL_ANDROID_PACKAGE = "sikesal"
    with pytest.raises(SystemCheckError, match=r"sikesal\.pwa\.E001"):
        call_command("check")
