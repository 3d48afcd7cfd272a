"""What the report commands (recap, semester_report) share: the file they write, checked
before any work is done, and the errors of rendering and writing it as CommandError."""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import CommandError

from sikesal.reports.pdf import PdfUnavailable


def output_path(output: str) -> Path:
    path = Path(output)
    if not path.parent.is_dir():
        raise CommandError(
            f"Cannot write {path}: the folder {path.parent} does not exist (or is not a folder)."
        )
    if path.is_dir():
        raise CommandError(f"Cannot write {path}: it is a folder; give a file name.")
    return path


def write_output(path: Path, render: Callable[[], bytes]) -> bytes:
    """Render, then write the result to `path`; returns what was written."""
    try:
        content = render()
    except PdfUnavailable as error:
        raise CommandError(str(error)) from None
    try:
        path.write_bytes(content)
    except OSError as error:
        raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
    return content
