"""Who runs this installation: the city's (or regency's) identity, read from settings.

Every template (through `context_processors.site`), official document and the map take the
city's name, head, inspectorate, regulation, letterhead and map from here, so that another
Indonesian local government deploys SIKESAL by setting `SIKESAL_CITY_*` and loading its own
reference data (`manage.py load_reference_data --data-dir`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import lazy


@dataclass(frozen=True)
class City:
    name: str  # "Kota Jambi"
    place: str  # the place of a signed letter: "Jambi, 4 Desember 2026"
    province: str  # "Jambi"
    secretariat: str  # the seat of the Sekretariat Pengaduan, as the public pages name it
    head_title: str  # the report's addressee: "Walikota Jambi"
    inspector_title: str  # the report's copy: "Inspektur Kota Jambi"
    regulation: str  # "Peraturan Walikota Jambi Nomor 40 Tahun 2017"
    regulation_short: str  # "Perwal Jambi 40/2017"
    letterhead: tuple[str, ...]  # lines above the office's name
    logo: str  # a path under static/, or ""
    map_centre: tuple[float, float]  # latitude, longitude
    map_zoom: int
    map_bounds: tuple[float, float, float, float] | None  # south, west, north, east

    @property
    def government(self) -> str:
        """ "Pemerintah Kota Jambi"."""
        return f"Pemerintah {self.name}"


def city() -> City:
    """The city of this installation, as configured now (tests override settings)."""
    return City(
        name=settings.SIKESAL_CITY_NAME,
        place=settings.SIKESAL_CITY_PLACE,
        province=settings.SIKESAL_CITY_PROVINCE,
        secretariat=settings.SIKESAL_CITY_SECRETARIAT,
        head_title=settings.SIKESAL_CITY_HEAD_TITLE,
        inspector_title=settings.SIKESAL_CITY_INSPECTOR_TITLE,
        regulation=settings.SIKESAL_CITY_REGULATION,
        regulation_short=settings.SIKESAL_CITY_REGULATION_SHORT,
        letterhead=tuple(
            line.strip() for line in settings.SIKESAL_CITY_LETTERHEAD.split("|") if line.strip()
        ),
        logo=settings.SIKESAL_CITY_LOGO,
        map_centre=_numbers(settings.SIKESAL_MAP_CENTRE, 2),
        map_zoom=settings.SIKESAL_MAP_ZOOM,
        map_bounds=_numbers(settings.SIKESAL_MAP_BOUNDS, 4)
        if settings.SIKESAL_MAP_BOUNDS
        else None,
    )


# For labels built at import time (model choices): read when shown, so they follow settings.
city_government = lazy(lambda: city().government, str)
city_province = lazy(lambda: city().province, str)


def _numbers(text: str, count: int) -> tuple[float, ...]:
    values = tuple(float(part) for part in text.split(","))
    if len(values) != count:
        raise ValueError(f"Expected {count} comma-separated numbers, got {text!r}.")
    return values
