"""The recap PDF's table (drawn by ReportLab between WeasyPrint's head and closing block):
nothing of a row is lost however long it is, every page keeps its header and number, and
the signature comes after the last row."""

import io
import re
from datetime import datetime

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from sikesal.complaints.tests.conftest import JAKARTA, file_complaint
from sikesal.reports.tests.conftest import handled_by_pupr

pytestmark = pytest.mark.django_db


def recap_pages(tmp_path) -> list[str]:
    output = tmp_path / "rekap.pdf"
    call_command("recap", agency="dpupr", month="2026-03", output=str(output), stdout=io.StringIO())
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(output).pages]


def test_a_row_taller_than_a_page_continues_on_the_next_and_loses_nothing(people, tmp_path):
    """Given an answer of 600 numbered words (three pages of one column), when the recap is
    printed, then every word is there in order, each page of the table has the header, each
    page its number, and the signature follows the end of the answer (under it, or on a
    page of its own)."""
    answer = " ".join(f"kata{number:03d}" for number in range(600))
    at = datetime(2026, 3, 2, 9, tzinfo=JAKARTA)
    handled_by_pupr(people, file_complaint(people, at=at), at=at, answered_at=at, response=answer)

    pages = recap_pages(tmp_path)

    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in page
        if "kata" in page:
            assert "URAIAN PENGADUAN" in page
    text = " ".join(pages)
    words = re.findall(r"kata\d{3}", text)
    assert words == [f"kata{number:03d}" for number in range(600)]
    assert "KEPALA DINAS" in pages[-1]
    assert text.index("kata599") < text.index("KEPALA DINAS")


def test_a_word_wider_than_its_column_is_cut_not_lost(people, tmp_path):
    address = "https://contoh.id/" + "sangat-panjang-" * 12 + "akhir"
    at = datetime(2026, 3, 2, 9, tzinfo=JAKARTA)
    handled_by_pupr(people, file_complaint(people, at=at), at=at, answered_at=at, response=address)

    text = " ".join(recap_pages(tmp_path))

    assert address in text.replace(" ", "")
