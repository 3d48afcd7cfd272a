"""A server without WeasyPrint's system libraries: every PDF door says so plainly, nothing
is half-submitted, and the log and the commands name the packages to install."""

import io
import logging

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sikesal.reports import pdf
from sikesal.reports.models import MonthlyRecap, RecapSubmission
from sikesal.reports.tests.test_recap_submission import march_recap, recap_url  # noqa: F401

pytestmark = pytest.mark.django_db

PANGO_MISSING = "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object"


@pytest.fixture
def no_pdf_libraries(monkeypatch):
    """What cffi raises inside `import weasyprint` when Pango is not installed."""

    def load():
        raise OSError(PANGO_MISSING)

    monkeypatch.setattr(pdf, "_load_weasyprint", load)
    # A PdfUnavailable escaping to the test is a failure here, not a reason to skip.
    monkeypatch.setenv("SIKESAL_REQUIRE_PDF", "1")


def _logged_packages(caplog) -> bool:
    return any(
        record.levelno == logging.ERROR and "apt-get install libpango-1.0-0" in record.getMessage()
        for record in caplog.records
    )


@pytest.mark.usefixtures("no_pdf_libraries", "march_recap")
def test_a_draft_pdf_explains_itself_and_the_xlsx_still_downloads(client, people, caplog):
    client.force_login(people.head)

    response = client.get(recap_url() + "?unduh=pdf")

    assert response.status_code == 503
    assert "PDF tidak dapat dibuat" in response.content.decode()
    assert _logged_packages(caplog)
    assert client.get(recap_url() + "?unduh=xlsx").status_code == 200


@pytest.mark.usefixtures("no_pdf_libraries", "march_recap")
def test_a_submission_that_cannot_make_its_pdf_sends_nothing_and_keeps_the_remarks(
    client, people, caplog
):
    client.force_login(people.head)
    register = people.pupr.assignments.order_by("register_seq").first().register_number

    response = client.post(
        recap_url(), {"action": "submit", f"ket-{register}": "Menunggu anggaran."}, follow=True
    )

    assert response.status_code == 200
    assert "Rekapitulasi belum terkirim" in response.content.decode()
    assert not RecapSubmission.objects.exists()
    recap = MonthlyRecap.objects.get(agency=people.pupr, year=2026, month=3)
    assert recap.remarks == {register: "Menunggu anggaran."}
    assert _logged_packages(caplog)


@pytest.mark.usefixtures("no_pdf_libraries")
@pytest.mark.parametrize(
    "query",
    [
        ("monitoring:semester_pdf", "year=2026&semester=1"),
        ("monitoring:incidental_pdf", "start=2026-03-01&end=2026-03-31"),
    ],
)
def test_the_reports_to_the_mayor_explain_themselves(client, people, caplog, query):
    name, parameters = query
    client.force_login(people.secretariat)

    response = client.get(f"{reverse(name)}?{parameters}")

    assert response.status_code == 503
    assert "PDF tidak dapat dibuat" in response.content.decode()
    assert _logged_packages(caplog)


@pytest.mark.usefixtures("no_pdf_libraries")
@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("recap", {"agency": "dpupr", "month": "2026-03", "format": "pdf"}),
        ("semester_report", {"year": "2026", "semester": "1"}),
    ],
)
def test_the_commands_name_the_packages_to_install(people, tmp_path, command, options):
    output = tmp_path / "out.pdf"

    with pytest.raises(CommandError, match=r"apt-get install libpango-1\.0-0"):
        call_command(command, output=str(output), stdout=io.StringIO(), **options)

    assert not output.exists()
