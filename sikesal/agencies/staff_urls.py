"""The agency pages of the staff console, under /staf/."""

from django.urls import path

from sikesal.agencies import views

app_name = "agency_staff"

urlpatterns = [
    path("opd/<slug:code>/profil/", views.agency_profile_edit, name="profile"),
]
