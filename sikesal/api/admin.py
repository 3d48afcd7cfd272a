"""Device tokens in the admin: who is signed in where, and revoking them. The digest is
never shown (it is what a stolen database would be searched for), nor can a token be made
here: tokens are issued by signing in."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikesal.api.models import DeviceToken
from sikesal.api.tokens import device_token_revoke


class UsableFilter(admin.SimpleListFilter):
    title = _("keadaan")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("usable", _("berlaku")),
            ("revoked", _("dicabut")),
            ("expired", _("kedaluwarsa")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "usable":
            return queryset.usable(now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        return queryset


@admin.register(DeviceToken)
class DeviceTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at", "state")
    list_filter = (UsableFilter,)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email", "user__full_name", "name", "prefix")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = fields
    date_hierarchy = "created_at"
    actions = ("revoke",)

    @admin.display(description=_("keadaan"))
    def state(self, token: DeviceToken) -> str:
        if token.revoked_at is not None:
            return _("dicabut")
        if not token.is_usable:
            return _("kedaluwarsa")
        return _("berlaku")

    @admin.action(description=_("Cabut token perangkat yang dipilih"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[DeviceToken]) -> None:
        now = timezone.now()
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            device_token_revoke(token=token, now=now)
        self.message_user(
            request,
            _("Token perangkat dicabut: %(count)d.") % {"count": len(tokens)},
            messages.SUCCESS,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # Viewing and the revoke action only: nothing on a token is edited by hand.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A revoked token stays, as the record of the device.
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("api.change_devicetoken")
