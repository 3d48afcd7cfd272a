"""Seed the reference data: regions, agencies and complaint categories.

Each loader creates the rows that are missing (matched by code), leaves existing rows
exactly as they are, runs in one transaction and returns how many rows it created. Once
loaded the database is the truth: administrators correct names, heads and routing in the
admin, and a re-run must never undo that. The source files are Kota Jambi's, in `data/`
(see its README); another local government passes its own directory (`data_dir`, the
commands' `--data-dir`) holding files of the same format: `regions*.csv`,
`boundaries*.geojson`, `agencies*.csv` and, optionally, `categories*.csv` (else the built-in
categories below).
"""

import csv
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sikesal.agencies import geo
from sikesal.agencies.models import Agency, Category, Region, RegionBoundary

DATA_DIR = Path(__file__).resolve().parent / "data"

Report = Callable[[str], None]

# Local spellings that search must accept too (data/SOURCES.md), by Kemendagri code.
ALTERNATIVE_NAMES = {
    "15.71.01.1001": "Simpang Empat Sipin",  # Simpang IV Sipin
    "15.71.02.1004": "The Hok",  # Thehok
    "15.71.03.1001": "Sejinjang",  # Sijenjang
    "15.71.09.1002": "Rawasari",  # Rawa Sari
}

SECRETARIAT_AGENCY_CODE = "diskominfo"  # Perwal 40/2017 Pasal 10.1

# A kecamatan row of the agency CSV names the region it serves in its note.
_REGION_IN_NOTE = re.compile(r"\bregion (\d+(?:\.\d+)+)\b")


class ReferenceDataError(Exception):
    """The reference data cannot be loaded, e.g. a prerequisite has not been loaded yet."""


@dataclass(frozen=True)
class CategorySeed:
    code: str
    name: Promise | str
    description: Promise | str
    agency_code: str | None  # None: the Secretariat decides, or the kecamatan of the location
    routes_to_kecamatan: bool = False
    is_sensitive: bool = False


# In the order citizens should see them: SIKESAL's 2022 top ten by volume first.
CATEGORIES: tuple[CategorySeed, ...] = (
    CategorySeed(
        "jalan",
        _("Jalan"),
        _("Jalan rusak, berlubang atau amblas, trotoar dan jembatan."),
        "dpupr",  # Bina Marga: city roads and bridges
    ),
    CategorySeed(
        "lampu-jalan",
        _("Lampu jalan"),
        _("Lampu penerangan jalan umum (LPJU) mati, rusak atau belum ada."),
        # Not Dishub: in Kota Jambi the LPJU are installed, powered and repaired by Dinas
        # Perkim (its LPJU / utilities field), which also takes the public's reports.
        "perkim",
    ),
    CategorySeed(
        "drainase",
        _("Drainase"),
        _("Parit, saluran air dan gorong-gorong tersumbat, rusak atau meluap."),
        "dpupr",
    ),
    CategorySeed(
        "kebocoran-pipa-air",
        _("Kebocoran pipa air"),
        _("Pipa air minum bocor atau pecah."),
        "tirtamayang",
    ),
    CategorySeed(
        "kualitas-air",
        _("Kualitas air"),
        _("Air minum keruh, berbau, mengalir kecil atau tidak mengalir."),
        "tirtamayang",
    ),
    CategorySeed(
        "banjir",
        _("Banjir"),
        _("Genangan dan banjir yang berulang di jalan atau permukiman."),
        # Most flood reports are about water that does not drain away, a works matter for
        # PUPR; a flood that is an emergency goes to BPBD through "bencana" or Call Center 112.
        "dpupr",
    ),
    CategorySeed(
        "bantuan-sosial",
        _("Bantuan sosial"),
        _("Pendataan, penyaluran dan kelayakan penerima bantuan sosial."),
        "dinsos",
    ),
    CategorySeed(
        "lingkungan",
        _("Lingkungan"),
        _("Pencemaran air, udara atau tanah, bau, kebisingan dan kerusakan lingkungan."),
        "dlh",
    ),
    CategorySeed(
        "ketentraman-ketertiban-umum",
        _("Ketentraman dan ketertiban umum"),
        _(
            "Gangguan ketertiban, pedagang kaki lima, bangunan liar dan pelanggaran "
            "peraturan daerah."
        ),
        "satpolpp",  # the enforcer of Perda and public order
    ),
    CategorySeed(
        "parkir-liar",
        _("Parkir liar"),
        _("Parkir di tempat terlarang, juru parkir tanpa izin atau tarif parkir tidak resmi."),
        # Dishub manages parking and its attendants; Satpol PP can be added when routing.
        "dishub",
    ),
    CategorySeed(
        "administrasi-kependudukan",
        _("Administrasi kependudukan"),
        _("KTP-el, Kartu Keluarga, akta kelahiran dan kematian, pindah datang."),
        "disdukcapil",
    ),
    CategorySeed(
        "perizinan",
        _("Perizinan"),
        _("Pelayanan perizinan dan nonperizinan, termasuk persetujuan bangunan gedung."),
        "dpmptsp",
    ),
    CategorySeed(
        "sampah",
        _("Sampah"),
        _("Sampah tidak diangkut, tempat penampungan sementara penuh, pembuangan liar."),
        "dlh",
    ),
    CategorySeed(
        "kebakaran",
        _("Kebakaran"),
        _(
            "Bahaya kebakaran, hidran dan layanan penyelamatan. Keadaan darurat: hubungi "
            "Call Center 112."
        ),
        "damkar",
    ),
    CategorySeed(
        "bencana",
        _("Bencana"),
        _(
            "Tanah longsor, angin kencang, pohon tumbang dan bencana lain. Keadaan darurat: "
            "hubungi Call Center 112."
        ),
        "bpbd",
    ),
    CategorySeed(
        "kesehatan",
        _("Kesehatan dan puskesmas"),
        _("Pelayanan puskesmas, posyandu dan kesehatan masyarakat."),
        "dinkes",
    ),
    CategorySeed(
        "rumah-sakit",
        _("Rumah sakit daerah"),
        _("Pelayanan rumah sakit umum daerah milik Pemerintah Kota Jambi."),
        "rsud",
    ),
    CategorySeed(
        "sekolah",
        _("Sekolah"),
        # The city runs primary and junior secondary schools; senior ones are the province's.
        _("SD dan SMP negeri: penerimaan murid baru, pungutan, sarana sekolah."),
        "disdik",
    ),
    CategorySeed(
        "pajak-daerah",
        _("Pajak daerah"),
        _("PBB, BPHTB, pajak restoran, hotel dan reklame, retribusi daerah."),
        "bpprd",
    ),
    CategorySeed(
        "pasar",
        _("Pasar"),
        _("Kebersihan, ketertiban dan fasilitas pasar; harga dan takaran."),
        # The markets' operator is not among the seeded agencies; trade is Disperindag's.
        "disperindag",
    ),
    CategorySeed(
        "transportasi",
        _("Transportasi"),
        _("Angkutan umum, rambu, marka dan lampu lalu lintas."),
        "dishub",
    ),
    CategorySeed(
        "pelayanan-kecamatan-kelurahan",
        _("Pelayanan kecamatan dan kelurahan"),
        _("Pelayanan di kantor camat dan lurah, surat pengantar, RT dan RW."),
        None,
        routes_to_kecamatan=True,
    ),
    CategorySeed(
        "kekerasan-perempuan-anak",
        _("Kekerasan terhadap perempuan dan anak"),
        _("Dirahasiakan dan ditangani UPTD Perlindungan Perempuan dan Anak."),
        "dpmppa",
        is_sensitive=True,
    ),
    CategorySeed(
        "lainnya",
        _("Lainnya"),
        _("Hal lain; Sekretariat Pengaduan menentukan OPD yang menanganinya."),
        None,
    ),
)


def load_regions(*, report: Report | None = None, data_dir: Path | None = None) -> int:
    """Create the missing city, kecamatan and kelurahan rows, with boundaries and centroids."""
    level_order = [Region.Level.CITY, Region.Level.KECAMATAN, Region.Level.KELURAHAN]
    # Parents before children, whatever the file's order.
    rows = sorted(
        _read_csv(_data_file(data_dir, "regions*.csv")),
        key=lambda row: level_order.index(row["level"]),
    )
    with _data_file(data_dir, "boundaries*.geojson").open(encoding="utf-8") as file:
        features = {
            feature["properties"]["kode"]: feature for feature in json.load(file)["features"]
        }
    created = 0
    with transaction.atomic():
        regions = Region.objects.only("pk", "code").in_bulk(field_name="code")
        for row in rows:
            if row["kode"] in regions:
                continue
            feature = features.get(row["kode"])
            region = Region(
                code=row["kode"],
                name=row["nama"],
                level=row["level"],
                parent=regions.get(row["kode_induk"]),
                alternative_names=ALTERNATIVE_NAMES.get(row["kode"], ""),
                centroid_lat=feature["properties"]["centroid_lat"] if feature else None,
                centroid_lng=feature["properties"]["centroid_lng"] if feature else None,
            )
            _create(region, report)
            if feature:
                RegionBoundary.objects.create(region=region, geometry=feature["geometry"])
            regions[region.code] = region
            created += 1
    geo.clear_cache()
    return created


def load_agencies(*, report: Report | None = None, data_dir: Path | None = None) -> int:
    """Create the missing agencies. Their public information (Pasal 11.1) starts blank: the
    agency page then shows SIKESAL's standard mechanism and channels (`publication`).

    Needs the regions: each kecamatan agency is linked to the kecamatan it serves. The
    Secretariat's seat is the row marked `is_secretariat` (a column a city's own file may
    have), else Diskominfo.
    """
    rows = _read_csv(_data_file(data_dir, "agencies*.csv"))
    created = 0
    with transaction.atomic():
        agencies = Agency.objects.in_bulk(field_name="code")
        missing = [row for row in rows if row["code"] not in agencies]
        region_ids = dict(Region.objects.values_list("code", "pk"))
        # An administrator may have moved the Secretariat; never take it back.
        secretariat_exists = Agency.objects.filter(is_secretariat=True).exists()
        for row in missing:
            agency = Agency(
                code=row["code"],
                name=row["name"],
                short_name=row["short_name"],
                kind=row["kind"],
                note=row["note"],
                region_id=_region_id_for(row, region_ids),
                is_secretariat=_is_secretariat(row) and not secretariat_exists,
            )
            _create(agency, report)
            agencies[agency.code] = agency
            created += 1
        # Parents are linked afterwards: a row may name a parent listed below it.
        for row in missing:
            if not row["parent_code"]:
                continue
            if row["parent_code"] not in agencies:
                raise ReferenceDataError(
                    gettext("OPD induk %(parent)s dari %(code)s tidak ditemukan.")
                    % {"parent": row["parent_code"], "code": row["code"]}
                )
            agency = agencies[row["code"]]
            agency.parent = agencies[row["parent_code"]]
            agency.save(update_fields=["parent", "updated_at"])
    return created


def load_categories(*, report: Report | None = None, data_dir: Path | None = None) -> int:
    """Create the missing complaint categories. Needs the agencies (default handlers)."""
    seeds = _category_seeds(data_dir)
    created = 0
    with transaction.atomic():
        existing = set(Category.objects.values_list("code", flat=True))
        agencies = Agency.objects.in_bulk(
            [seed.agency_code for seed in seeds if seed.agency_code], field_name="code"
        )
        for position, seed in enumerate(seeds, start=1):
            if seed.code in existing:
                continue
            if seed.agency_code and seed.agency_code not in agencies:
                raise ReferenceDataError(
                    gettext(
                        "OPD %(agency)s untuk kategori %(category)s belum ada; "
                        "jalankan load_agencies dahulu."
                    )
                    % {"agency": seed.agency_code, "category": seed.code}
                )
            category = Category(
                code=seed.code,
                name=str(seed.name),
                description=str(seed.description),
                default_agency=agencies.get(seed.agency_code) if seed.agency_code else None,
                routes_to_kecamatan=seed.routes_to_kecamatan,
                is_sensitive=seed.is_sensitive,
                sort_order=position * 10,
            )
            _create(category, report)
            created += 1
    return created


def _data_file(data_dir: Path | None, pattern: str, *, required: bool = True) -> Path | None:
    """The one file matching `pattern` in `data_dir` (default: the built-in data)."""
    directory = Path(data_dir) if data_dir else DATA_DIR
    found = sorted(directory.glob(pattern))
    if len(found) > 1 or (required and not found):
        raise ReferenceDataError(
            gettext("Harus ada tepat satu berkas %(pattern)s di %(directory)s.")
            % {"pattern": pattern, "directory": directory}
        )
    return found[0] if found else None


def _category_seeds(data_dir: Path | None) -> tuple[CategorySeed, ...]:
    """The categories of `data_dir`'s `categories*.csv` if it has one, else the built-in."""
    path = _data_file(data_dir, "categories*.csv", required=False) if data_dir else None
    if path is None:
        return CATEGORIES
    return tuple(
        CategorySeed(
            code=row["code"],
            name=row["name"],
            description=row.get("description", ""),
            agency_code=row.get("agency_code") or None,
            routes_to_kecamatan=_yes(row.get("routes_to_kecamatan", "")),
            is_sensitive=_yes(row.get("is_sensitive", "")),
        )
        for row in _read_csv(path)
    )


def _is_secretariat(row: dict[str, str]) -> bool:
    if "is_secretariat" in row:
        return _yes(row["is_secretariat"])
    return row["code"] == SECRETARIAT_AGENCY_CODE


def _yes(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "ya", "yes")


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _region_id_for(row: dict[str, str], region_ids: dict[str, int]) -> int | None:
    match = _REGION_IN_NOTE.search(row["note"])
    if match is None:
        return None
    code = match.group(1)
    if code not in region_ids:
        raise ReferenceDataError(
            gettext("Wilayah %(region)s untuk %(agency)s belum ada; jalankan load_regions dahulu.")
            % {"region": code, "agency": row["code"]}
        )
    return region_ids[code]


def _create(obj: Region | Agency | Category, report: Report | None) -> None:
    # Validate first: an edited seed file must fail with the field's message, not an
    # IntegrityError halfway through.
    obj.full_clean()
    obj.save()
    if report is not None:
        report(gettext("Dibuat: %(object)s (%(code)s)") % {"object": obj, "code": obj.code})
