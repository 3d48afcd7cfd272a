"""The citizen's and public pages' phone shell over HTTP: status colours from the status
groups, and /lapor/'s categories with the most used first."""

import re

import pytest
from django.urls import reverse

from sikesal.agencies.models import Category
from sikesal.complaints.models import Status
from sikesal.complaints.tests.conftest import complaint_in_state, file_complaint

pytestmark = pytest.mark.django_db

TONES = {
    Status.SUBMITTED: "pending",
    Status.IN_REVIEW: "pending",
    Status.NEEDS_CLARIFICATION: "pending",
    Status.ROUTED: "progress",
    Status.IN_PROGRESS: "progress",
    Status.RESPONDED: "answered",
    Status.CLOSED: "closed",
    Status.ARCHIVED: "closed",
    Status.DECLINED: "declined",
}


def badge(html: str, status: str) -> str:
    found = re.search(rf'status-tone--([a-z-]+)" data-status="{status}"', html)
    assert found, f"no badge for {status}"
    return found.group(1)


def test_every_status_has_a_tone_and_none_is_an_error(people, reporter_client):
    assert set(TONES) == set(Status)
    for status in Status:
        complaint_in_state(people, status)
    html = reporter_client.get(reverse("complaints:mine")).content.decode()
    assert {status: badge(html, status) for status in Status} == TONES


def test_public_pages_show_an_answered_complaint_as_answered(people, client):
    complaint, _ = complaint_in_state(people, Status.RESPONDED)
    listing = client.get(reverse("complaints:public_list")).content.decode()
    detail = client.get(reverse("complaints:public_detail", args=[complaint.tracking_number]))
    assert badge(listing, Status.RESPONDED) == "answered"
    assert badge(detail.content.decode(), Status.RESPONDED) == "answered"


def category_order(html: str) -> tuple[list[str], list[str]]:
    frequent, _, others = html.partition('class="more-choices"')
    names = re.compile(r'<span class="choice__label">([^<]+)</span>')
    return names.findall(
        frequent.split('class="field choice-group category-choice')[1]
    ), names.findall(others)


def test_lapor_shows_the_most_used_categories_first(people, reporter_client):
    waste = people.waste
    school = Category.objects.get(code="sekolah")
    for _ in range(3):
        file_complaint(people, category=school)
    file_complaint(people, category=waste)
    frequent, others = category_order(
        reporter_client.get(reverse("complaints:file")).content.decode()
    )
    assert frequent[:2] == [school.name, waste.name]
    assert len(frequent) == 6
    # Then the categories' own order; every active category is offered exactly once.
    ordered = list(Category.objects.filter(is_active=True).exclude(pk__in=[school.pk, waste.pk]))
    assert frequent[2:] == [category.name for category in ordered[:4]]
    assert others == [category.name for category in ordered[4:]]


def test_a_chosen_other_category_opens_the_list(people, reporter_client):
    last = Category.objects.filter(is_active=True).last()
    response = reporter_client.post(
        reverse("complaints:file"), {"intent": "submit", "category": last.pk}
    )
    html = response.content.decode()
    assert '<details class="more-choices" open>' in html
    assert re.search(rf'value="{last.pk}" id="[^"]+" checked', html)
