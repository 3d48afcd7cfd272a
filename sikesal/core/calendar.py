"""The working-day calendar that deadline clocks run on.

A working day is Monday to Friday, unless an active `Holiday` row falls on it. Cuti
bersama rows count as days off only while `settings.SIKESAL_CUTI_BERSAMA_IS_DAY_OFF` is
on (the default), read at every call so that an administrator's change applies at once.

Every function here takes calendar dates in Asia/Jakarta (`settings.TIME_ZONE`): turn a
stored timestamp into one with `local_date` first, because the UTC date of a complaint
filed before 07:00 WIB is the previous day. Each call reads the holidays it needs with
one query per window of dates, never one query per day.
"""

from collections.abc import Collection, Iterable, Iterator
from datetime import date, datetime, timedelta

import numpy as np
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from sikesal.core.models import Holiday

ONE_DAY = timedelta(days=1)
SATURDAY = 5

# Calendar days fetched per query: a stretch of n working days spans about 7/5 n calendar
# days, plus the longest holiday cluster of the year (Idul Fitri with its cuti bersama
# takes about a working week).
_WINDOW_SLACK_DAYS = 21
_MIN_WINDOW_DAYS = 31


def local_date(dt: datetime) -> date:
    """The calendar date of the aware datetime `dt` in `settings.TIME_ZONE` (Asia/Jakarta).

    Uses the project's time zone, not the one activated for the current request, so that a
    deadline does not depend on who looks at it. Raises ValueError for a naive datetime.
    """
    if timezone.is_naive(dt):
        raise ValueError("local_date() needs an aware datetime; SIKESAL stores UTC timestamps.")
    return timezone.localtime(dt, timezone.get_default_timezone()).date()


def is_working_day(d: date) -> bool:
    """Whether public services are open on `d`: a weekday that is no active day off.

    Weekends answer without touching the database; a weekday costs one query.
    """
    _require_date(d)
    if d.weekday() >= SATURDAY:
        return False
    return not _days_off_queryset(d, d).exists()


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start`, for n >= 0.

    `start` itself never counts for n >= 1: one working day after Friday is the next
    Monday (when that is no holiday). With n = 0 the answer is `start` when it is a
    working day, otherwise the first working day after it; that is the day an item
    received on a weekend or holiday starts to be handled.

    Raises ValueError for a negative n. Costs one query for ordinary spans; an unusually
    long run of days off costs a further query per window of dates (each twice as long).
    """
    _require_date(start)
    if n < 0:
        raise ValueError(f"add_working_days() counts forward only; got n={n}.")
    first = start if n == 0 else start + ONE_DAY
    window = max(_MIN_WINDOW_DAYS, n * 7 // 5 + _WINDOW_SLACK_DAYS)
    days = _working_days_from(first, window_days=window)
    # n = 0 takes the first working day from `start` on; n >= 1 the n-th one after it.
    for _ in range(max(n, 1) - 1):
        next(days)
    return next(days)


def working_days_between(a: date, b: date) -> int:
    """How many working days lie after `a`, up to and including `b`.

    Zero when a == b, and zero when only days off lie in between (Friday to the next
    Sunday). When b < a the answer is the same count with a minus sign:
    working_days_between(a, b) == -working_days_between(b, a). It is the inverse of
    add_working_days: working_days_between(a, add_working_days(a, n)) == n for n >= 1.

    Costs one query however long the span. To count many spans, call
    `working_days_between_many`: the same count, with one query for all of them.
    """
    _require_date(a)
    _require_date(b)
    if a == b:
        return 0  # whatever the calendar says: no query
    return working_days_between_many([(a, b)])[0]


def working_days_between_many(
    spans: Iterable[tuple[date, date]], *, holidays: Collection[date] | None = None
) -> list[int]:
    """`working_days_between(a, b)` for every (a, b) of `spans`, in order.

    The one working-day count of SIKESAL (lists, reports and single dates all use it): one
    query reads the days off of the whole stretch, then every span is counted at once. A
    caller that already holds the days off of (at least) the whole stretch passes them as
    `holidays`, and no query is made.
    """
    spans = list(spans)
    if {type(day) for span in spans for day in span} - {date}:
        for a, b in spans:
            _require_date(a)
            _require_date(b)
    if not spans:
        return []
    if holidays is None:
        holidays = days_off(min(min(span) for span in spans), max(max(span) for span in spans))
    closed = np.array(
        sorted(day.toordinal() for day in holidays if day.weekday() < SATURDAY), dtype=np.int64
    )
    starts = np.fromiter((a.toordinal() for a, _ in spans), dtype=np.int64, count=len(spans))
    ends = np.fromiter((b.toordinal() for _, b in spans), dtype=np.int64, count=len(spans))
    low, high = np.minimum(starts, ends), np.maximum(starts, ends)
    # The span (low, high]: its weekdays, less the days off that fall on them.
    counts = _weekdays_up_to(high) - _weekdays_up_to(low)
    counts -= np.searchsorted(closed, high, side="right") - np.searchsorted(
        closed, low, side="right"
    )
    return np.where(ends < starts, -counts, counts).tolist()


def _weekdays_up_to(ordinals: np.ndarray) -> np.ndarray:
    """Monday-to-Friday days from Monday 1 January of year 1 (ordinal 1) up to each
    ordinal: five per full week, plus the days of the last week up to its Friday."""
    full_weeks, rest = np.divmod(ordinals, 7)
    return full_weeks * 5 + np.minimum(rest, 5)


def _working_days_from(first: date, *, window_days: int) -> Iterator[date]:
    """Yield the working days from `first` on, reading days off one window at a time.

    Each further window is twice as long as the one before, so even an administrator's
    months-long closure costs a handful of queries.
    """
    window_start = first
    while True:
        window_end = window_start + timedelta(days=window_days - 1)
        closed = days_off(window_start, window_end)
        day = window_start
        while day <= window_end:
            if day.weekday() < SATURDAY and day not in closed:
                yield day
            day += ONE_DAY
        window_start = window_end + ONE_DAY
        window_days *= 2


def _days_off_queryset(first: date, last: date) -> QuerySet[Holiday]:
    holidays = Holiday.objects.filter(is_active=True, date__range=(first, last))
    if not getattr(settings, "SIKESAL_CUTI_BERSAMA_IS_DAY_OFF", True):
        holidays = holidays.exclude(kind=Holiday.Kind.CUTI_BERSAMA)
    return holidays


def days_off(first: date, last: date) -> set[date]:
    """The active holiday dates from `first` to `last` inclusive (one query)."""
    return set(_days_off_queryset(first, last).values_list("date", flat=True))


def _require_date(value: date) -> None:
    # A datetime is a date subclass and would slip through as its UTC calendar day.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(
            f"Expected a date (use local_date() for a timestamp), got {type(value).__name__}."
        )
