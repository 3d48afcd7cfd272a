"""Citizen account pages: registration, verification of email and mobile, the account page
and password reset. Each view parses the form, calls one service and renders."""

import logging

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sikesal.accounts.forms import (
    AccountSettingsForm,
    ContactChangeForm,
    LoginForm,
    MobileCodeForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    RegistrationForm,
    add_service_errors,
)
from sikesal.accounts.models import User
from sikesal.accounts.self_service import (
    citizen_register,
    contact_verifications_due,
    registration_record,
    registration_refusal,
    registration_wait,
    user_contact_change,
    user_settings_update,
)
from sikesal.accounts.throttle import attempts_left, client_ip, remember_device
from sikesal.accounts.verification import (
    email_verification_confirm,
    email_verification_send,
    mobile_verification_confirm,
    mobile_verification_send,
)
from sikesal.api.tokens import device_token_for, device_token_list, device_token_revoke
from sikesal.complaints.access import console_home
from sikesal.core.sms import SmsError
from sikesal.notifications.services import push_optin_context

logger = logging.getLogger(__name__)

# The backend that logs a person in right after registration (there are several).
LOGIN_BACKEND = "sikesal.accounts.backends.UsernameEmailMobileBackend"


def _next_url(request: HttpRequest) -> str:
    """The page to return to after registration, when it is one of ours."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""


# --- Login ---------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Django's login, which remembers the browser and warns before the lock."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        # A browser its owner logged in from is not slowed down by guesses from elsewhere.
        remember_device(response, form.get_user())
        return response

    def get_default_redirect_url(self) -> str:
        """Without a `next`, staff land on their console and citizens on the home page."""
        home = console_home(self.request.user)
        return reverse(home) if home else super().get_default_redirect_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["attempts_left"] = attempts_left(self.request)
        return context


# --- Registration --------------------------------------------------------------------------


# The form fields a refusal keeps (never the passwords).
_REGISTRATION_KEPT_FIELDS = ("full_name", "username", "email", "mobile")


@login_not_required
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:account")
    next_url = _next_url(request)
    if request.method == "POST":
        address = client_ip(request)
        wait = registration_wait(address)
        if wait:
            return _registration_refused(request, next_url, wait)
        form = RegistrationForm(request.POST)
        valid = form.is_valid()
        registration_record(address, form.errors.as_data())
        if valid:
            data = form.cleaned_data
            try:
                user = citizen_register(
                    username=data["username"],
                    password=data["password1"],
                    full_name=data["full_name"],
                    email=data["email"],
                    mobile=data["mobile"],
                    privacy_consent=data["privacy_consent"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                login(request, user, backend=LOGIN_BACKEND)
                messages.success(
                    request,
                    _(
                        "Akun Anda sudah dibuat dan Anda sudah masuk. Verifikasi email atau "
                        "nomor ponsel Anda agar dapat mengirim pengaduan."
                    ),
                )
                _send_email_link(request, user)
                _send_mobile_code(request, user)
                return redirect(next_url or "accounts:account")
    else:
        form = RegistrationForm()
    return render(request, "accounts/register.html", {"form": form, "next": next_url})


def _registration_refused(request: HttpRequest, next_url: str, wait: int) -> HttpResponse:
    """429: this address has asked too often; the form is not even checked."""
    messages.error(request, registration_refusal(wait))
    form = RegistrationForm(
        initial={field: request.POST.get(field, "") for field in _REGISTRATION_KEPT_FIELDS}
    )
    response = render(
        request, "accounts/register.html", {"form": form, "next": next_url}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


# --- Verification --------------------------------------------------------------------------


@login_not_required
def email_verify(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the verification email; it works signed in or not, on any device."""
    try:
        user = email_verification_confirm(token=token)
    except ValidationError as error:
        return render(
            request, "accounts/email_verified.html", {"error": error.messages[0]}, status=400
        )
    return render(request, "accounts/email_verified.html", {"verified_user": user})


@require_POST
def email_verification_resend(request: HttpRequest) -> HttpResponse:
    if _send_email_link(request, request.user) == "throttled":
        return _account_page(request, status=429)
    return redirect("accounts:account")


@require_POST
def mobile_verification_resend(request: HttpRequest) -> HttpResponse:
    if _send_mobile_code(request, request.user) == "throttled":
        return _account_page(request, status=429)
    return redirect(reverse("accounts:account") + "#mobile")


@require_POST
def mobile_verify(request: HttpRequest) -> HttpResponse:
    form = MobileCodeForm(request.POST)
    if form.is_valid():
        try:
            mobile_verification_confirm(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, ValidationError({"code": error.error_list}))
        else:
            messages.success(request, _("Nomor ponsel Anda sudah terverifikasi."))
            return redirect("accounts:account")
    return _account_page(request, code_form=form)


def _send_email_link(request: HttpRequest, user: User) -> str | None:
    """Send, and tell the person how it went; returns the refusal's code, if refused."""
    try:
        email_verification_send(user=user)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
        return error.code
    else:
        # Queued: the worker sends it in a moment, and again later if the mail server is down.
        messages.info(
            request,
            _("Tautan verifikasi sedang dikirim ke %(email)s. Periksa juga folder spam.")
            % {"email": user.email},
        )
    return None


def _send_mobile_code(request: HttpRequest, user: User) -> str | None:
    """Send, and tell the person how it went; returns the refusal's code, if refused."""
    try:
        mobile_verification_send(user=user, client_address=client_ip(request))
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
        return error.code
    except SmsError:
        logger.exception("Mobile verification code for account %s not sent", user.pk)
        messages.error(
            request,
            _(
                "SMS kode verifikasi belum dapat dikirim. Coba kirim ulang sebentar lagi dari "
                "halaman ini."
            ),
        )
    else:
        messages.info(
            request,
            _("Kode verifikasi sudah dikirim lewat SMS ke %(mobile)s.")
            % {"mobile": user.mobile_display},
        )
    return None


# --- Account page --------------------------------------------------------------------------


def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


@require_POST
def account_settings(request: HttpRequest) -> HttpResponse:
    form = AccountSettingsForm(request.POST, instance=request.user)
    if not form.is_valid():
        return _account_page(request, settings_form=form)
    user_settings_update(
        user=request.user,
        language=form.cleaned_data["language"],
        notify_by_sms=form.cleaned_data["notify_by_sms"],
    )
    language = request.user.language
    with translation.override(language):
        messages.success(request, _("Pengaturan Anda sudah disimpan."))
    response = redirect("accounts:account")
    # The site speaks the chosen language from the next page on (core/middleware.py reads
    # this cookie, as /i18n/setlang/ sets it).
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_POST
def contact_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ContactChangeForm(request.POST, user=user, request=request)
    if form.is_valid():
        try:
            changed = user_contact_change(
                user=user, email=form.cleaned_data["email"], mobile=form.cleaned_data["mobile"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not changed:
                messages.info(request, _("Tidak ada yang berubah."))
            else:
                messages.success(request, _("Data kontak Anda sudah diubah."))
            due = contact_verifications_due(user=user, changed=changed)
            if "email" in due:
                _send_email_link(request, user)
            if "mobile" in due:
                _send_mobile_code(request, user)
            return redirect("accounts:account")
    return _account_page(request, contact_form=form)


@require_POST
def device_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign one of the person's devices out (another person's device is a 404)."""
    token = device_token_for(user=request.user, pk=pk)
    device_token_revoke(token=token)
    messages.success(
        request, _("Perangkat %(name)s sudah dikeluarkan dari akun Anda.") % {"name": token.name}
    )
    return redirect(reverse("accounts:account") + "#devices")


def _account_page(
    request: HttpRequest,
    *,
    settings_form: AccountSettingsForm | None = None,
    code_form: MobileCodeForm | None = None,
    contact_form: ContactChangeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The account page, with the one submitted form bound and showing its errors."""
    user = request.user
    context = {
        "settings_form": settings_form or AccountSettingsForm(instance=user),
        "code_form": code_form or MobileCodeForm(),
        "contact_form": contact_form or ContactChangeForm(user=user, request=request),
        "code_sent": user.mobile_verifications.filter(used_at__isnull=True).exists(),
        # Phones (and other programs) signed in through the API, with their own tokens.
        "devices": device_token_list(user=user).usable(),
        # The opt-in for push on this device, only while push is configured.
        "push": push_optin_context(user=user),
        "form_with_errors": next(
            (form for form in (settings_form, code_form, contact_form) if form is not None),
            None,
        ),
    }
    return render(request, "accounts/account.html", context, status=status)


# --- Password reset ------------------------------------------------------------------------
# Django's views (already open to anonymous visitors), our forms, templates and URLs.


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetRequestForm) -> HttpResponse:
        self.extra_email_context = {"site_name": settings.SIKESAL_SITE_NAME}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever set a new password through the email has proved they own the account:
        # failed logins recorded against it no longer lock it.
        axes_reset(username=form.user.username.lower())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
