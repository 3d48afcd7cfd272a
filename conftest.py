"""Project-wide pytest fixtures."""

import os
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connections
from django.test.utils import override_settings

from config import settings as project_settings
from sikesal.agencies import geo
from sikesal.core import sms
from sikesal.core.tests import browser as browser_support
from sikesal.core.tests.snapshots import Snapshot, take_snapshot

REFERENCE_COMMANDS = ("load_regions", "load_agencies", "load_categories")

# Argon2 is slow on purpose; tests hash with a fast hasher, and the tests that check the
# project's hashing ask for `production_password_hashers`.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


@pytest.fixture
def production_password_hashers(settings) -> None:
    """The password hashers of config/settings.py (Argon2 first), not the tests' fast one."""
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


def load_reference_data() -> None:
    """What `reference_data` stands for: the three loader commands, run in this order."""
    for command in REFERENCE_COMMANDS:
        call_command(command, stdout=StringIO())


@pytest.fixture(scope="session")
def _reference_snapshot(django_db_setup, django_db_blocker) -> Snapshot:
    """What the loaders write on an empty database, taken once per session (parsing the
    files and the kelurahan boundaries took about a fifth of a second a test)."""
    with django_db_blocker.unblock():
        return take_snapshot(load_reference_data)


@pytest.fixture
def reference_data(db: None, _reference_snapshot: Snapshot) -> None:
    """Kota Jambi's regions (with boundaries), its 42 agencies and the complaint categories,
    as `load_regions`, `load_agencies` and `load_categories` leave an empty database
    (sikesal/agencies/tests/test_reference_fixture.py checks it). The tests of the loaders
    themselves run the commands (agencies/tests/test_loaders.py).
    """
    _reference_snapshot.restore()
    geo.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_region_index() -> Iterator[None]:
    """The point look-up caches geometry per process; rows of one test must not leak into
    the next, whose database has been rolled back."""
    yield
    geo.clear_cache()


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Rate-limit counts (sikesal/accounts/ratelimit.py) live in the cache, which outlives
    a test's database; one test's requests must not count against the next."""
    yield
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _page_versions_of_this_run(tmp_path_factory) -> Iterator[None]:
    """Without Redis the page versions are files (config/settings.py): each test run gets a
    folder of its own, or two runs at once would empty each other's between two requests."""
    versions = project_settings.CACHES["page_versions"]
    if versions["BACKEND"] != "django.core.cache.backends.filebased.FileBasedCache":
        yield
        return
    folder = tmp_path_factory.mktemp("page-versions")
    with override_settings(
        CACHES={**project_settings.CACHES, "page_versions": {**versions, "LOCATION": str(folder)}}
    ):
        yield


@pytest.fixture(autouse=True)
def _empty_page_cache() -> Iterator[None]:
    """Kept public pages and their versions outlive a test's database too
    (sikesal/core/page_cache.py)."""
    yield
    caches["pages"].clear()
    caches["page_versions"].clear()


@pytest.fixture
def page_cache_off(settings) -> None:
    """Every public page rendered by its view, as with SIKESAL_PAGE_CACHE_SECONDS=0."""
    settings.SIKESAL_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def sms_outbox(settings) -> Iterator[list[sms.SmsMessage]]:
    """SMS go to `sikesal.core.sms.outbox` (the locmem backend), emptied around the test."""
    settings.SMS_BACKEND = "sikesal.core.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def browser(live_server) -> Iterator:
    """A headless Debian chromium (modules using it are marked `needs_chromium`)."""
    # live_server runs Django in a thread beside Playwright's event loop.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with browser_support.playwright.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=browser_support.CHROMIUM, args=browser_support.CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
        # The test's queries ran beside Playwright's greenlet on a connection of their own:
        # close it, or PostgreSQL refuses to drop the test database at the end of the run.
        connections.close_all()
