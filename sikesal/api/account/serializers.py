"""What the account endpoints read and answer.

The serializers check only the shape of the input (types and lengths, so that hostile JSON
is a 400); the rules are the web forms' (accounts/forms.py), which the views run on the
checked values: one home for each rule.
"""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sikesal.accounts.models import User
from sikesal.api.models import DeviceToken
from sikesal.api.serializers import SentMeansGiven, StrictBooleanField, TextField

# No password is that long; a bound keeps a huge one from being hashed.
PASSWORD_MAX_LENGTH = 1024


class SentTextField(SentMeansGiven, TextField):
    """The API's TextField, a form's empty field checked as sent."""


class SentBooleanField(SentMeansGiven, StrictBooleanField):
    """The API's StrictBooleanField, a form's empty field checked as sent (not as false)."""


class ChoiceField(SentMeansGiven, serializers.ChoiceField):
    pass


def _password_field(**kwargs) -> SentTextField:
    return SentTextField(
        max_length=PASSWORD_MAX_LENGTH,
        trim_whitespace=False,
        write_only=True,
        style={"input_type": "password"},
        **kwargs,
    )


# --- Profile -------------------------------------------------------------------------------


class AccountProfileSerializer(serializers.ModelSerializer):
    """The signed-in person's own account, as the account page shows it."""

    email_verified = serializers.SerializerMethodField(help_text="email_verified_at is set.")
    mobile_verified = serializers.SerializerMethodField(help_text="mobile_verified_at is set.")
    is_verified = serializers.BooleanField(
        read_only=True,
        help_text="Email or mobile verified: complaints can be submitted (Pasal 7).",
    )
    receives_sms = serializers.BooleanField(
        read_only=True, help_text="notify_by_sms and a verified mobile number."
    )

    class Meta:
        model = User
        fields = (
            "id",
            "username",
            "full_name",
            "email",
            "email_verified",
            "email_verified_at",
            "mobile",
            "mobile_verified",
            "mobile_verified_at",
            "is_verified",
            "language",
            "notify_by_sms",
            "receives_sms",
            "date_joined",
        )
        read_only_fields = fields
        extra_kwargs = {"mobile": {"help_text": "E.164, e.g. +6281234567890; null: none."}}

    @extend_schema_field(serializers.BooleanField())
    def get_email_verified(self, user: User) -> bool:
        return user.email_verified_at is not None

    @extend_schema_field(serializers.BooleanField())
    def get_mobile_verified(self, user: User) -> bool:
        return user.mobile_verified_at is not None


class AccountProfileUpdateSerializer(serializers.Serializer):
    """PATCH /me/: any of the fields; email and mobile together with the password."""

    language = ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="Bahasa halaman, email dan SMS. / Language of pages, emails and SMS.",
    )
    notify_by_sms = SentBooleanField(
        required=False,
        help_text="Pemberitahuan juga lewat SMS. / Notifications by SMS too.",
    )
    email = SentTextField(
        max_length=254,
        required=False,
        help_text="Email baru (perlu verifikasi lagi). / A new email (verified again).",
    )
    mobile = SentTextField(
        max_length=30,
        required=False,
        help_text="Nomor ponsel baru, mis. 0812-3456-7890 (perlu verifikasi lagi). / "
        "A new mobile number (verified again).",
    )
    current_password = _password_field(
        required=False,
        help_text="Wajib bila email atau mobile dikirim. / Required with email or mobile.",
    )


class AccountMobileCodeSerializer(serializers.Serializer):
    code = SentTextField(max_length=12, help_text="6 angka dari SMS. / The 6 digits from the SMS.")


class AccountMessageSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="For people, in the request's language.")


# --- Devices and tokens --------------------------------------------------------------------


class AccountDeviceSerializer(serializers.ModelSerializer):
    """A device signed in to the account (never its key)."""

    current = serializers.SerializerMethodField(
        help_text="This request was made with this device's token (or just signed it in)."
    )

    class Meta:
        model = DeviceToken
        fields = (
            "id",
            "name",
            "prefix",
            "created_at",
            "last_used_at",
            "expires_at",
            "revoked_at",
            "current",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_current(self, token: DeviceToken) -> bool:
        if self.context.get("issued") == token.pk:  # the answer to signing this device in
            return True
        request = self.context.get("request")
        used = getattr(request, "auth", None)
        return isinstance(used, DeviceToken) and used.pk == token.pk


class AccountSignInSerializer(serializers.Serializer):
    login = SentTextField(
        max_length=254,
        help_text="Nama pengguna, email atau nomor ponsel. / Username, email or mobile number.",
    )
    password = _password_field()
    device_name = SentTextField(
        max_length=100,
        help_text='Nama perangkat yang dilihat pemiliknya di /akun/, mis. "Samsung A14". / '
        "The device's name its owner sees on /akun/.",
    )


class AccountTokenSerializer(serializers.Serializer):
    """A new device token: the key is shown this once."""

    token = serializers.CharField(
        help_text="Kirim sebagai `Authorization: Bearer <token>`; hanya ditampilkan sekali. / "
        "Send as `Authorization: Bearer <token>`; shown only this once."
    )
    expires_at = serializers.DateTimeField()
    device = AccountDeviceSerializer()
    user = AccountProfileSerializer()


# --- Registration --------------------------------------------------------------------------


class AccountRegistrationSerializer(serializers.Serializer):
    """The registration form's fields (Pasal 7.1), with one password."""

    full_name = SentTextField(max_length=150)
    username = SentTextField(
        max_length=150, help_text="a-z, 0-9 dan/and @ . + - _ , tanpa spasi / no spaces."
    )
    email = SentTextField(max_length=254)
    mobile = SentTextField(max_length=30, help_text="Mis./e.g. 0812-3456-7890.")
    password = _password_field()
    privacy_consent = SentBooleanField(
        help_text="Persetujuan pemberitahuan privasi (wajib true). / Consent to the privacy "
        "notice (must be true)."
    )
    device_name = SentTextField(
        max_length=100,
        required=False,
        help_text="Bila diisi, jawaban memuat token untuk perangkat ini. / When given, the "
        "answer carries a token for this device.",
    )


class AccountRegisteredSerializer(serializers.Serializer):
    user = AccountProfileSerializer()
    token = serializers.CharField(
        allow_null=True, help_text="Only when device_name was given; shown only this once."
    )
    expires_at = serializers.DateTimeField(allow_null=True)
    device = AccountDeviceSerializer(allow_null=True)
