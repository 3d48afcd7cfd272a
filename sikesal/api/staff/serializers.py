"""What the staff endpoints answer: the queue's rows (`complaints.queue.QueueRow`) and the
complaint as its staff page shows it (`complaints.staff_detail.StaffComplaintDetail`).

Read-only renderings of what those already decided: nothing here chooses what a reader
may see. The reporter's identity is in none of them (only `StaffIdentitySerializer`,
answered on request and logged).
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sikesal.complaints.models import PhotoState
from sikesal.complaints.workflow import TRANSITIONS


class StaffChoiceSerializer(serializers.Serializer):
    """A coded value and its label in the request's language."""

    code = serializers.CharField()
    label = serializers.CharField()


class StaffCodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class StaffAgencySerializer(StaffCodeNameSerializer):
    short_name = serializers.CharField()


class StaffClockSerializer(serializers.Serializer):
    """A deadline (`deadlines.Clock`): overdue from the day after `due`; `overdue_days` counts
    working days."""

    label = serializers.CharField()
    due = serializers.DateField()
    overdue = serializers.BooleanField()
    overdue_days = serializers.IntegerField(min_value=0)


def _choice(value, label) -> dict | None:
    if not value:
        return None
    return {"code": value, "label": str(label)}


def _code_name(obj) -> dict | None:
    return None if obj is None else {"code": obj.code, "name": obj.name}


def _agency(agency) -> dict:
    return {"code": agency.code, "name": agency.name, "short_name": agency.short_name}


class StaffQueueAssignmentSerializer(serializers.Serializer):
    """Agency staff's queue: the assignment a row is."""

    agency = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    is_lead = serializers.BooleanField(source="assignment.is_lead")
    register_number = serializers.CharField(source="assignment.register_number")
    first_followup_deadline = StaffClockSerializer(source="followup", allow_null=True)

    @extend_schema_field(StaffAgencySerializer)
    def get_agency(self, row) -> dict:
        return _agency(row.assignment.agency)

    @extend_schema_field(StaffChoiceSerializer)
    def get_status(self, row) -> dict:
        return _choice(row.assignment.status, row.assignment.get_status_display())


class StaffQueueRowSerializer(serializers.Serializer):
    """One row of the queue: a complaint (Secretariat, executives) or one of the user's
    agencies' assignments (agency staff, `assignment` set)."""

    tracking_number = serializers.CharField(source="complaint.tracking_number")
    title = serializers.CharField(source="complaint.title")
    status = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    kecamatan = serializers.SerializerMethodField()
    agencies = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(source="complaint.submitted_at")
    age_days = serializers.IntegerField()
    returned = serializers.BooleanField(help_text="Handed back by an agency, back in review.")
    clock_stopped = serializers.SerializerMethodField(
        help_text="The clocks wait for the reporter's clarification."
    )
    deadline = StaffClockSerializer(
        source="clock",
        allow_null=True,
        help_text="The earliest running deadline (agency staff: their answer's).",
    )
    overdue = serializers.SerializerMethodField(help_text="Flagged overdue on the queue page.")
    assignment = serializers.SerializerMethodField()

    @extend_schema_field(StaffChoiceSerializer)
    def get_status(self, row) -> dict:
        return _choice(row.complaint.status, row.complaint.get_status_display())

    @extend_schema_field(StaffCodeNameSerializer)
    def get_category(self, row) -> dict:
        return _code_name(row.complaint.category)

    @extend_schema_field(StaffCodeNameSerializer(allow_null=True))
    def get_kecamatan(self, row) -> dict | None:
        return _code_name(row.complaint.kecamatan)

    @extend_schema_field(StaffAgencySerializer(many=True))
    def get_agencies(self, row) -> list[dict]:
        if row.assignment is not None:
            return [_agency(row.assignment.agency)]
        return [_agency(agency) for agency in row.agencies]

    def get_clock_stopped(self, row) -> bool:
        return row.complaint.paused_on is not None

    def get_overdue(self, row) -> bool:
        return bool((row.clock and row.clock.overdue) or (row.followup and row.followup.overdue))

    @extend_schema_field(StaffQueueAssignmentSerializer(allow_null=True))
    def get_assignment(self, row) -> dict | None:
        if row.assignment is None:
            return None
        return StaffQueueAssignmentSerializer(row).data


# --- the complaint ---------------------------------------------------------------------------


class StaffPhotoSerializer(serializers.Serializer):
    """A photo, served by GET /api/v1/photos/{id}/ (with the same token) to whoever may
    see it."""

    id = serializers.IntegerField(source="pk")
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    # pending: not re-encoded yet (the URLs answer 404 until ready); failed: `failure` says why.
    state = serializers.ChoiceField(choices=PhotoState.choices)
    failure = serializers.CharField()

    def _absolute(self, name: str, photo) -> str:
        path = reverse(name, args=[photo.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, photo) -> str:
        return self._absolute("api:citizen-photo", photo)

    @extend_schema_field(OpenApiTypes.URI)
    def get_thumbnail_url(self, photo) -> str:
        return self._absolute("api:citizen-photo-thumbnail", photo)


class StaffDetailSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class StaffTimelineEntrySerializer(serializers.Serializer):
    """One step of the timeline as the staff page tells it (`timeline.TimelineEntry`):
    officers' names only of the Secretariat and of the reader's own agencies, never the
    reporter's."""

    action = serializers.CharField()
    label = serializers.CharField()
    when = serializers.DateTimeField()
    actor = serializers.CharField()
    status = serializers.SerializerMethodField(help_text="The status it moved to; null if none.")
    visibility = serializers.SerializerMethodField()
    note = serializers.CharField()
    details = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    @extend_schema_field(StaffChoiceSerializer(allow_null=True))
    def get_status(self, entry) -> dict | None:
        return _choice(entry.event.to_status, entry.status) if entry.status else None

    @extend_schema_field(StaffChoiceSerializer)
    def get_visibility(self, entry) -> dict:
        return _choice(entry.event.visibility, entry.visibility)

    @extend_schema_field(StaffDetailSerializer(many=True))
    def get_details(self, entry) -> list[dict]:
        return [{"label": label, "value": value} for label, value in entry.details]

    @extend_schema_field(StaffPhotoSerializer(many=True))
    def get_photos(self, entry) -> list:
        if entry.action == "submit":
            return []  # the submission's photos are the complaint's `photos`
        return StaffPhotoSerializer(entry.photos, many=True, context=self.context).data


class StaffAssignmentSerializer(serializers.Serializer):
    """An assignment as the complaint page shows it: another agency's without its
    instructions, register, officers or reason for handing it back."""

    agency = serializers.SerializerMethodField()
    is_lead = serializers.BooleanField(source="assignment.is_lead")
    mine = serializers.BooleanField(help_text="An assignment of the reader's own agency.")
    status = serializers.SerializerMethodField()
    routed_at = serializers.DateTimeField(source="assignment.routed_at")
    routed_by = serializers.SerializerMethodField()
    instructions = serializers.SerializerMethodField()
    first_followup_at = serializers.DateTimeField(
        source="assignment.first_followup_at", allow_null=True
    )
    first_followup_deadline = StaffClockSerializer(source="followup", allow_null=True)
    register_number = serializers.SerializerMethodField()
    received_by = serializers.SerializerMethodField()
    received_at = serializers.SerializerMethodField()
    response = serializers.CharField(source="assignment.response")
    responded_at = serializers.DateTimeField(source="assignment.responded_at", allow_null=True)
    responded_by = serializers.SerializerMethodField()
    return_reason = serializers.SerializerMethodField()

    @extend_schema_field(StaffAgencySerializer)
    def get_agency(self, row) -> dict:
        return _agency(row.assignment.agency)

    @extend_schema_field(StaffChoiceSerializer)
    def get_status(self, row) -> dict:
        return _choice(row.assignment.status, row.assignment.get_status_display())

    def get_routed_by(self, row) -> str:
        person = row.assignment.routed_by
        return person.full_name if person else ""

    def get_instructions(self, row) -> str | None:
        return row.assignment.instructions if row.own_work else None

    def get_register_number(self, row) -> str | None:
        return row.assignment.register_number if row.own_work else None

    def get_received_by(self, row) -> str | None:
        person = row.assignment.received_by
        return person.full_name if row.own_work and person else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_received_at(self, row):
        value = row.assignment.received_at if row.own_work else None
        return serializers.DateTimeField().to_representation(value) if value else None

    def get_responded_by(self, row) -> str | None:
        a = row.assignment
        if not a.response:
            return None
        if row.own_work:
            return a.responded_by.full_name if a.responded_by else ""
        return a.agency.short_name or a.agency.name

    def get_return_reason(self, row) -> str | None:
        return row.assignment.return_reason if row.own_work else None


class StaffActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(TRANSITIONS))
    label = serializers.CharField()
    assignment_agency = serializers.CharField(
        allow_null=True, help_text="The agency's assignment it acts on; null: the complaint."
    )


class StaffReporterSerializer(serializers.Serializer):
    anonymous = serializers.BooleanField(help_text="Identity hidden from the agencies.")
    identity_available = serializers.BooleanField(
        help_text="This user may open the identity on request (POST .../identity/, logged)."
    )


class StaffLocationSerializer(serializers.Serializer):
    kelurahan = StaffCodeNameSerializer(allow_null=True)
    kecamatan = StaffCodeNameSerializer(allow_null=True)
    address = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)


class StaffDeclineSerializer(serializers.Serializer):
    reason = StaffChoiceSerializer()
    referral = StaffChoiceSerializer(allow_null=True)
    message = serializers.CharField()


class StaffComplaintRefSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    title = serializers.CharField()


class StaffDeadlinesSerializer(serializers.Serializer):
    handling = StaffClockSerializer(many=True, help_text="The complaint's own clocks.")
    citizen = StaffClockSerializer(
        many=True, help_text="The reporter's clarification and rating clocks: never flagged."
    )
    stopped_since = serializers.DateField(
        allow_null=True, help_text="Clocks stopped, waiting for the reporter's clarification."
    )


class StaffComplaintSerializer(serializers.Serializer):
    """A complaint as /staf/pengaduan/<tracking>/ shows it to the reader
    (`complaints.staff_detail.StaffComplaintDetail`)."""

    tracking_number = serializers.CharField(source="complaint.tracking_number")
    title = serializers.CharField(source="complaint.title")
    report_type = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    is_confidential = serializers.BooleanField(source="complaint.is_confidential")
    category = serializers.SerializerMethodField()
    channel = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(source="complaint.submitted_at")
    event_date = serializers.DateField(source="complaint.event_date", allow_null=True)
    description = serializers.CharField(source="complaint.description")
    location = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    decline = serializers.SerializerMethodField()
    duplicate_of = serializers.SerializerMethodField()
    duplicates = serializers.SerializerMethodField()
    rating = serializers.IntegerField(
        source="complaint.rating", min_value=1, max_value=5, allow_null=True
    )
    rating_comment = serializers.CharField(source="complaint.rating_comment")
    objection_count = serializers.IntegerField(source="complaint.objection_count")
    deadlines = serializers.SerializerMethodField()
    reporter = serializers.SerializerMethodField()
    assignments = StaffAssignmentSerializer(source="assignment_rows", many=True)
    allowed_actions = serializers.SerializerMethodField()
    timeline = StaffTimelineEntrySerializer(many=True)

    @extend_schema_field(StaffChoiceSerializer)
    def get_report_type(self, detail) -> dict:
        c = detail.complaint
        return _choice(c.report_type, c.get_report_type_display())

    @extend_schema_field(StaffChoiceSerializer)
    def get_status(self, detail) -> dict:
        return _choice(detail.complaint.status, detail.complaint.get_status_display())

    @extend_schema_field(StaffCodeNameSerializer)
    def get_category(self, detail) -> dict:
        return _code_name(detail.complaint.category)

    @extend_schema_field(StaffChoiceSerializer)
    def get_channel(self, detail) -> dict:
        return _choice(detail.complaint.channel, detail.complaint.channel_label)

    @extend_schema_field(StaffLocationSerializer)
    def get_location(self, detail) -> dict:
        c = detail.complaint
        return {
            "kelurahan": _code_name(c.kelurahan),
            "kecamatan": _code_name(c.kecamatan),
            "address": c.address,
            "latitude": None if c.latitude is None else float(c.latitude),
            "longitude": None if c.longitude is None else float(c.longitude),
        }

    @extend_schema_field(StaffPhotoSerializer(many=True))
    def get_photos(self, detail) -> list:
        return StaffPhotoSerializer(detail.submission_photos, many=True, context=self.context).data

    @extend_schema_field(StaffDeclineSerializer(allow_null=True))
    def get_decline(self, detail) -> dict | None:
        c = detail.complaint
        if not c.decline_reason:
            return None
        return {
            "reason": _choice(c.decline_reason, c.get_decline_reason_display()),
            "referral": _choice(c.referral, c.get_referral_display()),
            "message": c.decline_message,
        }

    @extend_schema_field(StaffComplaintRefSerializer(allow_null=True))
    def get_duplicate_of(self, detail) -> dict | None:
        original = detail.duplicate_of
        if original is None:
            return None
        return {"tracking_number": original.tracking_number, "title": original.title}

    @extend_schema_field(StaffComplaintRefSerializer(many=True))
    def get_duplicates(self, detail) -> list[dict]:
        return [{"tracking_number": d.tracking_number, "title": d.title} for d in detail.duplicates]

    @extend_schema_field(StaffDeadlinesSerializer)
    def get_deadlines(self, detail) -> dict:
        return StaffDeadlinesSerializer(
            {
                "handling": detail.clocks.handling,
                "citizen": detail.clocks.citizen,
                "stopped_since": detail.complaint.paused_on,
            }
        ).data

    @extend_schema_field(StaffReporterSerializer)
    def get_reporter(self, detail) -> dict:
        return {
            "anonymous": detail.complaint.is_anonymous,
            "identity_available": detail.can_identify,
        }

    @extend_schema_field(StaffActionSerializer(many=True))
    def get_allowed_actions(self, detail) -> list[dict]:
        return [
            {
                "action": name,
                "label": str(TRANSITIONS[name].label),
                "assignment_agency": assignment.agency.code if assignment else None,
            }
            for name, assignment in detail.actions.items()
        ]


class StaffIdentityRequestSerializer(serializers.Serializer):
    purpose = serializers.CharField(
        max_length=200, help_text="Why the identity is opened; kept with every look."
    )


class StaffIdentitySerializer(serializers.Serializer):
    """The reporter's identity, as the page shows it on request."""

    full_name = serializers.CharField()
    email = serializers.CharField()
    mobile = serializers.CharField(source="mobile_display")
