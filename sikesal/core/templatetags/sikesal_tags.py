"""Template filters shared by every page: `{% load sikesal_tags %}`."""

from datetime import timedelta

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    """A length of time in words, to the minute: "1 jam 30 menit" (rounded up, never "0")."""
    if not isinstance(value, timedelta):
        return ""
    minutes = max(1, -(-int(value.total_seconds()) // 60))  # ceiling: never promise too early
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)d hari", "%(count)d hari", days) % {"count": days})
    if hours:
        parts.append(ngettext("%(count)d jam", "%(count)d jam", hours) % {"count": hours})
    if minutes:
        parts.append(ngettext("%(count)d menit", "%(count)d menit", minutes) % {"count": minutes})
    return " ".join(parts)


@register.filter
def is_web_url(value: str) -> bool:
    """Whether a stored address may be a link: http(s) only, never `javascript:` and the like.

    Model fields validate this in forms, but loaders and shells can write any text.
    """
    return str(value).strip().lower().startswith(("https://", "http://"))
