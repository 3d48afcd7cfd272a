"""Request middleware of our own."""

from django.conf import settings
from django.utils import translation


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
        user = getattr(request, "user", None)
        if chosen is None and user is not None and user.is_authenticated:
            chosen = user.language
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


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
