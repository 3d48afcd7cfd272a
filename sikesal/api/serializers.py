"""Serializers every area of the API shares: the error shape, for the schema, and text
input that is text."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.utils import html


class SentMeansGiven:
    """A field sent empty in a form (`email=`) is checked like an empty JSON string, and a
    field left out is left out: DRF would read the one as left out and the other, for a
    boolean, as false (an unticked HTML checkbox)."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary):
            return dictionary.get(self.field_name, empty)
        return super().get_value(dictionary)


class TextField(serializers.CharField):
    """A JSON string and nothing else: DRF's CharField would turn 1.5 or true into text.
    A NUL is refused too: PostgreSQL stores none, and no one types it."""

    default_error_messages = {
        "not_text": _("Harus berupa teks."),
        "nul": _("Karakter NUL tidak diterima."),
    }

    def to_internal_value(self, data) -> str:
        if not isinstance(data, str):
            self.fail("not_text")
        if "\x00" in data:
            self.fail("nul")
        return super().to_internal_value(data)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs: not_found, invalid, ...")
    message = serializers.CharField(help_text="For people, in the request's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Only for input errors: each field's messages; non_field_errors for the "
        "request as a whole.",
    )


class ErrorSerializer(serializers.Serializer):
    """{"error": {"code", "message", "fields"}}: sikesal/api/errors.py."""

    error = ErrorDetailSerializer()


class StrictBooleanField(serializers.BooleanField):
    """true or false (also "true"/"false" in a form): not 1, "yes" or "on"."""

    def to_internal_value(self, data) -> bool:
        if isinstance(data, bool):
            return data
        if isinstance(data, str) and data.lower() in {"true", "false"}:
            return data.lower() == "true"
        self.fail("invalid", input=data)


# The statuses every area answers with, as documented responses (extend_schema's
# `responses`): `error_responses(400, 404)` adds those two to an endpoint's schema.
_ERRORS = {
    400: ("invalid", "Periksa isian yang ditandai. / Check the marked fields."),
    401: ("not_authenticated", "Kredensial tidak diberikan. / Credentials were not provided."),
    403: ("permission_denied", "Anda tidak berhak. / You may not do this."),
    404: ("not_found", "Tidak ditemukan. / Not found (also: not yours)."),
    409: ("conflict", "Bertentangan dengan keadaan sekarang. / Conflicts with the current state."),
    429: ("throttled", "Terlalu banyak permintaan. / Too many requests."),
    503: ("busy", "Server sedang sibuk. / The server is busy: send again shortly."),
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    responses = {}
    for status in statuses:
        code, message = _ERRORS[status]
        responses[status] = OpenApiResponse(
            ErrorSerializer,
            description=message,
            examples=[
                OpenApiExample(
                    code,
                    value={"error": {"code": code, "message": message.split(" / ")[0]}},
                    response_only=True,
                    status_codes=[str(status)],
                )
            ],
        )
    return responses
