"""What the public endpoints answer: public complaints without personal data.

No reporter (name, contact, account), no staff names, no address text and no coordinates
the reporter gave: the place is the kelurahan and kecamatan, and on a map the kelurahan's
centre (`selectors.public_point`). Built from `selectors.public_complaint_list` and
`public_detail.public_complaint_detail`, which decide what is public.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sikesal.complaints.selectors import public_point


class PublicChoiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class PublicCodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PublicAgencySerializer(serializers.Serializer):
    code = serializers.CharField(source="agency.code")
    name = serializers.CharField(source="agency.name")
    short_name = serializers.CharField(source="agency.short_name")
    is_lead = serializers.BooleanField()


class PublicPointSerializer(serializers.Serializer):
    """The kelurahan's centre, not where the reporter stood."""

    latitude = serializers.FloatField()
    longitude = serializers.FloatField()


def _absolute(context: dict, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


def _photo_url(context: dict, photo, *, thumbnail: bool = False) -> str:
    name = "api:citizen-photo-thumbnail" if thumbnail else "api:citizen-photo"
    return _absolute(context, reverse(name, args=[photo.pk]))


class PublicPhotoSerializer(serializers.Serializer):
    """A public photo (GET /api/v1/photos/{id}/, no sign-in needed), re-encoded without
    metadata on upload."""

    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, photo) -> str:
        return _photo_url(self.context, photo)

    @extend_schema_field(OpenApiTypes.URI)
    def get_thumbnail_url(self, photo) -> str:
        return _photo_url(self.context, photo, thumbnail=True)


class PublicComplaintSummarySerializer(serializers.Serializer):
    """A public complaint as the public list shows it."""

    tracking_number = serializers.CharField()
    title = serializers.CharField()
    report_type = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    category = PublicCodeNameSerializer()
    submitted_at = serializers.DateTimeField()
    kelurahan = PublicCodeNameSerializer(allow_null=True)
    kecamatan = PublicCodeNameSerializer(allow_null=True)
    point = serializers.SerializerMethodField()
    agencies = PublicAgencySerializer(many=True, source="handling_assignments")
    thumbnail_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(PublicChoiceSerializer)
    def get_report_type(self, complaint) -> dict:
        return {"code": complaint.report_type, "label": complaint.get_report_type_display()}

    @extend_schema_field(PublicChoiceSerializer)
    def get_status(self, complaint) -> dict:
        return {"code": complaint.status, "label": complaint.get_status_display()}

    @extend_schema_field(PublicPointSerializer(allow_null=True))
    def get_point(self, complaint) -> dict | None:
        point = public_point(complaint)
        return None if point is None else {"latitude": point[0], "longitude": point[1]}

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_thumbnail_url(self, complaint) -> str | None:
        photos = getattr(complaint, "public_photos", [])
        return _photo_url(self.context, photos[0], thumbnail=True) if photos else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, complaint) -> str:
        path = reverse("api:public_complaint", args=[complaint.tracking_number])
        return _absolute(self.context, path)


class PublicResponseSerializer(serializers.Serializer):
    """An agency's answer (HASIL PENANGANAN)."""

    agency = PublicCodeNameSerializer()
    responded_at = serializers.DateTimeField()
    response = serializers.CharField()


class PublicTimelineEntrySerializer(serializers.Serializer):
    """A step of the public timeline: who took it is a role or an agency, never a name."""

    action = serializers.CharField()
    label = serializers.CharField()
    when = serializers.DateTimeField()
    actor = serializers.CharField()
    status = serializers.SerializerMethodField()
    note = serializers.CharField()
    photos = serializers.SerializerMethodField()

    @extend_schema_field(PublicChoiceSerializer(allow_null=True))
    def get_status(self, entry) -> dict | None:
        return {"code": entry.event.to_status, "label": entry.status} if entry.status else None

    @extend_schema_field(PublicPhotoSerializer(many=True))
    def get_photos(self, entry) -> list:
        if entry.action == "submit":
            return []  # the complaint's own `photos`
        return PublicPhotoSerializer(entry.photos, many=True, context=self.context).data


class PublicComplaintSerializer(serializers.Serializer):
    """A public complaint as /pengaduan/<tracking>/ shows it
    (`public_detail.PublicComplaintDetail`)."""

    tracking_number = serializers.CharField(source="complaint.tracking_number")
    title = serializers.CharField(source="complaint.title")
    report_type = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    category = PublicCodeNameSerializer(source="complaint.category")
    submitted_at = serializers.DateTimeField(source="complaint.submitted_at")
    kelurahan = PublicCodeNameSerializer(source="complaint.kelurahan", allow_null=True)
    kecamatan = PublicCodeNameSerializer(source="complaint.kecamatan", allow_null=True)
    point = serializers.SerializerMethodField()
    description = serializers.CharField(source="complaint.description")
    photos = serializers.SerializerMethodField()
    agencies = PublicAgencySerializer(many=True, source="assignments")
    responses = PublicResponseSerializer(many=True)
    rating = serializers.IntegerField(allow_null=True, min_value=1, max_value=5)
    timeline = PublicTimelineEntrySerializer(many=True)

    @extend_schema_field(PublicChoiceSerializer)
    def get_report_type(self, detail) -> dict:
        c = detail.complaint
        return {"code": c.report_type, "label": c.get_report_type_display()}

    @extend_schema_field(PublicChoiceSerializer)
    def get_status(self, detail) -> dict:
        return {"code": detail.complaint.status, "label": detail.complaint.get_status_display()}

    @extend_schema_field(PublicPointSerializer(allow_null=True))
    def get_point(self, detail) -> dict | None:
        point = public_point(detail.complaint)
        return None if point is None else {"latitude": point[0], "longitude": point[1]}

    @extend_schema_field(PublicPhotoSerializer(many=True))
    def get_photos(self, detail) -> list:
        return PublicPhotoSerializer(detail.submission_photos, many=True, context=self.context).data
