"""Root URL configuration: each app owns its own urls.py."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("sikesal.core.urls")),
    path("", include("sikesal.pwa.urls")),
    path("", include("sikesal.accounts.urls")),
    path("opd/", include("sikesal.agencies.urls")),
    path("wilayah/", include("sikesal.agencies.region_urls")),
    path("", include("sikesal.complaints.urls")),
    path("staf/", include("sikesal.complaints.staff_urls")),
    path("staf/", include("sikesal.reports.monitoring_urls")),
    path("staf/", include("sikesal.agencies.staff_urls")),
    path("", include("sikesal.reports.urls")),
    path("notifikasi/", include("sikesal.notifications.urls")),
    path("api/", include("sikesal.api.urls")),
    path("open311/", include("sikesal.open311.urls")),
    path("admin/", admin.site.urls),
    # Anyone may switch the language, signed in or not.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]

handler400 = "sikesal.core.views.bad_request"
handler403 = "sikesal.core.views.permission_denied"
handler404 = "sikesal.core.views.page_not_found"
handler500 = "sikesal.core.views.server_error"
