"""The account endpoints: sign-in per device, devices, the profile, registration and
verification. Each is a thin adapter over what the account pages use: the login lockout
(accounts/throttle.py), the forms (accounts/forms.py), the services
(accounts/self_service.py, accounts/verification.py) and the device tokens (api/tokens.py).
"""

import logging
import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import Form
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import exceptions
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sikesal.accounts.forms import (
    AccountSettingsForm,
    ContactChangeForm,
    LoginForm,
    MobileCodeForm,
    RegistrationForm,
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
from sikesal.accounts.throttle import (
    LoginLocked,
    client_ip,
    password_authenticate,
    raise_if_locked_out,
)
from sikesal.accounts.verification import (
    email_verification_send,
    mobile_verification_confirm,
    mobile_verification_send,
)
from sikesal.api.account.serializers import (
    AccountDeviceSerializer,
    AccountMessageSerializer,
    AccountMobileCodeSerializer,
    AccountProfileSerializer,
    AccountProfileUpdateSerializer,
    AccountRegisteredSerializer,
    AccountRegistrationSerializer,
    AccountSignInSerializer,
    AccountTokenSerializer,
)
from sikesal.api.authentication import DeviceTokenAuthentication
from sikesal.api.pagination import PagePagination
from sikesal.api.serializers import error_responses
from sikesal.api.throttling import AddressRateThrottle
from sikesal.api.tokens import (
    device_token_for,
    device_token_issue,
    device_token_list,
    device_token_revoke,
)
from sikesal.core.sms import SmsError

logger = logging.getLogger(__name__)

TAGS = ["akun / account"]


class SignInAddressThrottle(AddressRateThrottle):
    """Sign-in and registration attempts from one address (beside the lockout's counts)."""

    scope = "sign_in"


def api_error(status_code: int, code: str, message, wait: int | None = None):
    """An error in the API's shape (errors.py) with our own status and code."""
    error = exceptions.APIException(detail=str(message), code=code)
    error.status_code = status_code
    if wait:
        error.wait = wait
    return error


def locked_out(locked: LoginLocked) -> exceptions.APIException:
    """The lockout's refusal (as the login page's 429), saying how long it lasts."""
    minutes = max(1, math.ceil(locked.retry_after / 60))
    if locked.block.reason == "address":
        message = _(
            "Terlalu banyak percobaan masuk yang gagal dari alamat jaringan Anda. Coba lagi "
            "dalam %(minutes)d menit."
        )
    else:
        message = _(
            "Terlalu banyak percobaan masuk yang gagal untuk akun ini. Coba lagi dalam "
            "%(minutes)d menit, atau atur kata sandi baru lewat email."
        )
    return api_error(429, "locked_out", message % {"minutes": minutes}, wait=locked.retry_after)


def form_errors(form: Form, rename: dict[str, str] | None = None) -> exceptions.ValidationError:
    """A form's errors as the API's 400 (field names as the API spells them)."""
    rename = rename or {}
    fields: dict[str, list[str]] = {}
    for field, errors in form.errors.items():
        name = "non_field_errors" if field == "__all__" else rename.get(field, field)
        fields.setdefault(name, []).extend(errors)
    return exceptions.ValidationError(fields)


def service_error(error: ValidationError, default_status: int = 409) -> exceptions.APIException:
    """A verification service's refusal: throttled is a 429 with Retry-After, the others
    (already verified, no mobile number) a conflict with the account's state."""
    if error.code == "throttled":
        return api_error(429, "throttled", " ".join(error.messages), (error.params or {})["wait"])
    return api_error(default_status, error.code or "invalid", " ".join(error.messages))


def _token_answer(request: Request, user: User, device_name: str) -> dict:
    token, key = device_token_issue(user=user, name=device_name)
    answer = {"token": key, "expires_at": token.expires_at, "device": token, "user": user}
    return AccountTokenSerializer(answer, context={"request": request, "issued": token.pk}).data


def _send_verifications(request: Request, user: User, *, email: bool, mobile: bool) -> None:
    """Send what the pages send after registration or a change of contact details; a
    refusal here (throttled, gateway down) is left for the verify-* endpoints."""
    if email:
        try:
            email_verification_send(user=user)
        except ValidationError as error:
            logger.info("Email link for account %s not sent: %s", user.pk, error.code)
    if mobile:
        try:
            mobile_verification_send(user=user, client_address=client_ip(request._request))
        except ValidationError as error:
            logger.info("Mobile code for account %s not sent: %s", user.pk, error.code)
        except SmsError:
            logger.exception("Mobile verification code for account %s not sent", user.pk)


_TOKEN_EXAMPLE = {
    "token": "skl_3q2-7wEXAMPLEk9dLr0u5e8n1T0a8y2b4Q6m8s0v1x3z",
    "expires_at": "2027-06-03T09:00:00+07:00",
    "device": {
        "id": 12,
        "name": "Samsung A14",
        "prefix": "skl_3q2-",
        "created_at": "2026-12-05T09:00:00+07:00",
        "last_used_at": None,
        "expires_at": "2027-06-03T09:00:00+07:00",
        "revoked_at": None,
        "current": True,
    },
    "user": {
        "id": 7,
        "username": "budi",
        "full_name": "Budi Santoso",
        "email": "budi@contoh.id",
        "email_verified": True,
        "email_verified_at": "2026-11-01T10:00:00+07:00",
        "mobile": "+6281234567890",
        "mobile_verified": False,
        "mobile_verified_at": None,
        "is_verified": True,
        "language": "id",
        "notify_by_sms": False,
        "receives_sms": False,
        "date_joined": "2026-11-01T09:55:00+07:00",
    },
}


_LOCKED_EXAMPLE = (
    "Terlalu banyak percobaan masuk yang gagal untuk akun ini. Coba lagi dalam 15 menit, "
    "atau atur kata sandi baru lewat email."
)


# --- Sign-in -------------------------------------------------------------------------------


class TokenView(APIView):
    """POST: sign in and get a token for this device. DELETE: sign this device out."""

    throttle_classes = [SignInAddressThrottle]

    def _signing_in(self) -> bool:
        # No request while drf-spectacular builds the schema (each method has its `auth`).
        return getattr(self.request, "method", None) == "POST"

    def get_authenticators(self):
        if self._signing_in():
            # Signing in needs no credentials (and no session's CSRF check).
            return []
        # Signing out ends the token the request carries: only a token can do that.
        return [DeviceTokenAuthentication()]

    def get_permissions(self):
        if self._signing_in():
            return [AllowAny()]
        return super().get_permissions()

    def get_throttles(self):
        if self._signing_in():
            return super().get_throttles()
        return [throttle() for throttle in self.settings.DEFAULT_THROTTLE_CLASSES]

    @extend_schema(
        operation_id="auth_token_create",
        tags=TAGS,
        auth=[],
        summary="Masuk dan dapatkan token perangkat / Sign in and get a device token",
        description=(
            "Masuk dengan nama pengguna, email atau nomor ponsel dan kata sandi; jawabannya "
            "token untuk satu perangkat (hanya ditampilkan sekali, disimpan sebagai sidik "
            "saja, berlaku SIKESAL_API_TOKEN_DAYS hari, dapat dicabut di /akun/). Penguncian "
            "sama dengan halaman masuk: kegagalan di API dan di halaman dihitung bersama; "
            "yang terkunci mendapat 429 `locked_out` dengan Retry-After. Kredensial salah: "
            "400 `invalid_credentials`, tanpa menyebut apakah akunnya ada.\n\n"
            "Sign in with a username, email or mobile number and the password; the answer is "
            "a token for one device (shown once, stored only as a digest, valid for "
            "SIKESAL_API_TOKEN_DAYS days, revocable on /akun/). The lockout is the login "
            "page's: failures on the API and on the page count together; a locked sign-in "
            "gets 429 `locked_out` with Retry-After. Wrong credentials: 400 "
            "`invalid_credentials`, never saying whether the account exists."
        ),
        request=AccountSignInSerializer,
        responses={201: AccountTokenSerializer, **error_responses(400, 429)},
        examples=[
            OpenApiExample(
                "masuk / sign in",
                value={"login": "budi", "password": "rahasia-panjang", "device_name": "A14"},
                request_only=True,
            ),
            OpenApiExample("token", value=_TOKEN_EXAMPLE, response_only=True, status_codes=["201"]),
            OpenApiExample(
                "locked_out",
                value={
                    "error": {
                        "code": "locked_out",
                        "message": _LOCKED_EXAMPLE,
                    }
                },
                response_only=True,
                status_codes=["429"],
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = AccountSignInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = password_authenticate(
                request._request, login=data["login"], password=data["password"]
            )
        except LoginLocked as locked:
            raise locked_out(locked) from None
        if user is None:
            raise api_error(400, "invalid_credentials", LoginForm.error_messages["invalid_login"])
        return Response(_token_answer(request, user, data["device_name"]), status=201)

    @extend_schema(
        operation_id="auth_token_destroy",
        tags=TAGS,
        auth=[{"deviceToken": []}],
        summary="Keluar dari perangkat ini / Sign this device out",
        description=(
            "Mencabut token yang dipakai permintaan ini. / Revokes the token this request "
            "was made with."
        ),
        request=None,
        responses={204: None, **error_responses(401)},
    )
    def delete(self, request: Request) -> Response:
        device_token_revoke(token=request.auth)
        return Response(status=204)


# --- Devices -------------------------------------------------------------------------------


@extend_schema(
    tags=TAGS,
    summary="Perangkat saya / My devices",
    description=(
        "Token perangkat akun ini, terbaru dahulu, termasuk yang sudah dicabut atau "
        "kedaluwarsa; `current` menandai perangkat permintaan ini. / This account's device "
        "tokens, newest first, revoked and expired ones included; `current` marks this "
        "request's device."
    ),
    responses={200: AccountDeviceSerializer(many=True), **error_responses(400, 401, 404)},
)
class DeviceListView(ListAPIView):
    serializer_class = AccountDeviceSerializer
    pagination_class = PagePagination

    def get_queryset(self):
        return device_token_list(user=self.request.user)


_DEVICE_ID = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
    OpenApiParameter.PATH,
    description="ID perangkat dari daftar / The device's id from the list.",
)


class DeviceDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Cabut satu perangkat / Revoke one device",
        description=(
            "Token perangkat itu tidak berlaku lagi (perangkat lain tetap masuk). Perangkat "
            "orang lain: 404. / That device's token stops working (the others stay signed "
            "in). Someone else's device: 404."
        ),
        parameters=[_DEVICE_ID],
        request=None,
        responses={204: None, **error_responses(401, 404)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        device_token_revoke(token=device_token_for(user=request.user, pk=pk))
        return Response(status=204)


# --- Profile -------------------------------------------------------------------------------


class MeView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Akun saya / My account",
        description="Data akun yang sedang masuk. / The signed-in account.",
        responses={200: AccountProfileSerializer, **error_responses(401)},
        examples=[
            OpenApiExample("budi", value=_TOKEN_EXAMPLE["user"], response_only=True),
        ],
    )
    def get(self, request: Request) -> Response:
        return Response(AccountProfileSerializer(request.user).data)

    @extend_schema(
        tags=TAGS,
        summary="Ubah akun saya / Change my account",
        description=(
            "Yang boleh diubah di /akun/: bahasa dan SMS (seperti /akun/pengaturan/), email "
            "dan nomor ponsel (seperti /akun/kontak/: wajib `current_password`; yang diubah "
            "perlu diverifikasi lagi dan tautan/kode baru langsung dikirim). Kata sandi salah "
            "dihitung untuk penguncian masuk.\n\n"
            "What /akun/ lets a person change: language and SMS (as /akun/pengaturan/), email "
            "and mobile number (as /akun/kontak/: `current_password` required; a changed one "
            "is unverified again and a new link/code is sent at once). A wrong password counts "
            "towards the sign-in lockout."
        ),
        request=AccountProfileUpdateSerializer,
        responses={200: AccountProfileSerializer, **error_responses(400, 401, 429)},
        examples=[
            OpenApiExample("bahasa / language", value={"language": "en"}, request_only=True),
            OpenApiExample(
                "email",
                value={"email": "budi.baru@contoh.id", "current_password": "rahasia-panjang"},
                request_only=True,
            ),
        ],
    )
    def patch(self, request: Request) -> Response:
        serializer = AccountProfileUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user: User = request.user
        settings_form = contact_form = None
        if "language" in data or "notify_by_sms" in data:
            settings_form = AccountSettingsForm(
                {
                    "language": data.get("language", user.language),
                    "notify_by_sms": data.get("notify_by_sms", user.notify_by_sms),
                },
                instance=user,
            )
        if "email" in data or "mobile" in data:
            contact_form = ContactChangeForm(
                {
                    "email": data.get("email", user.email),
                    "mobile": data.get("mobile", user.mobile or ""),
                    "current_password": data.get("current_password", ""),
                },
                user=user,
                request=request._request,
            )
        errors = {}
        for form in (settings_form, contact_form):
            if form is not None and not form.is_valid():
                errors.update(form_errors(form).detail)
        try:
            raise_if_locked_out(request._request, login=user.username)
        except LoginLocked as locked:
            raise locked_out(locked) from None
        if errors:
            raise exceptions.ValidationError(errors)
        changed: set[str] = set()
        with transaction.atomic():
            if settings_form is not None:
                user_settings_update(
                    user=user,
                    language=settings_form.cleaned_data["language"],
                    notify_by_sms=settings_form.cleaned_data["notify_by_sms"],
                )
            if contact_form is not None:
                changed = user_contact_change(
                    user=user,
                    email=contact_form.cleaned_data["email"],
                    mobile=contact_form.cleaned_data["mobile"],
                )
        due = contact_verifications_due(user=user, changed=changed)
        _send_verifications(request, user, email="email" in due, mobile="mobile" in due)
        return Response(AccountProfileSerializer(user).data)


# --- Registration --------------------------------------------------------------------------


class RegisterView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [SignInAddressThrottle]

    @extend_schema(
        operation_id="auth_register",
        tags=TAGS,
        auth=[],
        summary="Daftar sebagai warga / Register as a citizen",
        description=(
            "Formulir dan batas yang sama dengan /daftar/ (Pasal 7.1: semua isian wajib; "
            "persetujuan privasi). Tautan verifikasi email dan kode SMS langsung dikirim. "
            "Dengan `device_name`, jawabannya juga memuat token untuk perangkat ini (seperti "
            "POST /auth/token/); tanpa itu, `token`, `expires_at` dan `device` null. Terlalu "
            "banyak pendaftaran dari satu alamat: 429.\n\n"
            "The same form and limits as /daftar/ (Pasal 7.1: every field required; privacy "
            "consent). The email link and the SMS code are sent at once. With `device_name`, "
            "the answer also carries a token for this device (as POST /auth/token/); without "
            "it, `token`, `expires_at` and `device` are null. Too many registrations from one "
            "address: 429."
        ),
        request=AccountRegistrationSerializer,
        responses={201: AccountRegisteredSerializer, **error_responses(400, 429)},
        examples=[
            OpenApiExample(
                "daftar / register",
                value={
                    "full_name": "Siti Rahmawati",
                    "username": "siti",
                    "email": "siti@contoh.id",
                    "mobile": "0852-1111-2222",
                    "password": "Sungai-Batanghari-77",
                    "privacy_consent": True,
                    "device_name": "Redmi 12",
                },
                request_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        address = client_ip(request._request)
        wait = registration_wait(address)
        if wait:
            raise api_error(429, "throttled", registration_refusal(wait), wait=wait)
        serializer = AccountRegistrationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        form = RegistrationForm(
            {
                "full_name": data["full_name"],
                "username": data["username"],
                "email": data["email"],
                "mobile": data["mobile"],
                "password1": data["password"],
                "password2": data["password"],
                "privacy_consent": data["privacy_consent"],
            }
        )
        valid = form.is_valid()
        registration_record(address, form.errors.as_data())
        if not valid:
            raise form_errors(form, rename={"password1": "password", "password2": "password"})
        cleaned = form.cleaned_data
        user = citizen_register(
            username=cleaned["username"],
            password=cleaned["password1"],
            full_name=cleaned["full_name"],
            email=cleaned["email"],
            mobile=cleaned["mobile"],
            privacy_consent=cleaned["privacy_consent"],
        )
        _send_verifications(request, user, email=True, mobile=True)
        answer = {"user": AccountProfileSerializer(user).data}
        if data.get("device_name", "").strip():
            answer.update(_token_answer(request, user, data["device_name"]))
        else:
            answer.update(token=None, expires_at=None, device=None)
        return Response(answer, status=201)


# --- Verification --------------------------------------------------------------------------


_SENT = OpenApiResponse(AccountMessageSerializer, description="Dikirim. / Sent.")


class VerifyEmailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Kirim tautan verifikasi email / Send the email verification link",
        description=(
            "Seperti tombol di /akun/: satu kiriman per menit. Sudah terverifikasi: 409 "
            "`already_verified`; terlalu sering: 429 dengan Retry-After. / As the button on "
            "/akun/: one send a minute. Already verified: 409 `already_verified`; too often: "
            "429 with Retry-After."
        ),
        request=None,
        responses={202: _SENT, **error_responses(401, 409, 429)},
    )
    def post(self, request: Request) -> Response:
        user = request.user
        try:
            email_verification_send(user=user)
        except ValidationError as error:
            raise service_error(error) from None
        message = _("Tautan verifikasi sedang dikirim ke %(email)s. Periksa juga folder spam.")
        return Response({"message": message % {"email": user.email}}, status=202)


class VerifyMobileView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Kirim kode verifikasi lewat SMS / Send the SMS verification code",
        description=(
            "Seperti tombol di /akun/: batas per akun, per nomor dan per alamat. Tanpa nomor "
            "atau sudah terverifikasi: 409; terlalu sering: 429 dengan Retry-After; gateway "
            "SMS gagal: 503. / As the button on /akun/: limits per account, number and "
            "address. No number or already verified: 409; too often: 429 with Retry-After; "
            "the SMS gateway failed: 503."
        ),
        request=None,
        responses={202: _SENT, **error_responses(401, 409, 429, 503)},
    )
    def post(self, request: Request) -> Response:
        user = request.user
        try:
            mobile_verification_send(user=user, client_address=client_ip(request._request))
        except ValidationError as error:
            raise service_error(error) from None
        except SmsError:
            logger.exception("Mobile verification code for account %s not sent", user.pk)
            raise api_error(
                503,
                "sms_failed",
                _(
                    "SMS kode verifikasi belum dapat dikirim. Coba kirim ulang sebentar lagi "
                    "dari halaman ini."
                ),
                wait=60,
            ) from None
        message = _("Kode verifikasi sudah dikirim lewat SMS ke %(mobile)s.")
        return Response({"message": message % {"mobile": user.mobile_display}}, status=202)


class VerifyMobileConfirmView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Konfirmasi kode SMS / Confirm the SMS code",
        description=(
            "Kode 6 angka terakhir yang dikirim; salah 5 kali: minta kode baru. Jawabannya "
            "akun yang sudah terverifikasi. / The latest 6-digit code sent; 5 wrong tries: ask "
            "for a new one. The answer is the verified account."
        ),
        request=AccountMobileCodeSerializer,
        responses={200: AccountProfileSerializer, **error_responses(400, 401)},
        examples=[OpenApiExample("kode / code", value={"code": "123456"}, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        serializer = AccountMobileCodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = MobileCodeForm(serializer.validated_data)
        if not form.is_valid():
            raise form_errors(form)
        try:
            mobile_verification_confirm(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            raise exceptions.ValidationError({"code": error.messages}) from None
        return Response(AccountProfileSerializer(request.user).data)
