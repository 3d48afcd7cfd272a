"""The API's permission matrix, generated and compared live with the web pages.

Every route under /api/v1/ (read from the URL resolver: a new route without an entry in
ROUTES fails `test_every_api_route_has_a_matrix_entry`), for every person of the cast and
anonymous, on the objects they own, their agency's, another agency's and another citizen's:
the API answers what the equivalent page answers that person. Compared by outcome:

- the page's redirect to the login page is the API's 401;
- 404 is 404 ("not yours" is never a 403, on either side);
- 403 is 403;
- anything else is "allowed" (200, a form's 400, a state's 409, a redirect after a POST).

And an anonymous reporter's name, email, mobile and username appear in no API response
except where the equivalent page shows them to that person.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from sikesal.api.tokens import device_token_issue
from sikesal.complaints.models import ComplaintDraft
from sikesal.complaints.tests.conftest import file_complaint, routed, stored_photo
from sikesal.notifications.models import Notification

PERSONS = [
    "anonymous",
    "reporter",
    "other_citizen",
    "secretariat",
    "officer",
    "head",
    "dlh_officer",
    "executive",
    "administrator",
]


# --- The world every comparison runs in ------------------------------------------------------


@dataclass
class World:
    """What the routes are asked about, two of each: the reporter's (routed to Dinas PUPR,
    the officer's and head's agency) and the other citizen's (routed to DLH)."""

    people: object
    mine: object  # the reporter's complaint, routed to PUPR
    theirs: object  # the other citizen's complaint, routed to DLH
    my_photo: object
    their_photo: object
    my_notification: object
    their_notification: object
    my_device: object
    their_device: object


def _notification(user, complaint):
    return Notification.objects.create(
        recipient=user,
        kind="complaint_routed",
        title=f"Pengaduan {complaint.tracking_number}",
        body="Uji",
        url=f"/saya/{complaint.tracking_number}/",
    )


@pytest.fixture
def world(people, media_root) -> World:
    mine = routed(people, file_complaint(people), people.pupr)
    theirs = routed(people, file_complaint(people, reporter=people.other_citizen), people.dlh)
    my_photo = stored_photo(people.reporter)
    my_photo.complaint = mine
    my_photo.save()
    their_photo = stored_photo(people.other_citizen)
    their_photo.complaint = theirs
    their_photo.save()
    # Everyone has a draft on /lapor/ (an empty form is a draft not yet saved; the API's
    # draft is a 404 until one is), so the draft routes compare who may have one.
    for person in PERSONS[1:]:
        ComplaintDraft.objects.create(reporter=getattr(people, person), data={"title": "Uji"})
    return World(
        people=people,
        mine=mine,
        theirs=theirs,
        my_photo=my_photo,
        their_photo=their_photo,
        my_notification=_notification(people.reporter, mine),
        their_notification=_notification(people.other_citizen, theirs),
        my_device=device_token_issue(user=people.reporter, name="HP saya")[0],
        their_device=device_token_issue(user=people.other_citizen, name="HP mereka")[0],
    )


# --- The matrix: each API route and its page ---------------------------------------------------


@dataclass(frozen=True)
class Route:
    """How to ask one API route, and the page that answers the same question.

    `objects` names World attribute pairs (mine, theirs) the route is asked about; `api`
    and `page` build the two addresses from one object (or from none). `method` is the
    method both are asked with (an empty POST: refused input, but after the permission
    check, so the outcome shows who may act). `page=None` means the route has no page
    equivalent, and `why` says what is checked instead.
    """

    method: str
    api: Callable
    page: Callable | None
    objects: tuple[str, str] | None = None
    why: str = ""


def _t(complaint) -> str:
    return complaint.tracking_number


COMPLAINTS = ("mine", "theirs")
ROUTES: dict[str, Route] = {
    # Account (sikesal/api/account/)
    "auth_token": Route(
        "POST", lambda o: "/api/v1/auth/token/", None, why="sign-in: open to anyone, as /masuk/"
    ),
    "auth_register": Route(
        "POST", lambda o: "/api/v1/auth/register/", None, why="open to anyone, as /daftar/"
    ),
    "auth_devices": Route("GET", lambda o: "/api/v1/auth/devices/", lambda o: "/akun/"),
    "auth_device": Route(
        "DELETE",
        lambda o: f"/api/v1/auth/devices/{o.pk}/",
        None,
        ("my_device", "their_device"),
        why="a device is its owner's only: 404 for anyone else (checked below)",
    ),
    "me": Route("GET", lambda o: "/api/v1/me/", lambda o: "/akun/"),
    "me_verify_email": Route(
        "POST", lambda o: "/api/v1/me/verify-email/", lambda o: "/akun/verifikasi-email/kirim/"
    ),
    "me_verify_mobile": Route(
        "POST", lambda o: "/api/v1/me/verify-mobile/", lambda o: "/akun/verifikasi-ponsel/kirim/"
    ),
    "me_verify_mobile_confirm": Route(
        "POST", lambda o: "/api/v1/me/verify-mobile/confirm/", lambda o: "/akun/verifikasi-ponsel/"
    ),
    # Push on this device (sikesal/api/account/push.py): the opt-in lives on /akun/, and
    # turning it on or off is a signed-in person's POST, as saving /akun/pengaturan/ is.
    "me_push": Route("GET", lambda o: "/api/v1/me/push/", lambda o: "/akun/"),
    "me_push_subscribe": Route(
        "POST", lambda o: "/api/v1/me/push/subscribe/", lambda o: "/akun/pengaturan/"
    ),
    "me_push_unsubscribe": Route(
        "POST", lambda o: "/api/v1/me/push/unsubscribe/", lambda o: "/akun/pengaturan/"
    ),
    # Reference (sikesal/api/reference/): public, like /opd/ and /wilayah/lokasi/
    "reference-categories": Route("GET", lambda o: "/api/v1/categories/", lambda o: "/opd/"),
    "reference-regions": Route("GET", lambda o: "/api/v1/regions/", lambda o: "/opd/"),
    "reference-regions-locate": Route(
        "GET",
        lambda o: "/api/v1/regions/locate/?lat=-1.638&lng=103.644",
        lambda o: "/wilayah/lokasi/?lat=-1.638&lng=103.644",
    ),
    "reference-agencies": Route("GET", lambda o: "/api/v1/agencies/", lambda o: "/opd/"),
    "reference-agency": Route("GET", lambda o: "/api/v1/agencies/dpupr/", lambda o: "/opd/dpupr/"),
    # Citizen (sikesal/api/citizen/)
    "citizen-photos": Route("POST", lambda o: "/api/v1/photos/", lambda o: "/lapor/foto/"),
    "citizen-photo": Route(
        "GET",
        lambda o: f"/api/v1/photos/{o.pk}/",
        lambda o: f"/foto/{o.pk}/",
        ("my_photo", "their_photo"),
    ),
    "citizen-photo-thumbnail": Route(
        "GET",
        lambda o: f"/api/v1/photos/{o.pk}/thumbnail/",
        lambda o: f"/foto/{o.pk}/kecil/",
        ("my_photo", "their_photo"),
    ),
    "citizen-complaints": Route("GET", lambda o: "/api/v1/complaints/", lambda o: "/saya/"),
    "citizen-complaint": Route(
        "GET",
        lambda o: f"/api/v1/complaints/{_t(o)}/",
        lambda o: f"/saya/{_t(o)}/",
        COMPLAINTS,
    ),
    "citizen-complaint-clarification": Route(
        "POST",
        lambda o: f"/api/v1/complaints/{_t(o)}/clarification/",
        lambda o: f"/saya/{_t(o)}/answer_clarification/",
        COMPLAINTS,
    ),
    "citizen-complaint-rating": Route(
        "POST",
        lambda o: f"/api/v1/complaints/{_t(o)}/rating/",
        lambda o: f"/saya/{_t(o)}/rate/",
        COMPLAINTS,
    ),
    "citizen-complaint-objection": Route(
        "POST",
        lambda o: f"/api/v1/complaints/{_t(o)}/objection/",
        lambda o: f"/saya/{_t(o)}/object/",
        COMPLAINTS,
    ),
    "citizen-draft": Route("GET", lambda o: "/api/v1/draft/", lambda o: "/lapor/"),
    "citizen-notifications": Route(
        "GET", lambda o: "/api/v1/notifications/", lambda o: "/notifikasi/"
    ),
    "citizen-notifications-read-all": Route(
        "POST", lambda o: "/api/v1/notifications/read-all/", lambda o: "/notifikasi/dibaca-semua/"
    ),
    "citizen-notification-read": Route(
        "POST",
        lambda o: f"/api/v1/notifications/{o.pk}/read/",
        lambda o: f"/notifikasi/{o.pk}/dibaca/",
        ("my_notification", "their_notification"),
    ),
    # Staff (sikesal/api/staff/)
    "staff_queue": Route("GET", lambda o: "/api/v1/staff/complaints/", lambda o: "/staf/"),
    "staff_complaint": Route(
        "GET",
        lambda o: f"/api/v1/staff/complaints/{_t(o)}/",
        lambda o: f"/staf/pengaduan/{_t(o)}/",
        COMPLAINTS,
    ),
    "staff_identity": Route(
        "POST",
        lambda o: f"/api/v1/staff/complaints/{_t(o)}/identity/",
        lambda o: f"/staf/pengaduan/{_t(o)}/identitas/",
        COMPLAINTS,
    ),
    "staff_action": Route(
        "POST",
        lambda o: f"/api/v1/staff/complaints/{_t(o)}/actions/accept/",
        lambda o: f"/staf/pengaduan/{_t(o)}/accept/",
        COMPLAINTS,
    ),
    # Public (sikesal/api/public/)
    "public_complaints": Route(
        "GET", lambda o: "/api/v1/public/complaints/", lambda o: "/pengaduan/"
    ),
    "public_complaint": Route(
        "GET",
        lambda o: f"/api/v1/public/complaints/{_t(o)}/",
        lambda o: f"/pengaduan/{_t(o)}/",
        COMPLAINTS,
    ),
}


def api_routes() -> dict[str, str]:
    """Every route of /api/v1/ in the URL resolver: name → pattern."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.name

    return {
        name: route
        for route, name in walk(get_resolver().url_patterns)
        if route.startswith("api/v1/")
    }


def test_every_api_route_has_a_matrix_entry():
    missing = set(api_routes()) - set(ROUTES)

    assert not missing, f"API routes without a permission-matrix entry: {sorted(missing)}"


# --- Asking both doors ----------------------------------------------------------------------


def outcome(status: int, location: str = "") -> str:
    if status in (301, 302) and location.startswith("/masuk/"):
        return "401"
    if status in (401, 403, 404):
        return str(status)
    return "allowed"


def page_client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        _, key = device_token_issue(user=user, name="Matriks")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def ask(client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    if isinstance(client, APIClient):
        return client.generic(method, url, "{}", content_type="application/json")
    return client.generic(method, url, "", content_type="application/x-www-form-urlencoded")


def user_of(world: World, person: str):
    return None if person == "anonymous" else getattr(world.people, person)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_the_api_answers_as_the_page_does(world, name):
    """One route, asked by every person about every object it takes (the world is built
    once per route: the mismatches are collected, then reported together)."""
    if name not in api_routes():
        pytest.skip(f"{name} is not on this branch yet")
    route = ROUTES[name]
    mismatches = []
    for person in PERSONS:
        user = user_of(world, person)
        for which in route.objects or (None,):
            obj = getattr(world, which) if which else None
            api_response = ask(api_client(user), route.method, route.api(obj))
            got = outcome(api_response.status_code)
            if route.page is None:
                expected, page = _expected_without_page(user, obj), "(no page)"
            else:
                page_response = ask(page_client(user), route.method, route.page(obj))
                expected = outcome(page_response.status_code, page_response.get("Location", ""))
                page = f"{route.page(obj)} {page_response.status_code}"
            if got != expected:
                mismatches.append(
                    f"{route.method} {route.api(obj)} as {person}: API "
                    f"{api_response.status_code}, page {page} (expected {expected})"
                )

    assert mismatches == []


def _expected_without_page(user, obj) -> str:
    if obj is None:
        # Open to anyone: never a 401/403/404 for a person who may not see it.
        return "allowed"
    # Owned by one person only (a device): theirs to act on, a 404 to anyone else.
    if user is None:
        return "401"
    return "allowed" if obj.user == user else "404"


# --- An anonymous reporter's identity --------------------------------------------------------

SECRET_NAME = "Zaqiah Rahasiawati"
SECRET_USERNAME = "zqrahasia77"
SECRET_EMAIL = "zq.rahasia77@contoh.id"
SECRET_MOBILE = "+6281299887766"


def identity_texts() -> list[str]:
    # The mobile also as people write it (0812...), since a page may show it either way.
    return [SECRET_NAME, SECRET_USERNAME, SECRET_EMAIL, SECRET_MOBILE, "081299887766"]


@pytest.fixture
def anonymous_world(world) -> World:
    """The reporter, with a recognisable identity, files an anonymous complaint, routed to
    PUPR; every object of the world now points at it."""
    people = world.people
    reporter = people.reporter
    reporter.full_name = SECRET_NAME
    reporter.username = SECRET_USERNAME
    reporter.email = SECRET_EMAIL
    reporter.mobile = SECRET_MOBILE
    reporter.mobile_verified_at = timezone.now()
    reporter.save()
    anonymous = routed(people, file_complaint(people, is_anonymous=True), people.pupr)
    world.mine = anonymous
    world.my_photo.complaint = anonymous
    world.my_photo.save()
    return world


def shown_in(text: str, page: str) -> bool:
    """Whether the page shows `text`; a mobile number in any of its spellings (+62 812-...,
    0812 ...), compared by its digits after the country or trunk prefix."""
    if text in (SECRET_MOBILE, "081299887766"):
        return "81299887766" in re.sub(r"\D", "", page)
    return text in page


def text_of(response) -> str:
    if getattr(response, "streaming", False):  # a photo
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("person", PERSONS)
def test_an_anonymous_reporters_identity_shows_only_where_the_page_shows_it(
    anonymous_world, person
):
    world = anonymous_world
    user = user_of(world, person)
    present = api_routes()
    leaks = []
    for name, route in sorted(ROUTES.items()):
        if name not in present or route.method != "GET":
            continue
        for which in route.objects or (None,):
            obj = getattr(world, which) if which else None
            body = text_of(api_client(user).get(route.api(obj)))
            shown = ""
            if route.page is not None:
                page = page_client(user).get(route.page(obj))
                shown = text_of(page) if page.status_code == 200 else ""
            leaks += [
                f"{route.api(obj)}: {text}"
                for text in identity_texts()
                if text in body and not shown_in(text, shown)
            ]

    assert leaks == []


@pytest.mark.parametrize("person", PERSONS)
def test_opening_the_identity_answers_as_the_page_does(anonymous_world, person):
    # The one door that shows an anonymous reporter to the Secretariat (logged on both).
    if "staff_identity" not in api_routes():
        pytest.skip("staff_identity is not on this branch yet")
    world = anonymous_world
    user = user_of(world, person)
    tracking = world.mine.tracking_number

    purpose = "Memastikan lokasi"
    api_body = api_client(user).post(
        f"/api/v1/staff/complaints/{tracking}/identity/", {"purpose": purpose}, format="json"
    )
    page_body = page_client(user).post(
        f"/staf/pengaduan/{tracking}/identitas/", {"identity-purpose": purpose}
    )

    for text in (SECRET_NAME, SECRET_EMAIL):
        assert (text in api_body.content.decode()) == (text in page_body.content.decode()), (
            person,
            text,
        )


@pytest.mark.parametrize("suffix", ["json", "xml"])
def test_an_anonymous_reporters_identity_is_in_no_open311_answer(anonymous_world, suffix):
    # Open311's reads are public (no person): no page shows an anonymous reporter to the
    # public, so none of these may.
    tracking = anonymous_world.mine.tracking_number
    client = Client()
    addresses = [
        f"/open311/v2/requests.{suffix}",
        f"/open311/v2/requests/{tracking}.{suffix}",
        f"/open311/v2/servicerequestupdates.{suffix}",
    ]
    listed = client.get(addresses[0])
    assert listed.status_code == 200
    assert tracking in text_of(listed)  # the anonymous complaint is there, without its reporter

    leaks = [
        f"{address}: {text}"
        for address in addresses
        for text in identity_texts()
        if text in text_of(client.get(address))
    ]

    assert leaks == []
