"""The colour of a complaint's status on the citizen's and the public pages."""

from django import template

from sikesal.complaints.models import CLOSED_OR_ARCHIVED, IN_HANDLING, Status

register = template.Library()


@register.filter
def status_tone(status: str) -> str:
    """The tone of `status`, from the status groups of sikesal.complaints.models: the
    citizen's turn to clarify (amber), in handling (blue), answered or closed (green),
    declined (neutral). Nothing in it is an error, so nothing is red."""
    if status == Status.NEEDS_CLARIFICATION:
        return "your-turn"
    if status in IN_HANDLING:
        return "waiting"
    if status == Status.RESPONDED or status in CLOSED_OR_ARCHIVED:
        return "answered"
    return "neutral"
