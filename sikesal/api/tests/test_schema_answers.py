"""Each paged list answers in the shape its schema documents (Schemathesis ST108: a list
documented as a bare array answered {"count", "next", "previous", "results"})."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from sikesal.complaints.tests.conftest import file_complaint

# Each paged list, asked by a person who may read it.
PAGED = {
    "/api/v1/complaints/": "reporter",
    "/api/v1/notifications/": "reporter",
    "/api/v1/auth/devices/": "reporter",
    "/api/v1/staff/complaints/": "secretariat",
}
# Found by .ci/api-fuzz (ST108): GET /api/v1/complaints/ and /notifications/ were
# documented as arrays (no paginator declared on the views) and answered a page.


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_every_paged_list_is_checked(db):
    schema = _schema()
    paged = {
        path
        for path, operations in schema["paths"].items()
        if any(p["name"] == "page" for p in operations.get("get", {}).get("parameters", []))
    }

    assert paged - set(PAGED) == set()


@pytest.mark.parametrize("path", sorted(PAGED))
def test_a_paged_list_answers_as_its_schema_says(api_as, people, path):
    file_complaint(people)
    schema = _schema()
    components = schema["components"]["schemas"]
    if path not in schema["paths"]:
        pytest.skip(f"{path} is not on this branch")
    documented = _resolve(
        schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
        components,
    )

    answer = api_as(getattr(people, PAGED[path])).get(path).json()

    assert set(answer) == {"count", "next", "previous", "results"}
    assert documented.get("type") == "object"
    assert {"count", "next", "previous", "results"} <= set(documented["properties"])
