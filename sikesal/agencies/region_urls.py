"""Public region look-ups, mounted at /wilayah/."""

from django.urls import path

from sikesal.agencies import views

app_name = "regions"

urlpatterns = [
    path("lokasi/", views.region_locate, name="locate"),
]
