"""Monthly recaps: the agencies' and the Secretariat's pages under /staf/rekap/, and the
public page that checks a printed recap (/rekap/<code>/)."""

from django.urls import path

from sikesal.reports.views import recaps

app_name = "reports"

urlpatterns = [
    path("staf/rekap/", recaps.recap_list, name="recaps"),
    path("staf/rekap/<slug:agency>/<str:month>/", recaps.recap_detail, name="recap"),
    path(
        "staf/rekap/<slug:agency>/<str:month>/v<int:version>.pdf",
        recaps.submission_pdf,
        name="submission_pdf",
    ),
    path("rekap/<str:code>/", recaps.verify, name="verify"),
]
