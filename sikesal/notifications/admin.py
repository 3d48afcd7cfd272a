"""Admin: notifications, the outbox and push subscriptions, to look into; the outbox's only
action is a retry, a subscription's only change its deletion (push off for that device)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sikesal.notifications.models import Notification, OutboxMessage, PushSubscription
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
        "push_subscription",
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


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    """Which devices get push. The endpoint (whoever has it may send to the device) and the
    keys are never shown: the push service's host is enough to tell devices apart."""

    list_display = ("user", "device_label", "push_service", "created_at", "last_success_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email", "device_label")
    date_hierarchy = "created_at"
    fields = (
        "user",
        "device_label",
        "user_agent",
        "push_service",
        "created_at",
        "updated_at",
        "last_success_at",
    )
    readonly_fields = fields

    @admin.display(description=_("layanan push"))
    def push_service(self, obj: PushSubscription) -> str:
        return obj.push_service

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Only a browser can subscribe itself (it holds the private key).
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: PushSubscription | None = None
    ) -> bool:
        return False
