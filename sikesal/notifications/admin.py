"""Admin: notifications and the outbox, to look into; the outbox's only action is a retry."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sikesal.notifications.models import Notification, OutboxMessage
from sikesal.notifications.services import outbox_retry_now


class OutboxMessageInline(admin.TabularInline):
    model = OutboxMessage
    fields = ("channel", "to", "status", "attempts", "delivered_at", "last_error")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "recipient__username", "recipient__email")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    fields = ("recipient", "kind", "title", "body", "url", "created_at", "read_at")
    readonly_fields = fields
    inlines = [OutboxMessageInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Notifications come from the application's actions, never typed in by hand.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = (
        "to",
        "channel",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
    )
    list_filter = ("status", "channel")
    search_fields = ("to", "subject")
    date_hierarchy = "created_at"
    fields = (
        "notification",
        "channel",
        "to",
        "subject",
        "body",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_by",
        "lease_expires_at",
        "delivered_at",
        "last_error",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    actions = ["retry_now"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OutboxMessage | None = None) -> bool:
        # The outbox is the delivery log.
        return False

    @admin.action(description=_("Kirim ulang sekarang (pesan menunggu atau gagal)"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = outbox_retry_now(message_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext(
                "%(count)d pesan dijadwalkan untuk dikirim ulang.",
                "%(count)d pesan dijadwalkan untuk dikirim ulang.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
