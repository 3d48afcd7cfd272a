"""`manage.py load_demo_recaps`: two submitted recaps for `make run`, once."""

import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from sikesal.accounts.models import User
from sikesal.reports.jobs import previous_month
from sikesal.reports.models import MonthlyRecap, RecapState, RecapSubmission

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(reference_data, settings, media_root):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=StringIO())
    call_command("load_demo_complaints", stdout=StringIO())


def test_one_recap_on_time_one_late_and_only_once(demo):
    out = StringIO()
    call_command("load_demo_recaps", stdout=out)
    if "No demo recaps" in out.getvalue() and not os.environ.get("SIKESAL_REQUIRE_PDF"):
        pytest.skip(out.getvalue().strip())  # WeasyPrint's libraries are missing
    call_command("load_demo_recaps", stdout=out)

    states = {recap.agency.code: recap.state() for recap in MonthlyRecap.objects.all()}
    assert states == {"dpupr": RecapState.ON_TIME, "dlh": RecapState.LATE}
    assert RecapSubmission.objects.count() == 2
    assert "nothing to do" in out.getvalue()


def test_the_demo_shows_every_state_after_go_live(client, demo):
    call_command("load_demo_recaps", stdout=StringIO())
    if not RecapSubmission.objects.exists() and not os.environ.get("SIKESAL_REQUIRE_PDF"):
        pytest.skip("WeasyPrint's libraries are missing")
    before_last = previous_month(timezone.now()).previous

    def states(username: str, query: str = "") -> set[str]:
        client.force_login(User.objects.get(username=username))
        page = client.get(reverse("reports:recaps") + query)
        return {row["state"] for row in page.context["rows"]}

    secretariat = states("sekretariat", f"?bulan={before_last}")
    head = states("pupr.kepala")

    assert secretariat == {RecapState.ON_TIME, RecapState.LATE, RecapState.MISSING}
    # last month is a draft until the 10th, then not sent
    assert head - {RecapState.DRAFT, RecapState.MISSING} == {
        RecapState.IN_PROGRESS,
        RecapState.ON_TIME,
    }


def test_refuses_with_debug_off(demo, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("load_demo_recaps", stdout=StringIO())
    assert not RecapSubmission.objects.exists()
