"""Whom a page was rendered for, as the service worker sees it.

Every HTML page carries `X-Sikesal-Viewer`: an HMAC of the signed-in person's id, or of
"anon". The service worker keeps the pages of one viewer only: a page rendered for someone
else (after a logout or a login) makes it delete the others, and offline it serves a kept
page only while the `sikesal_viewer` cookie (readable by the worker, never by the server
as proof of anything) still names the same viewer. The tag reveals nothing about the
person: it cannot be reversed without the SECRET_KEY.
"""

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

VIEWER_HEADER = "X-Sikesal-Viewer"
VIEWER_COOKIE = "sikesal_viewer"
ANONYMOUS = "anon"


def viewer_tag(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    who = str(user.pk) if user is not None and user.is_authenticated else ANONYMOUS
    return salted_hmac("sikesal.pwa.viewer", who).hexdigest()[:32]


def anonymous_tag() -> str:
    return salted_hmac("sikesal.pwa.viewer", ANONYMOUS).hexdigest()[:32]
