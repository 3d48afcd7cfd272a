from django.urls import path

from sikesal.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
]
