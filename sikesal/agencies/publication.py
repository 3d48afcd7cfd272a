"""What each agency publishes under Pasal 11.1: its complaint officers, its handling
mechanism and its channels, taken from what the system knows rather than from seeded text.

- Officers: the agency's staff accounts (memberships), with their role; with
  `SIKESAL_PUBLISH_OFFICER_NAMES` off only the roles and how many hold them.
- Mechanism: the agency's own text, or SIKESAL's standard stages naming the channels the
  system really offers.
- Channels: `sikesal.complaints.channels.offered_channels()`, then the agency's own.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sikesal.accounts.models import Membership, Role
from sikesal.agencies.models import Agency
from sikesal.complaints.channels import OfferedChannel, offered_channels
from sikesal.core.city import city

# The directory's search: the longest query it reads.
DIRECTORY_QUERY_MAX_LENGTH = 100


def directory_entries() -> QuerySet[Agency]:
    """The agencies the public directory lists and opens (/opd/, the API): active ones."""
    return Agency.objects.filter(is_active=True).select_related("parent")


def directory_query(raw: str) -> str:
    """A directory search as typed, trimmed to what `directory` reads."""
    return raw.strip()[:DIRECTORY_QUERY_MAX_LENGTH]


def directory(query: str = "") -> QuerySet[Agency]:
    """The directory's list, by name: active agencies whose name, short name or code
    contains `query` (`directory_query`), all of them when it is empty."""
    agencies = Agency.objects.filter(is_active=True).only("code", "name", "short_name", "kind")
    if query:
        agencies = agencies.filter(
            Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__icontains=query)
        )
    return agencies.order_by("name")


# The order the page lists them in: who handles complaints first, the head last.
OFFICER_ROLES = (Role.SECRETARIAT, Role.AGENCY_OFFICER, Role.AGENCY_HEAD)


@dataclass(frozen=True)
class OfficerGroup:
    role: str  # the role's label
    count: int
    names: list[str]  # empty when names are not published


def officer_groups(agency: Agency) -> list[OfficerGroup]:
    """The agency's officers by role, from its memberships of active accounts, plus the
    officers without an account that the administrator listed (`complaint_officers`)."""
    publish_names = settings.SIKESAL_PUBLISH_OFFICER_NAMES
    names_by_role: dict[str, list[str]] = {role: [] for role in OFFICER_ROLES}
    memberships = (
        Membership.objects.filter(agency=agency, user__is_active=True)
        .order_by("user__full_name", "pk")
        .values_list("role", "user__full_name")
    )
    for role, name in memberships:
        names_by_role.setdefault(role, []).append(name)
    names_by_role[Role.AGENCY_OFFICER] += agency.complaint_officer_list
    return [
        OfficerGroup(
            role=Role(role).label,
            count=len(names),
            names=sorted(set(names), key=names.index) if publish_names else [],
        )
        for role, names in names_by_role.items()
        if names
    ]


def standard_handling_mechanism(
    agency: Agency, channels: list[OfferedChannel] | None = None
) -> str:
    """SIKESAL's handling stages (Pasal 1.12) as the agency publishes them when it has
    written none of its own; receipt names only the channels the system offers."""
    if channels is None:
        channels = offered_channels(agency)
    channels = ", ".join(channel.label for channel in channels)
    return _(
        "Pengaduan tentang layanan %(name)s ditangani melalui SIKESAL menurut "
        "%(regulation)s:\n"
        "1. Penerimaan: pengaduan disampaikan melalui %(channels)s.\n"
        "2. Pencatatan: setiap pengaduan dicatat dan pelapor menerima nomor pelacakan.\n"
        "3. Penelaahan: Sekretariat Pengaduan menelaah kelengkapan dan kelayakan pengaduan. "
        "Pengaduan yang tidak etis, berbau SARA atau tidak bertanggung jawab tidak "
        "ditindaklanjuti (Pasal 11 ayat 2).\n"
        "4. Klarifikasi: bila keterangan belum lengkap, pelapor diminta melengkapinya "
        "melalui SIKESAL.\n"
        "5. Penyaluran: Sekretariat Pengaduan menyalurkan pengaduan kepada OPD yang "
        "berwenang.\n"
        "6. Tindak lanjut: petugas %(short_name)s menerima dan mencatat pengaduan dalam "
        "register, menindaklanjutinya, dan menyampaikan hasil penanganan kepada pelapor "
        "melalui SIKESAL.\n"
        "7. Pelaporan: rekapitulasi hasil penanganan pengaduan disampaikan kepada "
        "Sekretariat Pengaduan setiap bulan, paling lambat tanggal 10.\n"
        "8. Pengarsipan: pengaduan yang selesai ditangani diarsipkan."
    ) % {
        "name": agency.name,
        "short_name": agency.short_name or agency.name,
        "regulation": city().regulation,
        "channels": channels,
    }


def handling_mechanism(agency: Agency, channels: list[OfferedChannel] | None = None) -> str:
    """The mechanism the agency page shows: the agency's own, else the standard one
    (`channels`: the page's `offered_channels(agency)`, when it has them already)."""
    return agency.handling_mechanism.strip() or standard_handling_mechanism(agency, channels)
