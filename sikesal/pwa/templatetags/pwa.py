"""`{% app_identity as app %}`: the app's name and colours for templates/pwa/head.html."""

from django import template

from sikesal.pwa import identity

register = template.Library()


@register.simple_tag
def app_identity() -> identity.AppIdentity:
    return identity.app_identity()


@register.simple_tag
def app_icon(name: str) -> str:
    """The static path of one of the app's icons: "apple_touch" or "favicon"."""
    return {"apple_touch": identity.APPLE_TOUCH_ICON, "favicon": identity.FAVICON}[name]
