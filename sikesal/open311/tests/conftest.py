"""Fixtures for the Open311 tests: the complaint tests' cast, clients with keys, and the
field lists of the GeoReport v2 specification (and the mySociety extension), written
once, from the spec, for every test to validate answers against."""

import re
from datetime import datetime

import pytest

from sikesal.complaints.tests.conftest import (  # noqa: F401 (fixtures used by name)
    _cast_snapshot,
    media_root,
    people,
)
from sikesal.open311.models import Open311Client

# --- the specification's field lists (wiki.open311.org/GeoReport_v2; mySociety's
# "Open311 FMS - Complete Spec" for servicerequestupdates) ---------------------------------

DISCOVERY_FIELDS = {"changeset", "contact", "key_service", "endpoints"}
ENDPOINT_FIELDS = {"specification", "url", "changeset", "type", "formats"}
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
SERVICE_TYPES = {"realtime", "batch", "blackbox"}
DEFINITION_FIELDS = {"service_code", "attributes"}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
}
LIST_DATATYPES = {"singlevaluelist", "multivaluelist"}
DATATYPES = {"string", "number", "datetime", "text", *LIST_DATATYPES}
VALUE_FIELDS = {"key", "name"}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
REQUEST_STATUSES = {"open", "closed"}
POST_RESPONSE_FIELDS = {"service_request_id", "token", "service_notice", "account_id"}
TOKEN_FIELDS = {"service_request_id", "token"}
UPDATE_FIELDS = {
    "update_id",
    "service_request_id",
    "status",
    "updated_datetime",
    "description",
    "media_url",
}
UPDATE_STATUSES = {
    "OPEN",
    "INVESTIGATING",
    "IN_PROGRESS",
    "ACTION_SCHEDULED",
    "FIXED",
    "CLOSED",
    "DUPLICATE",
    "NOT_COUNCILS_RESPONSIBILITY",
    "NO_FURTHER_ACTION",
    "INTERNAL_REFERRAL",
    "UNABLE_TO_FIX",
}
POST_UPDATE_FIELDS = {"update_id"}
ERROR_FIELDS = {"code", "description"}

# w3c datetime with an explicit offset (the spec: "Timezone information must be included").
_W3C = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)")


def assert_w3c(value) -> None:
    assert isinstance(value, str) and _W3C.fullmatch(value), value
    assert datetime.fromisoformat(value).utcoffset() is not None


def assert_service(service: dict) -> None:
    assert set(service) == SERVICE_FIELDS
    assert service["type"] in SERVICE_TYPES
    assert str(service["metadata"]).lower() in {"true", "false"}


def assert_definition(definition: dict) -> None:
    assert set(definition) == DEFINITION_FIELDS
    attributes = definition["attributes"]
    if isinstance(attributes, dict):  # XML: <attributes><attribute>...
        attributes = attributes["attribute"]
    for attribute in attributes:
        assert set(attribute) - {"values"} == ATTRIBUTE_FIELDS
        assert attribute["datatype"] in DATATYPES
        if attribute["datatype"] in LIST_DATATYPES:
            values = attribute["values"]
            values = values["value"] if isinstance(values, dict) else values
            assert values and all(set(v) == VALUE_FIELDS for v in values)


def assert_request(request: dict) -> None:
    assert set(request) == REQUEST_FIELDS
    assert request["status"] in REQUEST_STATUSES
    for field in ("requested_datetime", "updated_datetime"):
        assert_w3c(request[field])
    if request["expected_datetime"]:
        assert_w3c(request["expected_datetime"])


def assert_update(update: dict) -> None:
    assert set(update) == UPDATE_FIELDS
    assert update["status"] in UPDATE_STATUSES
    assert_w3c(update["updated_datetime"])


def assert_errors(errors: list) -> None:
    assert errors and all(set(e) == ERROR_FIELDS for e in errors)


@pytest.fixture
def fms(db) -> tuple[Open311Client, str]:
    """A FixMyStreet site allowed to file and to comment, and its key."""
    client = Open311Client(
        name="FixMyStreet Jambi", slug="fms", can_post_requests=True, can_post_updates=True
    )
    key = client.new_key()
    client.save()
    return client, key
