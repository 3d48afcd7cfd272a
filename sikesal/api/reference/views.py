"""Reference data anyone may read (Perwal 40/2017 Pasal 11.1): categories and report types,
regions and the point look-up, the agency directory.

No credentials needed or read; answers carry an ETag and may be cached for an hour
(`api.caching.ETagMixin`). The same selectors as the pages: `agencies.geo.locate`
(the /lapor/ location picker), `agencies.publication` (the /opd/ directory).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sikesal.agencies.geo import locate, outside_city_message
from sikesal.agencies.models import Category, Region
from sikesal.agencies.publication import (
    directory,
    directory_entries,
    directory_query,
    handling_mechanism,
    officer_groups,
)
from sikesal.api.caching import ETagMixin
from sikesal.api.errors import error_body
from sikesal.api.reference import serializers as s
from sikesal.api.serializers import error_responses
from sikesal.complaints.channels import offered_channels
from sikesal.complaints.models import ReportType
from sikesal.complaints.stats import MIN_BASE, agency_figures

ETAG_HEADER = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="ETag jawaban sebelumnya: 304 bila tidak berubah. / The ETag of an earlier "
    "answer: 304 when nothing changed.",
)
NOT_MODIFIED = OpenApiResponse(description="Tidak berubah. / Not modified.")


class ReferenceView(ETagMixin, APIView):
    """Public, read-only, cacheable: no authentication is even attempted."""

    cache_max_age = 60 * 60

    authentication_classes: list = []
    permission_classes = [AllowAny]


class CategoryListView(ReferenceView):
    @extend_schema(
        operation_id="reference_categories",
        summary="Kategori dan jenis laporan / Categories and report types",
        description="Kategori yang aktif (urutan formulir /lapor/) dan jenis laporan. / The "
        "active categories (in the /lapor/ form's order) and the report types.",
        parameters=[ETAG_HEADER],
        responses={200: s.ReferenceCategoriesSerializer, 304: NOT_MODIFIED},
        examples=[
            OpenApiExample(
                "categories",
                value={
                    "report_types": [{"code": "pengaduan", "name": "Pengaduan"}],
                    "categories": [
                        {
                            "code": "jalan",
                            "name": "Jalan dan jembatan",
                            "description": "Jalan rusak, jembatan, trotoar.",
                            "is_sensitive": False,
                        }
                    ],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        categories = Category.objects.filter(is_active=True).order_by("sort_order", "name")
        data = {
            "report_types": [{"code": code, "name": label} for code, label in ReportType.choices],
            "categories": categories,
        }
        return Response(s.ReferenceCategoriesSerializer(data).data)


class RegionListView(ReferenceView):
    @extend_schema(
        operation_id="reference_regions",
        summary="Kecamatan dan kelurahan / Kecamatan and kelurahan",
        description="Setiap kecamatan dengan kelurahannya (kode Kemendagri), menurut nama; "
        "`centroid` null bila batasnya tidak dikenal. / Every kecamatan with its kelurahan "
        "(Kemendagri codes), by name; `centroid` is null where the outline is unknown.",
        parameters=[ETAG_HEADER],
        responses={200: s.ReferenceKecamatanSerializer(many=True), 304: NOT_MODIFIED},
    )
    def get(self, request: Request) -> Response:
        fields = ("pk", "code", "name", "parent_id", "centroid_lat", "centroid_lng")
        kecamatan = list(
            Region.objects.filter(level=Region.Level.KECAMATAN).only(*fields).order_by("name")
        )
        children: dict[int, list[Region]] = {k.pk: [] for k in kecamatan}
        kelurahan = Region.objects.filter(level=Region.Level.KELURAHAN, parent__in=kecamatan).only(
            *fields
        )
        for row in kelurahan.order_by("name"):
            children[row.parent_id].append(row)
        for row in kecamatan:
            row.kelurahan_list = children[row.pk]
        return Response(s.ReferenceKecamatanSerializer(kecamatan, many=True).data)


class RegionLocateView(ReferenceView):
    @extend_schema(
        operation_id="reference_regions_locate",
        summary="Kelurahan di suatu titik / The kelurahan at a point",
        description="Kelurahan dan kecamatan yang memuat titik ini, seperti pemilih lokasi "
        "formulir /lapor/. 404 `outside_city` bila di luar kota; 400 bila bukan angka. / The "
        "kelurahan and kecamatan holding this point, as the /lapor/ form's location picker "
        "finds them. 404 `outside_city` outside the city; 400 for a non-number.",
        parameters=[s.ReferenceLocateQuerySerializer, ETAG_HEADER],
        responses={
            200: s.ReferenceLocationSerializer,
            304: NOT_MODIFIED,
            **error_responses(400, 404),
        },
        examples=[
            OpenApiExample(
                "Paal Merah",
                value={
                    "kelurahan": {"code": "15.71.11.1005", "name": "Paal Merah"},
                    "kecamatan": {"code": "15.71.11", "name": "Paal Merah"},
                    "snapped": False,
                    "distance_m": 0.0,
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        query = s.ReferenceLocateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = locate(query.validated_data["lat"], query.validated_data["lon"])
        if found is None:
            return Response(
                error_body("outside_city", outside_city_message()),
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(
            s.ReferenceLocationSerializer(
                {
                    "kelurahan": found.kelurahan,
                    "kecamatan": found.kecamatan,
                    "snapped": found.snapped,
                    "distance_m": round(found.distance_m, 1),
                }
            ).data
        )


class AgencyListView(ReferenceView):
    @extend_schema(
        operation_id="reference_agencies",
        summary="Direktori OPD / The agency directory",
        description="OPD yang aktif menurut nama, seperti /opd/; `q` mencari di nama, nama "
        "singkat dan kode. / Active agencies by name, as on /opd/; `q` searches their name, "
        "short name and code.",
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, required=False, description="Cari. / Search (≤ 100)."
            ),
            ETAG_HEADER,
        ],
        responses={200: s.ReferenceAgencySerializer(many=True), 304: NOT_MODIFIED},
    )
    def get(self, request: Request) -> Response:
        agencies = directory(directory_query(request.query_params.get("q", "")))
        return Response(s.ReferenceAgencySerializer(agencies, many=True).data)


class AgencyDetailView(ReferenceView):
    @extend_schema(
        operation_id="reference_agency",
        summary="Informasi satu OPD (Pasal 11.1) / One agency's public information",
        description="Yang ditampilkan halaman /opd/<kode>/: petugas, mekanisme penanganan, "
        "sarana pengaduan, kontak, pimpinan dan kinerja penanganan. / What its /opd/<code>/ "
        "page shows: officers, handling mechanism, channels, contact, head and handling "
        "figures.",
        parameters=[ETAG_HEADER],
        responses={
            200: s.ReferenceAgencyDetailSerializer,
            304: NOT_MODIFIED,
            **error_responses(404),
        },
    )
    def get(self, request: Request, code: str) -> Response:
        agency = get_object_or_404(directory_entries(), code=code)
        parent = agency.parent if agency.parent and agency.parent.is_active else None
        figures = agency_figures(agency)
        last_change = agency.profile_changes.only("changed_at").first()

        def figure(value):
            return {"value": value.value if value.sufficient else None, "base": value.base}

        data = {
            "code": agency.code,
            "name": agency.name,
            "short_name": agency.short_name,
            "kind": agency.kind,
            "kind_label": agency.get_kind_display(),
            "parent": {"code": parent.code, "name": parent.name} if parent else None,
            "is_secretariat": agency.is_secretariat,
            "officers": [vars(group) for group in officer_groups(agency)],
            "handling_mechanism": handling_mechanism(agency),
            "channels": [c.label for c in offered_channels(agency)] + agency.channel_list,
            "contact": {
                "address": agency.address,
                "phone": agency.phone,
                "email": agency.email,
                "website": agency.website,
            },
            "head": {"name": agency.head_name, "title": agency.head_title},
            "figures": {
                "min_base": MIN_BASE,
                "received": figure(figures.received),
                "responded": figure(figures.responded),
                "median_working_days_to_first_response": figure(
                    figures.median_working_days_to_first_response
                ),
                "share_within_deadline": figure(figures.share_within_deadline),
                "average_rating": figure(figures.average_rating),
            },
            "last_changed_at": last_change.changed_at if last_change else None,
        }
        return Response(s.ReferenceAgencyDetailSerializer(data).data)
