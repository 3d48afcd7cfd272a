"""Complaints in the admin: administrators read cases and their audit trail; changes go
through the workflow (the consoles), never through these pages."""

from django.contrib import admin

from sikesal.complaints.models import (
    Assignment,
    Complaint,
    ComplaintEvent,
    DeadlineBreach,
    IdentityAccess,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit data: visible to administrators, changed by nobody."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["agency", "is_lead", "status", "register_number", "received_by", "responded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = ComplaintEvent
    extra = 0
    fields = [
        "created_at",
        "action",
        "from_status",
        "to_status",
        "actor",
        "actor_role",
        "visibility",
        "note",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["tracking_number", "title", "category", "status", "kecamatan", "submitted_at"]
    list_filter = ["status", "category", "kecamatan", "is_confidential", "is_anonymous"]
    search_fields = ["tracking_number", "title"]
    date_hierarchy = "submitted_at"
    list_select_related = ["category", "kecamatan"]
    inlines = [AssignmentInline, EventInline]


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "complaint",
        "action",
        "from_status",
        "to_status",
        "actor",
        "actor_role",
        "visibility",
    ]
    list_filter = ["action", "actor_role", "visibility"]
    search_fields = ["complaint__tracking_number"]
    list_select_related = ["complaint", "actor"]
    date_hierarchy = "created_at"


@admin.register(IdentityAccess)
class IdentityAccessAdmin(ReadOnlyAdmin):
    list_display = ["accessed_at", "user", "complaint", "agency", "month", "purpose"]
    search_fields = ["complaint__tracking_number", "user__username", "month"]
    list_select_related = ["complaint", "user", "agency"]
    date_hierarchy = "accessed_at"


@admin.register(DeadlineBreach)
class DeadlineBreachAdmin(ReadOnlyAdmin):
    list_display = ["detected_at", "complaint", "assignment", "kind", "due"]
    list_filter = ["kind"]
    list_select_related = ["complaint", "assignment__agency"]
    search_fields = ["complaint__tracking_number"]
