"""API v1: public endpoints (/api/v1/public/), the public pages' (/pengaduan/) for anyone."""

from django.urls import path

from sikesal.api.public import views

urlpatterns = [
    path("complaints/", views.PublicComplaintListView.as_view(), name="public_complaints"),
    path(
        "complaints/<str:tracking>/",
        views.PublicComplaintView.as_view(),
        name="public_complaint",
    ),
]
