"""/open311/: the GeoReport v2 server, with the mySociety extension for updates.

Thin adapters: `georeport` turns public records into the spec's fields, `services` files
and comments through the complaint services and the workflow. Every answer is JSON or
XML by the address's suffix (.json/.xml) or the `format` parameter (XML, the spec's
required format, otherwise); every error is a GeoReport error list (`errors`).
Documented by the GeoReport specification and docs/api.md, not in the /api/ OpenAPI
schema.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from sikesal.agencies.models import Category
from sikesal.api.throttling import AddressRateThrottle
from sikesal.core.city import city
from sikesal.core.links import absolute_url
from sikesal.open311 import georeport, services
from sikesal.open311.errors import Open311Error, exception_handler
from sikesal.open311.renderers import Open311JSONRenderer, Open311XMLRenderer


class ClientRateThrottle(SimpleRateThrottle):
    """One Open311 client's POSTs, at its own rate (`Open311Client.rate_per_hour`), counted
    in the cache like the API's throttles (Redis when REDIS_URL is set)."""

    cache_format = "sikesal:open311:throttle:%(ident)s"

    # No settings scope to read: the rate is the client's own.
    def __init__(self, client) -> None:
        self.client = client
        self.rate = f"{client.rate_per_hour}/hour"
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"ident": self.client.pk}


@extend_schema(exclude=True)
class Open311View(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [Open311XMLRenderer, Open311JSONRenderer]
    parser_classes = [FormParser, MultiPartParser, JSONParser]
    throttle_classes = [AddressRateThrottle]
    xml_root = "service_requests"
    xml_item = "request"

    def get_exception_handler(self):
        return exception_handler

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        jurisdiction = request.query_params.get("jurisdiction_id")
        if jurisdiction is None and request.method == "POST":
            jurisdiction = request.data.get("jurisdiction_id")
        if jurisdiction not in (None, "", settings.SIKESAL_OPEN311_JURISDICTION):
            raise Open311Error(404, _("jurisdiction_id tidak dikenal."))

    def param(self, name: str):
        """A POST field, else the query string's (api_key may come either way)."""
        value = self.request.data.get(name) if self.request.method == "POST" else None
        return value if value is not None else self.request.query_params.get(name)

    def client_for(self, operation: str):
        api_key = self.param("api_key")
        client = services.open311_client(
            api_key=api_key if isinstance(api_key, str) else "", operation=operation
        )
        throttle = ClientRateThrottle(client)
        if not throttle.allow_request(self.request, self):
            self.throttled(self.request, throttle.wait())
        return client

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise Open311Error(405, _("Metode ini tidak didukung di alamat ini."))


class DiscoveryView(Open311View):
    xml_root = "discovery"

    def get(self, request: Request, format=None) -> Response:
        return Response(
            {
                "changeset": georeport.CHANGESET,
                "contact": city().secretariat,
                "key_service": _(
                    "Kunci API diberikan oleh administrator SIKESAL %(city)s kepada sistem "
                    "yang terhubung; hubungi Sekretariat Pengaduan."
                )
                % {"city": city().name},
                "endpoints": [
                    {
                        "specification": georeport.SPECIFICATION,
                        "url": absolute_url("/open311/v2"),
                        "changeset": georeport.CHANGESET,
                        "type": "production",
                        "formats": ["text/xml", "application/json"],
                    }
                ],
            }
        )


class ServiceListView(Open311View):
    xml_root, xml_item = "services", "service"

    def get(self, request: Request, format=None) -> Response:
        return Response([georeport.service(c) for c in georeport.services()])


class ServiceDefinitionView(Open311View):
    xml_root = "service_definition"

    def get(self, request: Request, code: str, format=None) -> Response:
        category = Category.objects.filter(code=code[:40], is_active=True).first()
        if category is None:
            raise Open311Error(404, _("service_code tidak ditemukan."))
        return Response(georeport.service_definition(category))


class RequestListView(Open311View):
    def get(self, request: Request, format=None) -> Response:
        params = request.query_params
        requests = georeport.public_requests()
        ids = georeport.comma_list(
            "service_request_id",
            params.get("service_request_id"),
            max_length=georeport.TRACKING_MAX_LENGTH,
        )
        if ids:
            # The spec: a list of ids overrides every other filter.
            requests = requests.filter(tracking_number__in=[i.upper() for i in ids])
        else:
            codes = georeport.comma_list("service_code", params.get("service_code"), max_length=40)
            statuses = georeport.status_values(params.get("status"))
            start, end = georeport.date_range(params)
            requests = requests.filter(
                georeport.statuses_filter(statuses),
                submitted_at__gte=start,
                submitted_at__lte=end,
            )
            if codes:
                requests = requests.filter(category__code__in=codes)
        limit = settings.SIKESAL_OPEN311_MAX_RESULTS
        found = requests.order_by(*georeport.REQUESTS_ORDER)[:limit]
        return Response([georeport.service_request(c) for c in found])

    def post(self, request: Request, format=None) -> Response:
        client = self.client_for(services.POST_REQUESTS)
        filed = services.open311_request_create(
            client=client,
            params=request.data,
            idempotency_key=(request.headers.get("Idempotency-Key") or "")[:200],
        )
        return Response(
            [
                {
                    "service_request_id": filed.complaint.tracking_number,
                    "token": filed.token,
                    "service_notice": _(
                        "Diterima. Sekretariat Pengaduan menelaahnya; pengaduan tampil di "
                        "daftar publik setelah disalurkan ke OPD (kecuali dirahasiakan)."
                    ),
                    "account_id": None,
                }
            ]
        )


class RequestDetailView(Open311View):
    def get(self, request: Request, request_id: str, format=None) -> Response:
        if len(request_id) > georeport.TRACKING_MAX_LENGTH:
            raise Open311Error(404, _("service_request_id tidak ditemukan."))
        complaint = georeport.public_requests().filter(tracking_number=request_id.upper()).first()
        if complaint is None:
            raise Open311Error(404, _("service_request_id tidak ditemukan."))
        return Response([georeport.service_request(complaint)])


class TokenView(Open311View):
    def get(self, request: Request, token: str, format=None) -> Response:
        filed = services.open311_request_for_token(token)
        return Response(
            [{"service_request_id": filed.complaint.tracking_number, "token": filed.token}]
        )


class UpdateListView(Open311View):
    xml_root, xml_item = "service_request_updates", "request_update"

    def get(self, request: Request, format=None) -> Response:
        start, end = georeport.date_range(request.query_params)
        limit = settings.SIKESAL_OPEN311_MAX_RESULTS
        updates = georeport.public_updates().filter(created_at__gte=start, created_at__lte=end)
        return Response([georeport.request_update(e) for e in updates[:limit]])

    def post(self, request: Request, format=None) -> Response:
        client = self.client_for(services.POST_UPDATES)
        event = services.open311_update_create(client=client, params=request.data)
        return Response([{"update_id": str(event.pk)}])


class NotFoundView(Open311View):
    """Any other address under /open311/: a GeoReport 404, in JSON or XML as its suffix
    (or `format`) asks."""

    def get_format_suffix(self, **kwargs) -> str | None:
        suffix = self.request.path_info.rpartition(".")[2]
        return suffix if suffix in ("json", "xml") else None

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        raise Open311Error(404, _("Tidak ditemukan."))

    def get(self, request, *args, **kwargs):  # pragma: no cover (initial answers)
        raise Open311Error(404, _("Tidak ditemukan."))

    post = get
