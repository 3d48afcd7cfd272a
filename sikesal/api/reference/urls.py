"""API v1: reference endpoints (public, cacheable)."""

from django.urls import path

from sikesal.api.reference import views

urlpatterns = [
    path("categories/", views.CategoryListView.as_view(), name="reference-categories"),
    path("regions/", views.RegionListView.as_view(), name="reference-regions"),
    path("regions/locate/", views.RegionLocateView.as_view(), name="reference-regions-locate"),
    path("agencies/", views.AgencyListView.as_view(), name="reference-agencies"),
    path("agencies/<slug:code>/", views.AgencyDetailView.as_view(), name="reference-agency"),
]
