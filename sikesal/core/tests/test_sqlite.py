"""SQLite, the embedded default, under many writers: WAL, BEGIN IMMEDIATE and a busy timeout
from the settings, and retry_on_lock (sikesal/core/db.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError, connection, transaction

from sikesal.accounts.tests.factories import PASSWORD, UserFactory
from sikesal.core import db
from sikesal.core.db import DatabaseBusy, retry_on_lock
from sikesal.core.models import PeriodicTaskRun

# The settings test opens its own SQLite file, whatever database the suite runs on.
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="only SQLite reports a locked database"
)

# Opens the configured SQLite file; prints its pragmas, then whether another connection
# can write while a transaction that has not yet run a statement is open.
PROBE = """
import json, sqlite3, django
django.setup()
from django.conf import settings
from django.db import connection, transaction
with connection.cursor() as cursor:
    pragmas = {
        name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "busy_timeout")
    }
other = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=0)
with transaction.atomic():
    try:
        other.execute("CREATE TABLE probe (id integer)")
        blocked = None
    except sqlite3.OperationalError as error:
        blocked = str(error)
print(json.dumps({**pragmas, "blocked": blocked}))
"""


@pytest.fixture
def no_pause(monkeypatch) -> None:
    monkeypatch.setattr(db, "PAUSE_SECONDS", (0, 0))


def flaky(times: int, error: str = "database is locked"):
    """A unit of work that raises OperationalError(error) on its first `times` calls."""
    calls = []

    def unit(value):
        calls.append(value)
        if len(calls) <= times:
            raise OperationalError(error)
        return value * 2

    return unit, calls


def test_the_settings_open_sqlite_in_wal_mode_with_immediate_transactions(tmp_path):
    # Given the embedded settings, a file database and a busy timeout of 2.5 seconds
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "SIKESAL_SITE_URL"}
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "SIKESAL_VAR_DIR": str(tmp_path),
        "SIKESAL_SQLITE_BUSY_TIMEOUT": "2.5",
    }

    # When a connection opens and a transaction starts
    probe = subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-c", PROBE],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    # Then readers do not wait for the writer (WAL), the write lock is taken at BEGIN, and
    # a writer waits 2.5 s for the lock
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout) == {
        "journal_mode": "wal",
        "synchronous": 1,  # NORMAL
        "busy_timeout": 2500,
        "blocked": "database is locked",
    }
    assert (tmp_path / "sikesal.sqlite3").exists()


@sqlite_only
@pytest.mark.usefixtures("no_pause")
def test_a_unit_that_found_the_database_locked_runs_again():
    unit, calls = flaky(db.ATTEMPTS - 1)

    assert retry_on_lock(unit)(21) == 42
    assert calls == [21] * db.ATTEMPTS


@sqlite_only
@pytest.mark.usefixtures("no_pause")
def test_a_unit_locked_on_every_attempt_gives_up_with_database_busy():
    unit, calls = flaky(db.ATTEMPTS)

    with pytest.raises(DatabaseBusy, match="database is locked") as busy:
        retry_on_lock(unit)(21)

    assert busy.value.partly_saved is False
    assert len(calls) == db.ATTEMPTS


@sqlite_only
@pytest.mark.usefixtures("no_pause")
@pytest.mark.parametrize("message", ["no such table: x", "disk I/O error"])
def test_other_database_errors_are_not_retried(message):
    unit, calls = flaky(1, message)

    with pytest.raises(OperationalError, match=message):
        retry_on_lock(unit)(21)

    assert calls == [21]


@sqlite_only
@pytest.mark.usefixtures("no_pause")
@pytest.mark.django_db(transaction=True)
def test_a_unit_that_committed_part_of_its_work_is_not_run_again():
    calls = []

    @retry_on_lock
    def unit():
        calls.append(1)
        PeriodicTaskRun.objects.create(
            name="first half", task_path="x"
        )  # autocommit: saved for good
        raise OperationalError("database is locked")

    with pytest.raises(DatabaseBusy) as busy:
        unit()

    assert busy.value.partly_saved is True
    assert calls == [1]
    assert list(PeriodicTaskRun.objects.values_list("name", flat=True)) == ["first half"]


@sqlite_only
@pytest.mark.usefixtures("no_pause")
@pytest.mark.django_db(transaction=True)
def test_writes_rolled_back_with_the_failed_transaction_do_not_stop_the_retry():
    calls = []

    @retry_on_lock
    def unit():
        calls.append(1)
        with transaction.atomic():
            PeriodicTaskRun.objects.create(name=f"attempt {len(calls)}", task_path="x")
            if len(calls) == 1:
                raise OperationalError("database is locked")

    unit()

    assert calls == [1, 1]
    assert list(PeriodicTaskRun.objects.values_list("name", flat=True)) == ["attempt 2"]


@sqlite_only
@pytest.mark.django_db
def test_a_session_the_database_refused_to_save_after_the_view_gets_the_busy_page(
    client, monkeypatch
):
    # Given a database that is locked when the session is saved after the login view ran
    UserFactory(username="budi")
    save = SessionStore.save

    def locked_save(self, must_create=False):
        if not must_create:
            raise OperationalError("database is locked")
        return save(self, must_create)

    monkeypatch.setattr(SessionStore, "save", locked_save)
    client.raise_request_exception = False

    # When Budi logs in
    response = client.post("/masuk/", {"username": "budi", "password": PASSWORD})

    # Then the busy page says part of it may be saved, and offers no form to send again
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "sebagian permintaan Anda mungkin sudah tersimpan" in page
    assert "<form" not in page
