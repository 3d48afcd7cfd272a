"""The signed-in person's notifications: the list, and marking them read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sikesal.notifications.services import (
    notification_list_for,
    notification_mark_all_read,
    notification_mark_read,
    notification_unread_count,
)

PAGE_SIZE = 20


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notification_list_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/notification_list.html",
        # The unread count comes from the context processor (one query for page and badge).
        {"page_obj": page, "notifications": page.object_list},
    )


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read. htmx gets the updated item, the unread counters out of
    band and a screen-reader status; a plain form post goes back to the list."""
    notification = notification_mark_read(user=request.user, notification_id=pk)
    if request.htmx:
        return render(
            request,
            "notifications/partials/notification_read.html",
            {
                "notification": notification,
                "unread_count": notification_unread_count(request.user),
            },
        )
    return redirect("notifications:list")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("Semua pemberitahuan ditandai sudah dibaca."))
    return redirect("notifications:list")


@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    notification = notification_mark_read(user=request.user, notification_id=pk)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:list")
