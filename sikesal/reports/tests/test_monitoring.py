"""/staf/pantau/ and /staf/laporan/ through HTTP: who gets in, what the pages and the
downloads hold, and what they never hold."""

import csv
import io
import re
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sikesal.accounts.models import Role
from sikesal.agencies.models import Agency
from sikesal.complaints.models import Assignment, AssignmentStatus, Complaint, Status
from sikesal.complaints.tests.conftest import JAKARTA, file_complaint, make_user, member
from sikesal.reports.tests.conftest import handled_by_pupr

pytestmark = pytest.mark.django_db

FORMULA_TITLE = '=HYPERLINK("http://contoh.id","klik")'
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}
PAGES = ["dashboard", "reports"]
DOWNLOADS = ["incidental_pdf", "rows_csv", "rows_xlsx", "figures_xlsx"]


def url(name: str, **query) -> str:
    path = reverse(f"monitoring:{name}")
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


@pytest.fixture
def march(people):
    """Three complaints in March 2026: an anonymous one routed to PUPR and answered, one
    whose title looks like a formula, and one left waiting past its deadlines."""
    hidden = make_user("rahasiawan", mobile="+6281299990000")
    at = datetime(2026, 3, 2, 9, tzinfo=JAKARTA)
    anonymous = file_complaint(people, at=at, reporter=hidden, is_anonymous=True)
    handled_by_pupr(people, anonymous, at=at, answered_at=at + timedelta(days=2))
    formula = file_complaint(people, at=at + timedelta(days=1), title=FORMULA_TITLE)
    waiting = file_complaint(people, at=at + timedelta(days=3), category=people.waste)
    return {"hidden": hidden, "anonymous": anonymous, "formula": formula, "waiting": waiting}


# --- who gets in -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES + DOWNLOADS)
def test_signed_out_visitors_are_sent_to_the_login_page(client, people, name):
    response = client.get(url(name, **MARCH))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["reporter", "officer", "head", "dlh_officer"])
@pytest.mark.parametrize("name", [*PAGES, *DOWNLOADS, "semester_pdf"])
def test_citizens_and_agency_staff_see_no_such_page(client, people, who, name):
    client.force_login(getattr(people, who))

    response = client.get(url(name, **MARCH, year=2026, semester=1))

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["secretariat", "executive"])
@pytest.mark.parametrize("name", PAGES)
def test_the_secretariat_and_executives_get_in(client, people, who, name):
    client.force_login(getattr(people, who))

    response = client.get(url(name))

    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("monitoring:dashboard") in html and reverse("monitoring:reports") in html


def test_agency_staff_do_not_see_the_menu_items(client, people):
    client.force_login(people.officer)

    html = client.get(reverse("staff:queue")).content.decode()

    assert reverse("monitoring:dashboard") not in html
    assert reverse("monitoring:reports") not in html


# --- the monitoring page ---------------------------------------------------------------------


def test_the_dashboard_shows_the_figures_of_the_filter(client, people, march):
    client.force_login(people.secretariat)

    response = client.get(url("dashboard", **MARCH))

    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.total, figures.responded) == (3, 1)
    html = response.content.decode()
    assert 'aria-current="page"' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in html
    assert '<title id="chart-trend-title">' in html
    assert "Dinas Pekerjaan Umum dan Penataan Ruang" in html
    assert "data belum cukup" in html
    # The overdue list: the two complaints nobody picked up.
    assert response.context["overdue_total"] == 2
    assert march["waiting"].tracking_number in html
    assert march["hidden"].full_name not in html

    narrowed = client.get(url("dashboard", **MARCH, category=people.waste.code))
    assert narrowed.context["figures"].total == 1


def test_the_dashboard_defaults_to_this_year(client, people):
    client.force_login(people.executive)

    figures = client.get(url("dashboard")).context["figures"]

    assert figures.filter.start == date(figures.as_of.year, 1, 1)
    assert figures.filter.end == figures.as_of


def test_a_reversed_period_is_an_error_not_a_crash(client, people):
    client.force_login(people.secretariat)

    response = client.get(url("dashboard", start="2026-03-31", end="2026-03-01"))

    assert response.status_code == 200
    assert "figures" not in response.context
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in response.content.decode()
    assert client.get(url("rows_csv", start="2026-03-31", end="2026-03-01")).status_code == 400


def _handled(people, agency, count: int) -> None:
    for index in range(count):
        complaint = file_complaint(people, at=datetime(2026, 3, 2, 9, tzinfo=JAKARTA))
        Assignment.objects.create(
            complaint=complaint,
            agency=agency,
            is_lead=True,
            status=AssignmentStatus.RESPONDED,
            routed_at=datetime(2026, 3, 3, 9, tzinfo=JAKARTA),
            routed_by=people.secretariat,
            followup_due=date(2026, 3, 10),
            first_followup_at=datetime(2026, 3, 4 + index % 2, 9, tzinfo=JAKARTA),
            responded_at=datetime(2026, 3, 5, 9, tzinfo=JAKARTA),
        )
        Complaint.objects.filter(pk=complaint.pk).update(rating=4, status=Status.CLOSED)


def test_an_agency_percentage_shows_only_from_ten_cases(client, people):
    _handled(people, people.pupr, 10)
    _handled(people, people.dlh, 9)
    client.force_login(people.secretariat)

    html = client.get(url("dashboard", **MARCH)).content.decode()

    rows = {
        name: row
        for row in re.findall(r"<tr>\s*<th scope=\"row\" data-label=\"OPD\">.*?</tr>", html, re.S)
        for name in ("Penataan Ruang", "Lingkungan Hidup")
        if name in row
    }
    assert "100%" in rows["Penataan Ruang"] and "4,0" in rows["Penataan Ruang"]
    assert "data belum cukup" not in rows["Penataan Ruang"]
    assert "%" not in rows["Lingkungan Hidup"]
    assert rows["Lingkungan Hidup"].count("data belum cukup") == 4


# --- the reports page and its downloads ------------------------------------------------------


def test_the_reports_page_offers_the_semester_and_incidental_reports(client, people):
    client.force_login(people.secretariat)

    html = client.get(url("reports")).content.decode()

    for name in ("semester_pdf", "incidental_pdf", "rows_csv", "rows_xlsx", "figures_xlsx"):
        assert reverse(f"monitoring:{name}") in html


def test_the_semester_pdf_downloads(client, people, march):
    client.force_login(people.executive)

    response = client.get(url("semester_pdf", year=2026, semester=1))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "laporan-semester-2026-1.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "LAPORAN SEMESTER" in text and "Pengaduan diajukan 3" in text


def test_a_semester_not_begun_is_refused(client, people):
    client.force_login(people.secretariat)

    response = client.get(url("semester_pdf", year=2099, semester=1))

    assert response.status_code == 400
    assert "Semester ini belum dimulai." in response.content.decode()


def body(response) -> bytes:
    """A download's bytes, sent whole or as a file read in pieces (the rows XLSX)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_incidental_report_carries_its_period_and_filters(client, people, march):
    client.force_login(people.secretariat)

    response = client.get(url("incidental_pdf", **MARCH, category=people.waste.code))

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "LAPORAN INSIDENTAL PENGELOLAAN PENGADUAN MASYARAKAT" in text
    assert "Periode: 1 Maret 2026 s.d. 31 Maret 2026" in text
    assert f"kategori {people.waste.name}" in text
    assert "Pengaduan diajukan 1" in text
    assert "Walikota Jambi" in text and "Inspektur Kota Jambi" in text


def test_no_download_holds_a_reporters_identity(client, people, march):
    hidden = march["hidden"]
    secrets = [
        hidden.full_name,
        hidden.email,
        "81299990000",
        people.reporter.full_name,
        people.reporter.email,
    ]
    client.force_login(people.secretariat)

    pdf = pdf_text(client.get(url("incidental_pdf", **MARCH)).content)
    rows = b"".join(client.get(url("rows_csv", **MARCH)).streaming_content).decode("utf-8-sig")
    cells, figures = (
        " ".join(
            str(value)
            for sheet in load_workbook(io.BytesIO(body(client.get(url(name, **MARCH)))))
            for row in sheet.iter_rows(values_only=True)
            for value in row
        )
        for name in ("rows_xlsx", "figures_xlsx")
    )

    assert march["anonymous"].tracking_number in rows
    assert march["anonymous"].tracking_number in cells
    for text in (pdf, rows, cells, figures):
        for secret in secrets:
            assert secret not in text
            assert secret not in text.replace(" ", "")


def test_the_csv_has_one_row_per_complaint_and_formulas_stay_text(client, people, march):
    client.force_login(people.secretariat)

    response = client.get(url("rows_csv", **MARCH))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert header[:3] == ["Nomor pelacakan", "Tanggal diajukan", "Judul"]
    assert "Alasan tidak ditindaklanjuti" in header
    assert len(rows) == 3
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    answered = by_number[march["anonymous"].tracking_number]
    assert answered["Tanggal diajukan"] == "2026-03-02"
    assert answered["OPD"] == people.pupr.short_name
    assert answered["Tanggal ditanggapi"] == "2026-03-04"
    assert answered["Hari kerja sampai ditanggapi"] == "2"
    assert answered["Tindak lanjut pertama OPD tepat waktu"] == "ya"
    assert by_number[march["formula"].tracking_number]["Judul"] == "'" + FORMULA_TITLE


def test_the_xlsx_keeps_a_formula_looking_title_as_text(client, people, march):
    client.force_login(people.secretariat)

    response = client.get(url("rows_xlsx", **MARCH))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(body(response))).active
    header = [cell.value for cell in sheet[2]]
    title_column = header.index("Judul")
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
    assert len(cells) == 3
    title = cells[march["formula"].tracking_number][title_column]
    assert title.value == FORMULA_TITLE
    assert title.data_type == "s"
    submitted = cells[march["anonymous"].tracking_number][1]
    assert submitted.value.date() == date(2026, 3, 2)


def _sheet_rows(sheet) -> dict:
    """The rows under a sheet's header, by their first cell."""
    return {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0] is not None}


def test_the_figures_download_has_a_sheet_per_table_with_numbers(client, people, march):
    client.force_login(people.secretariat)

    response = client.get(url("figures_xlsx", **MARCH, kecamatan=""))

    assert response.status_code == 200
    assert "sikesal-angka-20260301-20260331.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Ringkasan",
        "Per bulan",
        "Per status",
        "Per jenis laporan",
        "Per saluran",
        "Alasan tidak ditindaklanjuti",
        "Penilaian pelapor",
        "Per OPD",
        "Per kategori",
        "Per kecamatan",
        "Kelurahan terbanyak",
    ]
    summary = workbook["Ringkasan"]
    assert summary["A1"].value == "Angka pengaduan yang diajukan 1 Maret 2026 s.d. 31 Maret 2026"
    assert summary["A2"].value == "semua pengaduan"
    figures = _sheet_rows(summary)
    assert figures["Pengaduan diajukan"] == (3, None)
    assert figures["Sudah ditanggapi oleh semua OPD yang menerima"] == (1, 3)
    # One answered complaint is too few for a median (stats.MIN_BASE): said, with its base.
    assert figures["Median hari kerja sampai ditanggapi"] == ("data belum cukup", 1)
    assert _sheet_rows(workbook["Per bulan"])["Maret 2026"] == (3, 1)
    categories = _sheet_rows(workbook["Per kategori"])
    assert categories[people.waste.name] == (1, 0)
    assert sum(submitted for submitted, _ in list(categories.values())[1:]) == 3
    agency = _sheet_rows(workbook["Per OPD"])[people.pupr.code]
    assert agency[:4] == (people.pupr.name, 1, 1, 0)
    assert agency[4:6] == ("data belum cukup", 1)


def test_the_figures_download_gives_percentages_from_ten_cases_and_keeps_names_text(client, people):
    _handled(people, people.pupr, 10)
    people.pupr.name = "=HYPERLINK(1)"
    people.pupr.save()
    client.force_login(people.executive)

    response = client.get(url("figures_xlsx", **MARCH, agency=people.pupr.code))

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["Ringkasan"]["A2"].value == "disalurkan ke =HYPERLINK(1)"
    sheet = workbook["Per OPD"]
    row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == people.pupr.code)
    assert row[1].value == "=HYPERLINK(1)" and row[1].data_type == "s"
    share, base = row[9], row[10]
    assert (share.value, share.number_format, base.value) == (1, "0.0%", 10)
    rating = row[11]
    assert (rating.value, rating.number_format) == (4, "0.0")
    summary = _sheet_rows(workbook["Ringkasan"])
    assert summary["Tindak lanjut pertama OPD tepat waktu"] == (1, 10)


def test_the_semester_letter_carries_its_number_subject_and_the_secretariats_head(
    client, people, march
):
    """Given Diskominfo's head account with a NIP, when the Secretariat downloads the
    semester report with a letter number and subject, then the letter is numbered and signed
    by that head (no head recorded on the agency)."""
    head = member("kepaladiskominfo", Agency.objects.get(code="diskominfo"), Role.AGENCY_HEAD)
    head.full_name = "Dr. Kepala Diskominfo Akun"
    head.nip = "197202022000031005"
    head.save()
    client.force_login(people.secretariat)

    response = client.get(
        url("semester_pdf", year=2026, semester=1, nomor="500/17/Diskominfo/2026", perihal="Uji")
    )

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Nomor : 500/17/Diskominfo/2026" in text
    assert "Perihal : Uji" in text
    assert "Kepala Dinas Komunikasi dan Informatika Kota Jambi" in text
    assert "Dr. Kepala Diskominfo Akun" in text and "NIP. 197202022000031005" in text


def test_an_unnumbered_letter_leaves_the_number_to_fill_and_names_its_subject(
    client, people, march
):
    client.force_login(people.secretariat)

    response = client.get(url("incidental_pdf", **MARCH))

    text = pdf_text(response.content)
    assert "Nomor : ......" in text
    assert "Perihal : Laporan Insidental Pengelolaan Pengaduan Masyarakat" in text
