"""What the citizen's endpoints read and answer.

Input serializers only check that each value has the right JSON type (text is text, a flag
is a boolean, ids are integers): the rules are the web forms' (`complaints.forms`), which
the views run next, and the services'.
"""

import math

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sikesal.agencies.models import Category, Region
from sikesal.api.serializers import StrictBooleanField, TextField
from sikesal.complaints.forms import (
    DRAFT_TEXT_FIELDS,
    AnswerClarificationForm,
    ComplaintForm,
    LongTextField,
    ObjectForm,
    RateForm,
)
from sikesal.complaints.models import PhotoState
from sikesal.complaints.services import PHOTO_ID_MAX_DIGITS

PHOTO_ID_MAX = 10**PHOTO_ID_MAX_DIGITS - 1
# A category's or a region's code.
CODE_MAX_LENGTH = max(
    Category._meta.get_field("code").max_length, Region._meta.get_field("code").max_length
)


class FormTextField(TextField):
    """Text for a web form's field: blank and spaces pass through, for the form to judge."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)


def _form_text(form_class, name: str, **kwargs) -> FormTextField:
    """A TextField for the form field `name`: required, limits and messages as the form."""
    field = form_class.base_fields[name]
    kwargs.setdefault("required", field.required)
    if field.required and "required" in field.error_messages:
        kwargs.setdefault("error_messages", {"required": field.error_messages["required"]})
    # Not the description's: the form counts a CR LF as one character.
    if getattr(field, "max_length", None) and not isinstance(field, LongTextField):
        kwargs.setdefault("max_length", field.max_length)
    kwargs.setdefault("help_text", str(field.help_text) or None)
    return FormTextField(**kwargs)


class CoordinateInputField(serializers.Field):
    """A latitude or longitude: a JSON number (or its text, in a form post), or null/empty,
    within the form field's bounds; passed on as text for the form to read."""

    default_error_messages = {
        "invalid": _("Harus berupa angka."),
        "range": _("Harus dari %(min)s sampai %(max)s."),
    }
    form_field = "latitude"

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        if isinstance(data, bool) or not isinstance(data, (int, float, str)):
            self.fail("invalid")
        text = str(data).strip()
        if text == "":
            return ""
        try:
            value = float(text)
        except ValueError:
            self.fail("invalid")
        if not math.isfinite(value):
            self.fail("invalid")
        field = ComplaintForm.base_fields[self.form_field]
        if not field.min_value <= value <= field.max_value:
            self.fail("range", min=field.min_value, max=field.max_value)
        return text

    def to_representation(self, value):
        return value


@extend_schema_field({"type": "number", "nullable": True, "minimum": -90, "maximum": 90})
class LatitudeInputField(CoordinateInputField):
    form_field = "latitude"


@extend_schema_field({"type": "number", "nullable": True, "minimum": -180, "maximum": 180})
class LongitudeInputField(CoordinateInputField):
    form_field = "longitude"


class PhotoIdsField(serializers.ListField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", settings.SIKESAL_PHOTO_MAX_COUNT)
        kwargs.setdefault(
            "help_text",
            "Foto yang sudah diunggah lewat POST /api/v1/photos/. / Photos staged first with "
            "POST /api/v1/photos/.",
        )
        super().__init__(
            child=serializers.IntegerField(min_value=1, max_value=PHOTO_ID_MAX), **kwargs
        )


class PhotoFilesField(serializers.ListField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", settings.SIKESAL_PHOTO_MAX_COUNT)
        kwargs.setdefault(
            "help_text",
            "Multipart saja: foto JPEG, PNG atau WebP. / Multipart only: JPEG, PNG or WebP photos.",
        )
        super().__init__(child=serializers.FileField(), **kwargs)


# --- filing ----------------------------------------------------------------------------------


class CitizenComplaintInputSerializer(serializers.Serializer):
    """The fields of the /lapor/ form (`ComplaintForm`); category and kelurahan by code."""

    report_type = serializers.ChoiceField(
        choices=ComplaintForm.base_fields["report_type"].choices,
        error_messages={
            "required": ComplaintForm.base_fields["report_type"].error_messages["required"]
        },
    )
    category = _form_text(
        ComplaintForm, "category", help_text="Kode dari /api/v1/categories/. / A category code."
    )
    title = _form_text(ComplaintForm, "title")
    description = _form_text(ComplaintForm, "description")
    event_date = _form_text(
        ComplaintForm, "event_date", help_text="YYYY-MM-DD; tidak wajib. / Optional."
    )
    latitude = LatitudeInputField()
    longitude = LongitudeInputField()
    kelurahan = _form_text(
        ComplaintForm,
        "kelurahan",
        help_text="Kode dari /api/v1/regions/; wajib tanpa titik. / A kelurahan code; required "
        "without a point.",
    )
    address = _form_text(ComplaintForm, "address")
    is_confidential = StrictBooleanField(required=False, default=False)
    is_anonymous = StrictBooleanField(required=False, default=False)
    photo_ids = PhotoIdsField()
    photos = PhotoFilesField()


FORM_FIELDS = (
    "report_type",
    "category",
    "title",
    "description",
    "event_date",
    "latitude",
    "longitude",
    "kelurahan",
    "address",
    "is_confidential",
    "is_anonymous",
)


class CitizenDraftInputSerializer(serializers.Serializer):
    """What a draft keeps (`forms.draft_data`): anything typed so far, nothing checked."""

    report_type = FormTextField(required=False, max_length=DRAFT_TEXT_FIELDS["report_type"])
    category = FormTextField(required=False, max_length=CODE_MAX_LENGTH)
    title = FormTextField(required=False)
    description = FormTextField(required=False)
    event_date = FormTextField(required=False, max_length=DRAFT_TEXT_FIELDS["event_date"])
    latitude = LatitudeInputField()
    longitude = LongitudeInputField()
    kelurahan = FormTextField(required=False, max_length=CODE_MAX_LENGTH)
    address = FormTextField(required=False)
    is_confidential = StrictBooleanField(required=False, default=False)
    is_anonymous = StrictBooleanField(required=False, default=False)
    photo_ids = PhotoIdsField()


# --- what the citizen does on their complaint ------------------------------------------------


class CitizenClarificationInputSerializer(serializers.Serializer):
    note = _form_text(AnswerClarificationForm, "note")
    photo_ids = PhotoIdsField()
    photos = PhotoFilesField()


class CitizenRatingInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(
        min_value=1,
        max_value=5,
        error_messages={"required": RateForm.base_fields["rating"].error_messages["required"]},
    )
    note = _form_text(RateForm, "note")


class CitizenObjectionInputSerializer(serializers.Serializer):
    note = _form_text(ObjectForm, "note")


# --- answers ---------------------------------------------------------------------------------


class CitizenPhotoUploadSerializer(serializers.Serializer):
    photo = serializers.FileField(help_text="JPEG, PNG atau WebP. / JPEG, PNG or WebP.")


class CitizenPhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    thumbnail_url = serializers.CharField()
    state = serializers.ChoiceField(
        choices=PhotoState.choices,
        help_text=(
            "pending: menunggu diproses (url 404 sampai ready); ready; failed: bukan foto "
            "yang utuh. / pending: waiting for the worker (url 404 until ready); ready; "
            "failed: not a sound photo."
        ),
    )


class CitizenCodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CitizenComplaintSummarySerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    title = serializers.CharField()
    report_type = serializers.CharField()
    report_type_label = serializers.CharField()
    category = CitizenCodeNameSerializer()
    status = serializers.CharField()
    status_label = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    kecamatan = CitizenCodeNameSerializer(allow_null=True)
    kelurahan = CitizenCodeNameSerializer(allow_null=True)
    hint = serializers.CharField(
        help_text="Yang ditunggu dan sampai kapan, seperti di /saya/. / What is awaited and "
        "until when, as on /saya/."
    )


class CitizenAssignmentSerializer(serializers.Serializer):
    agency = CitizenCodeNameSerializer()
    is_lead = serializers.BooleanField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    register_number = serializers.CharField()
    response = serializers.CharField()


class CitizenTimelineEntrySerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    actor = serializers.CharField()
    status = serializers.CharField(help_text="Status baru, kosong bila tetap. / New status or ''.")
    at = serializers.DateTimeField()
    note = serializers.CharField()
    rating = serializers.IntegerField(allow_null=True)
    photos = CitizenPhotoSerializer(many=True)


class CitizenDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    message = serializers.CharField()
    referral = serializers.CharField()
    referral_label = serializers.CharField()
    duplicate_of = serializers.CharField(allow_null=True)


class CitizenDeadlinesSerializer(serializers.Serializer):
    review_due = serializers.DateField(allow_null=True)
    decision_due = serializers.DateField(allow_null=True)
    clarification_due = serializers.DateField(allow_null=True)
    rating_due = serializers.DateField(allow_null=True)


class CitizenComplaintSerializer(CitizenComplaintSummarySerializer):
    description = serializers.CharField()
    event_date = serializers.DateField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    address = serializers.CharField()
    is_confidential = serializers.BooleanField()
    is_anonymous = serializers.BooleanField()
    channel = serializers.CharField()
    channel_label = serializers.CharField()
    deadlines = CitizenDeadlinesSerializer()
    rating = serializers.IntegerField(allow_null=True)
    rating_comment = serializers.CharField()
    objections_left = serializers.IntegerField()
    decline = CitizenDeclineSerializer(allow_null=True)
    assignments = CitizenAssignmentSerializer(many=True)
    photos = CitizenPhotoSerializer(many=True, help_text="Foto pengaduan. / The filing's photos.")
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=["clarification", "rating", "objection"]),
        help_text="Yang dapat dilakukan sekarang. / What the reporter may do now.",
    )
    timeline = CitizenTimelineEntrySerializer(many=True)


class CitizenDraftSerializer(serializers.Serializer):
    report_type = serializers.CharField(required=False)
    category = serializers.CharField(required=False)
    title = serializers.CharField(required=False)
    description = serializers.CharField(required=False)
    event_date = serializers.CharField(required=False)
    latitude = serializers.CharField(required=False)
    longitude = serializers.CharField(required=False)
    kelurahan = serializers.CharField(required=False)
    address = serializers.CharField(required=False)
    is_confidential = serializers.BooleanField(required=False)
    is_anonymous = serializers.BooleanField(required=False)
    photos = CitizenPhotoSerializer(many=True)
    updated_at = serializers.DateTimeField()


class CitizenNotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    url = serializers.CharField(help_text="Halaman web terkait. / The related web page.")
    is_read = serializers.BooleanField()
    read_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class CitizenReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="Berapa yang berubah. / How many changed.")
