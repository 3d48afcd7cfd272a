"""/api/v1/public/: public complaints for anyone (the map, open-data users), no sign-in.

Exactly what the public pages (/pengaduan/) show, from the same selectors: never a
confidential or declined complaint, never personal data. Answers carry an ETag; a request
with the same If-None-Match gets a 304 without a body.
"""

import binascii
import math
from base64 import b64decode
from datetime import date
from urllib.parse import parse_qs

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from sikesal.api.caching import ETagMixin
from sikesal.api.pagination import MAX_PAGE_SIZE, page_size_from
from sikesal.api.public.serializers import (
    PublicComplaintSerializer,
    PublicComplaintSummarySerializer,
)
from sikesal.api.serializers import error_responses
from sikesal.complaints.models import ROUTED_OR_LATER
from sikesal.complaints.public_detail import public_complaint_detail
from sikesal.complaints.public_forms import SEARCH_MAX_LENGTH, PublicFilterForm
from sikesal.complaints.selectors import BoundingBox, public_complaint_list

TAGS = ["public"]
SUMMARY_EXAMPLE = {
    "tracking_number": "SKL-7K3QX9",
    "title": "Jalan berlubang di depan bandara",
    "report_type": {"code": "pengaduan", "label": "Pengaduan"},
    "status": {"code": "in_progress", "label": "Ditindaklanjuti OPD"},
    "category": {"code": "jalan", "name": "Jalan"},
    "submitted_at": "2026-03-01T09:15:00+07:00",
    "kelurahan": {"code": "15.71.03.1001", "name": "Paal Merah"},
    "kecamatan": {"code": "15.71.03", "name": "Paal Merah"},
    "point": {"latitude": -1.6325, "longitude": 103.6412},
    "agencies": [{"code": "dpupr", "name": "Dinas PUPR", "short_name": "PUPR", "is_lead": True}],
    "thumbnail_url": "https://sikesal.jambikota.go.id/api/v1/photos/12/thumbnail/",
    "url": "https://sikesal.jambikota.go.id/api/v1/public/complaints/SKL-7K3QX9/",
}
DETAIL_EXAMPLE = {
    **{k: v for k, v in SUMMARY_EXAMPLE.items() if k not in ("thumbnail_url", "url")},
    "description": "Lubang besar di lajur kiri.",
    "photos": [
        {
            "url": "https://sikesal.jambikota.go.id/api/v1/photos/12/",
            "thumbnail_url": "https://sikesal.jambikota.go.id/api/v1/photos/12/thumbnail/",
        }
    ],
    "responses": [],
    "rating": None,
    "timeline": [
        {
            "action": "accept",
            "label": "Diterima dan dicatat OPD",
            "when": "2026-03-02T10:00:00+07:00",
            "actor": "Dinas PUPR",
            "status": {"code": "in_progress", "label": "Ditindaklanjuti OPD"},
            "note": "",
            "photos": [],
        }
    ],
}
# Dates the API takes: far enough from the calendar's ends that midnight in any time zone
# is still a date.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(9998, 12, 31)


class PublicCursorPagination(CursorPagination):
    """Newest first, by submission time then id: a page's next link stays right while new
    complaints arrive."""

    ordering = ("-submitted_at", "-pk")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        return page_size_from(request, default=self.page_size, param=self.page_size_query_param)

    def decode_cursor(self, request):
        """DRF's, but strict: anything but a cursor this API gave out is a 400 (DRF reads
        broken base64 leniently and caps a huge offset silently)."""
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            text = b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
            tokens = parse_qs(text, keep_blank_values=True, strict_parsing=True)
            offset = tokens.get("o", ["0"])[0]
            if not (offset.isascii() and offset.isdigit() and int(offset) <= self.offset_cutoff):
                raise ValueError(offset)
            # The position is a submission time (the first ordering field).
            position = tokens.get("p", [None])[0]
            if position is not None and parse_datetime(position) is None:
                raise ValueError(position)
            return super().decode_cursor(request)
        except (ValueError, UnicodeError, binascii.Error, exceptions.NotFound):
            raise exceptions.ValidationError(
                {self.cursor_query_param: [_("Kursor tidak sah: pakai tautan `next`.")]}
            ) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=MAX_PAGE_SIZE)
        return parameters


class PublicView(ETagMixin, GenericAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


def _bounding_box(text: str) -> BoundingBox:
    parts = text.split(",")
    message = _("Empat angka: bujur barat, lintang selatan, bujur timur, lintang utara.")
    if len(parts) != 4 or any(len(part) > 32 for part in parts):
        raise serializers.ValidationError(message)
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in parts)
    except ValueError:
        raise serializers.ValidationError(message) from None
    if not all(math.isfinite(v) for v in (min_lon, min_lat, max_lon, max_lat)):
        raise serializers.ValidationError(message)
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise serializers.ValidationError(
            _("Bujur -180 sampai 180 dan lintang -90 sampai 90, barat/selatan lebih dulu.")
        )
    return BoundingBox(min_lon, min_lat, max_lon, max_lat)


class PublicMapFilterSerializer(serializers.Serializer):
    """The map's filters, besides the public page's (`PublicFilterForm`)."""

    bbox = serializers.CharField(required=False, max_length=140)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)

    def validate_bbox(self, value: str) -> BoundingBox:
        return _bounding_box(value)

    def _in_range(self, value: date) -> date:
        if not FIRST_DATE <= value <= LAST_DATE:
            raise serializers.ValidationError(
                _("Tanggal dari %(first)s sampai %(last)s.")
                % {"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()}
            )
        return value

    validate_since = _in_range
    validate_until = _in_range

    def validate(self, attrs: dict) -> dict:
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and since > until:
            raise serializers.ValidationError({"until": [_("Tidak boleh sebelum `since`.")]})
        return attrs


def public_filters(params) -> dict:
    """The public list's filters from the query, or a 400 naming each wrong one."""
    form = PublicFilterForm(params)
    # A plain dict: an empty value is then an error, not "absent" as in an HTML form.
    map_filters = PublicMapFilterSerializer(data=params.dict())
    errors = {}
    if not form.is_valid():
        errors.update({name: [str(m) for m in messages] for name, messages in form.errors.items()})
    if not map_filters.is_valid():
        errors.update(map_filters.errors)
    if errors:
        raise exceptions.ValidationError(errors)
    return {**form.filters(), **map_filters.validated_data}


@extend_schema(
    tags=TAGS,
    summary="Pengaduan publik / Public complaints",
    description=(
        "Pengaduan yang tampil di /pengaduan/, terbaru dulu, tanpa data pribadi; halaman "
        "berikutnya lewat `next` (kursor). `bbox` memakai titik tengah kelurahan, bukan titik "
        "yang dipilih pelapor. Saringan yang tidak sah: 400. / The complaints /pengaduan/ "
        "shows, newest first, without personal data; the next page through `next` (a "
        "cursor). `bbox` uses the kelurahan's centre, not the point the reporter chose. An "
        "invalid filter: 400. ETag/If-None-Match: 304."
    ),
    parameters=[
        OpenApiParameter(
            "bbox",
            OpenApiTypes.STR,
            description="minLon,minLat,maxLon,maxLat (WGS 84), mis./e.g. 103.55,-1.70,103.70,-1.55",
            pattern=r"^-?\d{1,3}(\.\d{1,12})?,-?\d{1,2}(\.\d{1,12})?,"
            r"-?\d{1,3}(\.\d{1,12})?,-?\d{1,2}(\.\d{1,12})?$",
        ),
        OpenApiParameter("category", OpenApiTypes.STR, description="Kode kategori. / Code."),
        OpenApiParameter(
            "status", OpenApiTypes.STR, enum=[status.value for status in ROUTED_OR_LATER]
        ),
        OpenApiParameter("kecamatan", OpenApiTypes.STR, description="Kode Kemendagri. / Code."),
        OpenApiParameter("agency", OpenApiTypes.STR, description="Kode OPD. / Agency code."),
        OpenApiParameter(
            "q",
            OpenApiTypes.STR,
            description="Judul, uraian atau nomor pelacakan. / Title, description or number.",
            pattern=f"^.{{0,{SEARCH_MAX_LENGTH}}}$",
        ),
        OpenApiParameter(
            "since",
            OpenApiTypes.DATE,
            description="Diajukan pada/sesudah tanggal ini (WIB). / Filed on or after (WIB).",
        ),
        OpenApiParameter(
            "until",
            OpenApiTypes.DATE,
            description="Diajukan pada/sebelum tanggal ini (WIB). / Filed on or before (WIB).",
        ),
    ],
    responses={
        200: PublicComplaintSummarySerializer(many=True),
        304: None,
        **error_responses(400, 404, 429),
    },
    examples=[OpenApiExample("complaints", value=SUMMARY_EXAMPLE, response_only=True)],
)
class PublicComplaintListView(PublicView):
    pagination_class = PublicCursorPagination
    serializer_class = PublicComplaintSummarySerializer

    def get(self, request):
        complaints = public_complaint_list(public_filters(request.query_params))
        page = self.paginate_queryset(complaints)
        data = self.get_serializer(page, many=True).data
        return self.get_paginated_response(data)


@extend_schema(
    tags=TAGS,
    summary="Satu pengaduan publik / One public complaint",
    description=(
        "Seperti /pengaduan/<nomor>/: riwayat publik, foto publik, hasil penanganan. Bukan "
        "pengaduan publik: 404. / As /pengaduan/<tracking>/: the public timeline, public "
        "photos, the agencies' answers. Not a public complaint: 404. ETag/If-None-Match: 304."
    ),
    parameters=[
        OpenApiParameter(
            "tracking",
            OpenApiTypes.STR,
            OpenApiParameter.PATH,
            description="Nomor pelacakan. / Tracking number.",
        )
    ],
    responses={200: PublicComplaintSerializer, 304: None, **error_responses(404, 429)},
    examples=[OpenApiExample("complaint", value=DETAIL_EXAMPLE, response_only=True)],
)
class PublicComplaintView(PublicView):
    serializer_class = PublicComplaintSerializer

    def get(self, request, tracking: str):
        detail = public_complaint_detail(tracking)
        return Response(self.get_serializer(detail).data)
