"""Figures as the report pages print them: `{% load report_tags %}`.

A `Figure` resting on fewer than `stats.MIN_BASE` cases prints "data belum cukup" instead of
its value: a percentage or an average of a handful of cases says little and can single one
out.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from sikesal.complaints.stats import Figure

register = template.Library()


def _not_enough() -> str:
    return _("data belum cukup")


@register.filter
def share(figure: Figure) -> str:
    """0.7 of 10 → "70%"."""
    if not figure.sufficient:
        return _not_enough()
    return f"{floatformat(figure.value * 100, '-1')}%"


@register.filter
def days(figure: Figure) -> str:
    """A median number of working days: "4,5"."""
    if not figure.sufficient:
        return _not_enough()
    return floatformat(figure.value, "-1")


@register.filter
def rating(figure: Figure) -> str:
    """An average rating out of 5: "3,9"."""
    if not figure.sufficient:
        return _not_enough()
    return floatformat(figure.value, 1)
