"""Who signs an agency's documents: the monthly recap (Lampiran I) and the Secretariat's
report. The name, title and NIP printed under the signature line."""

from dataclasses import dataclass

from sikesal.accounts.models import Membership, Role, User
from sikesal.agencies.models import Agency
from sikesal.core.city import city

BLANK_NAME = "(.....................................)"


@dataclass(frozen=True)
class Signatory:
    name: str  # BLANK_NAME when nobody is known: the head signs by hand
    title: str
    nip: str  # "" when unknown: the NIP line is left out


def signatory_for(agency: Agency, *, signer: User | None = None) -> Signatory:
    """The head who signs for `agency`.

    `signer` (the head submitting the recap, or printing the report) signs when they hold
    the head role of `agency`. Otherwise the head the administrator recorded on the agency,
    then the agency's head account (the most recently appointed if several). The title is
    the one recorded on the agency, or one made from its kind and name.
    """
    title = agency.head_title or default_head_title(agency)
    heads = Membership.objects.filter(
        agency=agency, role=Role.AGENCY_HEAD, user__is_active=True
    ).select_related("user")
    head = signer if signer is not None and heads.filter(user=signer).exists() else None
    if head is None and agency.head_name:
        return Signatory(name=agency.head_name, title=title, nip=agency.head_nip)
    if head is None:
        latest = heads.order_by("-created_at", "-pk").first()
        head = latest.user if latest else None
    if head is None:
        return Signatory(name=BLANK_NAME, title=title, nip=agency.head_nip)
    return Signatory(name=head.full_name, title=title, nip=head.nip)


def default_head_title(agency: Agency) -> str:
    """ "Kepala Dinas Pekerjaan Umum dan Penataan Ruang Kota Jambi", "Direktur Perumda Air
    Minum Tirta Mayang", "Camat Telanaipura"."""
    if agency.kind in (Agency.Kind.PERUSAHAAN_DAERAH, Agency.Kind.RSUD):
        return f"Direktur {agency.name}"
    if agency.kind == Agency.Kind.KECAMATAN:
        return f"Camat {agency.name.removeprefix('Kecamatan ')}"
    if agency.kind == Agency.Kind.KELURAHAN:
        return f"Lurah {agency.name.removeprefix('Kelurahan ')}"
    name = agency.name
    place = city().name
    return f"Kepala {name}" if place in name else f"Kepala {name} {place}"
