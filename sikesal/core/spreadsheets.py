"""Text bound for a spreadsheet (CSV exports): never a formula, written piece by piece."""

import csv
import io
from collections.abc import Iterable, Iterator

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """Text a spreadsheet shows as text: a leading =, +, -, @, tab or CR would make it a
    formula (OWASP "CSV injection"), so such a value gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_lines(header: Iterable, rows: Iterable[Iterable], *, every: int = 500) -> Iterator[str]:
    """A CSV file as text pieces for a streamed response: a byte-order mark (so that
    spreadsheets read UTF-8), the header, then the rows, `every` rows a piece; every cell
    `spreadsheet_safe`. Rows are read as the client reads the file, never held whole."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff"
    writer.writerow(spreadsheet_safe(str(column)) for column in header)
    for number, row in enumerate(rows, start=1):
        writer.writerow(spreadsheet_safe(value) for value in row)
        if number % every == 0:
            yield flush()
    yield flush()
