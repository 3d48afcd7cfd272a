"""The phone app's addresses: manifest, service worker, offline page, favicon."""

import json

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from sikesal.pwa import shell
from sikesal.pwa.identity import FAVICON
from sikesal.pwa.manifest import web_app_manifest
from sikesal.pwa.viewer import VIEWER_COOKIE, VIEWER_HEADER, anonymous_tag


@login_not_required
@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(
        web_app_manifest(),
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    files = shell.precached_files()
    modules = shell.service_worker_modules()
    offline_url = reverse("pwa:offline")
    config = {
        "version": shell.version(files, modules),
        "precache": [static(item.name) for item in files] + [offline_url],
        "modules": [static(item.name) for item in modules],
        "offlineUrl": offline_url,
        "staticPrefix": shell.static_prefix(),
        "neverCached": list(shell.NEVER_CACHED_PREFIXES),
        "viewerHeader": VIEWER_HEADER,
        "viewerCookie": VIEWER_COOKIE,
        "anonymousViewer": anonymous_tag(),
    }
    script = render_to_string(
        "pwa/service-worker.js", {"config": json.dumps(config, indent=2, sort_keys=True)}
    )
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    # The browser asks for a new worker on every visit; no cache may answer for it.
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "pwa/offline.html")


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    for item in shell.find_static((FAVICON,)):
        response = FileResponse(item.path.open("rb"), content_type="image/x-icon")
        response["Cache-Control"] = "public, max-age=86400"
        return response
    raise Http404
