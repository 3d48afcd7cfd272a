"""Dates as official Indonesian documents write them, whatever the reader's language."""

from datetime import date

from django.utils import formats, translation


def indonesian_date(value: date) -> str:
    """28 November 2026."""
    with translation.override("id"):
        return formats.date_format(value, "j F Y")
