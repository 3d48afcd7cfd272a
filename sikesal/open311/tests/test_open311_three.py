"""POST requests and tokens through `three` (PyPI), Code for America's Open311 client,
over HTTP against a live server.

`three` is the Python Open311 library that files requests and reads tokens (`georeport`,
test_open311_client_library.py, only reads). It was written for Python 2: its one
Python 2 name, `itertools.ifilter`, is given to it as the built-in `filter` before it is
imported; nothing else of it is changed. Its XML reader needs Python 2's ElementTree, so
it is used in JSON; an XML POST answer is read in test_open311_post.py and an XML token in
test_open311_client_library.py.
"""

import itertools

from sikesal.complaints.models import Complaint
from sikesal.complaints.tests.conftest import file_complaint, routed
from sikesal.open311.tests.conftest import POST_RESPONSE_FIELDS, TOKEN_FIELDS, assert_request
from sikesal.open311.tests.test_open311_client_library import JURISDICTION

itertools.ifilter = filter  # Python 2's name, which `three.core` imports
import three  # noqa: E402 (after the name it needs)


def client(live_server, api_key: str = "") -> three.Three:
    return three.Three(
        f"{live_server.url}/open311/v2",
        format="json",
        jurisdiction=JURISDICTION,
        api_key=api_key,
    )


def test_three_files_a_request_and_finds_it_by_token(
    live_server, transactional_db, people, fms, media_root
):
    _fms, key = fms
    library = client(live_server, key)

    answer = library.post(
        "jalan",
        lat="-1.638",
        long="103.644",
        address="Jl. Soekarno-Hatta depan gerbang bandara",
        name="Rina Marlina",  # `three` splits it into first_name and last_name
        email="rina@contoh.id",
        description="Jalan berlubang besar di depan bandara",
    )

    assert library.post_response.status_code == 200, library.post_response.text
    [filed] = answer
    assert set(filed) == POST_RESPONSE_FIELDS
    complaint = Complaint.objects.get(tracking_number=filed["service_request_id"])
    assert complaint.channel == "open311:fms"
    assert complaint.reporter.full_name == "Rina Marlina"
    assert complaint.address == "Jl. Soekarno-Hatta depan gerbang bandara"

    [found] = library.token(filed["token"])
    assert set(found) == TOKEN_FIELDS
    assert found["service_request_id"] == filed["service_request_id"]


def test_three_is_refused_without_a_key_or_an_identity(live_server, transactional_db, people, fms):
    _fms, key = fms

    errors = client(live_server).post(
        "jalan", lat="-1.638", long="103.644", name="Rina Marlina", description="Lubang."
    )
    assert [error["code"] for error in errors] == [403]

    library = client(live_server, key)
    errors = library.post("jalan", lat="-1.638", long="103.644", description="Lubang.")
    assert library.post_response.status_code == 400
    assert {error["code"] for error in errors} == {400}
    assert not Complaint.objects.exists()


def test_three_reads_a_public_request(live_server, transactional_db, people, fms):
    complaint = routed(people, file_complaint(people), people.pupr)

    [request] = client(live_server).request(complaint.tracking_number)
    assert_request(request)
    assert request["service_request_id"] == complaint.tracking_number
    listed = client(live_server).requests("jalan")
    assert complaint.tracking_number in {r["service_request_id"] for r in listed}
