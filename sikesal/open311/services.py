"""What an Open311 client's POSTs do: file a complaint for a reporter without a login, and
post a public comment. Thin: identity is `intake.reporters`, filing is
`complaints.services.complaint_submit`, the comment is `workflow.transition`."""

import hashlib
import math
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikesal.agencies.models import Category
from sikesal.complaints import selectors
from sikesal.complaints.models import (
    DESCRIPTION_MAX_LENGTH,
    IDEMPOTENCY_KEY_MAX_LENGTH,
    Complaint,
    ComplaintEvent,
    ReportType,
)
from sikesal.complaints.services import Location, complaint_submit
from sikesal.complaints.workflow import transition
from sikesal.intake.reporters import reporter_for_intake, reporter_identity_errors
from sikesal.open311 import georeport
from sikesal.open311.errors import Open311Error
from sikesal.open311.models import Open311Client, Open311Request

TITLE_MAX_LENGTH = Complaint._meta.get_field("title").max_length
TEXT_MAX_LENGTH = 200  # names, email, phone, attribute values
ADDRESS_MAX_LENGTH = Complaint._meta.get_field("address").max_length
EXTERNAL_ID_MAX_LENGTH = 100

POST_REQUESTS = "post_requests"
POST_UPDATES = "post_updates"


def open311_client(*, api_key: str, operation: str) -> Open311Client:
    """The active client whose key this is, allowed `operation`; else a GeoReport 403.
    Marks it used."""
    key_id = Open311Client.key_id_of(api_key or "")
    client = Open311Client.objects.filter(key_id=key_id).first() if key_id else None
    if client is None or not client.key_matches(api_key) or not client.is_usable:
        raise Open311Error(403, _("api_key tidak valid atau sudah dicabut."))
    allowed = client.can_post_requests if operation == POST_REQUESTS else client.can_post_updates
    if not allowed:
        raise Open311Error(403, _("Kunci ini tidak diizinkan untuk tindakan ini."))
    Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client


def _text(params, name: str, max_length: int = TEXT_MAX_LENGTH) -> str:
    value = params.get(name) or ""
    if not isinstance(value, str) or len(value) > max_length:
        raise Open311Error(400, _("Nilai %(name)s tidak valid.") % {"name": name})
    return value.strip()


def _coordinate(params, name: str, limit: int) -> Decimal | None:
    text = _text(params, name, 40)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > limit:
        raise Open311Error(400, _("Nilai %(name)s tidak valid.") % {"name": name})
    return Decimal(str(value))


def _choice(params, code: str, choices, default: str) -> str:
    value = _text(params, f"attribute[{code}]") or default
    if value not in choices:
        raise Open311Error(400, _("Nilai attribute[%(code)s] tidak dikenal.") % {"code": code})
    return value


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    token: str


def open311_request_create(*, client: Open311Client, params, idempotency_key: str = "") -> Filed:
    """File a GeoReport POST as a complaint of channel `open311:<client>` for a reporter
    without a login (Pasal 7: a name, and an email or a phone number), into the
    Secretariat's queue like any other. Raises Open311Error (400) for anything wrong;
    nothing is written then.

    `idempotency_key` (the client's Idempotency-Key header): the same request sent again
    gets the same complaint and token.
    """
    errors = []
    code = _text(params, "service_code", 40)
    category = Category.objects.filter(code=code, is_active=True).first() if code else None
    if category is None:
        errors.append(_("service_code tidak dikenal atau tidak aktif."))
    description = params.get("description")
    description = description.strip() if isinstance(description, str) else ""
    if not description:
        errors.append(_("description wajib diisi."))
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors.append(
            _("description paling banyak %(n)d karakter.") % {"n": DESCRIPTION_MAX_LENGTH}
        )
    first, last, name = (_text(params, f) for f in ("first_name", "last_name", "name"))
    full_name = name or " ".join(part for part in (first, last) if part)
    email, phone = _text(params, "email"), _text(params, "phone")
    errors.extend(reporter_identity_errors(full_name=full_name, email=email, mobile=phone).values())
    latitude = _coordinate(params, "lat", 90)
    longitude = _coordinate(params, "long", 180)
    if (latitude is None) != (longitude is None) or latitude is None:
        errors.append(_("lat dan long wajib diisi (titik lokasi di dalam wilayah kota)."))
    report_type = _choice(params, georeport.ATTRIBUTE_REPORT_TYPE, ReportType.values, "pengaduan")
    confidential = _choice(params, georeport.ATTRIBUTE_CONFIDENTIAL, georeport.YES_NO, "false")
    anonymous = _choice(params, georeport.ATTRIBUTE_ANONYMOUS, georeport.YES_NO, "false")
    title = _text(params, f"attribute[{georeport.ATTRIBUTE_TITLE}]", TITLE_MAX_LENGTH)
    address = _text(params, "address_string", ADDRESS_MAX_LENGTH)
    if errors:
        raise Open311Error(400, *errors)
    key = _idempotency_key(client, idempotency_key)
    try:
        with transaction.atomic():
            reporter = reporter_for_intake(full_name=full_name, email=email, mobile=phone)
            complaint = complaint_submit(
                reporter=reporter,
                report_type=report_type,
                category=category,
                title=title or _title_from(description),
                description=description,
                event_date=None,
                location=Location(latitude, longitude, None, address),
                is_confidential=georeport.YES_NO[confidential],
                is_anonymous=georeport.YES_NO[anonymous],
                channel=client.channel,
                idempotency_key=key,
                allow_unverified_reporter=True,
            )
            filed, _created = Open311Request.objects.get_or_create(
                complaint=complaint,
                defaults={"client": client, "token": secrets.token_urlsafe(18)},
            )
    except ValidationError as error:
        raise Open311Error(400, *error.messages) from None
    return Filed(complaint=complaint, token=filed.token)


def _idempotency_key(client: Open311Client, header: str) -> str:
    if not header:
        return ""
    digest = hashlib.sha256(f"{client.pk}:{header}".encode()).hexdigest()
    return f"open311:{digest}"[:IDEMPOTENCY_KEY_MAX_LENGTH]


def _title_from(description: str) -> str:
    """The first line of the description, cut at a word to fit a title."""
    line = description.strip().splitlines()[0].strip()
    if len(line) <= TITLE_MAX_LENGTH:
        return line
    cut = line[: TITLE_MAX_LENGTH - 1].rsplit(" ", 1)[0]
    return cut + "…"


def open311_request_for_token(token: str) -> Open311Request:
    if not token or len(token) > 40:
        raise Open311Error(404, _("Token tidak ditemukan."))
    found = Open311Request.objects.select_related("complaint").filter(token=token).first()
    if found is None:
        raise Open311Error(404, _("Token tidak ditemukan."))
    return found


def open311_update_create(*, client: Open311Client, params) -> ComplaintEvent:
    """Record a client's public comment on the complaint's timeline (`workflow`'s
    `comment`): on a complaint it filed, or on a public one; once per client's update_id.
    The commenter's name and email are not kept: the comment is public, they are not."""
    tracking = _text(params, "service_request_id", georeport.TRACKING_MAX_LENGTH).upper()
    description = params.get("description")
    if not isinstance(description, str) or not description.strip():
        raise Open311Error(400, _("description wajib diisi."))
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise Open311Error(
            400, _("description paling banyak %(n)d karakter.") % {"n": DESCRIPTION_MAX_LENGTH}
        )
    external_id = _text(params, "update_id", EXTERNAL_ID_MAX_LENGTH)
    complaint = (
        Complaint.objects.filter(tracking_number=tracking, channel=client.channel).first()
        or selectors.public_complaints().filter(tracking_number=tracking).first()
        if tracking
        else None
    )
    if complaint is None:
        raise Open311Error(404, _("service_request_id tidak ditemukan."))
    if external_id:
        done = complaint.events.filter(
            action="comment", data__channel=client.channel, data__external_id=external_id
        ).first()
        if done is not None:
            return done
    try:
        return transition(
            complaint,
            "comment",
            actor=None,
            note=description,
            channel=client.channel,
            via=_("Open311: %(client)s") % {"client": client.name},
            external_id=external_id,
        )
    except ValidationError as error:
        raise Open311Error(400, *error.messages) from None
