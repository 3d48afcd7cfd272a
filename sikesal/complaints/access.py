"""Who may use the staff console and the Secretariat's monitoring, and for which agencies.

The two view guards (`staff_console`, `monitoring_access`) answer "no" with the same 404
as a page that does not exist; signed-out visitors never reach them (Django's
`LoginRequiredMiddleware` sends them to the login page first). Which complaints a person
may open is `selectors.staff_complaints`, built on `agency_ids_for` below.
"""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse

from sikesal.accounts.models import Membership, Role, User
from sikesal.agencies.models import Agency

STAFF_ROLES = frozenset({Role.SECRETARIAT, Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.EXECUTIVE})
AGENCY_ROLES = (Role.AGENCY_OFFICER, Role.AGENCY_HEAD)


def agency_ids_for(user: User) -> list[int]:
    """The active agencies whose assignments `user` works on (as officer or head).

    Cached on the user object, as `User.roles` is: a request loads its user once, so a page
    that asks many times (the queue, the complaint page, every `allowed_actions` check)
    reads the memberships once.
    """
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_agency_ids", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(
                user=user, role__in=AGENCY_ROLES, agency__is_active=True
            ).values_list("agency_id", flat=True)
        )
        user._agency_ids = cached
    return cached


def is_agency_head(user: User, agency: Agency) -> bool:
    """Whether `user` is an active head (Kepala/Direktur) of `agency`: who signs and submits
    its recap (Pasal 9) and edits its public information (Pasal 11.1)."""
    return (
        user.is_authenticated
        and user.is_active
        and Membership.objects.filter(user=user, agency=agency, role=Role.AGENCY_HEAD).exists()
    )


def is_secretariat(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(Role.SECRETARIAT)


def oversees_all(user: User) -> bool:
    """The Secretariat and executives: every complaint, every agency, the city's figures."""
    return is_secretariat(user) or (
        user.is_authenticated and user.is_active and user.has_role(Role.EXECUTIVE)
    )


def can_use_staff_console(user: User) -> bool:
    return user.is_authenticated and user.is_active and bool(user.roles & STAFF_ROLES)


def console_home(user: User) -> str | None:
    """Where a staff member lands after signing in (a URL name), or None for a citizen.

    Those who work complaints (the Secretariat, agency officers and heads) land on their
    queue; an executive who holds no such role reads the city's figures on the monitoring
    page, which is what they use (they take no actions in the queue).
    """
    if not can_use_staff_console(user):
        return None
    if user.roles & (STAFF_ROLES - {Role.EXECUTIVE}):
        return "staff:queue"
    return "monitoring:dashboard"


def staff_console(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Admit staff only; anyone else sees a page that does not exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_use_staff_console(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def monitoring_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Admit the Secretariat and executives only (/staf/pantau/, /staf/laporan/); anyone
    else sees a page that does not exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not oversees_all(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
