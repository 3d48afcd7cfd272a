"""The staff console under /staf/: the Secretariat's queue and the agencies' assignments."""

from django.urls import path

from sikesal.complaints.views import staff

app_name = "staff"

urlpatterns = [
    path("", staff.queue, name="queue"),
    path("antrean.csv", staff.queue_export, name="queue_export"),
    path("pengaduan/<str:tracking>/", staff.complaint_detail, name="complaint"),
    path("pengaduan/<str:tracking>/identitas/", staff.reporter_identity, name="identity"),
    path("pengaduan/<str:tracking>/<str:action>/", staff.complaint_act, name="act"),
]
