"""The staff console under /staf/: the Secretariat's queue and the agencies' assignments."""

from django.urls import path

from sikesal.complaints.views import staff
from sikesal.intake import views as intake

app_name = "staff"

urlpatterns = [
    path("", staff.queue, name="queue"),
    path("antrean.csv", staff.queue_export, name="queue_export"),
    # Assisted intake: a complaint entered on a citizen's behalf (sikesal/intake).
    path("catat/", intake.intake, name="intake"),
    path("pengaduan/<str:tracking>/surat/<int:pk>/", intake.letter_scan, name="letter_scan"),
    path("pengaduan/<str:tracking>/", staff.complaint_detail, name="complaint"),
    path("pengaduan/<str:tracking>/identitas/", staff.reporter_identity, name="identity"),
    path("pengaduan/<str:tracking>/<str:action>/", staff.complaint_act, name="act"),
]
