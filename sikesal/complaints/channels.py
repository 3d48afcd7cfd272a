"""The intake channels SIKESAL offers today, in one list.

The agency pages (Pasal 11.1) and the standard handling mechanism read it, so they never
promise a channel that does not exist. An issue that opens a channel adds it here and every
page follows: assisted intake (sikesal/intake) made the Secretariat's counter, phone and
letters, Call Center 112 and SP4N-LAPOR! real channels, and each agency's own counter
where someone of the agency can enter what it receives.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from sikesal.accounts.models import Membership, Role
from sikesal.agencies.models import Agency
from sikesal.complaints.access import AGENCY_ROLES
from sikesal.complaints.models import Channel


@dataclass(frozen=True)
class OfferedChannel:
    channel: str  # a `Channel` value: how complaints arriving this way are counted
    label: str  # as a citizen reads it
    path: str  # where a citizen uses it on this site, or "" when it is not a web page


def offered_channels(agency: Agency | None = None) -> list[OfferedChannel]:
    """The channels a citizen can use today, in the active language: the web form, the
    same site installed on a phone as an app (the browser's install prompt or the
    "Pasang aplikasi" button), and the Google Play app once `SIKESAL_ANDROID_PLAY_URL`
    says it is published. The apps open the same pages, so they count as the web.

    Then what officers enter on the citizen's behalf (assisted intake), where someone can:
    the Secretariat's counter, phone and letters, and what Call Center 112 and
    SP4N-LAPOR! pass on, while the Secretariat has an active officer; and, on `agency`'s
    page, its own counter while it has an active officer or head."""
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
    desks = Q(role=Role.SECRETARIAT)
    if agency is not None:
        desks |= Q(agency=agency, role__in=AGENCY_ROLES)
    # One query: which of those desks someone active can take complaints at.
    staffed = set(
        Membership.objects.filter(desks, user__is_active=True, agency__is_active=True)
        .values_list("role", flat=True)
        .distinct()
    )
    if Role.SECRETARIAT in staffed:
        channels += [
            OfferedChannel(
                channel=Channel.WALK_IN,
                label=_(
                    "Loket, telepon atau surat ke Sekretariat Pengaduan (dicatat petugas "
                    "ke SIKESAL)"
                ),
                path="",
            ),
            OfferedChannel(
                channel=Channel.CALL_CENTER_112,
                label=_(
                    "Call Center 112 dan SP4N-LAPOR! (diteruskan ke Sekretariat Pengaduan "
                    "dan dicatat petugas ke SIKESAL)"
                ),
                path="",
            ),
        ]
    if agency is not None and staffed & set(AGENCY_ROLES):
        channels.append(
            OfferedChannel(
                channel=Channel.WALK_IN,
                label=_(
                    "Loket %(agency)s (dicatat petugas ke SIKESAL dan langsung ditangani OPD ini)"
                )
                % {"agency": agency.short_name or agency.name},
                path="",
            )
        )
    return channels
