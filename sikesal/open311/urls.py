"""/open311/: the GeoReport v2 server (sikesal/open311/views.py), JSON and XML by suffix."""

from django.urls import path, re_path
from rest_framework.urlpatterns import format_suffix_patterns

from sikesal.open311 import views

app_name = "open311"

urlpatterns = format_suffix_patterns(
    [
        path("discovery", views.DiscoveryView.as_view(), name="discovery"),
        path("v2/services", views.ServiceListView.as_view(), name="services"),
        path("v2/services/<slug:code>", views.ServiceDefinitionView.as_view(), name="service"),
        path("v2/requests", views.RequestListView.as_view(), name="requests"),
        path("v2/requests/<slug:request_id>", views.RequestDetailView.as_view(), name="request"),
        path("v2/tokens/<slug:token>", views.TokenView.as_view(), name="token"),
        path("v2/servicerequestupdates", views.UpdateListView.as_view(), name="updates"),
    ],
    allowed=["json", "xml"],
)
# Last: any other address gets a GeoReport 404, not an HTML page.
urlpatterns.append(re_path(r"", views.NotFoundView.as_view(), name="not_found"))
