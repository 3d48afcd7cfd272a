"""Rollups: the counts behind the monitoring, the reports and the agency pages (issue #13).

Reading a million complaints per request does not scale, so the figures read `Tally`: how
many complaints (and agency cases) share one `TallyKey`, the attributes the figures count
by. A complaint contributes exactly one row with agency 0, and one per agency case
(`AGENCY_CASE_STATUSES`: at most one per agency, returned ones aside), so that a figure
narrowed to an agency reads that agency's rows alone. Moments are kept as calendar-day
offsets (submitted on, answered N days later): the working days are counted when reading,
by the calendar as it is then (`sikesal.core.calendar`), so a holiday added later changes
no stored row.

How the tally stays exact:

- A database trigger on complaints and assignments marks the complaint in
  `TallyPending`, whoever writes (the workflow, the admin, a bulk load): a filing costs one
  row insert, and no two filings touch the same row.
- `fold()` (the worker, every minute) takes the marked complaints' previous rows
  (`TallyEntry`) out of the tally and adds their present ones, with upserts, under the
  complaints' row locks so that a change in flight is folded next time, never half.
- A reader adds the marked complaints' present rows and takes their previous ones out, in
  the same statement (`tally_counts`), so figures are exact whether or not the worker ran.
- `rebuild()` recomputes everything with two set-based statements (`manage.py
  rebuild_rollups`).
"""

# Every statement here is built from this module's own table and column names; values are
# always parameters.
# ruff: noqa: S608

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from sikesal.complaints.models import AGENCY_CASE_STATUSES, Tally, TallyKey

KEY = TallyKey.KEY
TALLY = Tally._meta.db_table
ENTRY = "complaints_tallyentry"
PENDING = "complaints_tallypending"
FOLD_BATCH = 2000
# pg_try_advisory_xact_lock key: one fold at a time (two would lock tally rows in any order).
FOLD_LOCK = 0x51CE5A1


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def _zone() -> str:
    return "'" + settings.TIME_ZONE.replace("'", "''") + "'"


def _local_date(column: str) -> str:
    """The local (TIME_ZONE) date of a stored UTC timestamp, NULL for NULL."""
    if _postgresql():
        return f"({column} AT TIME ZONE {_zone()})::date"
    offset = _fixed_utc_offset()
    if offset is None:
        return f"django_datetime_cast_date({column}, {_zone()}, 'UTC')"
    # SQLite's own date(), not Django's Python function: called for every row, that one
    # holds SQLite's lock while it waits for Python's, and a live-server test whose
    # threads share one in-memory connection hung on it. Indonesia's zones (WIB, WITA,
    # WIT) keep one offset all year.
    return f"date({column}, '{offset:+d} seconds')"


def _fixed_utc_offset() -> int | None:
    """TIME_ZONE's offset from UTC in seconds when it is the same all year, else None."""
    zone = ZoneInfo(settings.TIME_ZONE)
    year = timezone.now().year
    offsets = {
        datetime(year, month, 1, tzinfo=zone).utcoffset().total_seconds() for month in (1, 7)
    }
    return int(offsets.pop()) if len(offsets) == 1 else None


def _days(start: str, end: str) -> str:
    """Calendar days from the date `start` to the date `end`, -1 when either is NULL."""
    if _postgresql():
        return f"COALESCE({end} - {start}, -1)"
    return f"COALESCE(CAST(julianday({end}) - julianday({start}) AS INTEGER), -1)"


def _typed(expression: str, sql_type: str) -> str:
    """`expression` as the tally's column type: PostgreSQL pushes a reader's filter into
    the branches of `_current_rows` only where every branch has the same column types
    (the foreign keys are bigint, the tally's columns integer)."""
    return f"CAST({expression} AS {sql_type})" if _postgresql() else expression


def _entries_sql(complaints: str) -> str:
    """SELECT complaint_id, *KEY: the rows of the complaints `c` meeting `complaints`."""
    day = _local_date("c.submitted_at")
    routed = _local_date("a.routed_at")
    shared = [
        _typed("c.category_id", "integer"),
        _typed("COALESCE(c.kecamatan_id, 0)", "integer"),
        _typed("COALESCE(c.kelurahan_id, 0)", "integer"),
        "c.channel",
        "c.report_type",
        "c.status",
        "c.decline_reason",
        _typed("COALESCE(c.rating, 0)", "smallint"),
        _days(day, _local_date("c.first_response_at")),
        _days(day, _local_date("c.responded_at")),
    ]
    own = ["c.id", day, "0", *shared, "-1", "-1", "-1", "-1"]
    case = [
        "c.id",
        day,
        _typed("a.agency_id", "integer"),
        *shared,
        _days(day, routed),
        _days(routed, _local_date("COALESCE(a.first_followup_at, a.responded_at)")),
        _days(routed, _local_date("a.responded_at")),
        _days(routed, "a.followup_due"),
    ]
    named = ", ".join(
        f"{value} AS {name}" for value, name in zip(own, ("complaint_id", *KEY), strict=True)
    )
    statuses = ", ".join(f"'{status}'" for status in AGENCY_CASE_STATUSES)
    return (
        f"SELECT {named} FROM complaints_complaint c WHERE {complaints} "
        f"UNION ALL "
        f"SELECT {', '.join(case)} "
        f"FROM complaints_assignment a JOIN complaints_complaint c ON c.id = a.complaint_id "
        f"WHERE a.status IN ({statuses}) AND {complaints}"
    )


def _key_list(prefix: str = "") -> str:
    return ", ".join(prefix + column for column in KEY)


def _add_to_tally(cursor, entries: str, sign: int, params: Sequence = ()) -> None:
    """tally.n += sign * (rows of `entries` per key): one upsert."""
    key = _key_list()
    cursor.execute(
        f"INSERT INTO {TALLY} ({key}, n) "
        f"SELECT {key}, {sign} * COUNT(*) FROM {ENTRY} WHERE {entries} GROUP BY {key} "
        f"ON CONFLICT ({key}) DO UPDATE SET n = {TALLY}.n + excluded.n",
        params,
    )


def rebuild() -> int:
    """Recompute the tally from every complaint; returns its number of rows."""
    key = _key_list()
    with transaction.atomic(), connection.cursor() as cursor:
        if _postgresql():
            cursor.execute(f"TRUNCATE {TALLY}, {ENTRY}, {PENDING}")
        else:
            for table in (TALLY, ENTRY, PENDING):
                cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"INSERT INTO {ENTRY} (complaint_id, {key}) {_entries_sql('1 = 1')}")
        cursor.execute(
            f"INSERT INTO {TALLY} ({key}, n) SELECT {key}, COUNT(*) FROM {ENTRY} GROUP BY {key}"
        )
        cursor.execute(f"SELECT COUNT(*) FROM {TALLY}")
        return cursor.fetchone()[0]


def fold(*, batch: int = FOLD_BATCH) -> int:
    """Fold up to `batch` marked complaints into the tally; returns how many. Another fold
    running (PostgreSQL) makes this one fold nothing."""
    with transaction.atomic(), connection.cursor() as cursor:
        if _postgresql():
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [FOLD_LOCK])
            if not cursor.fetchone()[0]:
                return 0
        cursor.execute(
            f"SELECT complaint_id FROM {PENDING} ORDER BY complaint_id LIMIT %s", [batch]
        )
        ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return 0
        marks = ", ".join(["%s"] * len(ids))
        within = f"complaint_id IN ({marks})"
        if _postgresql():
            # Wait for the transactions changing these complaints: what they commit is read
            # below, or marked again for the next fold.
            cursor.execute(
                f"SELECT id FROM complaints_complaint WHERE id IN ({marks}) ORDER BY id FOR UPDATE",
                ids,
            )
        cursor.execute(f"DELETE FROM {PENDING} WHERE {within}", ids)
        _add_to_tally(cursor, within, -1, ids)
        cursor.execute(f"DELETE FROM {ENTRY} WHERE {within}", ids)
        cursor.execute(
            f"INSERT INTO {ENTRY} (complaint_id, {_key_list()}) "
            f"{_entries_sql(f'c.id IN ({marks})')}",
            ids * 2,
        )
        _add_to_tally(cursor, within, 1, ids)
        cursor.execute(f"DELETE FROM {TALLY} WHERE n = 0")
        return len(ids)


def fold_all() -> int:
    """Fold until nothing is marked; returns how many complaints were folded."""
    total = 0
    while folded := fold():
        total += folded
    return total


# --- Reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupCount:
    """One grouped count: what it is grouped by (text, as the database casts it), how many."""

    by: tuple[str, ...]
    n: int


def _current_rows() -> str:
    """The tally as if every marked complaint were folded now."""
    key = _key_list()
    if _postgresql():
        # An array, not a semi-join: the plan then reads the few marked complaints through
        # their indexes instead of hashing every entry.
        marked = f"= ANY(ARRAY(SELECT complaint_id FROM {PENDING}))"
    else:
        marked = f"IN (SELECT complaint_id FROM {PENDING})"
    return (
        f"SELECT {key}, n FROM {TALLY} "
        f"UNION ALL SELECT {key}, -1 FROM {ENTRY} WHERE complaint_id {marked} "
        f"UNION ALL SELECT {key}, 1 FROM ({_entries_sql(f'c.id {marked}')}) AS live"
    )


def tally_counts(
    where: str, params: Sequence, groups: dict[str, tuple[Sequence[str], str]]
) -> dict[str, list[GroupCount]]:
    """For each group name: (expressions to group by, extra condition) → the counts of the
    current rows meeting `where` (with `params`) and the condition. One query.

    `where` and the expressions are SQL over the `TallyKey` columns, written by this
    module's callers, never from input (values go in `params`)."""
    width = max(len(columns) for columns, _condition in groups.values())
    branches, all_params = [], []
    source = _current_rows()
    for name, (columns, condition) in groups.items():
        texts = [f"CAST({column} AS TEXT)" for column in columns]
        padded = texts + ["NULL"] * (width - len(texts))
        grouping = f" GROUP BY {', '.join(columns)}" if columns else ""
        branches.append(
            f"SELECT '{name}', {', '.join(padded)}, SUM(n) FROM ({source}) AS t "
            f"WHERE {where} AND {condition}{grouping}"
        )
        all_params.extend(params)
    counts: dict[str, list[GroupCount]] = {name: [] for name in groups}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), all_params)
        for name, *by, n in cursor.fetchall():
            if n:
                counts[name].append(GroupCount(tuple(by[: len(groups[name][0])]), int(n)))
    return counts


def weighted_median(values: Iterable[tuple[int, int]]) -> float | None:
    """`statistics.median` of a list given as (value, how many times) pairs."""
    ordered = sorted((value, times) for value, times in values if times)
    total = sum(times for _, times in ordered)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # the middle one, or the middle two
    found, seen = [], 0
    for value, times in ordered:
        while wanted and wanted[0] < seen + times:
            found.append(value)
            wanted.pop(0)
        seen += times
    return (found[0] + found[1]) / 2
