"""Photos reach exactly those who may see them: never a guessable public file."""

import pytest
from django.test import Client

from sikesal.complaints.models import ComplaintPhoto
from sikesal.complaints.tests.conftest import file_complaint, stored_photo
from sikesal.complaints.workflow import Route, transition


def staged(user, colour: str = "red") -> ComplaintPhoto:
    return stored_photo(user, colour=colour)


def status_for(user, url: str) -> int:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


def routed_to_pupr(people, complaint):
    transition(complaint, "review", actor=people.secretariat)
    transition(complaint, "route", actor=people.secretariat, routes=[Route(people.pupr, True)])
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    return assignment


@pytest.fixture
def public_complaint_photos(people, media_root):
    """A public complaint with a submission photo, a clarification answer's photo (for the
    reporter) and an internal progress photo (staff only)."""
    submitted = staged(people.reporter)
    complaint = file_complaint(people, photos=[submitted])
    transition(complaint, "review", actor=people.secretariat)
    transition(complaint, "request_clarification", actor=people.secretariat, note="Di mana?")
    clarification = staged(people.reporter, "blue")
    transition(
        complaint,
        "answer_clarification",
        actor=people.reporter,
        note="Ini.",
        photos=[clarification],
    )
    transition(complaint, "route", actor=people.secretariat, routes=[Route(people.pupr, True)])
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    internal = staged(people.officer, "black")
    transition(
        complaint,
        "update",
        actor=people.officer,
        assignment=assignment,
        note="Catatan internal.",
        photos=[internal],
        public=False,
    )
    return submitted, clarification, internal


def test_a_public_complaints_photo_is_served_to_anyone_as_the_stored_jpeg(
    client, public_complaint_photos
):
    submitted, _clarification, _internal = public_complaint_photos

    response = client.get(submitted.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == submitted.image.read()
    assert "private" in response["Cache-Control"]
    assert client.get(submitted.thumbnail_url).status_code == 200


@pytest.mark.parametrize(
    ("photo_index", "expected"),
    [
        # (submitted, clarification, internal) x (anonymous, other citizen, reporter,
        # officer of the agency, officer of another agency, Secretariat)
        (0, [200, 200, 200, 200, 200, 200]),
        (1, [404, 404, 200, 200, 404, 200]),
        (2, [404, 404, 404, 200, 404, 200]),
    ],
)
def test_who_sees_which_photo_of_a_public_complaint(
    people, public_complaint_photos, photo_index, expected
):
    photo = public_complaint_photos[photo_index]
    viewers = [
        None,
        people.other_citizen,
        people.reporter,
        people.officer,
        people.dlh_officer,
        people.secretariat,
    ]

    for url in (photo.url, photo.thumbnail_url):
        assert [status_for(viewer, url) for viewer in viewers] == expected


def test_a_confidential_complaints_photos_reach_only_its_reporter_and_its_handlers(
    people, media_root
):
    photo = staged(people.reporter)
    complaint = file_complaint(people, photos=[photo], is_confidential=True)
    routed_to_pupr(people, complaint)

    assert status_for(None, photo.url) == 404
    assert status_for(people.other_citizen, photo.url) == 404
    assert status_for(people.dlh_officer, photo.url) == 404
    assert status_for(people.reporter, photo.url) == 200
    assert status_for(people.officer, photo.url) == 200
    assert status_for(people.secretariat, photo.url) == 200
    assert status_for(people.executive, photo.url) == 200


def test_a_staged_photo_is_its_uploaders_alone(people, media_root):
    photo = staged(people.reporter)

    assert status_for(people.reporter, photo.thumbnail_url) == 200
    assert status_for(people.other_citizen, photo.thumbnail_url) == 404
    assert status_for(people.secretariat, photo.thumbnail_url) == 404
    assert status_for(None, photo.thumbnail_url) == 404


def test_an_unknown_photo_is_404_and_media_is_not_served_directly(client, people, media_root):
    photo = staged(people.reporter)
    file_complaint(people, photos=[photo])

    assert client.get("/foto/999999/").status_code == 404
    assert client.get("/media/" + photo.image.name).status_code == 404


def test_behind_nginx_django_only_decides_and_nginx_sends_the_file(
    client, people, public_complaint_photos, settings
):
    settings.SIKESAL_MEDIA_ACCEL_REDIRECT = "/protected-media/"
    submitted, _clarification, internal = public_complaint_photos

    response = client.get(submitted.thumbnail_url)

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + submitted.thumbnail.name
    assert response.content == b""
    assert client.get(internal.url).status_code == 404
