from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sikesal.agencies import geo
from sikesal.agencies.models import Agency, AgencyProfileChange, Category, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "alternative_names"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    # The boundary JSON runs to thousands of points: show a summary, never a text box.
    fields = [
        "code",
        "name",
        "level",
        "parent",
        "alternative_names",
        "boundary_summary",
        "centroid_lat",
        "centroid_lng",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["boundary_summary", "created_at", "updated_at"]

    @admin.display(description=_("batas wilayah"))
    def boundary_summary(self, region: Region) -> str:
        # The reverse one-to-one raises (an AttributeError) when there is no outline.
        boundary = getattr(region, "boundary", None)
        if boundary is None:
            return _("Belum ada")
        points = sum(len(ring) for ring in _rings(boundary.geometry))
        return ngettext("%(type)s, %(points)d titik", "%(type)s, %(points)d titik", points) % {
            "type": boundary.geometry.get("type", "?"),
            "points": points,
        }

    def save_model(self, request: HttpRequest, obj: Region, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # A renamed or re-parented kelurahan must show up in point look-ups at once
        # (in this process; others pick it up when they restart).
        geo.clear_cache()

    def delete_model(self, request: HttpRequest, obj: Region) -> None:
        super().delete_model(request, obj)
        geo.clear_cache()

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        super().delete_queryset(request, queryset)
        geo.clear_cache()


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "name", "kind", "is_active", "is_secretariat"]
    list_display_links = ["code", "short_name"]
    list_filter = ["kind", "is_active", "is_secretariat"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent", "region"]
    # An agency's website typed without a scheme is an https:// address.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "name",
                    "short_name",
                    "kind",
                    "parent",
                    "region",
                    "is_active",
                    "is_secretariat",
                    "note",
                ]
            },
        ),
        (
            _("Kepala/Direktur (penanda tangan rekapitulasi bulanan)"),
            {"fields": ["head_name", "head_title", "head_nip"]},
        ),
        (
            _("Informasi publik (Pasal 11 ayat 1)"),
            {
                "fields": [
                    "complaint_officers",
                    "handling_mechanism",
                    "channels",
                    "address",
                    "phone",
                    "email",
                    "website",
                ]
            },
        ),
        (_("Riwayat"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "default_agency",
        "routes_to_kecamatan",
        "is_sensitive",
        "is_active",
        "sort_order",
    ]
    list_editable = ["default_agency", "is_active", "sort_order"]
    list_filter = ["is_active", "is_sensitive", "routes_to_kecamatan", "default_agency__kind"]
    list_select_related = ["default_agency"]
    search_fields = ["code", "name", "description"]
    autocomplete_fields = ["default_agency"]
    prepopulated_fields = {"code": ["name"]}
    readonly_fields = ["created_at", "updated_at"]


def _rings(geometry: dict) -> list[list]:
    """The coordinate rings of a GeoJSON Polygon or MultiPolygon."""
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry.get("coordinates", []) for ring in polygon]
    return geometry.get("coordinates", [])


@admin.register(AgencyProfileChange)
class AgencyProfileChangeAdmin(admin.ModelAdmin):
    """The history of what agencies published: read only, never edited or deleted."""

    list_display = ["agency", "changed_at", "changed_by"]
    list_select_related = ["agency", "changed_by"]
    list_filter = ["agency"]
    readonly_fields = ["agency", "changed_by", "changed_at", "before", "after"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
