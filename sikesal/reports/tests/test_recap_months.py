"""Which months a recap is owed for: none before the go-live month, the running month listed
as in progress; and reading a recap never creates its row."""

from datetime import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from sikesal.complaints.tests.conftest import JAKARTA
from sikesal.notifications.models import Notification
from sikesal.reports import jobs
from sikesal.reports.models import MonthlyRecap, RecapState
from sikesal.reports.recap import Month
from sikesal.reports.tests.test_recap import accepted

pytestmark = pytest.mark.django_db

FOURTH_OF_DECEMBER = datetime(2026, 12, 4, 10, tzinfo=JAKARTA)


def listed(client, user, query: str = "") -> list[tuple[str, str, str]]:
    client.force_login(user)
    page = client.get(reverse("reports:recaps") + query)
    assert page.status_code == 200
    return [(row["agency"].code, str(row["month"]), row["state"]) for row in page.context["rows"]]


def test_a_new_deployment_owes_nothing_and_lists_the_running_month(client, people):
    # Given no complaint and no go-live month configured, when the head opens the list
    with freeze_time(FOURTH_OF_DECEMBER):
        rows = listed(client, people.head)
        page = client.get(reverse("reports:recaps")).content.decode()

    # then only December is listed, in progress, and nothing is late.
    assert rows == [("dpupr", "2026-12", RecapState.IN_PROGRESS)]
    assert "Berjalan" in page
    assert "Belum dikirim (terlambat)" not in page


def test_the_head_sees_the_running_month_and_none_before_go_live(client, people, settings):
    settings.SIKESAL_GO_LIVE_MONTH = "2026-10"

    with freeze_time(FOURTH_OF_DECEMBER):
        rows = listed(client, people.head)

    assert rows == [
        ("dpupr", "2026-12", RecapState.IN_PROGRESS),
        ("dpupr", "2026-11", RecapState.DRAFT),
        ("dpupr", "2026-10", RecapState.MISSING),
    ]


def test_without_a_setting_the_first_complaint_sets_the_go_live_month(client, people):
    accepted(people, at=datetime(2026, 9, 15, 9, tzinfo=JAKARTA))

    with freeze_time(FOURTH_OF_DECEMBER):
        months = [month for _code, month, _state in listed(client, people.head)]
        secretariat_rows = listed(client, people.secretariat, "?bulan=2026-08")

    assert months == ["2026-12", "2026-11", "2026-10", "2026-09"]
    assert {month for _code, month, _state in secretariat_rows} == {"2026-09"}


def test_the_secretariat_cannot_go_before_go_live(client, people, settings):
    settings.SIKESAL_GO_LIVE_MONTH = "2026-12"
    client.force_login(people.secretariat)

    with freeze_time(FOURTH_OF_DECEMBER):
        default = client.get(reverse("reports:recaps"))
        earlier = client.get(reverse("reports:recaps") + "?bulan=2026-06")

    for page in (default, earlier):
        assert page.context["month"] == Month(2026, 12)
        assert page.context["previous"] is None
        assert {row["state"] for row in page.context["rows"]} == {RecapState.IN_PROGRESS}
        assert "Bulan sebelumnya" not in page.content.decode()


def test_a_month_before_go_live_has_no_recap_page(client, people, settings):
    settings.SIKESAL_GO_LIVE_MONTH = "2026-11"
    client.force_login(people.head)

    with freeze_time(FOURTH_OF_DECEMBER):
        before = client.get(reverse("reports:recap", args=["dpupr", "2026-10"]))
        running = client.get(reverse("reports:recap", args=["dpupr", "2026-12"]))

    assert before.status_code == 404
    assert running.status_code == 200
    assert "Berjalan" in running.content.decode()


def test_no_drafts_or_reminders_for_a_month_before_go_live(people, settings):
    settings.SIKESAL_GO_LIVE_MONTH = "2026-12"

    made = jobs.recap_drafts_create(now=datetime(2026, 12, 1, 0, 30, tzinfo=JAKARTA))
    reminded = jobs.recap_reminders_send(now=datetime(2026, 12, 5, 8, tzinfo=JAKARTA))

    assert (made, reminded) == (0, 0)
    assert not MonthlyRecap.objects.exists()
    assert not Notification.objects.filter(kind="recap_reminder").exists()


def test_reading_a_recap_never_creates_its_row(client, people, media_root):
    # Given a March recap with rows but no MonthlyRecap row (the 1st's job has not run)
    accepted(people, at=datetime(2026, 3, 2, 9, tzinfo=JAKARTA))
    url = reverse("reports:recap", args=["dpupr", "2026-03"])
    client.force_login(people.head)

    # when the head reads the page, both downloads and the list
    with freeze_time(datetime(2026, 4, 3, 9, tzinfo=JAKARTA)):
        responses = [
            client.get(url),
            client.get(url + "?unduh=pdf"),
            client.get(url + "?unduh=xlsx"),
            client.get(reverse("reports:recaps")),
        ]
        assert [r.status_code for r in responses] == [200, 200, 200, 200]
        assert not MonthlyRecap.objects.exists()

        # then only writing remarks makes the row.
        client.post(url, {"action": "save"})
    assert MonthlyRecap.objects.count() == 1
