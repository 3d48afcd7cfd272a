"""/api/v1/staff/: the staff console (/staf/) for apps and the agencies' own systems.

The same people as /staf/ (`access.can_use_staff_console`): anyone else signed in gets the
404 the console gives them; nobody signed in, a 401. Every endpoint is a thin adapter over
what the console's views call: `selectors.staff_queue` with `staff_forms.queue_filter_form`
and `queue.queue_rows` for the queue, `staff_detail.staff_complaint_detail` for a
complaint, `services.reporter_identity` for the identity, and
`staff_actions.StaffActionInput` (the console's forms, then `workflow.transition`) for an
action. Where the page would refuse an action it offers no button for, the API answers
409 `invalid_transition`, and nothing has changed.
"""

from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from sikesal.api.pagination import PagePagination
from sikesal.api.serializers import error_responses
from sikesal.api.staff.input import action_form_data, input_errors
from sikesal.api.staff.serializers import (
    StaffComplaintSerializer,
    StaffIdentityRequestSerializer,
    StaffIdentitySerializer,
    StaffQueueRowSerializer,
)
from sikesal.complaints import selectors, services
from sikesal.complaints.access import can_use_staff_console, oversees_all
from sikesal.complaints.deadlines import local_today
from sikesal.complaints.models import ACTIVE_ASSIGNMENT_STATUSES, Status
from sikesal.complaints.queue import queue_rows
from sikesal.complaints.selectors import ALL, OPEN, QUEUE, RETURNED
from sikesal.complaints.staff_actions import StaffActionInput
from sikesal.complaints.staff_detail import staff_complaint_detail
from sikesal.complaints.staff_forms import (
    ACTION_FORMS,
    SEARCH_MAX_LENGTH,
    IdentityForm,
    queue_filter_form,
)
from sikesal.complaints.workflow import STAFF_ACTIONS, InvalidTransition, available_actions

TAGS = ["staff"]
BOOLEAN_TEXTS = frozenset({"true", "false", "1", "0"})


class StaffConsole(BasePermission):
    """Those who may use /staf/; anyone else signed in: the console's 404."""

    def has_permission(self, request, view) -> bool:
        if not can_use_staff_console(request.user):
            raise Http404
        return True


class StaffView(GenericAPIView):
    permission_classes = [IsAuthenticated, StaffConsole]

    def complaint_response(self, complaint, **kwargs) -> Response:
        detail = staff_complaint_detail(self.request.user, complaint, local_today())
        return Response(
            StaffComplaintSerializer(detail, context={"request": self.request}).data, **kwargs
        )


TRACKING = OpenApiParameter(
    "tracking",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="Nomor pelacakan, mis. SKL-7K3QX9. / Tracking number, e.g. SKL-7K3QX9.",
)
# Every value the queue's status filter takes, for the Secretariat or for agency staff.
CLOCK_EXAMPLE = {
    "label": "Batas penelaahan",
    "due": "2026-03-04",
    "overdue": True,
    "overdue_days": 2,
}
QUEUE_EXAMPLE = OpenApiExample(
    "queue",
    response_only=True,
    value={
        "tracking_number": "SKL-7K3QX9",
        "title": "Jalan berlubang di depan bandara",
        "status": {"code": "submitted", "label": "Diterima sistem"},
        "category": {"code": "jalan", "name": "Jalan"},
        "kecamatan": {"code": "15.71.03", "name": "Paal Merah"},
        "agencies": [],
        "submitted_at": "2026-03-01T09:15:00+07:00",
        "age_days": 5,
        "returned": False,
        "clock_stopped": False,
        "deadline": CLOCK_EXAMPLE,
        "overdue": True,
        "assignment": None,
    },
)
COMPLAINT_EXAMPLE = OpenApiExample(
    "complaint",
    response_only=True,
    value={
        "tracking_number": "SKL-7K3QX9",
        "title": "Jalan berlubang di depan bandara",
        "report_type": {"code": "pengaduan", "label": "Pengaduan"},
        "status": {"code": "routed", "label": "Disalurkan ke OPD"},
        "is_confidential": False,
        "category": {"code": "jalan", "name": "Jalan"},
        "channel": {"code": "web", "label": "Situs web / aplikasi"},
        "submitted_at": "2026-03-01T09:15:00+07:00",
        "event_date": None,
        "description": "Lubang besar di lajur kiri.",
        "location": {
            "kelurahan": {"code": "15.71.03.1001", "name": "Paal Merah"},
            "kecamatan": {"code": "15.71.03", "name": "Paal Merah"},
            "address": "Depan gerbang bandara",
            "latitude": -1.638,
            "longitude": 103.644,
        },
        "photos": [],
        "decline": None,
        "duplicate_of": None,
        "duplicates": [],
        "rating": None,
        "rating_comment": "",
        "objection_count": 0,
        "deadlines": {"handling": [CLOCK_EXAMPLE], "citizen": [], "stopped_since": None},
        "reporter": {"anonymous": True, "identity_available": False},
        "assignments": [],
        "allowed_actions": [
            {
                "action": "accept",
                "label": "Terima dan catat di register",
                "assignment_agency": "dpupr",
            }
        ],
        "timeline": [],
    },
)
QUEUE_STATUSES = list(
    dict.fromkeys([QUEUE, OPEN, RETURNED, ALL, *Status.values, *ACTIVE_ASSIGNMENT_STATUSES])
)


@extend_schema(
    tags=TAGS,
    summary="Antrean petugas / The staff queue",
    description=(
        "Antrean seperti di /staf/: pengaduan untuk Sekretariat dan eksekutif, penyaluran ke "
        "OPD pengguna untuk petugas OPD, dengan saringan yang sama, terlama dulu. Saringan "
        "yang tidak sah: 400. / The queue as on /staf/: complaints for the Secretariat and "
        "executives, the assignments of the user's agencies for agency staff, with the same "
        "filters, oldest first. An invalid filter: 400.\n\n"
        "`status`: Secretariat: '' (its queue), open, returned, all or a status; agency "
        "staff: '' (every active assignment), open (not answered), routed, accepted, "
        "responded."
    ),
    parameters=[
        OpenApiParameter(
            "q",
            OpenApiTypes.STR,
            description="Judul, uraian, alamat atau nomor pelacakan. / Title, description, "
            "address or tracking number.",
            pattern=f"^.{{0,{SEARCH_MAX_LENGTH}}}$",
        ),
        OpenApiParameter("status", OpenApiTypes.STR, enum=QUEUE_STATUSES),
        OpenApiParameter("category", OpenApiTypes.STR, description="Kode kategori. / Code."),
        OpenApiParameter("kecamatan", OpenApiTypes.STR, description="Kode Kemendagri. / Code."),
        OpenApiParameter("agency", OpenApiTypes.STR, description="Kode OPD. / Agency code."),
        OpenApiParameter(
            "overdue",
            OpenApiTypes.BOOL,
            description="Hanya yang lewat batas waktu. / Overdue items only.",
        ),
    ],
    responses={200: StaffQueueRowSerializer(many=True), **error_responses(400, 401, 404)},
    examples=[QUEUE_EXAMPLE],
)
class StaffQueueView(StaffView):
    pagination_class = PagePagination
    serializer_class = StaffQueueRowSerializer

    def get(self, request):
        user = request.user
        form = queue_filter_form(user, request.query_params)
        errors = {}
        if not form.is_valid():
            errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        # The page's checkbox takes any value as "on"; the API only a boolean.
        if request.query_params.get("overdue", "true").lower() not in BOOLEAN_TEXTS:
            errors["overdue"] = [_("Harus true atau false.")]
        if errors:
            raise exceptions.ValidationError(errors)
        today = local_today()
        items = selectors.staff_queue(user, form.filters(), today=today)
        page = self.paginate_queryset(items)
        rows = queue_rows(list(page), today, on_complaints=oversees_all(user))
        return self.get_paginated_response(StaffQueueRowSerializer(rows, many=True).data)


@extend_schema(
    tags=TAGS,
    summary="Pengaduan / A complaint",
    description=(
        "Pengaduan seperti halaman /staf/pengaduan/<nomor>/ menampilkannya kepada pengguna: "
        "riwayat, penyaluran, batas waktu dan tindakan yang boleh dilakukan sekarang. "
        "Identitas pelapor tidak pernah dimuat. Bukan milik Anda: 404. / The complaint as "
        "/staf/pengaduan/<tracking>/ shows it to this user: timeline, assignments, deadlines "
        "and the actions allowed now. Never the reporter's identity. Not yours: 404."
    ),
    parameters=[TRACKING],
    responses={200: StaffComplaintSerializer, **error_responses(401, 404)},
    examples=[COMPLAINT_EXAMPLE],
)
class StaffComplaintView(StaffView):
    serializer_class = StaffComplaintSerializer

    def get(self, request, tracking: str):
        return self.complaint_response(selectors.staff_complaint(request.user, tracking))


@extend_schema(
    tags=TAGS,
    summary="Buka identitas pelapor / Open the reporter's identity",
    description=(
        "Nama, email dan ponsel pelapor, dengan keperluannya; setiap akses dicatat. Hanya "
        "bagi yang boleh (Sekretariat; petugas OPD yang menangani bila tidak anonim), lainnya "
        "404. / The reporter's name, email and mobile, with the purpose; every look is "
        "logged. Only for those allowed (the Secretariat; the handling agency's staff unless "
        "anonymous), else 404."
    ),
    parameters=[TRACKING],
    request=StaffIdentityRequestSerializer,
    responses={200: StaffIdentitySerializer, **error_responses(400, 401, 404)},
    examples=[
        OpenApiExample(
            "purpose",
            value={"purpose": "Menghubungi pelapor untuk memastikan lokasi."},
            request_only=True,
        ),
        OpenApiExample(
            "identity",
            response_only=True,
            value={
                "full_name": "Budi Warga",
                "email": "budi@contoh.id",
                "mobile": "0812-3456-7890",
            },
        ),
    ],
)
class StaffIdentityView(StaffView):
    serializer_class = StaffIdentitySerializer

    def post(self, request, tracking: str):
        user = request.user
        complaint = selectors.staff_complaint(user, tracking)
        if not selectors.can_see_identity(user, complaint):
            raise Http404
        data = request.data
        purpose = data.get("purpose") if hasattr(data, "get") else None
        if not isinstance(purpose, str):
            raise exceptions.ValidationError({"purpose": [_("Harus berupa teks.")]})
        form = IdentityForm({"purpose": purpose})
        if not form.is_valid():
            raise exceptions.ValidationError(
                {name: [str(m) for m in messages] for name, messages in form.errors.items()}
            )
        reporter = services.reporter_identity(
            complaint=complaint, user=user, purpose=form.cleaned_data["purpose"]
        )
        response = Response(StaffIdentitySerializer(reporter).data)
        add_never_cache_headers(response)
        return response


ACTION_EXAMPLES = [
    OpenApiExample("review", value={"note": ""}, request_only=True),
    OpenApiExample(
        "request_clarification",
        value={"note": "Mohon sebutkan nama jalan terdekat."},
        request_only=True,
    ),
    OpenApiExample(
        "decline",
        value={"reason": "out_of_scope", "referral": "pln", "note": "Silakan ke PLN."},
        request_only=True,
    ),
    OpenApiExample(
        "route",
        value={
            "routes": [
                {"agency": "dpupr", "instructions": "Mohon ditinjau.", "lead": True},
                {"agency": "dlh", "instructions": "", "lead": False},
            ],
            "note": "",
        },
        request_only=True,
    ),
    OpenApiExample("change_category", value={"category": "sampah"}, request_only=True),
    OpenApiExample("note", value={"note": "Sudah dikonfirmasi lewat telepon."}, request_only=True),
    OpenApiExample("accept", value={"note": ""}, request_only=True),
    OpenApiExample(
        "update",
        value={"note": "Tim sudah meninjau lokasi.", "public": True, "photo_ids": []},
        request_only=True,
    ),
    OpenApiExample("return", value={"note": "Bukan kewenangan kami."}, request_only=True),
    OpenApiExample("respond", value={"note": "Lubang sudah ditambal."}, request_only=True),
]


@extend_schema(
    tags=TAGS,
    summary="Lakukan tindakan / Take an action",
    description=(
        "Satu tindakan alur kerja dengan isian formulir halaman petugas (JSON, atau multipart "
        "untuk foto `photos`). Tindakan yang tidak ada: 404; tidak boleh sekarang: 409 "
        "`invalid_transition` (tidak ada yang berubah); isian salah: 400. Jawaban: pengaduan "
        "yang diperbarui, atau 204 bila pengguna tidak lagi dapat membukanya (dikembalikan). / "
        "One workflow action with the staff page's form fields (JSON, or multipart for "
        "`photos`). Unknown action: 404; not allowed now: 409 `invalid_transition` (nothing "
        "changed); wrong input: 400. Answer: the updated complaint, or 204 when the user can "
        "no longer open it (handed back).\n\n"
        "Fields: review, accept: `note`?; request_clarification, note, return: `note`; "
        "decline: `reason`, `note`, `duplicate_of`? (tracking number), `referral`?; route: "
        "`routes` [{`agency`, `instructions`?, `lead`}], `note`?; change_category: "
        "`category`, `note`?; update: `note`, `public` (bool), `photos`/`photo_ids`?; "
        "respond: `note`, `photos`/`photo_ids`?."
    ),
    parameters=[
        TRACKING,
        OpenApiParameter(
            "action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(STAFF_ACTIONS)
        ),
    ],
    request={
        "application/json": OpenApiTypes.OBJECT,
        "multipart/form-data": OpenApiTypes.OBJECT,
    },
    responses={
        200: StaffComplaintSerializer,
        204: OpenApiResponse(description="Tidak lagi terlihat. / No longer visible to you."),
        **error_responses(400, 401, 404, 409),
    },
    examples=[*ACTION_EXAMPLES, COMPLAINT_EXAMPLE],
)
class StaffActionView(StaffView):
    serializer_class = StaffComplaintSerializer

    def post(self, request, tracking: str, action: str):
        user = request.user
        complaint = selectors.staff_complaint(user, tracking)
        if action not in ACTION_FORMS:
            raise Http404
        available = available_actions(complaint, user, selectors.my_assignment(user, complaint))
        if action not in available:
            raise InvalidTransition(f"{action} is not offered", action=action)
        data = action_form_data(action, request.data)
        submitted = StaffActionInput.bind(action, complaint, user, data, request.FILES)
        if submitted.take(available[action]) is None:
            raise exceptions.ValidationError(input_errors(submitted))
        if not selectors.staff_complaints(user).filter(pk=complaint.pk).exists():
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self.complaint_response(selectors.staff_complaint(user, tracking))
