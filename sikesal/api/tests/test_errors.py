"""The API's one error shape, in the language the client asks for."""

import pytest


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_an_unknown_address_is_a_404_in_the_error_shape(client, method):
    response = getattr(client, method)("/api/v1/tidak-ada/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": {"code": "not_found", "message": "Tidak ditemukan."}}


def test_an_app_gets_messages_in_the_language_it_asks_for(client):
    response = client.get("/api/v1/tidak-ada/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.json()["error"]["message"] == "Not found."
    assert response["Content-Language"] == "en"


def test_an_unknown_language_gets_indonesian(client):
    response = client.get("/api/v1/tidak-ada/", HTTP_ACCEPT_LANGUAGE="fr, de;q=0.5")

    assert response.json()["error"]["message"] == "Tidak ditemukan."


def test_a_browser_page_still_ignores_accept_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Language"] == "id"
