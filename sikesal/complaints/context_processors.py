"""Template context for every page: whether to show the staff console link."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sikesal.complaints.selectors import can_use_staff_console


def staff(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"show_staff_console": SimpleLazyObject(lambda: can_use_staff_console(user))}
