"""The Secretariat's monitoring and reports under /staf/ (Perwal Jambi 40/2017 Pasal 10)."""

from django.urls import path

from sikesal.reports.views import monitoring

app_name = "monitoring"

urlpatterns = [
    path("pantau/", monitoring.dashboard, name="dashboard"),
    path("laporan/", monitoring.reports, name="reports"),
    path("laporan/semester.pdf", monitoring.semester_pdf, name="semester_pdf"),
    path("laporan/insidental.pdf", monitoring.incidental_pdf, name="incidental_pdf"),
    path("laporan/pengaduan.csv", monitoring.rows_csv, name="rows_csv"),
    path("laporan/pengaduan.xlsx", monitoring.rows_xlsx, name="rows_xlsx"),
    path("laporan/angka.xlsx", monitoring.figures_xlsx_download, name="figures_xlsx"),
]
