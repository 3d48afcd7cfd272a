"""Public agency directory (Perwal 40/2017 Pasal 11.1), the head's page to edit it, and the
region look-up."""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sikesal.agencies.forms import AgencyProfileForm
from sikesal.agencies.geo import locate, outside_city_message
from sikesal.agencies.models import Agency
from sikesal.agencies.publication import (
    DIRECTORY_QUERY_MAX_LENGTH,
    directory,
    directory_entries,
    directory_query,
    handling_mechanism,
    officer_groups,
    standard_handling_mechanism,
)
from sikesal.agencies.services import PROFILE_FIELDS, agency_profile_update
from sikesal.complaints.access import is_agency_head
from sikesal.complaints.channels import offered_channels
from sikesal.complaints.stats import MIN_BASE, agency_figures
from sikesal.core.page_cache import AGENCIES, agency_topic, public_page


@dataclass(frozen=True)
class KindGroup:
    """The agencies of one kind, in the order the directory shows them."""

    kind: str
    label: str
    agencies: list[Agency]


def group_by_kind(agencies: Iterable[Agency]) -> list[KindGroup]:
    """Group agencies by kind, kinds in the order of `Agency.Kind`, empty kinds left out."""
    by_kind: dict[str, list[Agency]] = {}
    for agency in agencies:
        by_kind.setdefault(agency.kind, []).append(agency)
    groups = [
        KindGroup(kind, label, by_kind.pop(kind))
        for kind, label in Agency.Kind.choices
        if kind in by_kind
    ]
    # A kind no longer among the choices still shows, after the known ones.
    groups += [KindGroup(kind, kind, members) for kind, members in sorted(by_kind.items())]
    return groups


@login_not_required
@public_page(
    topics=lambda request: [AGENCIES],
    params={"q": rf".{{0,{DIRECTORY_QUERY_MAX_LENGTH}}}"},
)
def agency_list(request: HttpRequest) -> HttpResponse:
    query = directory_query(request.GET.get("q", ""))
    agencies = list(directory(query))
    return render(
        request,
        "agencies/agency_list.html",
        {"groups": group_by_kind(agencies), "agency_count": len(agencies), "query": query},
    )


@login_not_required
@public_page(topics=lambda request, code: [agency_topic(code)])
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_object_or_404(directory_entries(), code=code)
    channels = offered_channels(agency)
    context = {
        "agency": agency,
        "officer_groups": officer_groups(agency),
        "names_published": settings.SIKESAL_PUBLISH_OFFICER_NAMES,
        "mechanism": handling_mechanism(agency, channels),
        "offered_channels": channels,
        "last_change": agency.profile_changes.only("changed_at").first(),
        "is_head": is_agency_head(request.user, agency),
        "figures": agency_figures(agency),
        "min_base": MIN_BASE,
    }
    return render(request, "agencies/agency_detail.html", context)


def agency_profile_edit(request: HttpRequest, code: str) -> HttpResponse:
    """/staf/opd/<code>/profil/: the agency's head edits its public information. Anyone
    else gets the same 404 as for an agency that does not exist."""
    agency = get_object_or_404(Agency, code=code, is_active=True)
    if not is_agency_head(request.user, agency):
        raise Http404
    form = AgencyProfileForm(request.POST or None, instance=Agency.objects.get(pk=agency.pk))
    if request.method == "POST" and form.is_valid():
        values = {field: form.cleaned_data[field] for field in PROFILE_FIELDS}
        change = agency_profile_update(agency=agency, actor=request.user, values=values)
        if change is None:
            messages.info(request, _("Tidak ada yang berubah."))
        else:
            messages.success(request, _("Informasi OPD diperbarui dan dicatat dalam riwayat."))
        return redirect(agency)
    history = agency.profile_changes.select_related("changed_by")[:HISTORY_ROWS]
    context = {
        "agency": agency,
        "form": form,
        "standard_mechanism": standard_handling_mechanism(agency),
        "offered_channels": offered_channels(agency),
        "history": history,
    }
    return render(request, "agencies/profile_form.html", context)


HISTORY_ROWS = 20


# --- Region look-up (/wilayah/lokasi/) -----------------------------------------------------

# Kelurahan outlines change only when an administrator edits them: an hour is safe.
REGION_LOOKUP_MAX_AGE = 60 * 60


@login_not_required
@require_GET
def region_locate(request: HttpRequest) -> JsonResponse:
    """The kelurahan and kecamatan at `?lat=&lng=`, for the location picker.

    200 with `{"inside": true, "kelurahan": {...}, "kecamatan": {...}, "snapped": ...}` or
    `{"inside": false, "message": ...}`; 400 with a `message` when a coordinate is missing
    or not a number on the globe. The message is in the visitor's language, hence the
    Vary on Cookie (the language choice is a cookie).
    """
    lat = _coordinate(request.GET.get("lat"), limit=90)
    lng = _coordinate(request.GET.get("lng"), limit=180)
    if lat is None or lng is None:
        response = JsonResponse(
            {"message": _("Koordinat tidak sah: lintang dan bujur harus berupa angka.")},
            status=400,
        )
        patch_vary_headers(response, ["Cookie"])
        return response

    location = locate(lat, lng)
    if location is None:
        payload = {"inside": False, "message": outside_city_message()}
    else:
        payload = {
            "inside": True,
            "kelurahan": {"id": location.kelurahan.id, "name": location.kelurahan.name},
            "kecamatan": {"id": location.kecamatan.id, "name": location.kecamatan.name},
            "snapped": location.snapped,
        }
    response = JsonResponse(payload)
    patch_cache_control(response, public=True, max_age=REGION_LOOKUP_MAX_AGE)
    patch_vary_headers(response, ["Cookie"])
    return response


def _coordinate(raw: str | None, *, limit: float) -> float | None:
    """A finite float within ±limit, or None."""
    try:
        value = float((raw or "").strip())
    except ValueError:
        return None
    if not math.isfinite(value) or abs(value) > limit:
        return None
    return value
