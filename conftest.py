"""Project-wide pytest fixtures."""

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.test.utils import override_settings

from config import settings as project_settings
from sikesal.agencies import geo

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


Snapshot = list[tuple[type[models.Model], list[dict[str, Any]]]]


@pytest.fixture(scope="session")
def _reference_snapshot(django_db_setup, django_db_blocker) -> Snapshot:
    """The rows the loaders write on an empty database, read once per session.

    Parsing the CSV files and the kelurahan boundaries and saving row by row took about a
    fifth of a second per test; copying the rows back takes a few inserts. The loaders run
    inside a transaction that is rolled back, so every test still starts from an empty
    database and only the tests that ask for `reference_data` get it.
    """
    every_model = apps.get_models(include_auto_created=True)
    snapshot: Snapshot = []
    with django_db_blocker.unblock(), transaction.atomic():
        before = {model: model._base_manager.count() for model in every_model}
        load_reference_data()
        for model in every_model:
            if model._base_manager.count() == before[model]:
                continue
            if before[model]:
                raise RuntimeError(f"{model._meta.label} had rows before the reference data.")
            rows = list(model._base_manager.order_by("pk").values(*_columns(model)))
            snapshot.append((model, rows))
        transaction.set_rollback(True)
    return snapshot


def _columns(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


@pytest.fixture
def reference_data(db: None, _reference_snapshot: Snapshot) -> None:
    """Kota Jambi's regions (with boundaries), its 42 agencies and the complaint categories,
    as `load_regions`, `load_agencies` and `load_categories` leave an empty database.

    The tests of the loaders themselves (agencies/tests/test_loaders.py) run the commands.
    """
    for model, rows in _reference_snapshot:
        model._base_manager.bulk_create([model(**row) for row in rows])
    if connection.vendor == "postgresql":
        # The rows keep their ids; the sequences must move past them as the loaders' did.
        statements = connection.ops.sequence_reset_sql(
            no_style(), [model for model, _ in _reference_snapshot]
        )
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    geo.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_region_index() -> Iterator[None]:
    """The point look-up caches geometry per process; rows of one test must not leak into
    the next, whose database has been rolled back."""
    yield
    geo.clear_cache()
