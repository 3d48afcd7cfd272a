"""A method an API endpoint does not have is a 405 in the error shape, before any sign-in:
an app without a token is not told to sign in for a method that does not exist."""

import pytest
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import ViewSet


class _SignedInOnly(APIView):
    def get(self, request):
        return Response({})

    def post(self, request):
        return Response({})


class _Things(ViewSet):
    def list(self, request):
        return Response([])


urlpatterns = [
    path("api/v1/uji/", _SignedInOnly.as_view()),
    path("api/v1/benda/", _Things.as_view({"get": "list"})),
    path("", include("config.urls")),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("method", ["TRACE", "PUT", "PATCH", "DELETE", "FOO"])
def test_a_missing_method_is_a_405_before_authentication(api, db, method):
    response = api.generic(method, "/api/v1/uji/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert method in response.json()["error"]["message"]


@pytest.mark.urls(__name__)
def test_an_existing_method_still_asks_for_a_token(api, db):
    assert api.get("/api/v1/uji/").status_code == 401
    assert api.post("/api/v1/uji/").status_code == 401


@pytest.mark.urls(__name__)
def test_a_viewset_allows_only_its_mapped_methods(api, db):
    assert api.post("/api/v1/benda/").status_code == 405
    assert api.get("/api/v1/benda/").status_code == 401


def test_the_schema_answers_trace_with_a_405(api, db):
    response = api.generic("TRACE", "/api/schema/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
def test_an_unknown_api_address_stays_a_404_for_any_method(api, db, method):
    assert getattr(api, method)("/api/v1/tidak-ada/").status_code == 404
