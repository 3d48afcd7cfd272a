"""The phone app's addresses, at the site root: a service worker's scope is the folder it
is served from, and stores look for /.well-known/ there."""

from django.urls import path

from sikesal.pwa.assetlinks import assetlinks

urlpatterns: list = [
    path(".well-known/assetlinks.json", assetlinks, name="assetlinks"),
]
