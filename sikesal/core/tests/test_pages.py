"""The web shell: base layout, home, language switch, login/logout, admin access, error pages."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sikesal.core import views
from sikesal.core.admin_site import SikesalAdminSite
from sikesal.core.templatetags.sikesal_tags import duration, is_web_url

PASSWORD = "kata-sandi-yang-panjang-123"


def make_user(username: str = "warga", **extra):
    return get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.id",
        full_name=f"{username.title()} Jambi",
        **extra,
    )


def make_superuser(username: str = "admin"):
    return get_user_model().objects.create_superuser(
        username=username, password=PASSWORD, email=f"{username}@example.id", full_name="Admin"
    )


# --- Base layout and home ------------------------------------------------------------------


@pytest.mark.django_db
def test_home_is_in_indonesian_by_default(client: Client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Sampaikan keluhan Anda tentang pelayanan publik di Kota Jambi" in html
    assert "Peraturan Walikota Jambi Nomor 40 Tahun 2017" in html


@pytest.mark.django_db
def test_home_has_landmarks_skip_link_and_footer(client: Client):
    html = client.get("/").content.decode()

    assert '<a class="skip-link" href="#main">Langsung ke isi utama</a>' in html
    assert '<main id="main" tabindex="-1">' in html
    assert '<header class="site-header">' in html
    assert '<nav class="site-nav" aria-label="Navigasi utama">' in html
    assert '<footer class="site-footer">' in html
    assert 'role="status"' in html
    assert "Diskominfo" in html
    assert "Call Center 112" in html
    # The home link is marked as the current page; the directory is linked.
    assert '<a href="/" aria-current="page">Beranda</a>' in html
    assert '<a href="/opd/">Direktori OPD</a>' in html


@pytest.mark.django_db
def test_home_obeys_the_content_security_policy(client: Client):
    response = client.get("/")
    html = response.content.decode()

    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert " style=" not in html
    assert "<style" not in html
    # Every script is a file from our own origin, never inline and never from a CDN.
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == [
        '<script src="/static/vendor/htmx/htmx.min.js" defer>',
        '<script src="/static/js/pwa.js" data-service-worker="/sw.js" data-logout="/keluar/"'
        " defer>",
    ]
    assert "includeIndicatorStyles" in html


def test_vendored_htmx_and_stylesheet_are_static_files():
    assert finders.find("vendor/htmx/htmx.min.js")
    assert finders.find("vendor/htmx/LICENSE")
    assert finders.find("css/sikesal.css")


@pytest.mark.django_db
def test_anonymous_visitor_sees_login_link_not_logout(client: Client):
    html = client.get("/").content.decode()

    assert '<a href="/masuk/">Masuk</a>' in html
    assert 'action="/keluar/"' not in html


# --- Language switch -----------------------------------------------------------------------


@pytest.mark.django_db
def test_language_switcher_is_a_labelled_post_form(client: Client):
    html = client.get("/").content.decode()

    assert '<form class="language-switcher" action="/i18n/setlang/" method="post">' in html
    assert "<legend>Bahasa</legend>" in html
    assert 'value="id" lang="id" aria-current="true">Bahasa Indonesia</button>' in html
    assert 'value="en" lang="en">English</button>' in html


@pytest.mark.django_db
def test_switching_to_english_shows_the_site_in_english(client: Client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/opd/"})

    assert response.status_code == 302
    assert response["Location"] == "/opd/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    # The city's name comes from SIKESAL_CITY_NAME, untranslated (issue #9 defect 10).
    assert "Report a problem with a public service in Kota Jambi" in html
    assert '<a href="/opd/">Agency directory</a>' in html
    assert "Sampaikan keluhan Anda" not in html


@pytest.mark.django_db
def test_switching_back_to_indonesian(client: Client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("set_language"), {"language": "id", "next": "/"})

    html = client.get("/").content.decode()
    assert '<html lang="id">' in html
    assert "Sampaikan keluhan Anda" in html


# --- Login and logout ----------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_has_labelled_fields(client: Client):
    response = client.get("/masuk/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">Nama pengguna, email atau nomor ponsel</label>' in html
    assert '<label for="id_password">' in html
    assert 'id="id_username"' in html
    assert 'id="id_password"' in html
    assert 'role="alert"' not in html


@pytest.mark.django_db
def test_wrong_password_shows_the_error_summary_and_keeps_the_username(client: Client):
    make_user("warga")

    response = client.post("/masuk/", {"username": "warga", "password": "salah"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary" role="alert"' in html
    assert "Periksa kembali isian Anda" in html
    assert "kata sandi salah" in html
    assert 'value="warga"' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_missing_fields_are_reported_next_to_each_field(client: Client):
    response = client.post("/masuk/", {"username": "", "password": ""})

    html = response.content.decode()
    assert '<ul class="field-error" id="id_username_error">' in html
    assert '<ul class="field-error" id="id_password_error">' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_username_error"' in html
    assert '<a href="#id_username">' in html


@pytest.mark.django_db
def test_login_then_logout(client: Client):
    user = make_user("warga")

    response = client.post("/masuk/", {"username": "warga", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)
    html = client.get("/").content.decode()
    assert '<form method="post" action="/keluar/">' in html
    assert 'name="csrfmiddlewaretoken"' in html

    response = client.post("/keluar/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    assert '<a href="/masuk/">Masuk</a>' in client.get("/").content.decode()


@pytest.mark.django_db
def test_logout_by_get_is_refused(client: Client):
    user = make_user("warga")
    client.force_login(user)

    response = client.get("/keluar/")

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_too_many_failed_logins_show_the_indonesian_lockout_page(client: Client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    make_user("warga")

    statuses = [
        client.post("/masuk/", {"username": "warga", "password": "salah"}).status_code
        for _ in range(3)
    ]
    response = client.post("/masuk/", {"username": "warga", "password": PASSWORD})

    assert statuses == [200, 200, 429]
    assert response.status_code == 429
    html = response.content.decode()
    assert "Terlalu banyak percobaan masuk" in html
    assert "Percobaan masuk gagal 3 kali berturut-turut" in html
    assert "Silakan coba lagi 15 menit setelah percobaan terakhir." in html
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (timedelta(minutes=15), "15 menit"),
        (timedelta(hours=1, minutes=30), "1 jam 30 menit"),
        (timedelta(days=1, hours=2), "1 hari 2 jam"),
        (timedelta(seconds=20), "1 menit"),
        (timedelta(minutes=14, seconds=1), "15 menit"),
        (None, ""),
    ],
)
def test_duration_in_words(value, words):
    with translation.override("id"):
        assert duration(value) == words


def test_duration_in_english():
    with translation.override("en"):
        assert duration(timedelta(hours=1, minutes=2)) == "1 hour 2 minutes"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://jambikota.go.id", True),
        ("HTTP://jambikota.go.id", True),
        ("javascript:alert(1)", False),
        ("jambikota.go.id", False),
    ],
)
def test_only_web_addresses_become_links(value, expected):
    assert is_web_url(value) is expected


# --- Admin: administrators only ------------------------------------------------------------


def test_the_default_admin_site_is_sikesal_s():
    assert isinstance(admin.site, SikesalAdminSite)
    assert str(admin.site.site_header) == "Administrasi SIKESAL"


@pytest.mark.django_db
def test_admin_redirects_anonymous_visitors_to_the_admin_login(client: Client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


@pytest.mark.django_db
def test_admin_refuses_staff_who_are_not_superusers(client: Client):
    staff = make_user("petugas", is_staff=True)
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
    assert client.get("/admin/core/holiday/").status_code == 302


@pytest.mark.django_db
def test_admin_login_form_refuses_staff_who_are_not_superusers(client: Client):
    make_user("petugas", is_staff=True)

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "petugas", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "akun administrator yang benar" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_admin_lets_a_superuser_in(client: Client):
    client.force_login(make_superuser())

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "Administrasi SIKESAL" in response.content.decode()
    # Registrations made by other apps through admin.site still show.
    assert client.get("/admin/core/holiday/").status_code == 200


@pytest.mark.django_db
def test_admin_login_form_lets_a_superuser_in(client: Client):
    make_superuser("admin")

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.django_db
def test_admin_link_shows_only_for_superusers(client: Client):
    client.force_login(make_user("petugas", is_staff=True))
    assert '<a href="/admin/">' not in client.get("/").content.decode()

    client.force_login(make_superuser())
    assert '<a href="/admin/">Admin</a>' in client.get("/").content.decode()


# --- Error pages ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_url_shows_the_indonesian_404_page(client: Client):
    response = client.get("/tidak-ada/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Halaman tidak ditemukan" in html
    assert '<a href="/opd/">Direktori OPD</a>' in html


@pytest.mark.django_db
def test_400_and_403_pages_are_indonesian(rf):
    request = rf.get("/")
    request.user = AnonymousUser()

    with translation.override("id"):
        bad = views.bad_request(request, SuspiciousOperation())
        denied = views.permission_denied(request, PermissionError())

    assert bad.status_code == 400
    assert "Permintaan tidak valid" in bad.content.decode()
    assert denied.status_code == 403
    assert "Akses ditolak" in denied.content.decode()


@pytest.mark.django_db
def test_csrf_failure_page_is_indonesian():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 403
    assert "Formulir kedaluwarsa" in response.content.decode()


@pytest.mark.django_db
def test_500_page_renders_without_request_context_or_database(rf, django_assert_num_queries):
    request = rf.get("/")  # no user, no session: the 500 page must not need them

    with translation.override("id"), django_assert_num_queries(0):
        response = views.server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Terjadi kesalahan pada server" in html
    assert "SIKESAL Kota Jambi" in html
    assert '<link rel="stylesheet" href="/static/css/sikesal.css">' in html
