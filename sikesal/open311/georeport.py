"""What SIKESAL's records are in GeoReport v2 terms: services, service requests, their
updates (the mySociety extension), and the statuses; plus parsing the spec's parameters.

Everything here reads only what the public pages show (`selectors.public_complaints`, the
public timeline, `public_point`, `public_place`): never a reporter's identity, the
address or point the citizen gave, a confidential complaint or a non-public step.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from sikesal.agencies.models import Category
from sikesal.complaints import deadlines, selectors
from sikesal.complaints.models import (
    IN_HANDLING,
    Complaint,
    ComplaintEvent,
    ComplaintPhoto,
    DeclineReason,
    PhotoState,
    ReportType,
    Status,
)
from sikesal.complaints.selectors import Audience
from sikesal.complaints.timeline import event_label
from sikesal.core.links import absolute_url
from sikesal.open311.errors import Open311Error

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this implementation's interface last changed (discovery's changeset).
CHANGESET = "2026-12-05T00:00:00+07:00"

# GeoReport's two statuses from the status groups of complaints.models: open while the
# complaint is being handled, closed once the city has answered (or declined, or closed).
OPEN, CLOSED = "open", "closed"
STATUSES = (OPEN, CLOSED)


def georeport_status(status: str) -> str:
    return OPEN if status in IN_HANDLING else CLOSED


def statuses_filter(values: set[str]) -> Q:
    if values == {OPEN}:
        return Q(status__in=IN_HANDLING)
    if values == {CLOSED}:
        return ~Q(status__in=IN_HANDLING)
    return Q()


# The mySociety extension's statuses (FixMyStreet), after each step of the public timeline.
UPDATE_STATUSES = {
    Status.SUBMITTED: "OPEN",
    Status.IN_REVIEW: "INVESTIGATING",
    Status.NEEDS_CLARIFICATION: "INVESTIGATING",
    Status.ROUTED: "INVESTIGATING",
    Status.IN_PROGRESS: "IN_PROGRESS",
    Status.RESPONDED: "FIXED",
    Status.CLOSED: "CLOSED",
    Status.ARCHIVED: "CLOSED",
    Status.DECLINED: "NO_FURTHER_ACTION",
}
DECLINED_STATUSES = {
    DeclineReason.DUPLICATE: "DUPLICATE",
    DeclineReason.OUT_OF_SCOPE: "NOT_COUNCILS_RESPONSIBILITY",
}


def update_status(event: ComplaintEvent) -> str:
    status = event.to_status or event.from_status
    if status == Status.DECLINED:
        return DECLINED_STATUSES.get((event.data or {}).get("reason"), "NO_FURTHER_ACTION")
    return UPDATE_STATUSES.get(status, "OPEN")


def w3c(value: datetime | None) -> str | None:
    """ISO 8601 with the offset, in Asia/Jakarta: 2026-12-05T14:23:02+07:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def end_of_day(day: date | None) -> str | None:
    """A due date as the moment it runs out: its last second, Asia/Jakarta."""
    if day is None:
        return None
    moment = datetime.combine(day, time(23, 59, 59), tzinfo=timezone.get_default_timezone())
    return moment.isoformat(timespec="seconds")


# --- services --------------------------------------------------------------------------------

# The attributes every service takes (metadata=true), in their order; `values`: the keys
# accepted, and how each is named.
ATTRIBUTE_REPORT_TYPE = "report_type"
ATTRIBUTE_CONFIDENTIAL = "confidential"
ATTRIBUTE_ANONYMOUS = "anonymous"
ATTRIBUTE_TITLE = "title"
YES_NO = {"true": True, "false": False}


def services() -> QuerySet[Category]:
    """One service per active category."""
    return Category.objects.filter(is_active=True).select_related("default_agency")


def service(category: Category) -> dict:
    agency = category.default_agency
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": agency.name if agency is not None else "",
    }


def service_definition(category: Category) -> dict:
    yes_no = [
        {"key": "false", "name": _("Tidak")},
        {"key": "true", "name": _("Ya")},
    ]
    if category.is_sensitive:
        confidential = _("Kategori ini sensitif: pengaduan selalu dirahasiakan.")
    else:
        confidential = _("Rahasia: tidak pernah ditampilkan kepada publik. Bawaan: tidak.")
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": ATTRIBUTE_REPORT_TYPE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("Bawaan: pengaduan."),
                "order": 1,
                "description": _("Jenis laporan"),
                "values": [{"key": t.value, "name": str(t.label)} for t in ReportType],
            },
            {
                "variable": True,
                "code": ATTRIBUTE_TITLE,
                "datatype": "string",
                "required": False,
                "datatype_description": _(
                    "Paling banyak 150 karakter. Bawaan: baris pertama uraian."
                ),
                "order": 2,
                "description": _("Judul pengaduan"),
            },
            {
                "variable": True,
                "code": ATTRIBUTE_CONFIDENTIAL,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": confidential,
                "order": 3,
                "description": _("Rahasiakan pengaduan"),
                "values": yes_no,
            },
            {
                "variable": True,
                "code": ATTRIBUTE_ANONYMOUS,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _(
                    "Identitas pelapor disembunyikan dari OPD; Sekretariat tetap melihatnya. "
                    "Bawaan: tidak."
                ),
                "order": 4,
                "description": _("Anonim"),
                "values": yes_no,
            },
        ],
    }


# --- service requests ------------------------------------------------------------------------


REQUEST_FIELDS = (
    "tracking_number",
    "status",
    "title",
    "description",
    "submitted_at",
    "paused_on",
    *(clock.field for clock in deadlines.COMPLAINT_CLOCKS),
    "category__code",
    "category__name",
    *(
        f"{region}__{field}"
        for region in ("kelurahan", "kecamatan")
        for field in ("name", "centroid_lat", "centroid_lng")
    ),
)


def public_requests() -> QuerySet[Complaint]:
    """Public complaints with what a service request shows, in a constant number of
    queries: the active assignments (lead first), the public photos, and the time of the
    last public step (`last_public_at`)."""
    last_public = (
        ComplaintEvent.objects.filter(
            selectors.PUBLIC_AUDIENCE.event_filter(), complaint=OuterRef("pk")
        )
        .order_by()
        .values("complaint")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    return (
        selectors.public_complaints()
        # What `service_request` reads, no more: a kelurahan's outline alone is kilobytes
        # of GeoJSON, and the address and point the citizen gave are not for the public.
        .only(*REQUEST_FIELDS)
        .annotate(last_public_at=Subquery(last_public))
        .prefetch_related(selectors.handling_prefetch(), selectors.public_photos_prefetch())
    )


def service_request(complaint: Complaint) -> dict:
    """One public complaint as a GeoReport service request (from `public_requests`)."""
    point = selectors.public_point(complaint)
    agencies = [a.agency.name for a in complaint.handling_assignments]
    photos = complaint.public_photos
    expected = next(
        (
            due
            for clock, due in deadlines.running_clocks(complaint)
            if clock == deadlines.DECISION_CLOCK
        ),
        None,
    )
    return {
        "service_request_id": complaint.tracking_number,
        "status": georeport_status(complaint.status),
        "status_notes": str(Status(complaint.status).label),
        "service_name": complaint.category.name,
        "service_code": complaint.category.code,
        "description": f"{complaint.title}\n\n{complaint.description}",
        "agency_responsible": ", ".join(agencies) or None,
        "service_notice": None,
        "requested_datetime": w3c(complaint.submitted_at),
        "updated_datetime": w3c(complaint.last_public_at or complaint.submitted_at),
        "expected_datetime": end_of_day(expected),
        "address": selectors.public_place(complaint) or None,
        "address_id": None,
        "zipcode": None,
        "lat": point[0] if point else None,
        "long": point[1] if point else None,
        "media_url": absolute_url(photos[0].url) if photos else None,
    }


# --- updates (mySociety extension) -----------------------------------------------------------


def public_updates() -> QuerySet[ComplaintEvent]:
    """The public steps of public complaints, oldest first, with their photos."""
    return (
        ComplaintEvent.objects.filter(
            selectors.PUBLIC_AUDIENCE.event_filter(),
            complaint__in=selectors.public_complaints().values("pk"),
        )
        .select_related("complaint")
        .only(
            "action",
            "from_status",
            "to_status",
            "note",
            "data",
            "created_at",
            "complaint__tracking_number",
        )
        .prefetch_related(
            Prefetch("photos", queryset=ComplaintPhoto.objects.filter(state=PhotoState.READY))
        )
        .order_by("created_at", "pk")
    )


def request_update(event: ComplaintEvent) -> dict:
    photos = list(event.photos.all())
    return {
        "update_id": str(event.pk),
        "service_request_id": event.complaint.tracking_number,
        "status": update_status(event),
        "updated_datetime": w3c(event.created_at),
        "description": event.note or event_label(event, Audience.PUBLIC),
        "media_url": absolute_url(photos[0].url) if photos else None,
    }


# --- parameters ------------------------------------------------------------------------------

TRACKING_MAX_LENGTH = 20
LIST_MAX_ITEMS = 1000


def parse_moment(name: str, text: str | None) -> datetime | None:
    """A w3c date or datetime (a missing offset means Asia/Jakarta); None when not given."""
    if text is None:
        return None
    text = text.strip()
    try:
        moment = parse_datetime(text) if "T" in text or " " in text else None
        if moment is None:
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time.min)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, timezone.get_default_timezone())
        # Far enough from the calendar's ends that range arithmetic cannot overflow.
        moment.astimezone(UTC)
        if not 1900 <= moment.year <= 9000:
            raise ValueError
    except (ValueError, OverflowError, TypeError):
        raise Open311Error(
            400,
            _("%(name)s harus tanggal/waktu ISO 8601, mis. 2026-12-05T08:00:00+07:00.")
            % {"name": name},
        ) from None
    return moment


def date_range(params, *, default_days: int | None = None) -> tuple[datetime, datetime]:
    """start_date and end_date: by default the last SIKESAL_OPEN311_DEFAULT_DAYS days; one
    given alone spans that many days from (or to) it; no wider than that."""
    days = default_days or settings.SIKESAL_OPEN311_DEFAULT_DAYS
    start = parse_moment("start_date", params.get("start_date"))
    end = parse_moment("end_date", params.get("end_date"))
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - timedelta(days=days)
    if end is None:
        end = start + timedelta(days=days)
    if end < start:
        raise Open311Error(400, _("end_date harus sesudah start_date."))
    if end - start > timedelta(days=days):
        raise Open311Error(
            400,
            _("Rentang start_date sampai end_date paling lama %(days)d hari.") % {"days": days},
        )
    return start, end


def comma_list(name: str, text: str | None, *, max_length: int) -> list[str]:
    """A comma-delimited parameter's values, blanks dropped."""
    values = [v.strip() for v in (text or "").split(",") if v.strip()]
    if len(values) > LIST_MAX_ITEMS or any(len(v) > max_length for v in values):
        raise Open311Error(400, _("Nilai %(name)s tidak valid.") % {"name": name})
    return values


def status_values(text: str | None) -> set[str]:
    values = {v.lower() for v in comma_list("status", text, max_length=10)}
    if values - set(STATUSES):
        raise Open311Error(400, _("status hanya boleh open atau closed."))
    return values


REQUESTS_ORDER = ("-submitted_at", "-pk")
