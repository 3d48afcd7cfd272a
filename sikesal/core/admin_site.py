"""The Django admin, for administrators only (DESIGN.md: "Django admin for administrators only").

Django's own admin admits every active `is_staff` account. SIKESAL's admits only active
superusers, the Administrator role (Diskominfo IT): `is_staff` alone opens nothing.
Apps keep registering their models the usual way (`@admin.register`, `admin.site`).

Wiring: settings.INSTALLED_APPS names `sikesal.core.admin_apps.SikesalAdminConfig` in place of
"django.contrib.admin", Django's documented way to replace the default site.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def is_administrator(user) -> bool:
    """Whether this user may use the admin site at all."""
    return bool(user.is_active and user.is_superuser)


class SikesalAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form: refuses anyone the site would refuse, before logging them in."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Masukkan nama pengguna dan kata sandi akun administrator yang benar. "
            "Perhatikan huruf besar dan kecil pada keduanya."
        ),
    }

    def confirm_login_allowed(self, user) -> None:
        # AdminAuthenticationForm would let any is_staff account through.
        super(AdminAuthenticationForm, self).confirm_login_allowed(user)
        if not is_administrator(user):
            raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class SikesalAdminSite(admin.AdminSite):
    site_header = _("Administrasi SIKESAL")
    site_title = _("Admin SIKESAL")
    index_title = _("Pengelolaan data SIKESAL")
    login_form = SikesalAdminAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)
