from django.urls import path

from sikesal.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/dibaca/", views.notification_read, name="read"),
    path("dibaca-semua/", views.notification_read_all, name="read_all"),
]
