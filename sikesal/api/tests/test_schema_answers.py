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
# Found by .ci/api-fuzz; the fix is in sikesal/api/citizen/views.py (api-citizen's area):
# ComplaintListView and NotificationListView declare `CitizenComplaintListSerializer(many=
# True)` / `CitizenNotificationSerializer(many=True)` without `pagination_class`, so the
# schema says "array"; with `pagination_class = PagePagination` on the view (and
# `self.paginator`), drf-spectacular documents the page. strict: once fixed, remove the mark
# here and the two KNOWN entries at the end of .ci/schemathesis.toml.
KNOWN = {
    "/api/v1/complaints/": "GET /api/v1/complaints/ documented as an array, answers a page",
    "/api/v1/notifications/": "GET /api/v1/notifications/ documented as an array, answers a page",
}


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


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(path, marks=pytest.mark.xfail(strict=True, reason=KNOWN[path]))
        if path in KNOWN
        else path
        for path in sorted(PAGED)
    ],
)
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
