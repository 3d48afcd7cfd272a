"""/api/v1/: sign-in per device, devices, my account, registration, verification, push."""

from django.urls import path

from sikesal.api.account import push, views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="auth_token"),
    path("auth/register/", views.RegisterView.as_view(), name="auth_register"),
    path("auth/devices/", views.DeviceListView.as_view(), name="auth_devices"),
    path("auth/devices/<int:pk>/", views.DeviceDetailView.as_view(), name="auth_device"),
    path("me/", views.MeView.as_view(), name="me"),
    path("me/verify-email/", views.VerifyEmailView.as_view(), name="me_verify_email"),
    path("me/verify-mobile/", views.VerifyMobileView.as_view(), name="me_verify_mobile"),
    path(
        "me/verify-mobile/confirm/",
        views.VerifyMobileConfirmView.as_view(),
        name="me_verify_mobile_confirm",
    ),
    path("me/push/", push.PushConfigView.as_view(), name="me_push"),
    path("me/push/subscribe/", push.PushSubscribeView.as_view(), name="me_push_subscribe"),
    path("me/push/unsubscribe/", push.PushUnsubscribeView.as_view(), name="me_push_unsubscribe"),
]
