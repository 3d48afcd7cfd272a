"""The monthly recap in the form of Lampiran I, as PDF and XLSX, read back."""

import io
import re
from datetime import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from sikesal.agencies.models import Agency
from sikesal.complaints.tests.conftest import JAKARTA, file_complaint, make_user
from sikesal.complaints.workflow import transition
from sikesal.reports.recap import COLUMNS, Month, recap_build
from sikesal.reports.tests.conftest import handled_by_pupr

pytestmark = pytest.mark.django_db

MARCH = Month(2026, 3)
FORMULA_TITLE = '=HYPERLINK("http://contoh.id","klik")'


def accepted(people, *, at: datetime, **complaint_fields):
    return handled_by_pupr(people, file_complaint(people, at=at, **complaint_fields), at=at)


@pytest.fixture
def march(people):
    """Three complaints PUPR registered in March 2026: one answered, one anonymous, one
    whose title looks like a formula; and one registered on 1 April."""
    people.reporter.mobile = "+6281234567890"
    people.reporter.save()
    answered = accepted(people, at=datetime(2026, 3, 2, 9, tzinfo=JAKARTA))
    transition(
        answered.complaint,
        "respond",
        actor=people.officer,
        assignment=answered,
        note="Lubang ditambal aspal hotmix.",
        now=datetime(2026, 3, 4, 10, tzinfo=JAKARTA),
    )
    hidden = make_user("rahasiawan")
    anonymous = accepted(
        people,
        at=datetime(2026, 3, 10, 9, tzinfo=JAKARTA),
        reporter=hidden,
        is_anonymous=True,
    )
    formula = accepted(
        people, at=datetime(2026, 3, 31, 23, 59, tzinfo=JAKARTA), title=FORMULA_TITLE
    )
    april = accepted(people, at=datetime(2026, 4, 1, 0, 0, tzinfo=JAKARTA))
    return [answered, anonymous, formula], april, hidden


def pdf_text(path) -> str:
    reader = PdfReader(path)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_pdf_has_the_lampiran_i_form_and_every_row(people, march, tmp_path):
    rows, april, hidden = march
    output = tmp_path / "rekap.pdf"

    call_command(
        "recap",
        agency="dpupr",
        month="2026-03",
        format="pdf",
        output=str(output),
        stdout=io.StringIO(),
    )

    text = pdf_text(output)
    assert "REKAPITULASI HASIL PENANGANAN PENGADUAN BULAN MARET TAHUN 2026" in text
    assert "BADAN/DINAS/PERUSAHAAN DAERAH: Dinas Pekerjaan Umum dan Penataan Ruang" in text
    for header in COLUMNS:
        assert header in text, header
    for assignment in rows:
        assert assignment.register_number in text
    assert april.register_number not in text
    assert "KEPALA DINAS PEKERJAAN UMUM DAN PENATAAN RUANG KOTA JAMBI" in text
    assert people.head.full_name in text  # the agency's head signs
    assert "Lubang ditambal aspal hotmix." in text
    assert people.officer.full_name in text  # PETUGAS PENERIMA
    assert hidden.full_name not in text
    assert "Dirahasiakan" in text
    assert people.reporter.mobile_display.replace(" ", "") in text.replace(" ", "")
    assert PdfReader(output).pages[0].mediabox.width > PdfReader(output).pages[0].mediabox.height


def test_the_header_repeats_and_pages_are_numbered_on_a_long_recap(people, tmp_path):
    for day in range(1, 29):
        accepted(people, at=datetime(2026, 2, day, 9, tzinfo=JAKARTA))
    output = tmp_path / "rekap.pdf"

    call_command("recap", agency="dpupr", month="2026-02", output=str(output), stdout=io.StringIO())

    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(output).pages]
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert "URAIAN PENGADUAN" in page
        assert f"Halaman {number} dari {len(pages)}" in page
    assert "DPUPR/2026/0028" in pages[-1]


def test_the_xlsx_has_the_same_header_and_rows_and_formulas_stay_text(people, march, tmp_path):
    rows, _april, hidden = march
    output = tmp_path / "rekap.xlsx"

    call_command(
        "recap",
        agency="dpupr",
        month="2026-03",
        format="xlsx",
        output=str(output),
        stdout=io.StringIO(),
    )

    sheet = load_workbook(output).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "REKAPITULASI HASIL PENANGANAN PENGADUAN BULAN MARET TAHUN 2026"
    header_at = values.index(list(COLUMNS))
    body = values[header_at + 1 : header_at + 1 + len(rows)]
    assert [row[1] for row in body] == [a.register_number for a in rows]
    assert [row[0] for row in body] == [1, 2, 3]
    assert body[0][2] == datetime(2026, 3, 2)  # a date cell, shown as 02-03-2026
    assert sheet.cell(row=header_at + 2, column=3).number_format == "DD-MM-YYYY"
    formula_cell = sheet.cell(row=header_at + 1 + 3, column=5)
    assert formula_cell.value.startswith(FORMULA_TITLE)
    assert formula_cell.data_type == "s"
    assert formula_cell.quotePrefix
    everything = "\n".join(str(v) for row in values for v in row if v is not None)
    assert hidden.full_name not in everything
    assert hidden.email not in everything


def test_rows_fall_in_the_month_of_jakarta_time(people, march):
    rows, april, _hidden = march

    assert [r.register for r in recap_build(people.pupr, MARCH).rows] == [
        a.register_number for a in rows
    ]
    assert [r.register for r in recap_build(people.pupr, Month(2026, 4)).rows] == [
        april.register_number
    ]


def test_the_number_of_queries_does_not_grow_with_the_rows(people):
    def queries(month: Month) -> int:
        with CaptureQueriesContext(connection) as captured:
            recap = recap_build(people.pupr, month)
        return len(recap.rows), len(captured.captured_queries)

    for day in (2, 3):
        accepted(people, at=datetime(2026, 5, day, 9, tzinfo=JAKARTA))
    for day in range(2, 12):
        accepted(people, at=datetime(2026, 6, day, 9, tzinfo=JAKARTA))

    (few, few_queries), (many, many_queries) = queries(Month(2026, 5)), queries(Month(2026, 6))
    assert (few, many) == (2, 10)
    assert few_queries == many_queries


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"agency": "dinas-tidak-ada", "month": "2026-03"}, "Unknown agency"),
        ({"agency": "dpupr", "month": "2026-13"}, "TTTT-BB"),
        ({"agency": "dpupr", "month": "maret"}, "TTTT-BB"),
        ({"agency": "dpupr", "month": "2999-01"}, "has not begun"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(people, tmp_path, options, message):
    output = tmp_path / "rekap.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("recap", output=str(output), stdout=io.StringIO(), **options)
    assert not output.exists()


def test_an_unwritable_path_is_refused(people, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(CommandError, match="Cannot write"):
        call_command(
            "recap",
            agency="dpupr",
            month="2026-03",
            output=str(blocker / "rekap.pdf"),
            stdout=io.StringIO(),
        )


def test_a_month_without_rows_still_renders_with_nihil(people, tmp_path):
    pdf, xlsx = tmp_path / "rekap.pdf", tmp_path / "rekap.xlsx"

    for fmt, path in (("pdf", pdf), ("xlsx", xlsx)):
        call_command(
            "recap",
            agency="dlh",
            month="2026-01",
            format=fmt,
            output=str(path),
            stdout=io.StringIO(),
        )

    text = pdf_text(pdf)
    assert "BULAN JANUARI TAHUN 2026" in text
    assert "Nihil" in text
    assert "Jambi, " in text
    values = [v for row in load_workbook(xlsx).active.iter_rows(values_only=True) for v in row]
    assert "Nihil" in values


def test_ket_says_the_state_and_what_is_notable(people, march):
    (answered, anonymous, _formula), _april, _hidden = march
    transition(answered.complaint, "rate", actor=people.reporter, rating=4, note="")
    transition(
        anonymous.complaint,
        "return",
        actor=people.officer,
        assignment=anonymous,
        note="Bukan kewenangan PUPR.",
    )

    rows = recap_build(people.pupr, MARCH, today=datetime(2026, 11, 27).date()).rows

    assert rows[0].remarks == "Selesai, dinilai 4/5"
    assert rows[0].result == "Lubang ditambal aspal hotmix."
    assert rows[0].reporter == f"{people.reporter.full_name}\n{people.reporter.mobile_display}"
    assert rows[1].remarks == "Dikembalikan ke Sekretariat"
    assert rows[1].reporter == "Dirahasiakan"
    assert rows[2].remarks.startswith("Dalam proses, lewat batas waktu ")
    assert rows[2].remarks.endswith(" hari kerja")


def test_making_a_pdf_leaves_photo_uploads_strict(people, tmp_path):
    from PIL import ImageFile

    call_command(
        "recap",
        agency="dpupr",
        month="2026-03",
        output=str(tmp_path / "r.pdf"),
        stdout=io.StringIO(),
    )

    # WeasyPrint turns this on when imported; truncated photos must still be refused.
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_the_recap_is_signed_by_the_agency_head_with_title_and_nip(people, march, tmp_path):
    """Given PUPR's head account with its NIP, when the recap is printed as PDF and XLSX,
    then the KEPALA/DIREKTUR block carries the head's title, name and NIP."""
    people.head.full_name = "Ir. Kepala Pupr Uji, M.T."
    people.head.nip = "197501012000031002"
    people.head.save()
    pdf, xlsx = tmp_path / "rekap.pdf", tmp_path / "rekap.xlsx"

    for fmt, path in (("pdf", pdf), ("xlsx", xlsx)):
        call_command(
            "recap",
            agency="dpupr",
            month="2026-03",
            format=fmt,
            output=str(path),
            stdout=io.StringIO(),
        )

    text = pdf_text(pdf)
    assert "KEPALA DINAS PEKERJAAN UMUM DAN PENATAAN RUANG KOTA JAMBI" in text
    assert "Ir. Kepala Pupr Uji, M.T." in text
    assert "NIP. 197501012000031002" in text
    assert "(....." not in text
    values = [v for row in load_workbook(xlsx).active.iter_rows(values_only=True) for v in row]
    signature = values[values.index("KEPALA DINAS PEKERJAAN UMUM DAN PENATAAN RUANG KOTA JAMBI") :]
    assert "Ir. Kepala Pupr Uji, M.T." in signature
    assert "NIP. 197501012000031002" in signature


def test_the_head_on_record_signs_before_a_head_account_and_its_title_is_kept(people, march):
    """The administrator's record of the head (name, title, NIP on the agency) wins over
    the head account; without either the name is left to fill by hand."""
    people.pupr.head_name = "Dr. Kepala Tercatat"
    people.pupr.head_title = "Plt. Kepala Dinas PUPR"
    people.pupr.head_nip = "198001012005011003"
    people.pupr.save()

    signatory = recap_build(people.pupr, MARCH).signatory
    nobody = recap_build(Agency.objects.get(code="bappeda"), MARCH).signatory

    assert (signatory.name, signatory.title, signatory.nip) == (
        "Dr. Kepala Tercatat",
        "Plt. Kepala Dinas PUPR",
        "198001012005011003",
    )
    assert (nobody.name, nobody.title, nobody.nip) == (
        "(.....................................)",
        "Kepala Badan Perencanaan Pembangunan Daerah Kota Jambi",
        "",
    )
