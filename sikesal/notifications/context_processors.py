"""Template context for every page: the signed-in person's unread notification count."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sikesal.notifications.services import notification_unread_count


def notifications(request: HttpRequest) -> dict:
    """`notification_unread_count`, counted only when a template actually shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_unread_count": SimpleLazyObject(lambda: notification_unread_count(user))}
