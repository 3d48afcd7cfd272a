"""Hostile input never breaks a page: generated values for every query parameter, path
segment and form field the site reads, and the answer is never a server error.

Hypothesis draws NUL bytes and other control characters, digits from other scripts,
numbers far past any database column, odd Unicode and very long strings, and each value
goes where a visitor can put it. Run it on PostgreSQL too (`DATABASE_URL=postgres://...`):
its driver refuses a NUL in a query, which SQLite stores without a word.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sikesal.complaints.models import Status
from sikesal.complaints.tests.conftest import complaint_in_state

RECAP_MONTH = "2026-01"
# Values that broke pages before, or that a parser is likely to mishandle.
KNOWN_HOSTILE = [
    "\x00",
    "SKL-\x00",
    "1\x00",
    "\x01\x1f\x7f",
    "²",
    "\u0661\u0662",  # Arabic-Indic digits
    "\uff11\uff12",  # full-width digits
    "9" * 23,
    "-" + "9" * 30,
    "0",
    "-1",
    "0001-01",
    "9999-12",
    "0000-00",
    "2026-13",
    "1e309",
    "nan",
    "-inf",
    "\u202egpj.exe",
    "\ufeff",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "a" * 5000,
]
HOSTILE = st.one_of(
    st.sampled_from(KNOWN_HOSTILE),
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.integers().map(str),
    st.builds(lambda ch, n: ch * n, st.characters(codec="utf-8"), st.integers(1000, 6000)),
)
# Bounded: some 1,200 requests in all, under a minute; no example database in the tree.
FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@dataclass
class Target:
    """One place input goes in: `path(value)` builds the address (a hostile path segment
    when it uses the value), `fields` are the parameters or form fields to fill."""

    name: str
    who: str | None
    path: Callable[[str], str]
    fields: list[str] = field(default_factory=list)
    method: str = "get"
    base: dict = field(default_factory=dict)


def segment(value: str) -> str:
    return quote(value, safe="")


PUBLIC_FILTERS = ["q", "category", "kecamatan", "agency", "status", "setelah", "sebelum", "ujung"]
QUEUE_FILTERS = [
    "q",
    "status",
    "category",
    "kecamatan",
    "agency",
    "overdue",
    "setelah",
    "sebelum",
    "ujung",
]
REPORT_FILTERS = ["start", "end", "agency", "category", "kecamatan", "status"]
LETTER = ["nomor", "perihal", "year", "semester"]
COMPLAINT_FORM = {
    "report_type": "pengaduan",
    "title": "Jalan berlubang di depan bandara",
    "description": "Lubang besar di lajur kiri, sudah dua minggu.",
    "latitude": "-1.638",
    "longitude": "103.644",
    "intent": "draft",
}
CITIZEN_EXTRA_FIELDS = [
    "category",
    "event_date",
    "kelurahan",
    "address",
    "photo_ids",
    "remove_photo",
]
# Assisted intake (/staf/catat/): /lapor/'s fields, then who took it where and how, and who.
INTAKE_FORM = {
    **COMPLAINT_FORM,
    "intent": "submit",
    "channel": "walk_in",
    "received_on": date.today().isoformat(),
    "name": "Rina Marlina",
    "phone": "0812-7777-8888",
}
INTAKE_EXTRA_FIELDS = ["desk", "email", "letter_scan_id", "remove_scan", "submission_token"]
ROUTE_FORM = {
    "route-agencies-TOTAL_FORMS": "1",
    "route-agencies-INITIAL_FORMS": "0",
    "route-agencies-0-agency": "dpupr",
    "route-lead": "0",
}

TARGETS = [
    Target("public list", None, lambda v: reverse("complaints:public_list"), PUBLIC_FILTERS),
    Target("public complaint", None, lambda v: f"/pengaduan/{segment(v)}/"),
    Target("photo", None, lambda v: f"/foto/{segment(v)}/"),
    Target("agency directory", None, lambda v: reverse("agencies:list"), ["q"]),
    Target("agency page", None, lambda v: f"/opd/{segment(v)}/"),
    Target("region look-up", None, lambda v: "/wilayah/lokasi/", ["lat", "lng"]),
    Target("recap check", None, lambda v: f"/rekap/{segment(v)}/"),
    Target("email link", None, lambda v: f"/verifikasi-email/{segment(v)}/"),
    Target(
        "login",
        None,
        lambda v: reverse("accounts:login"),
        ["username", "password", "next"],
        method="post",
    ),
    Target(
        "registration",
        None,
        lambda v: reverse("accounts:register"),
        ["full_name", "username", "email", "mobile", "password1", "password2"],
        method="post",
    ),
    Target("my complaints", "reporter", lambda v: reverse("complaints:mine"), ["page"]),
    Target("my complaint", "reporter", lambda v: f"/saya/{segment(v)}/"),
    Target("filed page", "reporter", lambda v: reverse("complaints:file"), ["terkirim"]),
    Target(
        "complaint form",
        "reporter",
        lambda v: reverse("complaints:file"),
        [*COMPLAINT_FORM, *CITIZEN_EXTRA_FIELDS],
        method="post",
        base=COMPLAINT_FORM,
    ),
    Target(
        "photo upload",
        "reporter",
        lambda v: reverse("complaints:photo_upload"),
        ["photo_ids"],
        method="htmx-post",
    ),
    Target("notifications", "reporter", lambda v: reverse("notifications:list"), ["page"]),
    Target("queue", "secretariat", lambda v: reverse("staff:queue"), QUEUE_FILTERS),
    Target("agency queue", "officer", lambda v: reverse("staff:queue"), QUEUE_FILTERS),
    Target("queue CSV", "secretariat", lambda v: reverse("staff:queue_export"), QUEUE_FILTERS),
    Target("staff complaint", "secretariat", lambda v: f"/staf/pengaduan/{segment(v)}/"),
    Target("recap list", "secretariat", lambda v: reverse("reports:recaps"), ["bulan"]),
    Target("recap month", "head", lambda v: f"/staf/rekap/dpupr/{segment(v)}/", ["unduh"]),
    Target(
        "recap remarks",
        "head",
        lambda v: f"/staf/rekap/dpupr/{RECAP_MONTH}/",
        ["ket-1", "ket-\x00", "action"],
        method="post",
    ),
    Target(
        "intake form",
        "secretariat",
        lambda v: reverse("staff:intake"),
        [*INTAKE_FORM, *INTAKE_EXTRA_FIELDS, *CITIZEN_EXTRA_FIELDS],
        method="post",
        base=INTAKE_FORM,
    ),
    Target(
        "intake at a counter",
        "officer",
        lambda v: reverse("staff:intake"),
        [*INTAKE_FORM, *INTAKE_EXTRA_FIELDS, "kelurahan"],
        method="post",
        base={**INTAKE_FORM, "intent": "lookup"},
    ),
    Target("monitoring", "secretariat", lambda v: reverse("monitoring:dashboard"), REPORT_FILTERS),
    Target(
        "reports", "secretariat", lambda v: reverse("monitoring:reports"), REPORT_FILTERS + LETTER
    ),
]
# Staff actions on a new complaint: the Secretariat's forms, the route formset included.
STAFF_ACTIONS = {
    "route": [
        *ROUTE_FORM,
        "route-agencies-MIN_NUM_FORMS",
        "route-agencies-MAX_NUM_FORMS",
        "route-agencies-0-instructions",
        "route-note",
        "route-photo_ids",
        "add_row",
    ],
    "decline": ["decline-reason", "decline-note"],
    "request_clarification": ["request_clarification-note", "request_clarification-photo_ids"],
    "change_category": ["change_category-category", "change_category-note"],
    "note": ["note-note", "note-photo_ids"],
}


def client_for(who: str | None, people) -> Client:
    client = Client()
    users = {
        "reporter": people.reporter,
        "secretariat": people.secretariat,
        "officer": people.officer,
        "head": people.head,
    }
    if who is not None:
        client.force_login(users[who])
    return client


def send(client: Client, method: str, path: str, data: dict):
    if method == "get":
        return client.get(path, data)
    if method == "htmx-post":
        return client.post(path, data, HTTP_HX_REQUEST="true")
    return client.post(path, data)


def assert_no_server_error(response, described: str) -> None:
    status = response.status_code
    # 503 is the polite "try again" of an overloaded database, never a bug.
    assert status < 500 or status == 503, f"{described} -> {status}"


@pytest.fixture
def site(people, media_root, settings):
    settings.SIKESAL_GO_LIVE_MONTH = "2025-01"
    return people


@pytest.mark.django_db
@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.name)
def test_no_input_gets_a_server_error(site, target):
    client = client_for(target.who, site)

    @FUZZ
    @given(
        path_value=HOSTILE,
        values=st.dictionaries(st.sampled_from(target.fields or ["x"]), HOSTILE, max_size=4),
    )
    def check(path_value, values):
        path = target.path(path_value)
        data = {**target.base, **values}
        response = send(client, target.method, path, data)
        assert_no_server_error(response, f"{target.method} {path!r} {data!r}")

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_no_staff_action_input_gets_a_server_error(site, action):
    complaint, _assignment = complaint_in_state(site, Status.IN_REVIEW)
    client = client_for("secretariat", site)
    path = reverse("staff:act", args=[complaint.tracking_number, action])
    base = ROUTE_FORM if action == "route" else {}

    @FUZZ
    @given(values=st.dictionaries(st.sampled_from(STAFF_ACTIONS[action]), HOSTILE, max_size=4))
    def check(values):
        data = {**base, **values}
        response = client.post(path, data)
        assert_no_server_error(response, f"post {path!r} {data!r}")

    check()
