"""Status colours: one tone per status group, decided in models.py, used by the staff pages.

An answered complaint must not look like an error, and every status has a tone (a status
added later without one would fail here, not as a KeyError on a page)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from sikesal.complaints.models import (
    ASSIGNMENT_STATUS_TONES,
    AWAITING_SECRETARIAT,
    CLOSED_OR_ARCHIVED,
    STATUS_TONES,
    WITH_AGENCIES,
    AssignmentStatus,
    Status,
    StatusTone,
)
from sikesal.complaints.tests.conftest import complaint_in_state

STATUS_CSS = Path(settings.BASE_DIR) / "static" / "css" / "sikesal.css"


def test_every_status_has_a_tone_from_its_group():
    assert set(STATUS_TONES) == set(Status)
    assert set(ASSIGNMENT_STATUS_TONES) == set(AssignmentStatus)
    assert {STATUS_TONES[s] for s in AWAITING_SECRETARIAT} == {StatusTone.PENDING}
    assert {STATUS_TONES[s] for s in WITH_AGENCIES} == {StatusTone.PROGRESS}
    assert {STATUS_TONES[s] for s in CLOSED_OR_ARCHIVED} == {StatusTone.CLOSED}
    assert STATUS_TONES[Status.RESPONDED] == StatusTone.ANSWERED
    assert ASSIGNMENT_STATUS_TONES[AssignmentStatus.RESPONDED] == StatusTone.ANSWERED


def test_every_tone_has_its_colour_and_none_is_the_error_red():
    css = STATUS_CSS.read_text()
    error_red = re.search(r"--color-error:\s*(#[0-9a-f]{6})", _sikesal_css()).group(1)
    for tone in StatusTone:
        rule = re.search(rf"\.status-tone--{tone.value}\s*\{{([^}}]*)\}}", css)
        assert rule, f"sikesal.css has no rule for the tone {tone.value}"
        assert "background" in rule.group(1)
        assert error_red not in rule.group(1).lower()
        assert "--color-error" not in rule.group(1)


def _sikesal_css() -> str:
    return (Path(settings.BASE_DIR) / "static" / "css" / "sikesal.css").read_text()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "tone"),
    [
        (Status.SUBMITTED, "pending"),
        (Status.IN_PROGRESS, "progress"),
        (Status.RESPONDED, "answered"),
        (Status.CLOSED, "closed"),
        (Status.DECLINED, "declined"),
    ],
)
def test_the_staff_pages_show_the_status_in_its_tone(client, people, status, tone):
    complaint, assignment = complaint_in_state(people, status)
    client.force_login(people.secretariat)

    detail = client.get(reverse("staff:complaint", args=[complaint.tracking_number]))
    queue = client.get(reverse("staff:queue"), {"status": "all"})

    badge = f'<span class="status-tone status-tone--{tone}">{complaint.get_status_display()}'
    assert badge in detail.content.decode()
    assert badge in queue.content.decode()
    if assignment is not None:
        expected = f"status-tone--{assignment.status_tone}"
        assert expected in detail.content.decode()


@pytest.mark.django_db
def test_an_agency_queue_shows_the_assignment_in_its_tone(client, people):
    complaint_in_state(people, Status.RESPONDED)
    client.force_login(people.officer)

    queue = client.get(reverse("staff:queue"))

    assert '<span class="status-tone status-tone--answered">Sudah dijawab</span>' in (
        queue.content.decode()
    )
