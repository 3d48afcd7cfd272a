"""Request middleware of our own."""

import logging
import re
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.core.exceptions import SuspiciousOperation
from django.utils import translation
from django.utils.log import log_response
from django.utils.translation import trans_real
from rest_framework.views import APIView

from sikesal.core.machine_errors import MACHINE_PREFIXES, machine_error_response


class LanguageChoiceMiddleware:
    """Bahasa Indonesia unless the visitor chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many phones in
    Jambi are set to English; the city's service speaks Indonesian first (DESIGN.md), so
    only an explicit choice changes it: the language cookie set by the language switch, or
    else the language saved on the signed-in person's account.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen is None and request.path.startswith(MACHINE_PREFIXES):
            # An app says which language its user chose in Accept-Language (a page's visitor
            # uses the switch instead; see above).
            chosen = _accepted_language(request.headers.get("Accept-Language", ""))
        user = getattr(request, "user", None)
        if chosen is None and user is not None and user.is_authenticated:
            chosen = user.language
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _machine_language(request) -> str:
    return _accepted_language(request.headers.get("Accept-Language", "")) or settings.LANGUAGE_CODE


def _accepted_language(header: str) -> str | None:
    """The first of our languages that an Accept-Language header names, if any."""
    for code, _quality in trans_real.parse_accept_lang_header(header[:255]):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


# Browser features no page of ours uses are switched off for us and for anything embedded; the
# location picker on /lapor/ asks for the phone's position (geolocation, this site only).
# Photos come from a plain file input, which needs no camera permission.
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "camera=()",
        "display-capture=()",
        "encrypted-media=()",
        "geolocation=(self)",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "usb=()",
    ]
)


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header on every response (Django's SecurityMiddleware has none)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# C0 controls and DEL: no address, query value or cookie of this site carries one, and
# PostgreSQL refuses a NUL in any query, which would turn a crafted link into a 500.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class ControlCharacterInRequest(SuspiciousOperation):
    """Django answers it with the 400 page and logs it to its own logger,
    `django.security.ControlCharacterInRequest`, which a deployment may quieten."""


class ControlCharacterMiddleware:
    """Answer 400 to a request with a control character in its path, query string or
    cookies, or a NUL anywhere in its form fields.

    Checked on the decoded values (`%00` arrives as a NUL), before any view, session or
    login look-up passes them to the database. A form may hold tabs and line breaks (a
    pasted text brings more), so there only the NUL is refused: no one types it, and
    PostgreSQL stores it nowhere, not even inside a JSON draft.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(_CONTROL_CHARACTERS.search(text) for text in _address_texts(request)):
            return self._refuse(request, "Control character in the path, query or cookies.")
        if request.method == "POST" and any("\x00" in text for text in _form_texts(request)):
            return self._refuse(request, "NUL in a form field.")
        return self.get_response(request)

    def _refuse(self, request, problem: str):
        error = ControlCharacterInRequest(problem)
        if not request.path_info.startswith(MACHINE_PREFIXES):
            raise error  # a page: Django's 400 page (or its debug page), and its log
        # The API and Open311 answer in their own shape, also with DEBUG on, in the language
        # the app asks for (this runs before LanguageChoiceMiddleware), logged as Django logs
        # the page's refusal.
        with translation.override(_machine_language(request)):
            response = machine_error_response(request, 400)
        log_response(
            problem,
            exception=error,
            request=request,
            response=response,
            level="error",
            logger=logging.getLogger("django.security.ControlCharacterInRequest"),
        )
        return response


def _address_texts(request) -> Iterator[str]:
    yield request.path
    yield from request.COOKIES.values()
    for name, values in request.GET.lists():
        yield name
        yield from values


def _form_texts(request) -> Iterator[str]:
    for name, values in request.POST.lists():
        yield name
        yield from values
    for name, uploads in request.FILES.lists():
        yield name
        yield from (upload.name or "" for upload in uploads)


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's: pages are login-only unless marked `login_not_required`, except the API's
    views (Django REST framework), which authenticate themselves (tokens or the session)
    and answer 401/403 in the API's error shape instead of redirecting to the login page."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if isinstance(view_class, type) and issubclass(view_class, APIView):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
