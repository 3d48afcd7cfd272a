"""API v1: staff endpoints (/api/v1/staff/), the staff console's (/staf/) for apps."""

from django.urls import path

from sikesal.api.staff import views

urlpatterns = [
    path("complaints/", views.StaffQueueView.as_view(), name="staff_queue"),
    path("complaints/<str:tracking>/", views.StaffComplaintView.as_view(), name="staff_complaint"),
    path(
        "complaints/<str:tracking>/identity/",
        views.StaffIdentityView.as_view(),
        name="staff_identity",
    ),
    path(
        "complaints/<str:tracking>/actions/<str:action>/",
        views.StaffActionView.as_view(),
        name="staff_action",
    ),
]
