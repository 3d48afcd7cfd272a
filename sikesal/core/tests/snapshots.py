"""Rows that many tests need, written once per test session and inserted again for each test
that asks for them (the `reference_data` and `people` fixtures).

Writing them through the loaders and services costs tenths of a second a test (CSV and
GeoJSON parsing, validation, one save per row); inserting the saved rows costs one
statement per table. Each test still starts from an empty database: the rows are taken
inside a transaction that is rolled back.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone


@dataclass
class Table:
    """The saved rows of one table: values ready for the database driver, except the
    date-times, which are shifted and prepared at each restore."""

    model: type[models.Model]
    insert: str
    rows: list[list[Any]]
    datetime_fields: dict[int, models.DateTimeField]  # by column position


@dataclass
class Snapshot:
    tables: list[Table]
    started: datetime
    finished: datetime

    def restore(self) -> None:
        """Insert the saved rows with their ids. A date-time written while the snapshot
        was taken ("now" then) becomes as much later as the restore is: rows look as if
        they had just been written, as they were before."""
        shift = timezone.now() - self.started
        with transaction.atomic(), connection.cursor() as cursor:
            # One transaction: a row may name a parent inserted after it (deferred checks).
            for table in self.tables:
                cursor.executemany(
                    table.insert, [self._row(table, row, shift) for row in table.rows]
                )
            if connection.vendor == "postgresql":
                # Ids were given, so the sequences must move past them.
                tables = [table.model for table in self.tables]
                for statement in connection.ops.sequence_reset_sql(no_style(), tables):
                    cursor.execute(statement)

    def _row(self, table: Table, row: list[Any], shift: timedelta) -> list[Any]:
        if not table.datetime_fields:
            return row
        row = list(row)
        for position, field in table.datetime_fields.items():
            value = row[position]
            if value is not None and self.started <= value <= self.finished:
                value += shift
            row[position] = field.get_db_prep_save(value, connection)
        return row


def take_snapshot(
    build: Callable[[], object], *, given: Callable[[], object] = lambda: None
) -> Snapshot:
    """Run `given`, then `build`, in a transaction that is rolled back; keep the rows
    `build` wrote. Every table `build` writes to must have been empty before it."""
    every_model = apps.get_models(include_auto_created=True)
    tables: list[Table] = []
    with transaction.atomic():
        given()
        before = {model: model._base_manager.count() for model in every_model}
        started = timezone.now()
        build()
        finished = timezone.now()
        for model in every_model:
            if model._base_manager.count() == before[model]:
                continue
            if before[model]:
                raise RuntimeError(f"{model._meta.label} had rows before the snapshot.")
            tables.append(_table(model))
        transaction.set_rollback(True)
    return Snapshot(tables=tables, started=started, finished=finished)


def _table(model: type[models.Model]) -> Table:
    fields = model._meta.concrete_fields
    quote = connection.ops.quote_name
    insert = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model)
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    datetime_fields = {
        position: field
        for position, field in enumerate(fields)
        if isinstance(field, models.DateTimeField)
    }
    rows = [
        [
            getattr(row, field.attname)
            if position in datetime_fields
            else field.get_db_prep_save(getattr(row, field.attname), connection)
            for position, field in enumerate(fields)
        ]
        for row in model._base_manager.order_by("pk")
    ]
    return Table(model=model, insert=insert, rows=rows, datetime_fields=datetime_fields)
