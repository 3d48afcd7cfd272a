"""SIKESAL for another local government: a made-up Kota Contoh, loaded from its own files
(data/kota_contoh/) with its own city settings, files, routes and answers a complaint and
prints its recap and semester report, and the word "Jambi" appears nowhere."""

import io
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook
from pypdf import PdfReader

from sikesal.accounts.models import Membership, Role
from sikesal.agencies.models import Agency, Category, Region
from sikesal.complaints.models import Complaint
from sikesal.complaints.tests.conftest import JAKARTA, make_user, media_root  # noqa: F401
from sikesal.complaints.workflow import Route, transition
from sikesal.reports import services
from sikesal.reports.pdf import PdfUnavailable
from sikesal.reports.recap import Month

pytestmark = pytest.mark.django_db

KOTA_CONTOH = Path(__file__).parent / "data" / "kota_contoh"
CITY_SETTINGS = {
    "SIKESAL_SITE_NAME": "SIKESAL Kota Contoh",
    "SIKESAL_CITY_NAME": "Kota Contoh",
    "SIKESAL_CITY_PLACE": "Contoh",
    "SIKESAL_CITY_PROVINCE": "Contoh Raya",
    "SIKESAL_CITY_SECRETARIAT": "Diskominfotik Kota Contoh",
    "SIKESAL_CITY_HEAD_TITLE": "Walikota Contoh",
    "SIKESAL_CITY_INSPECTOR_TITLE": "Inspektur Kota Contoh",
    "SIKESAL_CITY_REGULATION": "Peraturan Walikota Contoh Nomor 7 Tahun 2024",
    "SIKESAL_CITY_REGULATION_SHORT": "Perwal Contoh 7/2024",
    "SIKESAL_CITY_LETTERHEAD": "PEMERINTAH KOTA CONTOH|PROVINSI CONTOH RAYA",
    "SIKESAL_MAP_CENTRE": "0.51,110.02",
    "SIKESAL_MAP_BOUNDS": "0.50,110.00,0.52,110.04",
}
SUKAMAJU = ("0.510000", "110.010000")  # inside the made-up kelurahan Sukamaju


@pytest.fixture
def kota_contoh(settings, media_root):  # noqa: F811 (the fixture imported above)
    """Kota Contoh's settings and reference data, and its people."""
    for name, value in CITY_SETTINGS.items():
        setattr(settings, name, value)
    call_command("load_reference_data", data_dir=KOTA_CONTOH, stdout=io.StringIO())
    dpu = Agency.objects.get(code="dpu")
    kominfo = Agency.objects.get(code="kominfo")
    people = {
        "reporter": make_user("warga"),
        "secretariat": make_user("sekretariat"),
        "officer": make_user("petugasdpu"),
        "head": make_user("kepaladpu"),
        "secretariat_head": make_user("kepalakominfo"),
    }
    people["head"].nip = "198001012006041001"
    people["head"].save()
    for user, agency, role in (
        ("secretariat", kominfo, Role.SECRETARIAT),
        ("officer", dpu, Role.AGENCY_OFFICER),
        ("head", dpu, Role.AGENCY_HEAD),
        ("secretariat_head", kominfo, Role.AGENCY_HEAD),
    ):
        Membership.objects.create(user=people[user], agency=agency, role=role)
    return people


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_another_city_loads_its_own_reference_data(kota_contoh):
    assert list(Region.objects.values_list("code", "name")) == [
        ("99.01", "Kota Contoh"),
        ("99.01.01", "Pusat"),
        ("99.01.01.1001", "Sukamaju"),
        ("99.01.01.1002", "Sukaraja"),
    ]
    assert sorted(Agency.objects.values_list("code", flat=True)) == [
        "dpu",
        "inspektorat",
        "kec-pusat",
        "kominfo",
    ]
    assert Agency.objects.get(is_secretariat=True).code == "kominfo"
    assert Agency.objects.get(code="kec-pusat").region.code == "99.01.01"
    assert list(Category.objects.values_list("code", "default_agency__code")) == [
        ("jalan", "dpu"),
        ("kebersihan", None),
        ("lainnya", None),
    ]


def test_another_city_files_routes_answers_and_reports_without_jambi(client, kota_contoh, tmp_path):
    """Given Kota Contoh, when a citizen files a complaint on its map, the Secretariat routes
    it to its Dinas PU, which answers it, then the public pages, the recap (PDF, XLSX and a
    submitted version) and the semester report name Kota Contoh and never Jambi."""
    people = kota_contoh
    client.force_login(people["reporter"])
    with freeze_time(datetime(2026, 3, 2, 9, tzinfo=JAKARTA)):
        form_page = client.get(reverse("complaints:file")).content.decode()
        filed = client.post(
            reverse("complaints:file"),
            {
                "report_type": "pengaduan",
                "category": Category.objects.get(code="jalan").pk,
                "title": "Jalan berlubang di Sukamaju",
                "description": "Lubang besar di tengah jalan, membahayakan motor.",
                "latitude": SUKAMAJU[0],
                "longitude": SUKAMAJU[1],
                "address": "Jl. Contoh No. 1",
                "intent": "submit",
            },
        )
    assert filed.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.kelurahan.name == "Sukamaju"
    dpu = Agency.objects.get(code="dpu")
    at = datetime(2026, 3, 2, 10, tzinfo=JAKARTA)
    transition(complaint, "review", actor=people["secretariat"], now=at)
    transition(complaint, "route", actor=people["secretariat"], routes=[Route(dpu, True)], now=at)
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people["officer"], assignment=assignment, now=at)
    transition(
        complaint,
        "respond",
        actor=people["officer"],
        assignment=assignment,
        note="Lubang sudah ditambal.",
        now=datetime(2026, 3, 4, 10, tzinfo=JAKARTA),
    )
    pdf, xlsx = tmp_path / "rekap.pdf", tmp_path / "rekap.xlsx"

    with freeze_time(datetime(2026, 4, 6, 9, tzinfo=JAKARTA)):
        pages = [
            form_page,
            *(
                client.get(path).content.decode()
                for path in ("/", reverse("agencies:list"), dpu.get_absolute_url())
            ),
        ]
        try:
            for fmt, path in (("pdf", pdf), ("xlsx", xlsx)):
                call_command(
                    "recap",
                    agency="dpu",
                    month="2026-03",
                    format=fmt,
                    output=str(path),
                    stdout=io.StringIO(),
                )
            submitted = services.recap_submit(
                services.recap_for(dpu, Month(2026, 3)), user=people["head"]
            )
            client.force_login(people["secretariat"])
            report = client.get(
                reverse("monitoring:semester_pdf"), {"year": 2026, "semester": 1}
            ).content
        except PdfUnavailable as error:
            pytest.skip(str(error))

    for page in pages:
        assert "Kota Contoh" in page
        assert "jambi" not in page.lower()
    assert 'data-centre-lat="0.510000"' in form_page
    recap = pdf_text(pdf.read_bytes())
    frozen = pdf_text(submitted.pdf.read())
    for text in (recap, frozen):
        assert "jambi" not in text.lower()
        assert "Contoh, " in text  # the place and date of the signature
        assert "KEPALA DINAS PEKERJAAN UMUM KOTA CONTOH" in text
        assert "NIP. 198001012006041001" in text
    cells = [
        str(value)
        for row in load_workbook(xlsx).active.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert "Contoh, 6 April 2026" in cells
    assert not [cell for cell in cells if "jambi" in cell.lower()]
    text = pdf_text(report)
    assert "jambi" not in text.lower()
    for line in (
        "PEMERINTAH KOTA CONTOH PROVINSI CONTOH RAYA",
        "Kepada Yth. Walikota Contoh di Contoh",
        "Peraturan Walikota Contoh Nomor 7 Tahun 2024 Pasal 10",
        "Kepala Dinas Komunikasi, Informatika dan Statistik Kota Contoh",
        "Tembusan: 1. Inspektur Kota Contoh",
        "Bukan kewenangan Pemerintah Kota Contoh",
        "SIKESAL Kota Contoh",
    ):
        assert line in text, line
