"""Template context for every page: whether to show the staff console link, and the
monitoring and report pages."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sikesal.complaints.access import can_use_staff_console, oversees_all
from sikesal.intake.services import can_take_intake


def staff(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "show_staff_console": SimpleLazyObject(lambda: can_use_staff_console(user)),
        # The Secretariat and executives: /staf/pantau/ and /staf/laporan/.
        "show_monitoring": SimpleLazyObject(lambda: oversees_all(user)),
        # Assisted intake (/staf/catat/): the Secretariat, and agency staff at their counter.
        "show_intake": SimpleLazyObject(lambda: can_take_intake(user)),
    }
