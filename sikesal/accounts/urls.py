from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from sikesal.accounts import views

app_name = "accounts"

urlpatterns = [
    path(
        "masuk/",
        views.LoginView.as_view(),
        name="login",
    ),
    path("keluar/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("daftar/", views.register, name="register"),
    # Citizen account (login required by the middleware), except the emailed link.
    path("akun/", views.account, name="account"),
    path("akun/pengaturan/", views.account_settings, name="account_settings"),
    path("akun/kontak/", views.contact_change, name="contact_change"),
    path(
        "akun/verifikasi-email/kirim/",
        views.email_verification_resend,
        name="email_verification_send",
    ),
    path("verifikasi-email/<str:token>/", views.email_verify, name="email_verify"),
    path(
        "akun/verifikasi-ponsel/kirim/",
        views.mobile_verification_resend,
        name="mobile_verification_send",
    ),
    path("akun/verifikasi-ponsel/", views.mobile_verify, name="mobile_verify"),
    path("akun/perangkat/<int:pk>/cabut/", views.device_revoke, name="device_revoke"),
    # Password reset by email: Django's views, which are open to anonymous visitors.
    path("lupa-sandi/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "lupa-sandi/terkirim/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "atur-sandi/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "atur-sandi/selesai/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
