"""Admin for the holiday table: administrators correct the seeded days each year."""

from django.contrib import admin
from django.db.models import QuerySet
from django.db.models.functions import ExtractYear
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from sikesal.core.models import Holiday, PeriodicTaskRun


class YearListFilter(admin.SimpleListFilter):
    title = _("tahun")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        years = (
            model_admin.get_queryset(request)
            .annotate(year=ExtractYear("date"))
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "name", "kind", "is_active")
    list_display_links = ("date", "name")
    list_editable = ("is_active",)
    list_filter = ("kind", YearListFilter, "is_active")
    search_fields = ("name",)
    date_hierarchy = "date"
    ordering = ("date",)
    fields = ("date", "name", "kind", "is_active")

    @admin.display(description=_("hari"), ordering="date")
    def weekday(self, holiday: Holiday) -> str:
        # A day off on a weekend moves no deadline; the administrator sees it at a glance.
        return date_format(holiday.date, "l")


@admin.register(PeriodicTaskRun)
class PeriodicTaskRunAdmin(admin.ModelAdmin):
    """When each periodic job was last enqueued (read-only: the scheduler writes it)."""

    list_display = ("name", "task_path", "last_enqueued_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
