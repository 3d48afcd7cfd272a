"""The intake channels SIKESAL offers today, in one list.

The agency pages (Pasal 11.1) and the standard handling mechanism read it, so they never
promise a channel that does not exist. An issue that opens a channel (the Android app,
intake at an office counter, the API) adds it here and every page follows.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from sikesal.complaints.models import Channel


@dataclass(frozen=True)
class OfferedChannel:
    channel: str  # a `Channel` value: how complaints arriving this way are counted
    label: str  # as a citizen reads it
    path: str  # where a citizen uses it on this site, or "" when it is not a web page


def offered_channels() -> list[OfferedChannel]:
    """The channels a citizen can use today, in the active language."""
    return [
        OfferedChannel(
            channel=Channel.WEB,
            label=_("Formulir pengaduan di situs web SIKESAL"),
            path=reverse("complaints:file"),
        ),
    ]
