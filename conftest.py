"""Project-wide pytest fixtures."""

from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.test.utils import override_settings
from django.utils import timezone

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


@dataclass
class Table:
    """The rows the loaders wrote to one table, ready for the database driver."""

    model: type[models.Model]
    insert: str
    rows: list[list[Any]]
    clock_columns: list[models.DateTimeField]  # auto_now(_add): stamped at each restore
    clock_positions: list[int]


@pytest.fixture(scope="session")
def _reference_snapshot(django_db_setup, django_db_blocker) -> list[Table]:
    """The rows the loaders write on an empty database, read once per session.

    Parsing the CSV files and the kelurahan boundaries and saving row by row took about a
    fifth of a second per test; inserting the saved rows again takes a few milliseconds
    (one INSERT per table, the boundaries' JSON encoded once). The loaders run inside a
    transaction that is rolled back, so every test still starts from an empty database and
    only the tests that ask for `reference_data` get it.
    """
    every_model = apps.get_models(include_auto_created=True)
    tables: list[Table] = []
    with django_db_blocker.unblock(), transaction.atomic():
        before = {model: model._base_manager.count() for model in every_model}
        load_reference_data()
        for model in every_model:
            if model._base_manager.count() == before[model]:
                continue
            if before[model]:
                raise RuntimeError(f"{model._meta.label} had rows before the reference data.")
            tables.append(_table(model))
        transaction.set_rollback(True)
    return tables


def _table(model: type[models.Model]) -> Table:
    fields = model._meta.concrete_fields
    quote = connection.ops.quote_name
    insert = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the models)
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
        for row in model._base_manager.order_by("pk")
    ]
    clocks = [
        (position, field)
        for position, field in enumerate(fields)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    return Table(
        model=model,
        insert=insert,
        rows=rows,
        clock_columns=[field for _position, field in clocks],
        clock_positions=[position for position, _field in clocks],
    )


@pytest.fixture
def reference_data(db: None, _reference_snapshot: list[Table]) -> None:
    """Kota Jambi's regions (with boundaries), its 42 agencies and the complaint categories,
    as `load_regions`, `load_agencies` and `load_categories` leave an empty database
    (sikesal/agencies/tests/test_reference_fixture.py checks it). The tests of the loaders
    themselves run the commands (agencies/tests/test_loaders.py).
    """
    now = timezone.now()
    # One transaction: an agency may name a parent inserted after it (deferred checks).
    with transaction.atomic(), connection.cursor() as cursor:
        for table in _reference_snapshot:
            stamps = [field.get_db_prep_save(now, connection) for field in table.clock_columns]
            for row in table.rows:
                for position, stamp in zip(table.clock_positions, stamps, strict=True):
                    row[position] = stamp
            cursor.executemany(table.insert, table.rows)
        if connection.vendor == "postgresql":
            # The rows keep their ids; the sequences must move past them, as after the
            # loaders' own inserts.
            models_ = [table.model for table in _reference_snapshot]
            for statement in connection.ops.sequence_reset_sql(no_style(), models_):
                cursor.execute(statement)
    geo.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_region_index() -> Iterator[None]:
    """The point look-up caches geometry per process; rows of one test must not leak into
    the next, whose database has been rolled back."""
    yield
    geo.clear_cache()
