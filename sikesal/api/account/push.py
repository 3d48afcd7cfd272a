"""/api/v1/me/push/: Web Push on this device. The key a browser (or app) subscribes with,
and turning push on and off; thin adapters over notifications.services."""

from django.conf import settings
from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sikesal.api.serializers import TextField, error_responses
from sikesal.notifications.models import PushSubscription
from sikesal.notifications.push import push_enabled
from sikesal.notifications.services import push_subscription_delete, push_subscription_save

TAGS = ["akun / account"]

_ENDPOINT_HELP = (
    "Alamat layanan push dari PushSubscription (https, layanan push publik, paling banyak "
    "1.000 karakter). / The push service address from the PushSubscription (https, a public "
    "push service, at most 1,000 characters)."
)


# --- Serializers ---------------------------------------------------------------------------


class PushConfigSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(
        help_text="Push dikonfigurasi di server ini. / Push is configured on this server."
    )
    public_key = serializers.CharField(
        allow_null=True,
        help_text="Kunci publik VAPID (base64url) untuk PushManager.subscribe() sebagai "
        "applicationServerKey; null bila push mati. / The VAPID public key (base64url) for "
        "PushManager.subscribe() as applicationServerKey; null when push is off.",
    )


class PushKeysSerializer(serializers.Serializer):
    p256dh = TextField(
        max_length=200,
        help_text="Kunci publik P-256 peramban (65 bita), base64url. / The browser's P-256 "
        "public key (65 bytes), base64url.",
    )
    auth = TextField(
        max_length=200,
        help_text="Rahasia auth peramban (16 bita), base64url. / The browser's auth secret "
        "(16 bytes), base64url.",
    )


class PushSubscribeSerializer(serializers.Serializer):
    """PushSubscription.toJSON() as the browser gives it, and an optional device name."""

    endpoint = TextField(max_length=PushSubscription.ENDPOINT_MAX_LENGTH, help_text=_ENDPOINT_HELP)
    keys = PushKeysSerializer()
    # The browser's own name for it.
    expirationTime = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="Dari toJSON() peramban; diabaikan. / From the browser's toJSON(); ignored.",
    )
    device_label = TextField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text='Nama perangkat yang terlihat di admin, mis. "Chrome di Android". / The '
        "device's name as administrators see it.",
    )


class PushUnsubscribeSerializer(serializers.Serializer):
    endpoint = TextField(max_length=PushSubscription.ENDPOINT_MAX_LENGTH, help_text=_ENDPOINT_HELP)


class PushSubscriptionSerializer(serializers.ModelSerializer):
    """A device that receives push (its endpoint and keys are not repeated back)."""

    push_service = serializers.CharField(
        read_only=True, help_text="Host layanan push. / The push service's host."
    )

    class Meta:
        model = PushSubscription
        fields = ("id", "device_label", "push_service", "created_at", "last_success_at")
        read_only_fields = fields


# --- Views ---------------------------------------------------------------------------------

_SUBSCRIPTION_EXAMPLE = {
    "id": 31,
    "device_label": "Chrome di Android",
    "push_service": "fcm.googleapis.com",
    "created_at": "2026-12-05T09:00:00+07:00",
    "last_success_at": None,
}

_PUSH_DISABLED = OpenApiResponse(
    description="Push tidak dikonfigurasi di server ini (`push_disabled`). / Push is not "
    "configured on this server (`push_disabled`).",
    response=error_responses(409)[409].response,
    examples=[
        OpenApiExample(
            "push_disabled",
            value={
                "error": {
                    "code": "push_disabled",
                    "message": "Pemberitahuan push tidak diaktifkan di server ini.",
                }
            },
            response_only=True,
            status_codes=["409"],
        )
    ],
)


class PushConfigView(APIView):
    @extend_schema(
        operation_id="me_push_retrieve",
        tags=TAGS,
        summary="Kunci push server / The server's push key",
        description=(
            "Apakah push aktif, dan kunci publik VAPID yang dipakai PushManager.subscribe() "
            "(`applicationServerKey`). Tanpa kunci VAPID di server, push mati.\n\n"
            "Whether push is on, and the VAPID public key for PushManager.subscribe() "
            "(`applicationServerKey`). Without VAPID keys on the server, push is off."
        ),
        responses={200: PushConfigSerializer, **error_responses(401)},
        examples=[
            OpenApiExample(
                "aktif / on",
                value={
                    "enabled": True,
                    "public_key": "BNPu1Nv4Jo9sM3V75jwhWZ44DeMlVu9hsrZ9zrZDM2QSyGfhhWJls-Nl7r"
                    "FIE06SItV66pq-EW6W7KKlyE4zWy0",
                },
                response_only=True,
            ),
            OpenApiExample(
                "mati / off", value={"enabled": False, "public_key": None}, response_only=True
            ),
        ],
    )
    def get(self, request: Request) -> Response:
        enabled = push_enabled()
        return Response(
            {
                "enabled": enabled,
                "public_key": settings.SIKESAL_VAPID_PUBLIC_KEY if enabled else None,
            }
        )


class PushSubscribeView(APIView):
    @extend_schema(
        operation_id="me_push_subscribe",
        tags=TAGS,
        summary="Aktifkan push di perangkat ini / Turn push on for this device",
        description=(
            "Kirim hasil PushSubscription.toJSON() dari peramban. Pemberitahuan akun ini "
            "(pertanyaan klarifikasi, tanggapan, perubahan status; untuk petugas: penyaluran "
            "baru dan batas waktu terlewat) lalu juga dikirim ke perangkat ini. Alamat yang "
            "sama lagi: kuncinya diperbarui (200); alamat yang dulu didaftarkan akun lain "
            "(ponsel yang dipakai bersama) didaftarkan baru untuk akun ini (201), dan push "
            "akun lain itu yang masih antre tidak dikirim ke sana. "
            "Alamat bukan https atau bukan layanan push publik, atau kunci yang bukan kunci "
            "peramban: 400. Push mati di server: 409 `push_disabled`.\n\n"
            "Send the browser's PushSubscription.toJSON(). This account's notifications "
            "(clarification questions, responses, status changes; for officers: new "
            "assignments and passed deadlines) then also go to this device. The same address "
            "again: its keys are updated (200); an address another account had registered (a "
            "shared phone) is registered anew for this account (201), and that account's "
            "queued pushes are not sent to it. An address that is "
            "not https or not a public push service, or keys that are not a browser's: 400. "
            "Push off on the server: 409 `push_disabled`."
        ),
        request=PushSubscribeSerializer,
        responses={
            201: OpenApiResponse(
                PushSubscriptionSerializer, description="Didaftarkan. / Registered."
            ),
            200: OpenApiResponse(
                PushSubscriptionSerializer,
                description="Sudah terdaftar; diperbarui. / Already registered; updated.",
            ),
            **error_responses(400, 401),
            409: _PUSH_DISABLED,
        },
        examples=[
            OpenApiExample(
                "toJSON()",
                value={
                    "endpoint": "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bH-contoh",
                    "expirationTime": None,
                    "keys": {
                        "p256dh": "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjy"
                        "PjPc9cHeGmF36x2BkgPLZg4o",
                        "auth": "zeh1mQxF8rHxI5bT8eZXvA",
                    },
                    "device_label": "Chrome di Android",
                },
                request_only=True,
            ),
            OpenApiExample(
                "perangkat / device",
                value=_SUBSCRIPTION_EXAMPLE,
                response_only=True,
                status_codes=["201", "200"],
            ),
            OpenApiExample(
                "bukan https / not https",
                value={
                    "error": {
                        "code": "invalid",
                        "message": "Periksa isian yang ditandai.",
                        "fields": {"endpoint": ["Alamat layanan push harus memakai https://."]},
                    }
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = PushSubscribeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            subscription, created = push_subscription_save(
                user=request.user,
                endpoint=data["endpoint"],
                p256dh=data["keys"]["p256dh"],
                auth=data["keys"]["auth"],
                device_label=data.get("device_label", ""),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except ValidationError as error:
            raise _api_error(error) from None
        return Response(
            PushSubscriptionSerializer(subscription).data, status=201 if created else 200
        )


class PushUnsubscribeView(APIView):
    @extend_schema(
        operation_id="me_push_unsubscribe",
        tags=TAGS,
        summary="Matikan push di perangkat ini / Turn push off for this device",
        description=(
            "Alamat dari PushSubscription perangkat ini; tidak ada lagi push ke sana, juga "
            "yang masih antre. Jawabannya 204 juga bila alamat itu tidak terdaftar untuk akun "
            "ini (tanpa menyebut apakah ada).\n\n"
            "The address from this device's PushSubscription; nothing more is pushed to it, "
            "queued messages included. The answer is 204 also when the address is not "
            "registered to this account (never saying whether it exists)."
        ),
        request=PushUnsubscribeSerializer,
        responses={204: None, **error_responses(400, 401)},
        examples=[
            OpenApiExample(
                "alamat / address",
                value={
                    "endpoint": "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bH-contoh"
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = PushUnsubscribeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        push_subscription_delete(user=request.user, endpoint=serializer.validated_data["endpoint"])
        return Response(status=204)


def _api_error(error: ValidationError) -> exceptions.APIException:
    if getattr(error, "code", None) == "push_disabled":
        refusal = exceptions.APIException(detail=" ".join(error.messages), code="push_disabled")
        refusal.status_code = 409
        return refusal
    # As the serializer names its nested fields (api/errors.py): keys.p256dh, keys.auth.
    return exceptions.ValidationError(
        {
            f"keys.{field}" if field in {"p256dh", "auth"} else field: messages
            for field, messages in error.message_dict.items()
        }
    )
