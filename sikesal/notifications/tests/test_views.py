"""/notifikasi/: each person sees and marks only their own notifications."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sikesal.accounts.models import User
from sikesal.accounts.tests.factories import UserFactory
from sikesal.notifications.context_processors import notifications as unread_context
from sikesal.notifications.models import Notification
from sikesal.notifications.services import (
    notification_list_for,
    notification_mark_read,
    notification_unread_count,
)
from sikesal.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/notifikasi/"


@pytest.fixture
def citi(db) -> User:
    return UserFactory(username="citi", full_name="Citi Rahma")


@pytest.fixture
def ani_client(client: Client, ani: User) -> Client:
    client.force_login(ani)
    return client


def test_the_list_url():
    assert reverse("notifications:list") == LIST_URL


def test_the_list_needs_a_login(client: Client):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_person_sees_only_their_own_notifications(ani_client, ani, citi):
    NotificationFactory(recipient=ani, title="Untuk Ani")
    NotificationFactory(recipient=citi, title="Untuk Citi")

    response = ani_client.get(LIST_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Untuk Ani" in html
    assert "Untuk Citi" not in html
    assert [n.title for n in response.context["notifications"]] == ["Untuk Ani"]
    assert str(response.context["notification_unread_count"]) == "1"


def test_the_list_is_newest_first_and_paged(ani_client, ani):
    NotificationFactory.create_batch(25, recipient=ani)

    first = ani_client.get(LIST_URL)
    second = ani_client.get(LIST_URL, {"page": 2})

    assert len(first.context["notifications"]) == 20
    assert len(second.context["notifications"]) == 5
    ids = [n.pk for n in first.context["notifications"]]
    assert ids == sorted(ids, reverse=True)


def test_the_list_runs_a_fixed_number_of_queries(ani_client, ani, django_assert_max_num_queries):
    NotificationFactory.create_batch(20, recipient=ani)

    # session, user, the user's roles (navigation), page count, page, unread count
    with django_assert_max_num_queries(6):
        ani_client.get(LIST_URL)


def test_an_empty_list_says_so(ani_client):
    assert "Belum ada pemberitahuan untuk Anda." in ani_client.get(LIST_URL).content.decode()


def test_marking_read_with_a_plain_form_returns_to_the_list(ani_client, ani):
    notification = NotificationFactory(recipient=ani)

    response = ani_client.post(reverse("notifications:read", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_read_with_htmx_returns_the_item_and_the_counters(ani_client, ani):
    notification = NotificationFactory(recipient=ani, title="Pengaduan diteruskan")
    NotificationFactory(recipient=ani)

    response = ani_client.post(
        reverse("notifications:read", args=[notification.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{notification.pk}"' in html
    assert "notification--unread" not in html
    assert "Tandai sudah dibaca" not in html
    assert '<span hx-swap-oob="innerHTML:.notification-unread-count">1</span>' in html
    assert "“Pengaduan diteruskan” ditandai sudah dibaca." in html


def test_another_persons_notification_is_a_404_and_stays_unread(ani_client, citi):
    theirs = NotificationFactory(recipient=citi)

    for url in (
        reverse("notifications:read", args=[theirs.pk]),
        reverse("notifications:open", args=[theirs.pk]),
    ):
        method = ani_client.post if url.endswith("/dibaca/") else ani_client.get
        assert method(url).status_code == 404
    assert ani_client.post(reverse("notifications:read", args=[999999])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_post(ani_client, ani):
    notification = NotificationFactory(recipient=ani)

    assert ani_client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_opening_a_notification_marks_it_read_and_follows_its_link(ani_client, ani):
    notification = NotificationFactory(recipient=ani, url="/opd/")

    response = ani_client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/opd/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_never_redirects_off_site(ani_client, ani):
    notification = NotificationFactory(recipient=ani, url="https://evil.example/")

    response = ani_client.get(reverse("notifications:open", args=[notification.pk]))

    assert response["Location"] == LIST_URL


def test_mark_all_read_touches_only_ones_own(ani_client, ani, citi):
    NotificationFactory.create_batch(2, recipient=ani)
    theirs = NotificationFactory(recipient=citi)

    response = ani_client.post(reverse("notifications:read_all"), follow=True)

    assert notification_unread_count(ani) == 0
    assert "Semua pemberitahuan ditandai sudah dibaca." in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_twice_keeps_the_first_time(ani):
    notification = NotificationFactory(recipient=ani)
    first = notification_mark_read(user=ani, notification_id=notification.pk).read_at

    again = notification_mark_read(user=ani, notification_id=notification.pk)

    assert again.read_at == first


def test_anonymous_users_have_no_notifications(ani, rf):
    from django.contrib.auth.models import AnonymousUser

    NotificationFactory(recipient=ani)

    assert list(notification_list_for(AnonymousUser())) == []
    request = rf.get("/")
    request.user = AnonymousUser()
    assert unread_context(request) == {}


def test_the_context_processor_counts_lazily(ani, rf, django_assert_num_queries):
    NotificationFactory.create_batch(2, recipient=ani)
    NotificationFactory(recipient=ani, read_at=timezone.now())
    request = rf.get("/")
    request.user = ani

    with django_assert_num_queries(0):
        context = unread_context(request)
    with django_assert_num_queries(1):
        assert str(context["notification_unread_count"]) == "2"
    assert Notification.objects.count() == 3
