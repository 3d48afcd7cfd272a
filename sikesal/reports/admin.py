"""Monthly recaps in the admin: read-only, since a submitted version is a record."""

from django.contrib import admin

from sikesal.complaints.admin import ReadOnlyAdmin
from sikesal.reports.models import MonthlyRecap, RecapSubmission


class SubmissionInline(admin.TabularInline):
    model = RecapSubmission
    extra = 0
    fields = ["version", "submitted_at", "submitted_by", "sha256", "code"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MonthlyRecap)
class MonthlyRecapAdmin(ReadOnlyAdmin):
    list_display = ["agency", "year", "month", "updated_at"]
    list_filter = ["year", "month"]
    search_fields = ["agency__name", "agency__code"]
    inlines = [SubmissionInline]


@admin.register(RecapSubmission)
class RecapSubmissionAdmin(ReadOnlyAdmin):
    list_display = ["recap", "version", "submitted_at", "submitted_by", "code"]
    search_fields = ["code", "sha256", "recap__agency__name"]
    list_select_related = ["recap__agency", "submitted_by"]
