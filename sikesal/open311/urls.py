"""/open311/: the GeoReport v2 server (sikesal/open311/views.py)."""

app_name = "open311"
urlpatterns: list = []
