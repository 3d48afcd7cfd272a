"""Keyset paging for the long lists (the staff queue, the public complaints): a page starts
after (or ends before) the last row the reader saw, so the database reads one page off the
index whatever the page, never counting or skipping through the rows before it.

A page link carries a cursor, the (time, id) of a row: `setelah` (the rows after it),
`sebelum` (the rows before it), or `ujung=akhir` (the last page). There are no page numbers;
how many rows match is counted up to `COUNT_LIMIT` only ("more than 1,000"). A cursor that
does not parse is ignored: the list starts at its first page, as with a page number out of
range before.
"""

import binascii
from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.dateparse import parse_datetime

AFTER = "setelah"
BEFORE = "sebelum"
END = "ujung"
LAST = "akhir"
# GET parameters of the pager, which filter forms and links leave out of the filters.
PARAMETERS = (AFTER, BEFORE, END)
# Counting stops here: the page says "more than" beyond it.
COUNT_LIMIT = 1000


@dataclass
class KeysetPage:
    """One page of rows, and where the links around it lead."""

    object_list: list
    count: int  # matching rows, at most COUNT_LIMIT (see `count_is_limit`)
    count_is_limit: bool  # more than COUNT_LIMIT rows match
    has_previous: bool
    has_next: bool
    previous_cursor: str | None
    next_cursor: str | None
    is_last: bool

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next


def encode_cursor(when: datetime, pk: int) -> str:
    return urlsafe_b64encode(f"{when.isoformat()}|{pk}".encode()).decode().rstrip("=")


def decode_cursor(text: str | None) -> tuple[datetime, int] | None:
    """The (time, id) a cursor carries, or None when it is absent or not one of ours."""
    if not text or len(text) > 100:
        return None
    try:
        raw = urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
        when_text, pk_text = raw.split("|")
        when = parse_datetime(when_text)
    except (ValueError, UnicodeError, binascii.Error):
        return None
    if when is None or when.tzinfo is None or not pk_text.isdigit() or len(pk_text) > 18:
        return None
    return when, int(pk_text)


def keyset_page(queryset: QuerySet, params: QueryDict, *, size: int) -> KeysetPage:
    """The page of `queryset` that `params` ask for. `queryset` is ordered by a time field
    and then its id, both ascending or both descending (as its selector orders it: the
    selector stays the one home of the order), and may carry any select/prefetch."""
    field, descending = _order_of(queryset)
    forward = ("-" if descending else "") + field, ("-pk" if descending else "pk")
    backward = tuple(name[1:] if name.startswith("-") else "-" + name for name in forward)
    after = decode_cursor(params.get(AFTER))
    before = None if after else decode_cursor(params.get(BEFORE))
    to_end = not after and not before and params.get(END) == LAST

    if before or to_end:
        rows = queryset.order_by(*backward)
        if before:
            rows = rows.filter(_beyond(field, before, later=descending))
        rows = list(rows[: size + 1])
        has_previous = len(rows) > size
        rows = rows[:size][::-1]
        has_next = bool(before)
    else:
        rows = queryset.order_by(*forward)
        if after:
            rows = rows.filter(_beyond(field, after, later=not descending))
        rows = list(rows[: size + 1])
        has_next = len(rows) > size
        rows = rows[:size]
        has_previous = bool(after)
    # Counting a sliced query stops at the slice's end.
    count = queryset.order_by()[: COUNT_LIMIT + 1].count()
    return KeysetPage(
        object_list=rows,
        count=min(count, COUNT_LIMIT),
        count_is_limit=count > COUNT_LIMIT,
        has_previous=has_previous,
        has_next=has_next,
        previous_cursor=_cursor(rows[0], field) if rows and has_previous else None,
        next_cursor=_cursor(rows[-1], field) if rows and has_next else None,
        is_last=not has_next,
    )


def _order_of(queryset: QuerySet) -> tuple[str, bool]:
    """(field, descending) of a queryset ordered by (field, id), e.g. ("-submitted_at", "-pk")."""
    ordering = [str(name) for name in queryset.query.order_by]
    if len(ordering) == 2:
        first, second = ordering
        descending = first.startswith("-")
        field = first.removeprefix("-")
        if second in (("-pk", "-id") if descending else ("pk", "id")) and field:
            return field, descending
    raise ValueError(f"Keyset paging needs an order by (field, id), not {ordering}")


def _beyond(field: str, cursor: tuple[datetime, int], *, later: bool) -> Q:
    """Rows strictly after (`later`) or before the cursor in (`field`, id) order. The range
    on `field` alone comes first so that the index scan starts at the cursor."""
    when, pk = cursor
    op = "gt" if later else "lt"
    return Q(**{f"{field}__{op}e": when}) & (
        Q(**{f"{field}__{op}": when}) | Q(**{field: when, f"pk__{op}": pk})
    )


def _cursor(row: Any, field: str) -> str:
    value = row
    for part in field.split("__"):
        value = getattr(value, part)
    return encode_cursor(value, row.pk)
