"""The baselines of bench/filing_ratio.py: bare Django views on the same database, mounted
only by the bench's own urlconf (this module), never by the project's.

- POST /bench/bare/: inserts one row (the form's title and description) and answers 201.
- POST /bench/bare-upload/: receives the same multipart upload as a filing with a photo,
  saves the file as it came to the default storage and inserts one row naming it.

Both go through the project's middleware (sessions, CSRF exempt, login not required), as
any view does: the difference to /lapor/ is the filing's own work.
"""

import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS bench_bare (id bigserial PRIMARY KEY, title text NOT NULL,"
    " body text NOT NULL, file text NOT NULL DEFAULT '', created_at timestamptz NOT NULL)"
)


def _insert(title: str, body: str, file: str = "") -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_bare (title, body, file, created_at) VALUES (%s, %s, %s, %s)",
            [title, body, file, timezone.now()],
        )


@csrf_exempt
@login_not_required
@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    _insert(request.POST.get("title", ""), request.POST.get("description", ""))
    return HttpResponse(status=201)


@csrf_exempt
@login_not_required
@require_POST
def bare_upload(request: HttpRequest) -> HttpResponse:
    upload = request.FILES["photo"]
    name = default_storage.save(f"bench/{uuid.uuid4().hex}.jpg", upload)
    _insert(request.POST.get("title", ""), request.POST.get("description", ""), name)
    return HttpResponse(status=201)


urlpatterns = [
    path("bench/bare/", bare_insert),
    path("bench/bare-upload/", bare_upload),
    path("", include("config.urls")),
]
