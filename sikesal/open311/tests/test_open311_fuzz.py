"""Generated hostile values for every parameter and field /open311/ reads: never a
server error, always a GeoReport answer (a list in JSON)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sikesal.complaints.models import Complaint
from sikesal.core.tests.test_fuzz import KNOWN_HOSTILE
from sikesal.open311.tests.test_open311_post import request_fields

pytestmark = pytest.mark.django_db

hostile = st.one_of(
    st.sampled_from(
        [
            *KNOWN_HOSTILE,
            "",
            "1e308",
            "-1e308",
            "nan",
            "inf",
            "2026-02-30",
            "2026-12-05T25:00:00+07:00",
            "2026-12-05T08:00:00+99:00",
            "9999-12-31T23:59:59-23:59",
            "open,,closed",
            ",",
        ]
    ),
    st.text(max_size=60),
)
GET_PARAMS = ["service_request_id", "service_code", "start_date", "end_date", "status"]
POST_FIELDS = [
    "service_code",
    "lat",
    "long",
    "description",
    "first_name",
    "name",
    "email",
    "phone",
    "address_string",
    "attribute[report_type]",
    "attribute[confidential]",
    "attribute[title]",
    "jurisdiction_id",
]
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def assert_georeport(response) -> None:
    assert response.status_code < 500, response.content
    if response["Content-Type"].startswith("application/json"):
        assert isinstance(response.json(), list)


@FUZZ
@given(
    path=st.sampled_from(["/open311/v2/requests.json", "/open311/v2/servicerequestupdates.json"]),
    name=st.sampled_from(GET_PARAMS),
    value=hostile,
)
def test_get_parameters(client, people, path, name, value):
    assert_georeport(client.get(path, {name: value}))


@FUZZ
@given(segment=hostile)
def test_path_segments(client, people, segment):
    for prefix in ("requests", "tokens", "services"):
        assert_georeport(client.get(f"/open311/v2/{prefix}/{segment}.json"))


@FUZZ
@given(name=st.sampled_from(POST_FIELDS), value=hostile)
def test_post_fields(client, people, fms, name, value):
    _fms, key = fms
    before = Complaint.objects.count()
    response = client.post("/open311/v2/requests.json", request_fields(key, **{name: value}))
    assert_georeport(response)
    if response.status_code != 200:
        assert Complaint.objects.count() == before
