"""The citizen's endpoints: stage photos, file a complaint, follow one's own complaints and
act on them, the draft, notifications.

Thin adapters over what /lapor/, /saya/ and /notifikasi/ call: the serializers check JSON
types only, then `ComplaintForm` and the action forms (`complaints.forms.ACTION_FORMS`)
check the values, `services.complaint_submission` files, `workflow.transition` acts,
`selectors.my_complaint(s)` decide what is the citizen's (another's is a 404), and
`timeline.timeline_entries(..., audience=REPORTER)` tells the timeline as /saya/ does.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sikesal.agencies.models import Category, Region
from sikesal.api.citizen import serializers as s
from sikesal.api.pagination import PagePagination
from sikesal.api.serializers import error_responses
from sikesal.complaints import deadlines, selectors
from sikesal.complaints.forms import ACTION_FORMS, ComplaintForm, draft_data
from sikesal.complaints.models import (
    IDEMPOTENCY_KEY_MAX_LENGTH,
    Complaint,
    ComplaintPhoto,
    DeclineReason,
    Referral,
)
from sikesal.complaints.services import (
    complaint_draft_discard,
    complaint_draft_save,
    complaint_filed_with,
    complaint_submission,
    photo_stage,
    staged_photos,
)
from sikesal.complaints.timeline import REPORTER, reporter_hint, timeline_entries
from sikesal.complaints.views.photos import photo_response
from sikesal.complaints.workflow import InvalidTransition, allowed_actions, transition
from sikesal.notifications.models import Notification
from sikesal.notifications.services import (
    notification_list_for,
    notification_mark_all_read,
    notification_mark_read,
)

# The API's names of the citizen's actions (/complaints/<tracking>/<name>/) → the workflow's.
ACTIONS = {"clarification": "answer_clarification", "rating": "rate", "objection": "object"}
ACTION_NAMES = {action: name for name, action in ACTIONS.items()}

# Any printable ASCII without spaces: a UUID, a random token, a client's own request id.
IDEMPOTENCY_KEY = re.compile(rf"[\x21-\x7e]{{1,{IDEMPOTENCY_KEY_MAX_LENGTH}}}")

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Tidak wajib, 1-64 karakter ASCII. Pengiriman ulang dengan kunci dan judul/"
    "uraian yang sama menjawab 200 dengan pengaduan yang sama; kunci yang sama dengan isi lain: "
    "409 `idempotency_key_reused`. / Optional, 1-64 ASCII characters. Sending again with the "
    "same key, title and description answers 200 with the same complaint; the same key with "
    "another text: 409 `idempotency_key_reused`.",
    pattern=r"^[\x21-\x7e]{1,64}$",
)


class PhotoRateLimited(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "photo_rate_limited"


class Unverified(exceptions.APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "unverified"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_key_reused"


# --- helpers ---------------------------------------------------------------------------------


def _absolute(request: Request, path: str) -> str:
    return request.build_absolute_uri(path) if path else ""


def _photo(request: Request, photo: ComplaintPhoto) -> dict:
    return {
        "id": photo.pk,
        "url": _absolute(request, reverse("api:citizen-photo", args=[photo.pk])),
        "thumbnail_url": _absolute(
            request, reverse("api:citizen-photo-thumbnail", args=[photo.pk])
        ),
        "state": photo.state,
    }


def _code_name(row) -> dict | None:
    return {"code": row.code, "name": row.name} if row is not None else None


def _stage(user, upload, *, field: str) -> ComplaintPhoto:
    """`photo_stage`, its refusal as the API says it: 400 on `field`, 429 at the hourly cap."""
    try:
        return photo_stage(upload=upload, uploaded_by=user)
    except ValidationError as refusal:
        if refusal.code == "photo_rate_limited":
            raise PhotoRateLimited(" ".join(refusal.messages)) from None
        raise exceptions.ValidationError({field: refusal.messages}) from None


def _staged(user, ids: list[int]) -> list[ComplaintPhoto]:
    """The user's staged photos `ids`, all of them or a 400 (another's, attached, unknown)."""
    photos = staged_photos(user=user, ids=ids)
    if len(photos) != len(set(ids)):
        raise exceptions.ValidationError({"photo_ids": [_("Foto ini tidak dapat dilampirkan.")]})
    return photos


def _photo_count_check(ids: list[int], uploads: list) -> None:
    limit = settings.SIKESAL_PHOTO_MAX_COUNT
    if len(set(ids)) + len(uploads) > limit:
        raise exceptions.ValidationError(
            {"photos": [_("Paling banyak %(n)d foto.") % {"n": limit}]}
        )


def _form_errors(form) -> exceptions.ValidationError:
    return exceptions.ValidationError(
        {
            ("non_field_errors" if name == "__all__" else name): list(messages)
            for name, messages in form.errors.items()
        }
    )


def _idempotency_key(request: Request) -> str:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return ""
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise exceptions.ValidationError(
            {
                "Idempotency-Key": [
                    _("1 sampai %(n)d karakter ASCII yang terlihat, tanpa spasi.")
                    % {"n": IDEMPOTENCY_KEY_MAX_LENGTH}
                ]
            }
        )
    return key


def complaint_summary(complaint: Complaint, *, today=None) -> dict:
    today = today or deadlines.local_today()
    return {
        "tracking_number": complaint.tracking_number,
        "title": complaint.title,
        "report_type": complaint.report_type,
        "report_type_label": complaint.get_report_type_display(),
        "category": _code_name(complaint.category),
        "status": complaint.status,
        "status_label": complaint.get_status_display(),
        "submitted_at": complaint.submitted_at,
        "kecamatan": _code_name(complaint.kecamatan),
        "kelurahan": _code_name(complaint.kelurahan),
        "hint": reporter_hint(complaint, today),
    }


def complaint_detail(request: Request, complaint: Complaint) -> dict:
    """What /saya/<tracking>/ shows its reporter, as data."""
    events = timeline_entries(complaint, audience=REPORTER)
    submitted = next((entry for entry in events if entry.action == "submit"), None)
    actions = [
        ACTION_NAMES[action]
        for action in allowed_actions(complaint, request.user)
        if action in ACTION_FORMS
    ]
    decline = None
    if complaint.decline_reason:
        decline = {
            "reason": complaint.decline_reason,
            "reason_label": DeclineReason(complaint.decline_reason).label,
            "message": complaint.decline_message,
            "referral": complaint.referral,
            "referral_label": Referral(complaint.referral).label if complaint.referral else "",
            "duplicate_of": (
                complaint.duplicate_of.tracking_number if complaint.duplicate_of_id else None
            ),
        }
    return {
        **complaint_summary(complaint),
        "description": complaint.description,
        "event_date": complaint.event_date,
        "latitude": complaint.latitude,
        "longitude": complaint.longitude,
        "address": complaint.address,
        "is_confidential": complaint.is_confidential,
        "is_anonymous": complaint.is_anonymous,
        "channel": complaint.channel,
        "channel_label": complaint.channel_label,
        "deadlines": {
            "review_due": complaint.review_due,
            "decision_due": complaint.decision_due,
            "clarification_due": complaint.clarification_due,
            "rating_due": complaint.rating_due,
        },
        "rating": complaint.rating,
        "rating_comment": complaint.rating_comment,
        "objections_left": max(0, settings.SIKESAL_MAX_OBJECTIONS - complaint.objection_count),
        "decline": decline,
        "assignments": [
            {
                "agency": _code_name(assignment.agency),
                "is_lead": assignment.is_lead,
                "status": assignment.status,
                "status_label": assignment.get_status_display(),
                "register_number": assignment.register_number or "",
                "response": assignment.response or "",
            }
            for assignment in selectors.handling_assignments(complaint)
        ],
        "photos": [_photo(request, photo) for photo in (submitted.photos if submitted else [])],
        "actions": actions,
        "timeline": [
            {
                "action": entry.action,
                "label": entry.label,
                "actor": entry.actor,
                "status": entry.status,
                "at": entry.when,
                "note": entry.note,
                "rating": entry.rating,
                "photos": [_photo(request, photo) for photo in entry.photos],
            }
            for entry in events
        ],
    }


def _complaint_response(request: Request, complaint: Complaint, code: int) -> Response:
    complaint = selectors.my_complaint(request.user, complaint.tracking_number)
    return Response(s.CitizenComplaintSerializer(complaint_detail(request, complaint)).data, code)


# --- photos ----------------------------------------------------------------------------------


PHOTO_EXAMPLE = {
    "id": 41,
    "url": "https://sikesal.jambikota.go.id/api/v1/photos/41/",
    "thumbnail_url": "https://sikesal.jambikota.go.id/api/v1/photos/41/thumbnail/",
}
COMPLAINT_RESPONSE_EXAMPLE = {
    "tracking_number": "SKL-7K3QX9",
    "title": "Jalan berlubang di depan SD Negeri 47",
    "report_type": "pengaduan",
    "report_type_label": "Pengaduan",
    "category": {"code": "jalan", "name": "Jalan"},
    "status": "submitted",
    "status_label": "Diterima sistem",
    "submitted_at": "2026-12-01T09:30:00+07:00",
    "kecamatan": {"code": "15.71.11", "name": "Paal Merah"},
    "kelurahan": {"code": "15.71.11.1005", "name": "Paal Merah"},
    "hint": "Ditelaah Sekretariat paling lambat 3 Desember 2026.",
    "description": "Lubang besar di lajur kiri, sudah dua minggu, membahayakan motor.",
    "event_date": "2026-11-30",
    "latitude": -1.638,
    "longitude": 103.644,
    "address": "Jl. Sultan Thaha",
    "is_confidential": False,
    "is_anonymous": False,
    "channel": "web",
    "channel_label": "Situs web / aplikasi",
    "deadlines": {
        "review_due": "2026-12-03",
        "decision_due": None,
        "clarification_due": None,
        "rating_due": None,
    },
    "rating": None,
    "rating_comment": "",
    "objections_left": 2,
    "decline": None,
    "assignments": [],
    "photos": [PHOTO_EXAMPLE],
    "actions": [],
    "timeline": [
        {
            "action": "submit",
            "label": "Pengaduan diajukan",
            "actor": "Anda",
            "status": "Diterima sistem",
            "at": "2026-12-01T09:30:00+07:00",
            "note": "",
            "rating": None,
            "photos": [PHOTO_EXAMPLE],
        }
    ],
}
COMPLAINT_RESPONSE_EXAMPLES = [
    OpenApiExample(
        "complaint",
        value=COMPLAINT_RESPONSE_EXAMPLE,
        response_only=True,
        status_codes=["200", "201"],
    )
]


class IgnoreAcceptNegotiation(BaseContentNegotiation):
    """A photo is a JPEG whatever the client accepts; an error is JSON."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PhotoStageView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="citizen_photo_stage",
        summary="Unggah satu foto / Stage one photo",
        description="Diperiksa dan dikodekan ulang seperti di /lapor/ (JPEG, PNG atau WebP, "
        "batas ukuran dan piksel, data lokasi dihapus); lampirkan dengan `photo_ids`. 429 "
        "`photo_rate_limited` bila terlalu banyak dalam sejam. / Checked and re-encoded as on "
        "/lapor/ (JPEG, PNG or WebP, size and pixel limits, location data removed); attach it "
        "with `photo_ids`. 429 `photo_rate_limited` past the hourly cap.",
        request={"multipart/form-data": s.CitizenPhotoUploadSerializer},
        responses={201: s.CitizenPhotoSerializer, **error_responses(400, 401, 429)},
        examples=[OpenApiExample("photo", value=PHOTO_EXAMPLE, response_only=True)],
    )
    def post(self, request: Request) -> Response:
        upload = s.CitizenPhotoUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        photo = _stage(request.user, upload.validated_data["photo"], field="photo")
        return Response(_photo(request, photo), status=status.HTTP_201_CREATED)


class PhotoFileView(APIView):
    """A photo to whoever may see it (`selectors.viewable_photo`, as /foto/<id>/)."""

    permission_classes = [AllowAny]
    content_negotiation_class = IgnoreAcceptNegotiation
    thumbnail = False

    @extend_schema(
        operation_id="citizen_photo",
        summary="Foto atau gambar kecilnya / A photo or its thumbnail",
        description="JPEG, kepada yang boleh melihatnya: pengunggahnya sebelum dilampirkan, "
        "pelapor, petugas, atau siapa saja bila pengaduannya publik. / A JPEG, to whoever may "
        "see it: its uploader before it is attached, the reporter, staff, or anyone when the "
        "complaint is public.",
        responses={
            (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY, description="JPEG"),
            # 409 photo_not_ready (with Retry-After): the worker has not prepared it yet.
            **error_responses(404, 409),
        },
    )
    def get(self, request: Request, pk: int):
        response = photo_response(
            selectors.viewable_photo(request.user, pk), thumbnail=self.thumbnail
        )
        patch_vary_headers(response, ["Authorization"])
        return response


@extend_schema_view(get=extend_schema(operation_id="citizen_photo_thumbnail"))
class PhotoThumbnailView(PhotoFileView):
    thumbnail = True


# --- filing ----------------------------------------------------------------------------------


def complaint_form(data: dict) -> ComplaintForm:
    """The /lapor/ form over API input: the category and the kelurahan given by code."""
    form = ComplaintForm(data)
    form.fields["category"].to_field_name = "code"
    form.fields["kelurahan"].to_field_name = "code"
    return form


COMPLAINT_EXAMPLE = {
    "report_type": "pengaduan",
    "category": "jalan",
    "title": "Jalan berlubang di depan SD Negeri 47",
    "description": "Lubang besar di lajur kiri, sudah dua minggu, membahayakan motor.",
    "event_date": "2026-11-30",
    "latitude": -1.638,
    "longitude": 103.644,
    "address": "Jl. Sultan Thaha",
    "is_confidential": False,
    "is_anonymous": False,
    "photo_ids": [41, 42],
}


class ComplaintListView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    pagination_class = PagePagination  # the schema's paged answer and parameters

    @extend_schema(
        operation_id="citizen_complaints",
        summary="Pengaduan saya / My complaints",
        description="Pengaduan yang saya ajukan, terbaru dahulu. / The complaints I filed, "
        "newest first.",
        responses={
            200: s.CitizenComplaintSummarySerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        complaints = selectors.my_complaints(request.user).order_by("-submitted_at", "-pk")
        page = paginator.paginate_queryset(complaints, request, view=self)
        today = deadlines.local_today()
        rows = [complaint_summary(complaint, today=today) for complaint in page]
        return paginator.get_paginated_response(
            s.CitizenComplaintSummarySerializer(rows, many=True).data
        )

    @extend_schema(
        operation_id="citizen_complaint_file",
        summary="Ajukan pengaduan / File a complaint",
        description="Isian formulir /lapor/ (JSON atau multipart). Foto: `photo_ids` (diunggah "
        "dahulu) dan/atau berkas `photos` (multipart), paling banyak 5 seluruhnya. 201 "
        "pertama kali; 200 untuk pengiriman ulang dengan Idempotency-Key yang sama. Pelapor "
        "yang belum terverifikasi: 403 `unverified`, isiannya disimpan sebagai draf. / The "
        "/lapor/ form's fields (JSON or multipart). Photos: `photo_ids` (staged first) and/or "
        "`photos` files (multipart), at most 5 in all. 201 the first time; 200 for a resend "
        "with the same Idempotency-Key. An unverified reporter: 403 `unverified`, their input "
        "kept as their draft.",
        parameters=[IDEMPOTENCY_HEADER],
        request={
            "application/json": s.CitizenComplaintInputSerializer,
            "multipart/form-data": s.CitizenComplaintInputSerializer,
        },
        responses={
            201: s.CitizenComplaintSerializer,
            200: s.CitizenComplaintSerializer,
            **error_responses(400, 401, 403, 409, 429),
        },
        examples=[
            OpenApiExample("complaint", value=COMPLAINT_EXAMPLE, request_only=True),
            *COMPLAINT_RESPONSE_EXAMPLES,
        ],
    )
    def post(self, request: Request) -> Response:
        user = request.user
        key = _idempotency_key(request)
        payload = s.CitizenComplaintInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        fields = payload.validated_data
        values = {name: fields[name] for name in s.FORM_FIELDS if name in fields}
        ids, uploads = fields.get("photo_ids", []), fields.get("photos", [])
        # Only a filing with photos needs the lookup before anything else; without, a retry
        # is caught when the complaint is inserted.
        carries_photos = bool(ids or uploads)
        if (
            key
            and carries_photos
            and (
                filed := complaint_filed_with(
                    reporter=user,
                    idempotency_key=key,
                    title=values.get("title", ""),
                    description=values.get("description", ""),
                )
            )
        ):
            # A retry of a submission already filed: nothing is staged or written again.
            return _complaint_response(request, filed, status.HTTP_200_OK)
        _photo_count_check(ids, uploads)
        photos = _staged(user, ids)
        if not user.is_verified:
            # As /lapor/: an unverified citizen's input is kept as their draft.
            for upload in uploads:
                try:
                    photos.append(photo_stage(upload=upload, uploaded_by=user))
                except ValidationError:
                    continue
            complaint_draft_save(reporter=user, data=draft_data(_draft_values(values), photos))
            raise Unverified(
                _(
                    "Draf disimpan. Pengaduan dapat dikirim setelah email atau nomor ponsel Anda "
                    "terverifikasi."
                )
            )
        form = complaint_form(_form_values(values))
        if not form.is_valid():
            raise _form_errors(form)
        photos += [_stage(user, upload, field="photos") for upload in uploads]
        try:
            submission = complaint_submission(
                reporter=user,
                photos=photos,
                idempotency_key=key,
                key_looked_up=carries_photos,
                discard_draft=True,
                **form.submission_fields(),
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "idempotency_key_reused":
                raise IdempotencyKeyReused(
                    _(
                        "Idempotency-Key ini sudah dipakai untuk pengaduan lain dengan judul atau "
                        "uraian berbeda. Gunakan kunci baru untuk pengaduan baru."
                    )
                ) from None
            raise
        return _complaint_response(
            request,
            submission.complaint,
            status.HTTP_201_CREATED if submission.created else status.HTTP_200_OK,
        )


def _form_values(values: dict) -> dict:
    """The form post /lapor/ would send: null coordinates are empty inputs."""
    return {name: "" if value is None else value for name, value in values.items()}


def _draft_values(values: dict) -> dict:
    """The API's input as a /lapor/ form post for `draft_data`: codes become the form's keys."""
    values = _form_values(values)
    for name, model in (("category", Category), ("kelurahan", Region)):
        if code := values.get(name):
            pk = model.objects.filter(code=code).values_list("pk", flat=True).first()
            values[name] = str(pk) if pk is not None else ""
    return values


class ComplaintDetailView(APIView):
    @extend_schema(
        operation_id="citizen_complaint",
        summary="Satu pengaduan saya / One of my complaints",
        description="Seperti halaman /saya/<tracking>/: rincian, OPD yang menangani, tindakan "
        "yang tersedia dan riwayat dalam kata-kata untuk pelapor. Pengaduan orang lain: 404. / "
        "As the /saya/<tracking>/ page: details, the agencies handling it, the actions "
        "available and the timeline as its reporter reads it. Another's complaint: 404.",
        responses={200: s.CitizenComplaintSerializer, **error_responses(401, 404)},
        examples=COMPLAINT_RESPONSE_EXAMPLES,
    )
    def get(self, request: Request, tracking: str) -> Response:
        complaint = selectors.my_complaint(request.user, tracking)
        return Response(s.CitizenComplaintSerializer(complaint_detail(request, complaint)).data)


class ComplaintActionView(APIView):
    """Answer a clarification, rate, or object: the /saya/<tracking>/<action>/ forms."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action: str = ""
    input_serializer: type = s.CitizenObjectionInputSerializer

    def post(self, request: Request, tracking: str) -> Response:
        user = request.user
        complaint = selectors.my_complaint(user, tracking)
        if self.action not in allowed_actions(complaint, user):
            raise InvalidTransition(self.action, action=self.action)
        payload = self.input_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        fields = payload.validated_data
        form_class = ACTION_FORMS[self.action]
        form = form_class({name: fields[name] for name in ("note", "rating") if name in fields})
        if not form.is_valid():
            raise _form_errors(form)
        photos = []
        if "photos" in form_class.base_fields:
            ids, uploads = fields.get("photo_ids", []), fields.get("photos", [])
            _photo_count_check(ids, uploads)
            photos = _staged(user, ids)
            photos += [_stage(user, upload, field="photos") for upload in uploads]
        transition(
            complaint,
            self.action,
            actor=user,
            note=form.cleaned_data["note"],
            **form.payload(photos),
        )
        return _complaint_response(request, complaint, status.HTTP_200_OK)


def _action_schema(name: str, serializer, summary: str, description: str, example: dict):
    return extend_schema(
        operation_id=f"citizen_complaint_{name}",
        summary=summary,
        description=description
        + " Keadaan yang salah: 409 `invalid_transition`, tidak ada yang berubah; pengaduan "
        "orang lain: 404. / Wrong state: 409 `invalid_transition`, nothing changed; another's "
        "complaint: 404.",
        request={
            "application/json": serializer,
            "multipart/form-data": serializer,
        },
        responses={200: s.CitizenComplaintSerializer, **error_responses(400, 401, 404, 409)},
        examples=[OpenApiExample(name, value=example, request_only=True)],
    )


class ClarificationView(ComplaintActionView):
    action = "answer_clarification"
    input_serializer = s.CitizenClarificationInputSerializer

    @_action_schema(
        "clarification",
        s.CitizenClarificationInputSerializer,
        "Jawab klarifikasi / Answer a clarification",
        "Jawaban atas permintaan klarifikasi Sekretariat, dengan foto bila perlu. / The answer "
        "to the Secretariat's request for clarification, with photos if need be.",
        {"note": "Lubangnya di depan gerbang sekolah.", "photo_ids": [43]},
    )
    def post(self, request: Request, tracking: str) -> Response:
        return super().post(request, tracking)


class RatingView(ComplaintActionView):
    action = "rate"
    input_serializer = s.CitizenRatingInputSerializer

    @_action_schema(
        "rating",
        s.CitizenRatingInputSerializer,
        "Beri penilaian / Rate the response",
        "Penilaian 1-5 atas tanggapan; menutup pengaduan. / A 1-5 rating of the response; "
        "closes the complaint.",
        {"rating": 4, "note": "Cepat ditangani."},
    )
    def post(self, request: Request, tracking: str) -> Response:
        return super().post(request, tracking)


class ObjectionView(ComplaintActionView):
    action = "object"
    input_serializer = s.CitizenObjectionInputSerializer

    @_action_schema(
        "objection",
        s.CitizenObjectionInputSerializer,
        "Ajukan keberatan / Object to the response",
        "Keberatan atas tanggapan: OPD menindaklanjuti kembali (paling banyak "
        "SIKESAL_MAX_OBJECTIONS kali). / An objection to the response: the agencies follow it "
        "up again (at most SIKESAL_MAX_OBJECTIONS times).",
        {"note": "Lubangnya hanya ditimbun tanah, belum diaspal."},
    )
    def post(self, request: Request, tracking: str) -> Response:
        return super().post(request, tracking)


# --- the draft -------------------------------------------------------------------------------


def _draft_answer(request: Request, draft) -> dict:
    data = dict(draft.data)
    for name, model in (("category", Category), ("kelurahan", Region)):
        # The draft keeps the /lapor/ form's keys; the API speaks in codes.
        key = data.pop(name, "")
        if not (isinstance(key, str) and key.isascii() and key.isdigit() and len(key) <= 18):
            continue
        if code := model.objects.filter(pk=int(key)).values_list("code", flat=True).first():
            data[name] = code
    photos = staged_photos(user=request.user, ids=data.pop("photo_ids", []))
    data["photos"] = [_photo(request, photo) for photo in photos]
    data["updated_at"] = draft.updated_at
    return s.CitizenDraftSerializer(data).data


class DraftView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="citizen_draft",
        summary="Draf pengaduan saya / My complaint draft",
        description="Draf yang sama dengan formulir /lapor/. 404 bila tidak ada. / The same "
        "draft as the /lapor/ form's. 404 when there is none.",
        responses={200: s.CitizenDraftSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request) -> Response:
        draft = selectors.complaint_draft_for(request.user)
        if draft is None:
            raise exceptions.NotFound(_("Tidak ditemukan."))
        return Response(_draft_answer(request, draft))

    @extend_schema(
        operation_id="citizen_draft_save",
        summary="Simpan draf / Save the draft",
        description="Menggantikan draf (tanpa diperiksa, dipotong sampai batasnya). Kategori dan "
        "kelurahan yang tidak dikenal serta foto yang bukan milik Anda diabaikan. / Replaces "
        "the draft (unchecked, cut to its limits). Unknown category and kelurahan codes, and "
        "photos not yours, are left out.",
        request=s.CitizenDraftInputSerializer,
        responses={200: s.CitizenDraftSerializer, **error_responses(400, 401)},
        examples=[
            OpenApiExample(
                "draft",
                value={"title": "Jalan berlubang", "category": "jalan", "photo_ids": [41]},
                request_only=True,
            )
        ],
    )
    def put(self, request: Request) -> Response:
        payload = s.CitizenDraftInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        fields = dict(payload.validated_data)
        photos = staged_photos(user=request.user, ids=fields.pop("photo_ids", []))
        draft = complaint_draft_save(
            reporter=request.user, data=draft_data(_draft_values(fields), photos)
        )
        return Response(_draft_answer(request, draft))

    @extend_schema(
        operation_id="citizen_draft_discard",
        summary="Hapus draf / Discard the draft",
        responses={204: None, **error_responses(401)},
    )
    def delete(self, request: Request) -> Response:
        complaint_draft_discard(reporter=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- notifications ---------------------------------------------------------------------------


def _notification(request: Request, notification: Notification) -> dict:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "url": _absolute(request, notification.url),
        "is_read": notification.is_read,
        "read_at": notification.read_at,
        "created_at": notification.created_at,
    }


class NotificationListView(APIView):
    pagination_class = PagePagination

    @extend_schema(
        operation_id="citizen_notifications",
        summary="Pemberitahuan saya / My notifications",
        description="Terbaru dahulu, seperti /notifikasi/. / Newest first, as on /notifikasi/.",
        responses={200: s.CitizenNotificationSerializer(many=True), **error_responses(400, 401)},
    )
    def get(self, request: Request) -> Response:
        paginator = PagePagination()
        page = paginator.paginate_queryset(notification_list_for(request.user), request, view=self)
        rows = [_notification(request, notification) for notification in page]
        return paginator.get_paginated_response(
            s.CitizenNotificationSerializer(rows, many=True).data
        )


class NotificationReadView(APIView):
    @extend_schema(
        operation_id="citizen_notification_read",
        summary="Tandai dibaca / Mark read",
        description="Lagi pun tidak apa-apa; milik orang lain: 404. / Again is harmless; "
        "another's: 404.",
        request=None,
        responses={200: s.CitizenNotificationSerializer, **error_responses(401, 404)},
        examples=[
            OpenApiExample(
                "notification",
                value={
                    "id": 7,
                    "kind": "complaint_submitted",
                    "title": "Pengaduan SKL-7K3QX9 diterima",
                    "body": "Pengaduan Anda sudah kami terima.",
                    "url": "https://sikesal.jambikota.go.id/saya/SKL-7K3QX9/",
                    "is_read": True,
                    "read_at": "2026-12-01T10:00:00+07:00",
                    "created_at": "2026-12-01T09:30:00+07:00",
                },
                response_only=True,
            )
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        notification = notification_mark_read(user=request.user, notification_id=pk)
        return Response(s.CitizenNotificationSerializer(_notification(request, notification)).data)


class NotificationReadAllView(APIView):
    @extend_schema(
        operation_id="citizen_notifications_read_all",
        summary="Tandai semua dibaca / Mark all read",
        request=None,
        responses={200: s.CitizenReadAllSerializer, **error_responses(401)},
        examples=[OpenApiExample("marked", value={"marked": 3}, response_only=True)],
    )
    def post(self, request: Request) -> Response:
        return Response({"marked": notification_mark_all_read(user=request.user)})
