"""Indonesian first: the browser's language does not switch the site, the visitor's choice does."""

import pytest

pytestmark = pytest.mark.django_db


def test_english_browser_still_gets_indonesian(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()
    assert response.headers["Content-Language"] == "id"


def test_choosing_english_switches_and_persists(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    assert 'lang="en"' in response.content.decode()
    assert response.headers["Content-Language"] == "en"


def test_unknown_language_cookie_falls_back_to_indonesian(client):
    client.cookies["django_language"] = "fr"
    response = client.get("/")
    assert 'lang="id"' in response.content.decode()


def test_a_signed_in_persons_saved_language_applies_without_a_cookie(client):
    from sikesal.accounts.services import user_create

    user = user_create(username="john", password=None, full_name="John", email="j@contoh.id")
    user.language = "en"
    user.save()
    client.force_login(user)
    assert 'lang="en"' in client.get("/").content.decode()
    client.cookies["django_language"] = "id"
    assert 'lang="id"' in client.get("/").content.decode()
