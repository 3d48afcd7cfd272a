"""Slowing down password guessing without locking out the people it is not about.

django-axes records every failed login (per account, as `lockout_username` names it, and
per client address) and locks the (account, address) pair after AXES_FAILURE_LIMIT
failures. Axes applies one limit to all its lockout parameters, so the two other rules
live here, in `LoginThrottleHandler.is_locked`, on the same records:

- an address ceiling (SIKESAL_LOGIN_IP_FAILURE_LIMIT, much higher than the pair's): one
  address trying many accounts is stopped, while the thousands of phones a mobile carrier
  puts behind one address are not locked out by one person's typing;
- growing delays for one account guessed from many addresses: after
  SIKESAL_LOGIN_ACCOUNT_FREE_FAILURES failures, each further attempt must wait 1, 2, 4 ...
  seconds after the last failure (at most SIKESAL_LOGIN_ACCOUNT_MAX_DELAY). A browser the
  account has logged in from before (its signed device cookie) is not delayed, so a
  stranger guessing a known username cannot keep its owner out.

The client address is REMOTE_ADDR unless a trusted proxy is configured (`client_ip`).

The login page goes through Django's `authenticate()`, which axes watches; the API's sign-in
goes through `password_authenticate`, the same call on the same records, so failures on
either door count towards one lock, which then refuses both.
"""

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.core import signing
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac

from sikesal.accounts.models import User

DEVICE_COOKIE = "sikesal_device"
_DEVICE_SALT = "sikesal.accounts.throttle.device"
_DEVICE_MAX_AGE = 365 * 24 * 3600  # seconds


@dataclass(frozen=True)
class LoginBlock:
    """Why a login attempt is refused, and for how long (seconds; None: until cool-off)."""

    reason: str  # "pair", "address" or "account"
    wait_seconds: int | None = None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless SIKESAL_TRUSTED_PROXY_COUNT proxies are in front of us: then the
    address the outermost trusted proxy saw, which is the entry that many places from the
    right of SIKESAL_PROXY_IP_HEADER (each proxy appends what it saw). Entries further left
    are the client's own claims and are ignored; so is a header too short or malformed.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    count = settings.SIKESAL_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote_addr
    header = request.META.get(settings.SIKESAL_PROXY_IP_HEADER, "")
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < count:
        return remote_addr
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler, plus the address ceiling and the per-account delay."""

    def is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        """Refused: the pair past its limit, the address past its ceiling, or the account
        within its delay (unless this browser is one the account logged in from)."""
        if super().is_locked(request, credentials):
            request.sikesal_login_block = LoginBlock("pair")
            return True
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        address_failures = _failures(recent.filter(ip_address=request.axes_ip_address))
        if address_failures >= settings.SIKESAL_LOGIN_IP_FAILURE_LIMIT:
            request.sikesal_login_block = LoginBlock("address")
            return True
        username = get_client_username(request, credentials)
        if not username or _is_known_device(request, username):
            return False
        wait = _account_wait(recent.filter(username=username))
        if wait:
            request.sikesal_login_block = LoginBlock("account", wait)
            return True
        return False


class LoginLocked(Exception):
    """A sign-in refused by the lockout, for a door that answers it itself (the API)."""

    def __init__(self, block: LoginBlock, retry_after: int) -> None:
        super().__init__(block.reason)
        self.block = block
        self.retry_after = retry_after


def password_authenticate(request: HttpRequest, *, login: str, password: str) -> User | None:
    """The account `login` (username, email or mobile) and `password` name, checked as the
    login page checks them: through `authenticate()`, so that django-axes counts a failure
    and refuses a locked (account, address) pair exactly as it does for the page.

    Returns None for wrong credentials (or an inactive account); raises LoginLocked when
    the lockout refuses. A success is a login like the page's (`user_logged_in`: the
    pair's failures are forgotten, `last_login` is set), without a session.
    """
    user = authenticate(request, username=login, password=password)
    raise_if_locked_out(request, login=login)
    if user is not None:
        user_logged_in.send(sender=type(user), request=request, user=user)
    return user


def raise_if_locked_out(request: HttpRequest, *, login: str) -> None:
    """Raise LoginLocked if a password check in this request (`authenticate()`, also inside
    a form) was refused by the lockout or has just locked the pair."""
    if not getattr(request, "axes_locked_out", False):
        return
    block = getattr(request, "sikesal_login_block", None) or LoginBlock("pair")
    retry_after = lockout_retry_after(request, {"username": login})
    # Answered by the caller: AxesMiddleware would replace its answer with the page's.
    request.axes_locked_out = False
    raise LoginLocked(block, retry_after)


def lockout_retry_after(request: HttpRequest, credentials: dict | None) -> int:
    """Seconds until the lock that refused `request` ends (at most; at least 1)."""
    block = getattr(request, "sikesal_login_block", None) or LoginBlock("pair")
    if block.wait_seconds:
        return block.wait_seconds
    cool_off = get_cool_off(request)
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if block.reason == "pair":
        attempts = attempts.filter(username=get_client_username(request, credentials))
    last = attempts.aggregate(last=Max("attempt_time"))["last"]
    if last is None:
        return max(1, math.ceil(cool_off.total_seconds()))
    return max(1, math.ceil((last + cool_off - timezone.now()).total_seconds()))


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _account_wait(attempts) -> int:
    """Seconds the next attempt on this account must still wait (0: it may go ahead)."""
    totals = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    failures = totals["failures"] or 0
    over = failures - settings.SIKESAL_LOGIN_ACCOUNT_FREE_FAILURES
    if not failures or over < 0:
        return 0
    # 2**30 seconds already exceeds any sensible maximum; no need for bigger numbers.
    delay = min(2 ** min(over, 30), settings.SIKESAL_LOGIN_ACCOUNT_MAX_DELAY)
    last: datetime = totals["last"]
    remaining = delay - (timezone.now() - last).total_seconds()
    return max(0, math.ceil(remaining))


def attempts_left(request: HttpRequest) -> int | None:
    """Failed attempts this account may still make from this address before the lock.

    Known after a failed attempt only (axes sets the count while recording it).
    """
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return None
    return max(0, get_failure_limit(request, None) - failures)


# --- the device cookie ----------------------------------------------------------------------


def remember_device(response: HttpResponse, user: User) -> None:
    """Mark this browser as one `user` has logged in from (exempt from the delay)."""
    # The name failures are counted under (backends.lockout_username).
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(_device_id(user.username.lower()), salt=_DEVICE_SALT),
        max_age=_DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _is_known_device(request: HttpRequest, username: str) -> bool:
    token = request.COOKIES.get(DEVICE_COOKIE, "")
    try:
        device_id = signing.loads(token, salt=_DEVICE_SALT, max_age=_DEVICE_MAX_AGE)
    except signing.BadSignature:
        return False
    return device_id == _device_id(username)


def _device_id(username: str) -> str:
    # A keyed digest: the cookie of a shared computer does not tell the next user whose it was.
    return salted_hmac(_DEVICE_SALT, username).hexdigest()


# --- the answer -----------------------------------------------------------------------------


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The 429 page (AXES_LOCKOUT_CALLABLE), saying which rule answered and how long."""
    block = getattr(request, "sikesal_login_block", None) or LoginBlock("pair")
    context = {
        "reason": block.reason,
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_timedelta": get_cool_off(request),
        "wait_seconds": block.wait_seconds,
    }
    response = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
    response["Retry-After"] = str(lockout_retry_after(request, credentials))
    return response
