"""Complaint photos, served to whoever may see them and to no one else.

Under nginx set SIKESAL_MEDIA_ACCEL_REDIRECT (e.g. `/protected-media/`, an `internal`
location aliased to MEDIA_ROOT): Django then only decides, and nginx sends the file.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from sikesal.complaints.models import ComplaintPhoto
from sikesal.complaints.selectors import viewable_photo


@login_not_required
@require_safe
def photo(request: HttpRequest, pk: int, thumbnail: bool = False) -> HttpResponse:
    return photo_response(viewable_photo(request.user, pk), thumbnail=thumbnail)


def photo_response(found: ComplaintPhoto, *, thumbnail: bool = False) -> HttpResponse:
    """The photo (or its thumbnail) as sent to someone `viewable_photo` let see it: this
    page and the API's."""
    file = found.thumbnail if thumbnail else found.image
    prefix = settings.SIKESAL_MEDIA_ACCEL_REDIRECT
    if prefix:
        response = HttpResponse(content_type="image/jpeg")
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + file.name
    else:
        response = FileResponse(file.open("rb"), content_type="image/jpeg")
    # Who may see a photo can change (a complaint sent back and declined leaves the public
    # pages), so browsers may keep it for a while but shared caches never.
    patch_cache_control(response, private=True, max_age=3600)
    patch_vary_headers(response, ["Cookie"])
    response["X-Content-Type-Options"] = "nosniff"
    return response
