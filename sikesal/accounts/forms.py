"""Account forms: the mobile-number field every form that takes a phone uses, login,
registration, the account page and password reset."""

import re
import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
    UsernameField,
)
from django.contrib.auth.validators import ASCIIUsernameValidator
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from sikesal.accounts.models import User
from sikesal.accounts.phone import normalize_mobile
from sikesal.accounts.services import user_validate_unique
from sikesal.notifications.services import email_queue


class MobileNumberField(forms.CharField):
    """Accepts any common way of writing an Indonesian mobile number; cleans to E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", _("Contoh: 0812-3456-7890"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        return attrs

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        return normalize_mobile(value)


# Joiners that some scripts (Arabic, the Indic ones) need inside a name; every other
# format character (zero-width space, the right-to-left override ...) is dropped.
_NAME_JOINERS = {"\u200c", "\u200d"}


class PersonNameField(forms.CharField):
    """A person's name in any script: NFKC-normalised, without control or invisible format
    characters, spaces collapsed. Nothing visible left counts as missing; no letter at all
    is no name."""

    def to_python(self, value):
        value = unicodedata.normalize("NFKC", super().to_python(value))
        kept = "".join(
            character
            for character in value
            if unicodedata.category(character) not in {"Cc", "Cf"} or character in _NAME_JOINERS
        )
        name = " ".join(kept.split())
        if not any(character not in _NAME_JOINERS for character in name):
            return ""
        if name and not any(unicodedata.category(character)[0] == "L" for character in name):
            raise ValidationError(_("Tulis nama dengan huruf."), code="no_letters")
        return name


class SafeUsernameValidator(ASCIIUsernameValidator):
    """Latin letters without accents, digits and @ . + - _ only: a username in another
    script can look exactly like someone else's ("warga" with a Cyrillic a)."""

    message = _(
        "Nama pengguna hanya boleh berisi huruf a-z tanpa aksen, angka dan @/./+/-/_, tanpa spasi."
    )


class LoginForm(AuthenticationForm):
    """Username, email or mobile number, plus the password."""

    username = forms.CharField(
        label=_("Nama pengguna, email atau nomor ponsel"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "Nama pengguna/email/nomor ponsel atau kata sandi salah. "
            "Perhatikan huruf besar dan kecil pada kata sandi."
        ),
        "inactive": _("Akun ini tidak aktif."),
    }
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on `form`: per field where the form has that field,
    at the top otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


class UniqueContactMixin:
    """Every identity another account already holds, reported per field together with the
    form's other errors (user_create would report them only once the rest is right)."""

    unique_fields: tuple[str, ...] = ()

    def check_unique(self, exclude: User | None = None) -> None:
        values = {
            field: self.cleaned_data.get(field)
            for field in self.unique_fields
            if field not in self.errors
        }
        try:
            user_validate_unique(**values, exclude=exclude)
        except ValidationError as error:
            add_service_errors(self, error)


class TelInput(forms.TextInput):
    input_type = "tel"


def _text_input(autocomplete: str, **attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": autocomplete, **attrs})


PASSWORD_HELP = _(
    "Paling sedikit 8 karakter, tidak mirip nama pengguna atau email Anda, bukan kata sandi "
    "yang umum dan tidak hanya angka."
)


class RegistrationForm(UniqueContactMixin, forms.Form):
    """A citizen's registration: the identity Pasal 7.1 requires, a password and consent to
    the privacy notice. Passwords are never sent back to the browser."""

    unique_fields = ("username", "email", "mobile")

    full_name = PersonNameField(
        label=_("Nama lengkap"),
        max_length=150,
        widget=_text_input("name"),
        error_messages={"required": _("Isi nama lengkap Anda.")},
    )
    # UsernameField: NFKC first, so that a full-width "warga" is the plain one.
    username = UsernameField(
        label=_("Nama pengguna"),
        max_length=150,
        validators=[SafeUsernameValidator()],
        help_text=_("Untuk masuk. Huruf a-z, angka dan @/./+/-/_ saja, tanpa spasi."),
        widget=_text_input("username", autocapitalize="none", spellcheck="false"),
        error_messages={"required": _("Isi nama pengguna yang Anda inginkan.")},
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Kami kirim tautan verifikasi ke alamat ini."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Isi alamat email Anda."),
            "invalid": _("Tulis alamat email yang lengkap, mis. nama@contoh.id."),
        },
    )
    mobile = MobileNumberField(
        label=_("Nomor ponsel"),
        help_text=_("Contoh: 0812-3456-7890. Kami kirim kode verifikasi lewat SMS ke nomor ini."),
        widget=TelInput,
        error_messages={"required": _("Isi nomor ponsel Anda.")},
    )
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        help_text=PASSWORD_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Isi kata sandi.")},
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Ketik kata sandi yang sama sekali lagi.")},
    )
    privacy_consent = forms.BooleanField(
        label=_(
            "Saya sudah membaca pemberitahuan privasi di atas dan setuju data diri saya "
            "diolah untuk menangani pengaduan saya."
        ),
        error_messages={"required": _("Setujui pemberitahuan privasi untuk mendaftar.")},
    )

    def clean_password2(self) -> str:
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data["password2"]
        if password1 and password1 != password2:
            raise ValidationError(
                _("Kedua kata sandi tidak sama. Ketik ulang keduanya."), code="password_mismatch"
            )
        return password2

    def clean(self) -> dict:
        cleaned_data = super().clean()
        password = cleaned_data.get("password1")
        if password:
            # The validators compare the password with the person's other answers.
            candidate = User(
                username=cleaned_data.get("username") or "",
                full_name=cleaned_data.get("full_name") or "",
                email=cleaned_data.get("email") or "",
            )
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        self.check_unique()
        return cleaned_data


class AccountSettingsForm(forms.ModelForm):
    """Language of the pages, email and SMS; notifications by SMS."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each language in its own words, as the language switch shows them.
        self.fields["language"].choices = [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]

    class Meta:
        model = User
        fields = ("language", "notify_by_sms")
        labels = {
            "language": _("Bahasa"),
            "notify_by_sms": _("Kirim juga pemberitahuan lewat SMS"),
        }
        help_texts = {
            "language": _("Bahasa halaman, email dan SMS untuk Anda."),
            "notify_by_sms": _(
                "Selain email. SMS hanya dikirim ke nomor ponsel yang sudah terverifikasi."
            ),
        }


class MobileCodeForm(forms.Form):
    """The six-digit code from the SMS."""

    code = forms.CharField(
        label=_("Kode dari SMS"),
        max_length=12,
        help_text=_("6 angka, berlaku 10 menit."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "class": "code-input",
            }
        ),
        error_messages={"required": _("Isi kode 6 angka dari SMS.")},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not re.fullmatch(r"[0-9]{6}", code):
            raise ValidationError(_("Kode terdiri dari 6 angka."), code="invalid")
        return code


class ContactChangeForm(UniqueContactMixin, forms.Form):
    """A new email and/or mobile number, confirmed with the current password: whoever holds
    the email can reset the password, so changing it must take more than an open session."""

    unique_fields = ("email", "mobile")

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Isi alamat email Anda."),
            "invalid": _("Tulis alamat email yang lengkap, mis. nama@contoh.id."),
        },
    )
    mobile = MobileNumberField(
        label=_("Nomor ponsel"),
        widget=TelInput,
        error_messages={"required": _("Isi nomor ponsel Anda.")},
    )
    current_password = forms.CharField(
        label=_("Kata sandi Anda saat ini"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Isi kata sandi Anda untuk menyimpan perubahan.")},
    )

    def __init__(self, *args, user: User, request: HttpRequest, **kwargs) -> None:
        self.user = user
        self.request = request
        kwargs.setdefault("initial", {"email": user.email, "mobile": user.mobile_display})
        super().__init__(*args, **kwargs)

    def clean_current_password(self) -> str:
        password = self.cleaned_data["current_password"]
        # Through authenticate(), so that guessing here counts towards the login lockout.
        checked = authenticate(self.request, username=self.user.username, password=password)
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(_("Kata sandi salah."), code="password_incorrect")
        return password

    def clean(self) -> dict:
        cleaned_data = super().clean()
        self.check_unique(exclude=self.user)
        return cleaned_data


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset form, with our label and the email in the account's own language."""

    email = forms.EmailField(
        label=_("Email akun Anda"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": _("Isi alamat email akun Anda."),
            "invalid": _("Tulis alamat email yang lengkap, mis. nama@contoh.id."),
        },
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Queue the reset email in the outbox (retried while the mail server is down;
        Django's own send_mail would log the failure and still show "sent")."""
        with translation.override(context["user"].language):
            subject = render_to_string(subject_template_name, context)
            body = render_to_string(email_template_name, context)
        email_queue(to=to_email, subject=subject, body=body)


class NewPasswordForm(SetPasswordForm):
    """The new password chosen from the reset link."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password2"].help_text = ""
