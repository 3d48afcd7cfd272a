"""The phone app's addresses, at the site root: a service worker's scope is the folder it
is served from, and stores look for /.well-known/ there."""

from django.urls import path

from sikesal.pwa import views
from sikesal.pwa.assetlinks import assetlinks

app_name = "pwa"

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(".well-known/assetlinks.json", assetlinks, name="assetlinks"),
]
