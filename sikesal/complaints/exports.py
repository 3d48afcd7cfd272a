"""Exports of the staff console: the filtered queue as CSV (/staf/antrean.csv), streamed.

A queue can hold every complaint of the city (status "Semua status"), so the file is
written batch by batch as the client reads it, never held whole in memory. It never holds
a reporter's identity (shown only on request, and logged), and every cell is guarded
against spreadsheet formulas.
"""

from collections.abc import Iterable, Iterator
from datetime import date
from typing import TypeVar

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from sikesal.complaints.queue import QueueRow, queue_rows
from sikesal.core import calendar
from sikesal.core.spreadsheets import csv_lines

BATCH_SIZE = 500
T = TypeVar("T")

QUEUE_COLUMNS = (
    _("Nomor pelacakan"),
    _("Diajukan"),
    _("Judul"),
    _("Kategori"),
    _("Kecamatan"),
    _("Kelurahan"),
    _("Status"),
    _("OPD"),
    _("Register"),
    _("Batas waktu"),
    _("Lewat (hari kerja)"),
)


def batches(queryset: QuerySet[T], size: int | None = None) -> Iterator[list[T]]:
    """The queryset's rows, `size` at a time: one query (and one per prefetch) per batch."""
    size = size or BATCH_SIZE
    batch: list[T] = []
    for item in queryset.iterator(chunk_size=size):
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def queue_export_rows(items: QuerySet, today: date, *, on_complaints: bool) -> Iterator[QueueRow]:
    """The rows of `selectors.staff_queue`'s `items`, read `BATCH_SIZE` at a time.

    A complaint and its prefetched `handling` assignments refer to each other (Django sets
    each assignment's `complaint`): a reference cycle, which only Python's cyclic collector
    frees, and in a long-lived worker that runs seldom, so a million-row export kept tens of
    megabytes of finished batches. Each batch's cycles are cut once its rows are written,
    and the batch is let go before the next is read: memory stays that of one batch."""
    for batch in batches(items):
        yield from queue_rows(batch, today, on_complaints=on_complaints)
        if on_complaints:
            for complaint in batch:
                complaint.handling = []
        batch.clear()


def queue_cells(row: QueueRow, *, on_complaints: bool) -> list:
    """One queue row as the CSV's cells, in `QUEUE_COLUMNS` order."""
    complaint = row.complaint
    if on_complaints:
        agencies = ", ".join(agency.short_name or agency.name for agency in row.agencies)
        register, status = "", complaint.get_status_display()
    else:
        agency = row.assignment.agency
        agencies = agency.short_name or agency.name
        register = row.assignment.register_number
        status = row.assignment.get_status_display()
    clock = row.clock
    return [
        complaint.tracking_number,
        calendar.local_date(complaint.submitted_at).isoformat(),
        complaint.title,
        complaint.category.name,
        complaint.kecamatan.name if complaint.kecamatan else "",
        complaint.kelurahan.name if complaint.kelurahan else "",
        status,
        agencies,
        register,
        clock.due.isoformat() if clock else "",
        clock.overdue_days if clock and clock.overdue else "",
    ]


def _queue_lines(rows: Iterable[QueueRow], *, on_complaints: bool) -> Iterator[str]:
    cells = (queue_cells(row, on_complaints=on_complaints) for row in rows)
    return csv_lines(QUEUE_COLUMNS, cells, every=BATCH_SIZE)


def queue_csv(rows: Iterable[QueueRow], *, on_complaints: bool) -> StreamingHttpResponse:
    """The queue's rows as a CSV download, written while the client reads it.

    `rows` is read lazily, after the view has returned: the page's language is kept for
    the labels and statuses written then.
    """
    language = translation.get_language()

    def lines() -> Iterator[str]:
        with translation.override(language):
            yield from _queue_lines(rows, on_complaints=on_complaints)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="sikesal-antrean-{stamp}.csv"'
    add_never_cache_headers(response)
    return response
