"""The administrator issues, rotates and revokes Open311 keys here; a key is shown once."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sikesal.open311.models import Open311Client, Open311Request


def _show_key(request: HttpRequest, client: Open311Client, key: str) -> None:
    messages.warning(
        request,
        gettext(
            "Kunci API untuk %(client)s: %(key)s — salin sekarang dan kirim lewat jalur "
            "aman; kunci ini tidak akan ditampilkan lagi."
        )
        % {"client": client.name, "key": key},
    )


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "key_id",
        "can_post_requests",
        "can_post_updates",
        "rate_per_hour",
        "is_active",
        "revoked_at",
        "last_used_at",
    )
    list_filter = ("is_active", "can_post_requests", "can_post_updates")
    search_fields = ("name", "slug", "key_id")
    readonly_fields = ("key_id", "created_at", "last_used_at", "revoked_at")
    fields = (
        "name",
        "slug",
        "contact",
        "can_post_requests",
        "can_post_updates",
        "rate_per_hour",
        "is_active",
        "key_id",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    actions = ["issue_new_key", "revoke"]

    def get_readonly_fields(self, request, obj=None):
        # The slug names the channel of every complaint the client filed: fixed once used.
        return (*self.readonly_fields, "slug") if obj is not None else self.readonly_fields

    def save_model(self, request, obj: Open311Client, form, change: bool) -> None:
        key = None if change else obj.new_key()
        super().save_model(request, obj, form, change)
        if key:
            _show_key(request, obj, key)

    @admin.action(description=_("Buat kunci baru (kunci lama berhenti berlaku)"))
    def issue_new_key(self, request: HttpRequest, queryset: QuerySet[Open311Client]) -> None:
        for client in queryset:
            key = client.new_key()
            client.revoked_at = None
            client.save(update_fields=["key_id", "key_digest", "revoked_at"])
            _show_key(request, client, key)

    @admin.action(description=_("Cabut kunci"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Open311Client]) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        messages.success(request, gettext("%(count)d kunci dicabut.") % {"count": count})


@admin.register(Open311Request)
class Open311RequestAdmin(admin.ModelAdmin):
    list_display = ("token", "client", "complaint", "created_at")
    list_filter = ("client",)
    search_fields = ("token", "complaint__tracking_number")
    list_select_related = ("client", "complaint")
    readonly_fields = ("client", "complaint", "token", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
