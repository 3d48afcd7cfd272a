"""The `reference_data` fixture (conftest.py) restores a copy of what the loaders wrote once
per session (sikesal/core/tests/snapshots.py); the copy must be exactly what the loaders
write, or every test that uses it would test something else."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, models

from sikesal.agencies.loaders import CATEGORIES
from sikesal.agencies.models import Agency, Category, Region, RegionBoundary

pytestmark = pytest.mark.django_db

REFERENCE_MODELS = (
    Category,
    Agency,
    RegionBoundary,
    Region,
)  # children first: the order of deletion


def rows(model: type[models.Model]) -> list[dict]:
    """Every row of `model` by its code, foreign keys as the related row's code, without
    the ids and timestamps the database and the clock choose."""
    columns = []
    for field in model._meta.concrete_fields:
        if field.name in ("created_at", "updated_at"):
            continue
        if field.is_relation:
            columns.append(f"{field.name}__code")
        elif not field.primary_key:
            columns.append(field.name)
    # A region's outline is keyed by its region.
    key = "region__code" if model is RegionBoundary else "code"
    return list(model.objects.order_by(key).values(*columns))


def test_the_fixture_holds_exactly_what_the_loaders_write(reference_data):
    restored = {model: rows(model) for model in REFERENCE_MODELS}
    with connection.cursor() as cursor:
        for model in REFERENCE_MODELS:
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 (a table name)
    assert sum(model.objects.count() for model in REFERENCE_MODELS) == 0

    for command in ("load_regions", "load_agencies", "load_categories"):
        call_command(command, stdout=StringIO())

    assert {model: rows(model) for model in REFERENCE_MODELS} == restored
    assert [len(restored[model]) for model in REFERENCE_MODELS] == [
        len(CATEGORIES),
        42,
        80,
        80,
    ]


def test_a_test_without_the_fixture_starts_without_reference_data():
    assert sum(model.objects.count() for model in REFERENCE_MODELS) == 0
