"""Public agency directory (Perwal 40/2017 Pasal 11.1)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from sikesal.agencies.models import Agency


@login_not_required
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = Agency.objects.filter(is_active=True).order_by("name")
    return render(request, "agencies/agency_list.html", {"agencies": agencies})


@login_not_required
def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_object_or_404(Agency, code=code, is_active=True)
    return render(request, "agencies/agency_detail.html", {"agency": agency})
