"""The OpenAPI schema at /api/schema/."""

from django.core.management import call_command


def test_the_schema_is_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "SIKESAL API"


def test_the_schema_validates_without_a_warning(tmp_path):
    # drf-spectacular warns where it must guess (an untyped field, a view without a
    # serializer): every endpoint must be described, not guessed.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )

    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.")
