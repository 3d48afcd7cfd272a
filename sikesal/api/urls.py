"""/api/: the OpenAPI schema, its documentation pages and version 1 of the API.

Each area keeps its endpoints in its own package (account, reference, citizen, staff,
public); every view is a thin adapter over the selectors, services and
`workflow.transition` the web pages use.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from sikesal.api.views import NotFoundView

app_name = "api"

v1 = [
    path("", include("sikesal.api.account.urls")),
    path("", include("sikesal.api.reference.urls")),
    path("", include("sikesal.api.citizen.urls")),
    path("staff/", include("sikesal.api.staff.urls")),
    path("public/", include("sikesal.api.public.urls")),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("v1/", include(v1)),
    # Last: any other address gets a 404 in the API's error shape.
    re_path(r"", NotFoundView.as_view(), name="not_found"),
]
