"""Account forms: the mobile-number field every form that takes a phone uses, and login."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from sikesal.accounts.phone import normalize_mobile


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
