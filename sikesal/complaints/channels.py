"""The intake channels SIKESAL offers today, in one list.

The agency pages (Pasal 11.1) and the standard handling mechanism read it, so they never
promise a channel that does not exist. An issue that opens a channel (intake at an office
counter, the API) adds it here and every page follows.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from sikesal.complaints.models import Channel


@dataclass(frozen=True)
class OfferedChannel:
    channel: str  # a `Channel` value: how complaints arriving this way are counted
    label: str  # as a citizen reads it
    path: str  # where a citizen uses it on this site, or "" when it is not a web page


def offered_channels() -> list[OfferedChannel]:
    """The channels a citizen can use today, in the active language: the web form, the
    same site installed on a phone as an app (the browser's install prompt or the
    "Pasang aplikasi" button), and the Google Play app once `SIKESAL_ANDROID_PLAY_URL`
    says it is published. The apps open the same pages, so they count as the web."""
    channels = [
        OfferedChannel(
            channel=Channel.WEB,
            label=_("Formulir pengaduan di situs web SIKESAL"),
            path=reverse("complaints:file"),
        ),
        OfferedChannel(
            channel=Channel.WEB,
            label=_("Aplikasi SIKESAL yang dipasang di ponsel dari situs web"),
            path="",
        ),
    ]
    if settings.SIKESAL_ANDROID_PLAY_URL:
        channels.append(
            OfferedChannel(
                channel=Channel.WEB,
                label=_("Aplikasi SIKESAL di Google Play"),
                path=settings.SIKESAL_ANDROID_PLAY_URL,
            )
        )
    return channels
