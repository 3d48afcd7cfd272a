"""What Django answers before (or instead of) an API or Open311 view: a NUL in the address or
in a form field's name, a bad Host, an unknown Open311 address, a crash. The API answers in
its error shape and Open311 with a GeoReport error list, never with an HTML page."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import include, path
from django.utils import translation

from sikesal.core import views


# A URL configuration of this module for the crash test (@pytest.mark.urls).
@login_not_required
def _crash(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("api/v1/crash/", _crash),
    path("open311/v2/crash.json", _crash),
    path("crash/", _crash),
    path("", include("config.urls")),
]
handler500 = "sikesal.core.views.server_error"

BAD_REQUEST = {"error": {"code": "bad_request", "message": "Permintaan tidak valid"}}


@pytest.mark.parametrize(
    "address",
    ["/api/v1/tidak-ada/?q=%00", "/api/v1/tidak-ada/?a%00=1", "/api/schema/?format=%1b"],
)
def test_a_control_character_in_an_api_address_is_a_400_in_the_error_shape(client, db, address):
    response = client.get(address)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == BAD_REQUEST


def test_a_nul_in_a_multipart_field_name_is_a_400_in_the_error_shape(client, db, caplog):
    response = client.post("/api/v1/tidak-ada/", {"judul\x00": "x"})

    assert response.status_code == 400
    assert response.json() == BAD_REQUEST
    # Logged where Django logs the page's refusal, so a deployment quietens both at once.
    assert [r.name for r in caplog.records if r.name.startswith("django.security")] == [
        "django.security.ControlCharacterInRequest"
    ]


def test_the_refusal_speaks_the_apps_language(client, db):
    response = client.get("/api/v1/tidak-ada/?q=%00", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["error"] == {"code": "bad_request", "message": "Bad request"}


def test_a_page_still_gets_the_html_400(client, db):
    response = client.get("/pengaduan/?q=%00")

    assert response.status_code == 400
    assert "Permintaan tidak valid" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("suffix", ["json", "xml"])
def test_a_nul_under_open311_is_a_georeport_error(client, db, suffix):
    response = client.get(f"/open311/v2/requests.{suffix}?service_code=%00")

    assert response.status_code == 400
    if suffix == "json":
        assert response.json() == [{"code": 400, "description": "Permintaan tidak valid"}]
    else:
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        assert "<errors><error><code>400</code>" in response.content.decode()
        assert "<description>Permintaan tidak valid</description>" in response.content.decode()


def test_a_bad_host_under_the_api_is_a_400_in_the_error_shape(client, db):
    response = client.get("/api/v1/tidak-ada/", HTTP_HOST="penyerang.example")

    assert response.status_code == 400
    assert response.json() == BAD_REQUEST


def test_an_unknown_open311_address_is_a_georeport_404(client, db):
    response = client.get("/open311/v2/tidak-ada.json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": "Not found."}]


def test_the_403_handler_answers_the_api_in_the_error_shape():
    request = RequestFactory().get("/api/v1/staff/complaints/")

    with translation.override("id"):
        response = views.permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.content == (
        b'{"error": {"code": "permission_denied", "message": "Akses ditolak"}}'
    )


def test_the_404_handler_still_renders_the_page_outside_the_api(rf, db):
    with translation.override("id"):
        response = views.page_not_found(rf.get("/tidak-ada/"), None)

    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("address", "body"),
    [
        (
            "/api/v1/crash/",
            {"error": {"code": "server_error", "message": "Terjadi kesalahan pada server"}},
        ),
        ("/open311/v2/crash.json", [{"code": 500, "description": "Terjadi kesalahan pada server"}]),
    ],
)
def test_a_crash_under_the_api_or_open311_is_a_500_in_their_shape(client, db, address, body):
    client.raise_request_exception = False

    response = client.get(address)

    assert response.status_code == 500
    assert response.json() == body


@pytest.mark.urls(__name__)
def test_a_crash_on_a_page_is_still_the_500_page(client, db):
    client.raise_request_exception = False

    response = client.get("/crash/")

    assert response.status_code == 500
    assert "Terjadi kesalahan pada server" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
