"""Riding out SQLite's one writer at a time: run a unit of work again when it found the
database locked, and answer "busy, send it again" when it still cannot.

SQLite lets one connection write at a time. Every transaction starts with BEGIN IMMEDIATE
(config/settings.py), so a writer takes the lock before it reads and waits for it up to
the busy timeout (SIKESAL_SQLITE_BUSY_TIMEOUT); SQLite's wait is a poll, not a queue, so
under a crowd an unlucky writer can still time out with "database is locked". Such a unit
of work has written nothing and is simply run again after a short random pause, a few
times. A unit that had already committed part of its work is never run again: that part
would be done twice.

PostgreSQL waits for row locks instead of failing, so none of this applies to it: the
wrappers call straight through on any other database.
"""

import functools
import logging
import random
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from inspect import iscoroutinefunction
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import loader

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

LOCK_MESSAGES = ("database is locked", "database table is locked")
# Each attempt may wait the whole busy timeout (20 s by default): a unit that lost three
# times has waited a minute, and the visitor is better told the server is busy.
ATTEMPTS = 3
# Seconds to wait before attempt n + 1: random, so that writers that collided do not
# collide again, and growing with n.
PAUSE_SECONDS = (0.05, 0.25)
# What the busy page tells the browser: try again after this many seconds.
RETRY_AFTER_SECONDS = 10
# Statements that change data; what is left (SELECT, BEGIN, SAVEPOINT, PRAGMA) does not.
# WITH may start either: counting it as a write only ever costs a retry.
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "WITH")
# Form fields the busy page does not carry over: the token is issued afresh.
_NOT_CARRIED = {"csrfmiddlewaretoken"}


class DatabaseBusy(OperationalError):
    """A unit of work found the database locked on its last attempt, or after it had
    committed part of its work (`partly_saved`): then it was not run again, and sending
    the same form again may repeat what was saved.
    """

    def __init__(self, message: str, *, partly_saved: bool) -> None:
        super().__init__(message)
        self.partly_saved = partly_saved


def is_lock_error(error: BaseException) -> bool:
    """Whether `error` is SQLite's "database is locked" (or "database table is locked")."""
    return isinstance(error, OperationalError) and any(
        message in str(error) for message in LOCK_MESSAGES
    )


def retry_on_lock(unit: Callable[P, R]) -> Callable[P, R]:
    """Run `unit` again, up to ATTEMPTS times in all, while SQLite says the database is locked.

    `unit` must be a whole unit of work: it opens its own transactions, and running it again
    from the start is the same as running it once. Gives up with DatabaseBusy. Inside a
    transaction someone else opened, and on any database but SQLite, `unit` runs once as is.
    """

    @functools.wraps(unit)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite" or _in_callers_transaction(connection):
            return unit(*args, **kwargs)
        for attempt in range(1, ATTEMPTS + 1):
            with _commits_watched(connection) as committed:
                try:
                    return unit(*args, **kwargs)
                except OperationalError as error:
                    if isinstance(error, DatabaseBusy) or not is_lock_error(error):
                        raise
                    if committed or attempt == ATTEMPTS:
                        logger.warning(
                            "%s found the database locked %s time(s); giving up%s",
                            unit.__qualname__,
                            attempt,
                            " after committing part of its work" if committed else "",
                        )
                        raise DatabaseBusy(str(error), partly_saved=bool(committed)) from error
            time.sleep(random.uniform(*PAUSE_SECONDS) * attempt)  # noqa: S311 - not a secret
        raise AssertionError("unreachable: the last attempt returns or raises")

    return run


def _in_callers_transaction(connection) -> bool:
    # Running the unit again cannot help inside a transaction it did not open: that
    # transaction holds (or failed to take) the lock. pytest-django's per-test transaction
    # is not the caller's; Django's own durable check skips it the same way.
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


@contextmanager
def _commits_watched(connection) -> Iterator[list[bool]]:
    """A list that becomes non-empty once a write made inside the block is committed.

    A write in autocommit mode commits at once; one inside a transaction commits with it,
    or never if the transaction rolls back: on_commit tells the two apart.
    """
    committed: list[bool] = []

    def note_writes(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip()[:7].upper().startswith(_WRITES):
            transaction.on_commit(lambda: committed.append(True), using=connection.alias)
        return result

    with connection.execute_wrapper(note_writes):
        yield committed


class DatabaseBusyMiddleware:
    """On SQLite, each view is one unit of work run through retry_on_lock; when the database
    stays locked the visitor gets a 503 page, with the form they sent ready to send again.

    Placed last, so that every other middleware's process_view (CSRF, sign-in) has passed
    before the view runs, and every process_response still applies to the busy page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if connections[DEFAULT_DB_ALIAS].vendor != "sqlite" or iscoroutinefunction(view_func):
            return None

        def view_unit() -> HttpResponse:
            _rewind_uploads(request)
            response = view_func(request, *view_args, **view_kwargs)
            if response is None:
                # Returning None from process_view would make Django call the view again.
                raise ValueError(f"The view {view_func.__qualname__} returned None.")
            return response

        view_unit.__qualname__ = getattr(view_func, "__qualname__", repr(view_func))
        try:
            return retry_on_lock(view_unit)()
        except DatabaseBusy as busy:
            return busy_response(request, partly_saved=busy.partly_saved)


class DatabaseBusyAfterViewMiddleware:
    """The busy page, instead of a 500, for "database is locked" outside the view: the
    session saved after it (SessionMiddleware), another middleware's write.

    Placed before SessionMiddleware. Its writes ran after the view's, so the view's work
    may be saved: the page does not offer to send the form again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "_sikesal_database_locked", False):
            return busy_response(request, partly_saved=request.method == "POST")
        return response


@receiver(got_request_exception)
def _note_lock_error(sender, request: HttpRequest | None = None, **kwargs) -> None:
    # Django converts an exception into the 500 response before outer middleware sees it;
    # this signal is sent while it is being handled, with the exception at hand.
    if request is not None and is_lock_error(sys.exc_info()[1]):
        request._sikesal_database_locked = True


def _rewind_uploads(request: HttpRequest) -> None:
    # An earlier attempt may have read the uploaded files to their end. Only files already
    # parsed: reading request.FILES here would consume a body the view reads raw.
    files = request.__dict__.get("_files")
    for uploads in files.lists() if files else ():
        for upload in uploads[1]:
            upload.seek(0)


def busy_response(request: HttpRequest, *, partly_saved: bool = False) -> HttpResponse:
    """503 "the server is busy": for a form post, with the fields it sent (not its files) in
    a form that sends them again to the same address; Retry-After for clients and crawlers.

    Rendered without context processors: they would query the busy database.
    """
    resend = request.method == "POST" and not partly_saved
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _NOT_CARRIED
        for value in values
    ]
    context = {
        "resend": resend,
        "partly_saved": partly_saved,
        "action": request.get_full_path(),
        "fields": fields if resend else [],
        "had_files": resend and bool(request.__dict__.get("_files")),
        "csrf_token": get_token(request) if resend else "",
        "SITE_NAME": settings.SIKESAL_SITE_NAME,
    }
    response = HttpResponse(loader.render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
