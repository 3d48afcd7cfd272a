"""The phone app's addresses, at the site root: a service worker's scope is the folder it
is served from, and stores look for /.well-known/ there."""

urlpatterns: list = []
