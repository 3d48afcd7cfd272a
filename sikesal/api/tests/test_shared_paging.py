"""PagePagination, which every paged list of the API shares: a page number that is not a
whole number from 1 is a 400 in the error shape; a page past the last a 404."""

import pytest
from django.urls import include, path
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny

from sikesal.agencies.models import Category
from sikesal.api.pagination import PagePagination


class _CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code"]


class _Categories(ListAPIView):
    permission_classes = [AllowAny]
    pagination_class = PagePagination
    serializer_class = _CategorySerializer
    queryset = Category.objects.order_by("code")


urlpatterns = [
    path("api/v1/uji-halaman/", _Categories.as_view()),
    path("", include("config.urls")),
]
pytestmark = pytest.mark.urls(__name__)


@pytest.mark.parametrize("page", ["0", "-1", "1.5", "x", "", "\u0661", "²", "null"])
def test_a_page_that_is_not_a_whole_number_from_1_is_a_400(api, reference_data, page):
    response = api.get("/api/v1/uji-halaman/", {"page": page})

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "Periksa isian yang ditandai.",
            "fields": {"page": ["Bilangan bulat mulai dari 1."]},
        }
    }


@pytest.mark.parametrize("page", ["1000", "9" * 40])
def test_a_page_past_the_last_is_a_404(api, reference_data, page):
    response = api.get("/api/v1/uji-halaman/", {"page": page, "page_size": "100"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_first_last_and_default_pages(api, reference_data):
    count = Category.objects.count()

    first = api.get("/api/v1/uji-halaman/", {"page_size": "2"}).json()
    last = api.get("/api/v1/uji-halaman/", {"page_size": "2", "page": "last"}).json()

    assert first["count"] == count
    assert [c["code"] for c in first["results"]] == list(
        Category.objects.order_by("code").values_list("code", flat=True)[:2]
    )
    assert last["next"] is None


def test_the_schema_documents_the_shared_refusals_on_every_operation(api, db):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/v1/uji-halaman/"]["get"]
    # A control character in the address, the throttles and a busy database: any endpoint;
    # a bad token: any endpoint that reads one; a page past the last: a paged list.
    assert {"400", "401", "404", "429", "503"} <= set(operation["responses"])
    example = operation["responses"]["404"]["content"]["application/json"]["examples"]
    assert example == {
        "not_found": {
            "value": {
                "error": {
                    "code": "not_found",
                    "message": ("Halaman tidak ada (melewati halaman terakhir)."),
                }
            }
        }
    }
