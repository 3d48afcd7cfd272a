"""Which kelurahan and kecamatan a point lies in.

The kelurahan polygons are read once from `RegionBoundary` into an STRtree and kept for
the life of the process; `clear_cache()` drops them (the region loader calls it). Distances
are computed in metres in a local plane centred on the loaded regions: over a city a few
tens of kilometres across the error is far below a metre, and no projection library is
needed.
"""

import math
from dataclasses import dataclass

import numpy as np
import shapely
from django.conf import settings
from django.utils.translation import gettext as _
from shapely.geometry import shape

from sikesal.agencies.models import Region
from sikesal.core.city import city

# WGS84 ellipsoid.
_SEMI_MAJOR_AXIS_M = 6_378_137.0
_ECCENTRICITY_SQUARED = 6.694_379_990_14e-3


@dataclass(frozen=True)
class RegionRef:
    """An immutable reference to a Region row, safe to share from the process-wide cache."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class Location:
    """The answer to "where is this point": its kelurahan and that kelurahan's kecamatan.

    `snapped` is true when the point fell outside every kelurahan polygon (in a gap between
    the simplified outlines, or just past the city edge) and the nearest kelurahan within
    `SIKESAL_REGION_SNAP_METRES` was taken; `distance_m` is then how far away it was.
    """

    kelurahan: RegionRef
    kecamatan: RegionRef
    snapped: bool = False
    distance_m: float = 0.0


@dataclass(frozen=True)
class _LocalFrame:
    """An equirectangular plane in metres, tangent to the ellipsoid at the origin."""

    origin_lng: float
    origin_lat: float
    metres_per_degree_lng: float
    metres_per_degree_lat: float

    @classmethod
    def around(cls, lng: float, lat: float) -> "_LocalFrame":
        phi = math.radians(lat)
        w = 1 - _ECCENTRICITY_SQUARED * math.sin(phi) ** 2
        # Radii of curvature along the meridian and the parallel at the origin.
        meridional = _SEMI_MAJOR_AXIS_M * (1 - _ECCENTRICITY_SQUARED) / w**1.5
        prime_vertical = _SEMI_MAJOR_AXIS_M / math.sqrt(w)
        return cls(
            origin_lng=lng,
            origin_lat=lat,
            metres_per_degree_lng=math.radians(1) * prime_vertical * math.cos(phi),
            metres_per_degree_lat=math.radians(1) * meridional,
        )

    def project(self, lng_lat: np.ndarray) -> np.ndarray:
        return (lng_lat - (self.origin_lng, self.origin_lat)) * (
            self.metres_per_degree_lng,
            self.metres_per_degree_lat,
        )

    def point(self, lat: float, lng: float) -> shapely.Point:
        x, y = self.project(np.array([lng, lat]))
        return shapely.Point(x, y)


@dataclass(frozen=True)
class _Index:
    frame: _LocalFrame
    tree: shapely.STRtree
    # (kelurahan, kecamatan) for each geometry of the tree, in the same order.
    areas: tuple[tuple[RegionRef, RegionRef], ...]


_index: _Index | None = None


def locate(lat: float, lng: float) -> Location | None:
    """The kelurahan and kecamatan at (lat, lng), or None when the point is outside the city.

    A point inside a kelurahan polygon gets that kelurahan; otherwise the nearest kelurahan
    within `settings.SIKESAL_REGION_SNAP_METRES` (snapped); farther out, None.
    Raises ValueError for a coordinate that is not a finite number.
    """
    if not (math.isfinite(lat) and math.isfinite(lng)):
        raise ValueError(f"Coordinates must be finite numbers, got ({lat}, {lng}).")
    index = _get_index()
    if index is None:
        return None
    point = index.frame.point(lat, lng)
    hits = index.tree.query(point, predicate="intersects")
    if len(hits):
        # A point on a shared edge touches two polygons: take the lowest code, so the
        # answer does not depend on the tree's internal order.
        kelurahan, kecamatan = index.areas[int(hits.min())]
        return Location(kelurahan=kelurahan, kecamatan=kecamatan)
    nearest, distances = index.tree.query_nearest(
        point,
        max_distance=settings.SIKESAL_REGION_SNAP_METRES,
        return_distance=True,
    )
    if not len(nearest):
        return None
    kelurahan, kecamatan = index.areas[int(nearest.min())]
    return Location(
        kelurahan=kelurahan,
        kecamatan=kecamatan,
        snapped=True,
        distance_m=float(distances.min()),
    )


def outside_city_message() -> str:
    """What a person is told when `locate` finds their point outside the city (the location
    picker on /lapor/ and the API's look-up)."""
    return _(
        "Titik ini di luar %(city)s. SIKESAL hanya menerima pengaduan di wilayah "
        "%(city)s; pilih titik di dalam kota atau isi alamat dan kelurahan."
    ) % {"city": city().name}


def clear_cache() -> None:
    """Forget the loaded geometry; the next `locate` reads the regions again."""
    global _index
    _index = None


def _get_index() -> _Index | None:
    global _index
    # No lock: threads racing on the first call each build the same index, and the
    # assignment is atomic.
    if _index is None:
        _index = _build_index()
    return _index if _index.areas else None


def _build_index() -> _Index:
    kelurahan_rows = (
        Region.objects.filter(
            level=Region.Level.KELURAHAN,
            boundary__isnull=False,
            parent__level=Region.Level.KECAMATAN,
        )
        .select_related("parent", "boundary")
        .order_by("code")
    )
    geometries = []
    areas = []
    for row in kelurahan_rows:
        geometries.append(shape(row.boundary.geometry))
        kecamatan = row.parent
        areas.append(
            (
                RegionRef(id=row.pk, code=row.code, name=row.name),
                RegionRef(id=kecamatan.pk, code=kecamatan.code, name=kecamatan.name),
            )
        )
    if geometries:
        west, south, east, north = shapely.total_bounds(geometries)
        frame = _LocalFrame.around((west + east) / 2, (south + north) / 2)
    else:
        frame = _LocalFrame.around(0.0, 0.0)
    projected = [shapely.transform(geometry, frame.project) for geometry in geometries]
    shapely.prepare(projected)
    return _Index(frame=frame, tree=shapely.STRtree(projected), areas=tuple(areas))
