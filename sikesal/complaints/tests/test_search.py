"""`?q=` on the public list, the staff queue and their APIs (`complaints.search`): what a
word finds on PostgreSQL (Indonesian stems, no accents, web-search syntax) and on SQLite
(the text as typed), parts of tracking numbers, the address for staff only, and that no
input breaks a page."""

import pytest
from django.db import connection
from django.urls import reverse

from sikesal.api.tokens import device_token_issue
from sikesal.complaints import search
from sikesal.complaints.services import Location
from sikesal.complaints.tests.conftest import AIRPORT, file_complaint, routed

pytestmark = pytest.mark.django_db

PUBLIC_LIST = reverse("complaints:public_list")
PUBLIC_API = "/api/v1/public/complaints/"
STAFF_API = "/api/v1/staff/complaints/"
ADDRESS = "Jl. Kenanga Gg. Anggrek No. 12, samping warung Bu Tini"

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stems, accents and web-search syntax: PostgreSQL"
)


def public_found(client, q: str) -> set[str]:
    """The titles /pengaduan/?q= lists, checked against the public API's numbers."""
    page = client.get(PUBLIC_LIST, {"q": q})
    assert page.status_code == 200
    rows = page.context["page_obj"].object_list
    api = client.get(PUBLIC_API, {"q": q})
    assert api.status_code == 200, api.content
    assert [row["tracking_number"] for row in api.json()["results"]] == [
        complaint.tracking_number for complaint in rows
    ]
    return {complaint.title for complaint in rows}


def staff_found(client, user, q: str, *, status: str = "all") -> set[str]:
    """The titles /staf/?q= lists for `user` (every status of the Secretariat's queue by
    default), checked against the staff API's numbers."""
    params = {"q": q, "status": status}
    client.force_login(user)
    page = client.get(reverse("staff:queue"), params)
    assert page.status_code == 200
    rows = [row.complaint for row in page.context["rows"]]
    _, key = device_token_issue(user=user, name="Uji")
    api = client.get(STAFF_API, params, headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 200, api.content
    assert [row["tracking_number"] for row in api.json()["results"]] == [
        complaint.tracking_number for complaint in rows
    ]
    return {complaint.title for complaint in rows}


def public_complaint(people, title: str, description: str = "Mohon ditindaklanjuti.", **extra):
    complaint = file_complaint(people, title=title, description=description, **extra)
    return routed(people, complaint, people.pupr)


@pytest.fixture
def complaints(people):
    return {
        "road": public_complaint(people, "Jalanan rusak parah", "Aspal mengelupas."),
        "lamp": public_complaint(people, "Lampu penerangan mati", "Gelap sejak minggu lalu."),
        "water": public_complaint(
            people, "Air PDAM keruh", "Pipa bocor di depan sekolah, jalan tergenang."
        ),
        "waste": public_complaint(people, "Sampah menumpuk", "Bau sampai ke rumah warga."),
    }


@pytest.fixture(params=["few", "common"])
def matches(request, monkeypatch):
    """Both ways PostgreSQL reads a search: by the ids of few matches, and (as if every word
    were common, `FEW_MATCHES` 0) by the words themselves."""
    if request.param == "common":
        if connection.vendor != "postgresql":
            pytest.skip("SQLite searches one way")
        monkeypatch.setattr(search, "FEW_MATCHES", 0)
    return request.param


# --- what a word finds, everywhere ------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("sampah", {"Sampah menumpuk"}),
        ("SAMPAH", {"Sampah menumpuk"}),
        ("  keruh  ", {"Air PDAM keruh"}),
        ("bocor", {"Air PDAM keruh"}),  # in the description
        ("jalan", {"Jalanan rusak parah", "Air PDAM keruh"}),
        ("pesawat", set()),
    ],
)
def test_a_word_finds_the_complaints_with_it_in_title_or_description(
    client, people, complaints, matches, q, expected
):
    assert public_found(client, q) == expected
    assert staff_found(client, people.secretariat, q) == expected


def test_part_of_a_tracking_number_finds_it_in_any_case(client, people, complaints, matches):
    number = complaints["lamp"].tracking_number  # e.g. SKL-7K3QX9
    part = number[-4:]  # e.g. 3QX9 (another number holds it once in 130,000)

    for q in (number, number.lower(), part, part.lower()):
        assert public_found(client, q) == {"Lampu penerangan mati"}, q
        assert staff_found(client, people.secretariat, q) == {"Lampu penerangan mati"}, q


def test_an_agency_officer_searches_only_the_complaints_routed_to_them(client, people):
    public_complaint(people, "Sampah di selokan")  # routed to PUPR
    not_theirs = routed(people, file_complaint(people, title="Sampah di pasar"), people.dlh)

    assert staff_found(client, people.officer, "sampah", status="") == {"Sampah di selokan"}
    assert staff_found(client, people.dlh_officer, "sampah", status="") == {not_theirs.title}


# --- what only staff may search ------------------------------------------------------------------


def test_the_address_is_searched_by_staff_and_never_by_the_public(client, people, matches):
    where = Location(latitude=AIRPORT[0], longitude=AIRPORT[1], kelurahan=None, address=ADDRESS)
    public_complaint(people, "Pohon tumbang", location=where)

    for q in ("Anggrek", "gg. anggrek", "warung Bu Tini"):
        assert staff_found(client, people.secretariat, q) == {"Pohon tumbang"}, q
        assert public_found(client, q) == set(), q


def test_the_reporters_identity_is_never_searched(client, people, complaints):
    reporter = people.reporter
    for q in (reporter.full_name, reporter.username, reporter.email):
        assert public_found(client, q) == set(), q
        assert staff_found(client, people.secretariat, q) == set(), q


# --- PostgreSQL: words, not text --------------------------------------------------------------


@postgresql_only
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # The Indonesian stemmer: jalanan, perjalanan -> jalan; berlubang -> lubang.
        ("jalanan", {"Jalanan rusak parah", "Air PDAM keruh"}),
        ("perjalanan", {"Jalanan rusak parah", "Air PDAM keruh"}),
        # Accents do not count.
        ("jálan", {"Jalanan rusak parah", "Air PDAM keruh"}),
        ("lampú", {"Lampu penerangan mati"}),
        # Every word, in any order and field.
        ("keruh sekolah", {"Air PDAM keruh"}),
        ("keruh sampah", set()),
        # Web-search syntax: a phrase, a word left out, either word.
        ('"penerangan mati"', {"Lampu penerangan mati"}),
        ('"mati penerangan"', set()),
        ("jalan -keruh", {"Jalanan rusak parah"}),
        ("sampah or lampu", {"Sampah menumpuk", "Lampu penerangan mati"}),
    ],
)
def test_postgresql_matches_words_by_their_stem(client, people, complaints, matches, q, expected):
    assert public_found(client, q) == expected
    assert staff_found(client, people.secretariat, q) == expected


@postgresql_only
def test_postgresql_matches_whole_words_not_any_text(client, people, complaints, matches):
    # SQLite's substring search finds "lampu" in "lamp"; words do not.
    assert public_found(client, "lamp") == set()


def test_sqlite_finds_the_text_as_typed(client, people, complaints):
    if connection.vendor == "postgresql":
        pytest.skip("the substring fallback is SQLite's")

    assert public_found(client, "lamp") == {"Lampu penerangan mati"}
    assert public_found(client, "ruak") == set()
    assert staff_found(client, people.secretariat, "lanan rus") == {"Jalanan rusak parah"}


# --- no input breaks a page ---------------------------------------------------------------------

HOSTILE = [
    "\x00",
    "lampu\x00mati",
    "x" * 10_000,
    "lampu " * 16,
    "!!!",
    "...",
    '"',
    '"unclosed',
    "-",
    "--",
    "-lampu",
    "lampu -",
    "or",
    "or or",
    "& | ! <-> :* ( )",
    "'",
    "\\",
    "%",
    "_",
    "%_%",
    "SKL-",
    "😀 sampah",
]


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_no_search_text_breaks_a_list(client, people, complaints, q):
    _, key = device_token_issue(user=people.secretariat, name="Uji")
    bearer = {"Authorization": f"Bearer {key}"}

    public_page = client.get(PUBLIC_LIST, {"q": q})
    public_api = client.get(PUBLIC_API, {"q": q})
    staff_api = client.get(STAFF_API, {"q": q}, headers=bearer)
    client.force_login(people.secretariat)
    staff_page = client.get(reverse("staff:queue"), {"q": q})

    # Control characters are refused before any view (core.middleware): 400.
    page_status = 400 if "\x00" in q else 200
    assert public_page.status_code == page_status
    assert staff_page.status_code == page_status
    assert public_api.status_code in (200, 400)
    assert staff_api.status_code in (200, 400)


def test_a_text_too_long_is_an_error_in_the_api_and_ignored_on_the_pages(
    client, people, complaints
):
    q = "lampu " * 20

    page = client.get(PUBLIC_LIST, {"q": q})

    assert client.get(PUBLIC_API, {"q": q}).status_code == 400
    assert page.status_code == 200
    assert len(page.context["page_obj"].object_list) == len(complaints)
