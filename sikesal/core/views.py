"""Home page and error pages (the API and Open311 get theirs in their own shapes)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from sikesal.core.machine_errors import machine_error_response
from sikesal.core.page_cache import public_page


@login_not_required
@public_page()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@login_not_required
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return machine_error_response(request, 400) or render(request, "400.html", status=400)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return machine_error_response(request, 403) or render(request, "403.html", status=403)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return machine_error_response(request, 404) or render(request, "404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    if response := machine_error_response(request, 500):
        return response
    # Rendered without the request, so no context processor runs: the failure may be the
    # database or the session, and this page must still come out.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"SITE_NAME": settings.SIKESAL_SITE_NAME}))
