"""Admin for accounts: administrators create staff accounts and give them agency roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sikesal.accounts.forms import MobileNumberField
from sikesal.accounts.models import Membership, MobileVerification, User
from sikesal.accounts.phone import format_mobile, normalize_mobile
from sikesal.accounts.services import user_validate_unique

MOBILE_LABEL = _("nomor ponsel")


class UniqueIdentityMixin:
    """Per-field Indonesian errors when a username or email differs from another
    account's only in case, or a mobile number is another account's; the database's
    constraints (Lower(), or conditional: registered accounts only) would only say so at
    the top of the form."""

    def clean(self) -> dict:
        cleaned_data = super().clean()
        if self.instance.pk is not None and not self.instance.is_registered:
            # A reporter without a login: unique among registered accounts is not theirs.
            return cleaned_data
        try:
            user_validate_unique(
                username=cleaned_data.get("username"),
                email=cleaned_data.get("email"),
                mobile=cleaned_data.get("mobile"),
                exclude=self.instance,
            )
        except ValidationError as error:
            for field, field_errors in error.error_dict.items():
                if field not in self.errors:
                    self.add_error(field, field_errors)
        return cleaned_data


class UserCreationAdminForm(UniqueIdentityMixin, AdminUserCreationForm):
    mobile = MobileNumberField(label=MOBILE_LABEL, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # An account made here logs in: it needs an email (only reporters without a login,
        # entered through an intake channel, may lack one).
        self.fields["email"].required = True

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "email", "mobile")

    def clean_username(self) -> str | None:
        # Django's own check says the same in other words; UniqueIdentityMixin speaks for it.
        return self.cleaned_data.get("username")


class UserChangeAdminForm(UniqueIdentityMixin, UserChangeForm):
    mobile = MobileNumberField(label=MOBILE_LABEL, required=False)

    class Meta(UserChangeForm.Meta):
        model = User

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Show the stored E.164 number the way people read it; it is cleaned back on save,
        # and an unchanged number is not logged as a change.
        if self.instance.mobile:
            self.initial["mobile"] = self.instance.mobile_display


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("agency", "role")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("agency")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    inlines = [MembershipInline]

    list_display = (
        "username",
        "full_name",
        "email",
        "mobile_number",
        "is_active",
        "is_registered",
        "is_executive",
        "is_superuser",
    )
    list_filter = (
        "is_active",
        "is_registered",
        "is_executive",
        "is_superuser",
        "memberships__role",
    )
    search_fields = ("username", "full_name", "email", "mobile")
    ordering = ("username",)

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Data pribadi"), {"fields": ("full_name", "email", "mobile", "nip")}),
        (
            _("Peran dan akses"),
            {
                "fields": (
                    "is_active",
                    "is_registered",
                    "is_executive",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Tanggal penting"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "email",
                    "mobile",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    @admin.display(description=MOBILE_LABEL, ordering="mobile")
    def mobile_number(self, user: User) -> str:
        return user.mobile_display

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        # A number typed as 0812-3456-7890 finds the +6281234567890 stored.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            mobile = normalize_mobile(search_term)
        except ValidationError:
            return results, may_have_duplicates
        return results | queryset.filter(mobile=mobile), may_have_duplicates


@admin.register(MobileVerification)
class MobileVerificationAdmin(admin.ModelAdmin):
    """Read-only: to see whether and when codes went out when a citizen asks for help.
    The codes themselves are never stored."""

    list_display = ("user", "mobile_number", "created_at", "expires_at", "attempts", "used_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email", "mobile")
    date_hierarchy = "created_at"
    fields = ("user", "mobile", "created_at", "expires_at", "attempts", "used_at")
    readonly_fields = fields

    @admin.display(description=MOBILE_LABEL, ordering="mobile")
    def mobile_number(self, verification: MobileVerification) -> str:
        return format_mobile(verification.mobile)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
