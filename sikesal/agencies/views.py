"""Public agency directory (Perwal 40/2017 Pasal 11.1)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from sikesal.agencies.models import Agency


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
def agency_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    agencies = Agency.objects.filter(is_active=True).only("code", "name", "short_name", "kind")
    if query:
        agencies = agencies.filter(
            Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__icontains=query)
        )
    agencies = list(agencies.order_by("name"))
    return render(
        request,
        "agencies/agency_list.html",
        {"groups": group_by_kind(agencies), "agency_count": len(agencies), "query": query},
    )


@login_not_required
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_object_or_404(Agency.objects.select_related("parent"), code=code, is_active=True)
    return render(request, "agencies/agency_detail.html", {"agency": agency})
