"""Middleware for the API's views (Django REST framework)."""

from django.http import JsonResponse
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.views import APIView

from sikesal.api.errors import error_body


class MethodNotAllowedFirstMiddleware:
    """A method an API endpoint does not have is a 405, whoever asks.

    Django REST framework authenticates before it looks for the method's handler, so a
    TRACE or PUT to a sign-in-only endpoint without a token got a 401, which tells an app
    to sign in when signing in would not help. The endpoint's methods are no secret: they
    are in the published schema.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if not (isinstance(view_class, type) and issubclass(view_class, APIView)):
            return None
        if view_class.http_method_not_allowed is not APIView.http_method_not_allowed:
            return None  # a view that answers other methods itself (the API's 404)
        allowed = _allowed_methods(view_func, view_class)
        if request.method in allowed:
            return None
        error = MethodNotAllowed(request.method)
        return JsonResponse(
            error_body(error.default_code, error.detail),
            status=error.status_code,
            headers={"Allow": ", ".join(sorted(allowed))},
        )


def _allowed_methods(view_func, view_class) -> set[str]:
    actions = getattr(view_func, "actions", None)  # a viewset's method -> action
    if actions is not None:
        names = {method for method, action in actions.items() if hasattr(view_class, action)}
    else:
        names = {m for m in view_class.http_method_names if hasattr(view_class, m)}
    names.add("options")
    if "get" in names:
        names.add("head")  # Django answers HEAD with GET's handler
    return {name.upper() for name in names if name in view_class.http_method_names}
