"""Public pages kept for anonymous readers (sikesal/core/page_cache.py): a second reader costs
no query, a change is seen at once, and nothing of one reader reaches another."""

import gzip
import re

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from sikesal.agencies.services import agency_profile_update
from sikesal.complaints.tests import conftest as complaint_fixtures
from sikesal.complaints.tests.conftest import file_complaint, routed
from sikesal.complaints.workflow import transition
from sikesal.core.page_cache import public_page

pytestmark = pytest.mark.django_db

# The complaint tests' cast of people (their conftest.py is not this folder's).
people = complaint_fixtures.people
_cast_snapshot = complaint_fixtures._cast_snapshot

RESPONSE = "Lubang sudah ditambal dengan aspal hotmix pada hari Senin."
# The menu's link to "Pengaduan saya", shown to signed-in people only.
MY_COMPLAINTS_LINK = f'href="{reverse("complaints:mine")}"'
TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def detail_url(complaint) -> str:
    return reverse("complaints:public_detail", args=[complaint.tracking_number])


def queries_of(client: Client, url: str, **kwargs) -> tuple[int, HttpResponse]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    return len(queries), response


def without_tokens(html: str) -> str:
    return TOKEN_INPUT.sub('name="csrfmiddlewaretoken" value=""', html)


@pytest.fixture
def complaint(people):
    return routed(
        people, file_complaint(people, title="Jalan amblas di Jl. Sultan Thaha"), people.pupr
    )


def answer(people, complaint) -> None:
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    transition(complaint, "respond", actor=people.officer, assignment=assignment, note=RESPONSE)


# --- a second reader costs nothing --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("core:home"),
        reverse("complaints:public_list"),
        reverse("complaints:public_list") + "?status=routed&q=amblas",
        "complaint",
        reverse("agencies:list"),
        reverse("agencies:detail", args=["dpupr"]),
    ],
)
def test_a_second_anonymous_reader_is_served_without_a_query(
    client, complaint, django_assert_num_queries, url
):
    url = detail_url(complaint) if url == "complaint" else url
    first = client.get(url)
    assert first.status_code == 200

    with django_assert_num_queries(0):
        second = Client().get(url)

    assert second.status_code == 200
    assert without_tokens(second.content.decode()) == without_tokens(first.content.decode())
    assert second["Cache-Control"] == "public, max-age=60"
    assert {"Cookie", "Accept-Encoding"} <= {v.strip() for v in second["Vary"].split(",")}


def test_with_the_cache_off_every_reader_is_rendered(client, complaint, page_cache_off):
    client.get(detail_url(complaint))

    count, response = queries_of(Client(), detail_url(complaint))

    assert response.status_code == 200
    assert count > 0


# --- changes are seen at once ---------------------------------------------------------------------


def test_an_answer_shows_on_the_complaint_page_and_the_list_at_once(client, people, complaint):
    assert RESPONSE not in client.get(detail_url(complaint)).content.decode()
    list_before = client.get(reverse("complaints:public_list")).content.decode()

    answer(people, complaint)

    assert RESPONSE in client.get(detail_url(complaint)).content.decode()
    list_after = client.get(reverse("complaints:public_list")).content.decode()
    assert without_tokens(list_after) != without_tokens(list_before)


def test_a_page_rendered_before_the_commit_is_rendered_again_after_it(
    client, people, complaint, django_capture_on_commit_callbacks
):
    assignment = complaint.assignments.get()
    with django_capture_on_commit_callbacks(execute=True):
        transition(complaint, "accept", actor=people.officer, assignment=assignment)
        # A reader between the change and its commit: the page is kept under the versions
        # of that moment.
        client.get(detail_url(complaint))

    count, _response = queries_of(Client(), detail_url(complaint))

    assert count > 0


def test_one_complaints_change_leaves_another_complaints_page_kept(client, people, complaint):
    other = routed(people, file_complaint(people, title="Lampu jalan mati"), people.dlh)
    client.get(detail_url(other))

    answer(people, complaint)

    count, response = queries_of(Client(), detail_url(other))
    assert response.status_code == 200
    assert count == 0


def test_an_agency_profile_change_shows_on_its_page_at_once(client, people):
    url = reverse("agencies:detail", args=["dpupr"])
    client.get(url)

    agency_profile_update(agency=people.pupr, actor=people.head, values={"phone": "0741-999888"})

    assert "0741-999888" in Client().get(url).content.decode()


# --- signed-in people ----------------------------------------------------------------------------


def test_a_signed_in_reader_never_gets_the_kept_page(client, people, complaint):
    client.get(detail_url(complaint))
    signed_in = Client()
    signed_in.force_login(people.reporter)

    count, response = queries_of(signed_in, detail_url(complaint))

    assert count > 0
    assert MY_COMPLAINTS_LINK in response.content.decode()
    assert "Cache-Control" not in response


def test_a_signed_in_reader_never_fills_the_cache(client, people, complaint):
    signed_in = Client()
    signed_in.force_login(people.reporter)
    signed_in.get(detail_url(complaint))

    count, response = queries_of(Client(), detail_url(complaint))

    assert count > 0
    assert MY_COMPLAINTS_LINK not in response.content.decode()


def test_a_reader_with_messages_waiting_is_rendered(client, complaint):
    client.get(detail_url(complaint))
    reader = Client()
    reader.cookies["messages"] = "anything"

    count, _response = queries_of(reader, detail_url(complaint))

    assert count > 0


# --- nothing of one reader reaches another -----------------------------------------------------


def test_each_reader_gets_their_own_csrf_token_that_works(complaint):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get(detail_url(complaint))
    second_page = second.get(detail_url(complaint))  # from the cache
    first_token = TOKEN_INPUT.search(first_page.content.decode())[1]
    second_token = TOKEN_INPUT.search(second_page.content.decode())[1]

    assert second_page.cookies["csrftoken"].value != first_page.cookies["csrftoken"].value
    switch = reverse("set_language")
    refused = second.post(switch, {"language": "en", "csrfmiddlewaretoken": first_token})
    assert refused.status_code == 403
    switched = second.post(switch, {"language": "en", "csrfmiddlewaretoken": second_token})
    assert switched.status_code == 302
    assert switched.cookies["django_language"].value == "en"


def test_a_kept_page_sets_no_cookie_of_an_earlier_reader(complaint):
    earlier = Client()
    earlier.get(detail_url(complaint))
    reader = Client()
    reader.cookies["csrftoken"] = "x" * 32

    response = reader.get(detail_url(complaint))

    # Django renews the reader's own CSRF cookie whenever a page carries a token.
    assert response.cookies["csrftoken"].value == "x" * 32
    assert "sessionid" not in response.cookies


@login_not_required
@public_page()
def _page_with_nonce(request):
    return HttpResponse(
        Template("<script nonce='{{ request.csp_nonce }}'></script>").render(
            RequestContext(request)
        )
    )


@login_not_required
@public_page()
def _page_with_token_in_a_script(request):
    return HttpResponse(
        Template(
            '{% csrf_token %}<div hx-headers=\'{"X-CSRFToken": "{{ csrf_token }}"}\'></div>'
        ).render(RequestContext(request))
    )


urlpatterns = [
    path("nonce/", _page_with_nonce),
    path("token-in-script/", _page_with_token_in_a_script),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/nonce/", "/token-in-script/"])
def test_a_page_carrying_the_readers_nonce_or_token_elsewhere_is_not_kept(url):
    first = Client().get(url)
    second = Client().get(url)

    assert first.content != second.content
    assert "Cache-Control" not in second


def test_the_kept_pages_use_no_nonce(client, complaint):
    client.get(detail_url(complaint))

    response = Client().get(detail_url(complaint))

    assert "nonce" not in response.content.decode()
    assert "nonce-" not in response["Content-Security-Policy"]


# --- HTTP caching and compression ---------------------------------------------------------------


def test_an_unchanged_page_answers_304_and_a_changed_one_200(client, people, complaint):
    etag = client.get(detail_url(complaint))["ETag"]
    assert etag.startswith('W/"')

    not_modified = Client().get(detail_url(complaint), headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""

    answer(people, complaint)
    changed = Client().get(detail_url(complaint), headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_page_is_sent_gzipped_with_the_readers_token(client, complaint):
    plain = client.get(detail_url(complaint)).content.decode()
    reader = Client(enforce_csrf_checks=True)

    response = reader.get(detail_url(complaint), headers={"Accept-Encoding": "gzip, br"})

    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert without_tokens(html) == without_tokens(plain)
    token = TOKEN_INPUT.search(html)[1]
    switched = reader.post(
        reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302


# --- variants -------------------------------------------------------------------------------------


def test_each_language_has_its_own_kept_page(client, django_assert_num_queries):
    english = Client()
    english.cookies["django_language"] = "en"
    client.get(reverse("core:home"))
    english.get(reverse("core:home"))

    with django_assert_num_queries(0):
        indonesian_page = Client().get(reverse("core:home"))
        english_page = english.get(reverse("core:home"))

    assert indonesian_page["Content-Language"] == "id"
    assert '<html lang="id">' in indonesian_page.content.decode()
    assert english_page["Content-Language"] == "en"
    assert '<html lang="en">' in english_page.content.decode()


def test_the_htmx_fragment_and_the_page_are_kept_apart(client, complaint):
    url = reverse("complaints:public_list")
    page = client.get(url).content.decode()
    fragment = Client().get(url, headers={"HX-Request": "true"}).content.decode()
    page_again = Client().get(url).content.decode()

    assert "<html" in page
    assert "<html" not in fragment
    assert "<html" in page_again


def test_a_filter_has_its_own_kept_page(client, people, complaint):
    other = routed(people, file_complaint(people, title="Sampah menumpuk"), people.dlh)
    url = reverse("complaints:public_list")
    client.get(url)

    filtered = Client().get(url, {"agency": "dlh"}).content.decode()

    assert other.tracking_number in filtered
    assert complaint.tracking_number not in filtered


def test_a_search_for_text_that_looks_like_a_filter_is_not_the_filter(client, complaint):
    url = reverse("complaints:public_list")
    client.get(url, {"q": "", "status": "routed"})

    searched = Client().get(url, {"q": "&status=routed"}).content.decode()

    assert 'value="&amp;status=routed"' in searched


@pytest.mark.parametrize(
    "query",
    [
        "?utm_source=newsletter",  # a parameter the page does not read
        "?status=routed&status=responded",  # twice
        "?agency=" + "x" * 65,  # no code is that long
        "?ujung=awal",  # the pager knows only "akhir"
        "?q=" + "jalan+" * 100,  # a query past the length limit
    ],
)
def test_a_made_up_query_is_answered_but_not_kept(client, complaint, query):
    url = reverse("complaints:public_list") + query
    assert client.get(url).status_code == 200

    count, response = queries_of(Client(), url)

    assert response.status_code == 200
    assert count > 0
    assert "Cache-Control" not in response


def test_a_missing_complaint_is_not_kept(client, django_assert_max_num_queries):
    url = reverse("complaints:public_detail", args=["SKS-NOPE"])
    assert client.get(url).status_code == 404

    count, response = queries_of(Client(), url)

    assert response.status_code == 404
    assert count > 0


# --- in Redis (REDIS_URL) ------------------------------------------------------------------------


@pytest.fixture
def pages_in_redis(settings):
    """The page caches as config/settings.py sets them with REDIS_URL, on database 5 of the
    local Redis (the test's keys deleted after it); skipped where no Redis answers."""
    redis = pytest.importorskip("redis")
    location = "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(location, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    backend = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": backend, "LOCATION": location, "KEY_PREFIX": "test-pages"},
        "page_versions": {"BACKEND": backend, "LOCATION": location, "KEY_PREFIX": "test-v"},
    }
    yield
    client = redis.Redis.from_url(location)
    for key in client.scan_iter(match="test-*"):
        client.delete(key)


@pytest.mark.usefixtures("pages_in_redis")
def test_in_redis_a_second_reader_costs_no_query_and_an_answer_shows_at_once(
    client, people, complaint, django_assert_num_queries
):
    client.get(detail_url(complaint))
    with django_assert_num_queries(0):
        kept = Client().get(detail_url(complaint), headers={"Accept-Encoding": "gzip"})
    assert RESPONSE not in gzip.decompress(kept.content).decode()

    answer(people, complaint)

    assert RESPONSE in Client().get(detail_url(complaint)).content.decode()


def test_a_kept_page_has_the_headers_and_viewer_cookie_of_a_rendered_one(client, complaint):
    rendered = client.get(detail_url(complaint))

    kept = Client().get(detail_url(complaint))

    for header in (
        "Content-Type",
        "Content-Language",
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "X-Sikesal-Viewer",
        "ETag",
        "Cache-Control",
    ):
        assert kept[header] == rendered[header], header
    assert kept["Content-Length"] == str(len(kept.content))
    assert kept.cookies["sikesal_viewer"].value == rendered.cookies["sikesal_viewer"].value


def test_a_host_outside_allowed_hosts_gets_400_not_the_kept_page(client, complaint):
    client.get(detail_url(complaint))

    response = Client().get(detail_url(complaint), headers={"Host": "evil.example"})

    assert response.status_code == 400
