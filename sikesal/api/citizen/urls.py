"""API v1: citizen endpoints (a signed-in citizen: Bearer token or session)."""

from django.urls import path, re_path

from sikesal.api.citizen import views

# 18 digits at most: every id fits the database's 64-bit key (services.PHOTO_ID_MAX_DIGITS);
# a longer one is any other address, a 404.
ID = "[0-9]{1,18}"

urlpatterns = [
    path("photos/", views.PhotoStageView.as_view(), name="citizen-photos"),
    re_path(rf"^photos/(?P<pk>{ID})/$", views.PhotoFileView.as_view(), name="citizen-photo"),
    re_path(
        rf"^photos/(?P<pk>{ID})/thumbnail/$",
        views.PhotoThumbnailView.as_view(),
        name="citizen-photo-thumbnail",
    ),
    path("complaints/", views.ComplaintListView.as_view(), name="citizen-complaints"),
    path(
        "complaints/<str:tracking>/",
        views.ComplaintDetailView.as_view(),
        name="citizen-complaint",
    ),
    path(
        "complaints/<str:tracking>/clarification/",
        views.ClarificationView.as_view(),
        name="citizen-complaint-clarification",
    ),
    path(
        "complaints/<str:tracking>/rating/",
        views.RatingView.as_view(),
        name="citizen-complaint-rating",
    ),
    path(
        "complaints/<str:tracking>/objection/",
        views.ObjectionView.as_view(),
        name="citizen-complaint-objection",
    ),
    path("draft/", views.DraftView.as_view(), name="citizen-draft"),
    path("notifications/", views.NotificationListView.as_view(), name="citizen-notifications"),
    path(
        "notifications/read-all/",
        views.NotificationReadAllView.as_view(),
        name="citizen-notifications-read-all",
    ),
    re_path(
        rf"^notifications/(?P<pk>{ID})/read/$",
        views.NotificationReadView.as_view(),
        name="citizen-notification-read",
    ),
]
