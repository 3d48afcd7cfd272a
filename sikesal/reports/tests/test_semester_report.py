"""The semester report to the Walikota (manage.py semester_report), read back from the PDF."""

import io
import re
from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time
from pypdf import PdfReader

from sikesal.agencies.models import Agency
from sikesal.complaints.tests.conftest import JAKARTA, file_complaint, make_user
from sikesal.reports.report import Semester
from sikesal.reports.tests.conftest import handled_by_pupr

pytestmark = pytest.mark.django_db


def pdf_pages(path) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(path).pages]


@pytest.fixture
def semester_data(people):
    """Four complaints in the first half of 2026 (one from an anonymous reporter, routed
    and answered), one in July; the Secretariat's head is on record."""
    Agency.objects.filter(code="diskominfo").update(
        head_name="Dr. Kepala Diskominfo Uji",
        head_title="Kepala Dinas Komunikasi dan Informatika Kota Jambi",
        head_nip="197001012000031001",
    )
    hidden = make_user("rahasiawan", mobile="+6281299990000")
    for day in (5, 6, 7):
        file_complaint(people, at=datetime(2026, 2, day, 9, tzinfo=JAKARTA))
    anonymous = file_complaint(
        people, at=datetime(2026, 3, 2, 9, tzinfo=JAKARTA), reporter=hidden, is_anonymous=True
    )
    handled_by_pupr(
        people,
        anonymous,
        at=datetime(2026, 3, 2, 10, tzinfo=JAKARTA),
        answered_at=datetime(2026, 3, 4, 10, tzinfo=JAKARTA),
    )
    file_complaint(people, at=datetime(2026, 7, 1, 9, tzinfo=JAKARTA))
    return hidden


def test_the_semester_report_is_addressed_to_the_walikota_with_every_part(
    people, semester_data, tmp_path
):
    hidden = semester_data
    output = tmp_path / "laporan.pdf"
    stdout = io.StringIO()

    call_command("semester_report", year="2026", semester="1", output=str(output), stdout=stdout)

    pages = pdf_pages(output)
    text = " ".join(pages)
    assert "LAPORAN SEMESTER PENGELOLAAN PENGADUAN MASYARAKAT" in text
    assert "Semester I (Januari\u2013Juni) 2026" in text
    assert "Kepada Yth. Walikota Jambi" in text
    assert "Tembusan: 1. Inspektur Kota Jambi" in text
    assert "Pasal 10" in text
    assert "Pengaduan diajukan 4" in text  # the July complaint is not in semester I
    assert "Sudah ditanggapi oleh semua OPD yang menerima 1 4" in text
    assert "Dinas Pekerjaan Umum dan Penataan Ruang 1 1 0" in text  # received, answered, late
    assert "data belum cukup" in text
    assert "Februari 2026 3 0" in text and "Maret 2026 1 1" in text
    # The charts: the trend's abbreviated months and the ratings' bar labels.
    assert "Jan 2026" in text and "Jun 2026" in text
    assert "Nilai 5 0" in text
    assert "Dr. Kepala Diskominfo Uji" in text and "NIP. 197001012000031001" in text
    for number, page in enumerate(pages, start=1):
        assert f"Halaman {number} dari {len(pages)}" in page
    # No reporter is ever named, reachable or addressed.
    for secret in (hidden.full_name, hidden.email, "81299990000", people.reporter.full_name):
        assert secret not in text.replace(" ", "") and secret not in text
    page = PdfReader(output).pages[0]
    assert page.mediabox.height > page.mediabox.width  # A4 portrait
    assert "Semester I (Januari" in stdout.getvalue()


def test_fonts_are_embedded(people, semester_data, tmp_path):
    output = tmp_path / "laporan.pdf"
    call_command("semester_report", year=2026, semester=1, output=str(output), stdout=io.StringIO())

    fonts = set()
    for page in PdfReader(output).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = (
                font.get_object().get("/FontDescriptor")
                or font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            descriptor = descriptor.get_object()
            fonts.add(any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert fonts == {True}


def test_semester_periods():
    assert (Semester(2026, 1).first_day, Semester(2026, 1).last_day) == (
        date(2026, 1, 1),
        date(2026, 6, 30),
    )
    assert Semester(2026, 2).label == "Semester II (Juli\u2013Desember) 2026"
    assert Semester(2026, 2).last_day == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("year", "semester", "message"),
    [
        ("20x6", "1", "four-digit year"),
        ("1999", "1", "2017"),
        ("2026", "3", "1 (January-June) or 2"),
        ("2026", "I", "1 (January-June) or 2"),
        ("2099", "1", "has not begun"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(people, tmp_path, year, semester, message):
    output = tmp_path / "laporan.pdf"
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("semester_report", year=year, semester=semester, output=str(output))
    assert not output.exists()


def test_the_second_semester_has_not_begun_in_june(people, tmp_path):
    with (
        freeze_time(datetime(2026, 6, 30, 23, 0, tzinfo=JAKARTA)),
        pytest.raises(CommandError, match="has not begun"),
    ):
        call_command("semester_report", year="2026", semester="2", output=str(tmp_path / "l.pdf"))


def test_an_unwritable_path_is_refused(people, tmp_path):
    missing = tmp_path / "tidak-ada" / "laporan.pdf"
    with pytest.raises(CommandError, match="does not exist"):
        call_command("semester_report", year="2026", semester="1", output=str(missing))

    a_file = tmp_path / "berkas"
    a_file.write_text("bukan folder")
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "semester_report", year="2026", semester="1", output=str(a_file / "laporan.pdf")
        )

    with pytest.raises(CommandError, match="is a folder"):
        call_command("semester_report", year="2026", semester="1", output=str(tmp_path))
