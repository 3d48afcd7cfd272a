"""A complaint's timeline as each of its three audiences reads it: staff, its reporter and
the public.

`selectors.timeline` decides which events an audience (`selectors.Audience`) may read; this
module decides how each is told: in whose words the step is named, and who is said to have
taken it. Only staff read an officer's name, and only of the Secretariat and of the
agencies whose work they read; not even they read the reporter's (shown on request only,
and logged). The reporter, the public and another agency's staff read a role or an agency.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sikesal.agencies.models import Agency
from sikesal.complaints import deadlines, selectors
from sikesal.complaints.models import (
    AWAITING_SECRETARIAT,
    WITH_AGENCIES,
    Channel,
    Complaint,
    ComplaintEvent,
    ComplaintPhoto,
    DeclineReason,
    Referral,
    Status,
    Visibility,
)
from sikesal.complaints.selectors import Audience
from sikesal.complaints.workflow import TRANSITIONS

# The citizen's and the public pages' audiences; the staff's depends on who reads
# (`selectors.staff_audience`).
REPORTER = selectors.REPORTER_AUDIENCE
PUBLIC = selectors.PUBLIC_AUDIENCE

# The staff read the workflow's labels (their buttons); these are the other audiences' words.
LABELS = {
    Audience.STAFF: {
        "submit": _("Pengaduan diajukan"),
        # sikesal.intake.reporters.reporter_claim: an internal step.
        "claim": _("Pelapor mengklaim pengaduan ini dengan akun terdaftarnya"),
    },
    Audience.REPORTER: {
        "submit": _("Pengaduan diajukan"),
        "review": _("Mulai ditelaah Sekretariat Pengaduan"),
        "request_clarification": _("Sekretariat meminta klarifikasi"),
        "answer_clarification": _("Anda menjawab klarifikasi"),
        "decline": _("Pengaduan tidak ditindaklanjuti"),
        "route": _("Disalurkan ke OPD"),
        "accept": _("Diterima dan dicatat di register OPD"),
        "return": _("OPD mengembalikan pengaduan ke Sekretariat"),
        "update": _("Perkembangan tindak lanjut"),
        "comment": _("Komentar"),
        "respond": _("Hasil penanganan dikirim"),
        "rate": _("Anda memberi penilaian"),
        "object": _("Anda mengajukan keberatan"),
        "close": _("Pengaduan selesai"),
    },
    Audience.PUBLIC: {
        "submit": _("Pengaduan diajukan"),
        "route": _("Disalurkan ke OPD"),
        "accept": _("Diterima dan dicatat OPD"),
        "update": _("Perkembangan tindak lanjut"),
        "comment": _("Komentar"),
        "respond": _("Hasil penanganan"),
        "close": _("Selesai"),
    },
}
# Who took a step, for those who read no names (staff: on another agency's steps).
ROLE_NAMES = {
    Audience.STAFF: {
        "reporter": _("Pelapor"),
        "secretariat": _("Sekretariat Pengaduan"),
        "system": _("Sistem"),
    },
    Audience.REPORTER: {
        "reporter": _("Anda"),
        "secretariat": _("Sekretariat Pengaduan"),
        "system": _("Sistem"),
    },
    Audience.PUBLIC: {
        "reporter": _("Pelapor"),
        "secretariat": _("Sekretariat Pengaduan"),
        "system": _("Sistem SIKESAL"),
    },
}
STAFF_ROLES = {
    "secretariat": _("Sekretariat Pengaduan"),
    "agency": _("OPD"),
}
VISIBILITY_BADGES = {
    Visibility.INTERNAL: _("Internal"),
    Visibility.REPORTER: _("Terlihat pelapor"),
    Visibility.PUBLIC: _("Publik"),
}


@dataclass(frozen=True)
class TimelineEntry:
    """One step of a complaint as one audience reads it.

    Pages show `actor`, never `event.actor`: only the staff's entries name a person.
    """

    event: ComplaintEvent
    label: str
    actor: str
    status: str  # the status the step moved the complaint to; "" when it stayed
    photos: list[ComplaintPhoto]
    # Staff only: who may read the step, and what it recorded beyond its note.
    internal: bool = False
    visibility: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)

    @property
    def action(self) -> str:
        return self.event.action

    @property
    def when(self) -> datetime:
        return self.event.created_at

    @property
    def note(self) -> str:
        return self.event.note

    @property
    def rating(self) -> int | None:
        return (self.event.data or {}).get("rating")


def timeline_entries(complaint: Complaint, *, audience: Audience) -> list[TimelineEntry]:
    """The steps of `complaint` that `audience` may read, oldest first, in that audience's
    words."""
    staff = audience.kind == Audience.STAFF
    entries = []
    for event in selectors.timeline(complaint, audience=audience):
        moved = event.to_status and event.to_status != event.from_status
        # Another agency's public steps: what it did, not who did it nor what it recorded.
        # A filing at an agency's own counter is that agency's step.
        counter = _counter_agency(event)
        own_work = audience.reads_work_of(
            counter.pk if counter else selectors.event_agency_id(event)
        )
        entries.append(
            TimelineEntry(
                event=event,
                label=_label(event, audience.kind),
                actor=_staff_actor(event) if own_work else _role_or_agency(event, audience.kind),
                status=event.get_to_status_display() if moved else "",
                # The public sees a photo once it is ready; staff and the reporter see
                # the others' state in its place.
                photos=[
                    photo
                    for photo in event.photos.all()
                    if photo.is_ready or audience.kind != Audience.PUBLIC
                ],
                internal=staff and event.visibility == Visibility.INTERNAL,
                visibility=str(VISIBILITY_BADGES[event.visibility]) if staff else "",
                details=_details(event) if own_work else [],
            )
        )
    return entries


def event_label(event: ComplaintEvent, kind: str) -> str:
    """How `kind`'s audience names the step (`Audience.PUBLIC`: "Disalurkan ke OPD")."""
    return _label(event, kind)


def _label(event: ComplaintEvent, kind: str) -> str:
    if channel := _entered_through(event):
        # Everyone reads how a complaint entered by an officer came in (not who entered it).
        return gettext("Pengaduan diajukan melalui %(channel)s") % {"channel": channel}
    if kind != Audience.STAFF and event.action in LABELS[kind]:
        return str(LABELS[kind][event.action])
    if spec := TRANSITIONS.get(event.action):
        return str(spec.label)
    return str(LABELS[kind].get(event.action, event.action))


def _entered_through(event: ComplaintEvent) -> str:
    """The channel's name when an officer filed the complaint on the reporter's behalf
    (assisted intake: the filing's actor is not the reporter), else ""."""
    channel = (event.data or {}).get("channel", "")
    if event.action != "submit" or event.actor_role == "reporter" or channel == Channel.WEB:
        return ""
    return str(Channel(channel).label) if channel in Channel.values else ""


def _counter_agency(event: ComplaintEvent) -> Agency | None:
    """The agency at whose own counter its officer filed the complaint, if that is how
    (looked up once per event: a complaint has one filing)."""
    if not hasattr(event, "_counter_agency"):
        code = (event.data or {}).get("counter") if event.action == "submit" else None
        event._counter_agency = Agency.objects.filter(code=code).first() if code else None
    return event._counter_agency


def _role_or_agency(event: ComplaintEvent, kind: str) -> str:
    if via := _via(event):
        return via
    if event.actor_role == "agency" and event.assignment is not None:
        return event.assignment.agency.name
    if event.actor_role == "agency" and (agency := _counter_agency(event)):
        return agency.name
    names = ROLE_NAMES[kind]
    return str(names.get(event.actor_role, names["system"]))


def _staff_actor(event: ComplaintEvent) -> str:
    # The reporter is "Pelapor" on every staff page: their name is shown only on request.
    if event.actor_role == "reporter":
        return str(_("Pelapor"))
    if event.actor_id is None:
        return _via(event) or str(_("Sistem"))
    name = event.actor.full_name or event.actor.username
    if event.actor_role == "agency" and event.assignment_id:
        agency = event.assignment.agency
        return f"{name} ({agency.short_name or agency.name})"
    if event.actor_role == "agency" and (agency := _counter_agency(event)):
        return f"{name} ({agency.short_name or agency.name})"
    if event.actor_role in STAFF_ROLES:
        return f"{name} ({STAFF_ROLES[event.actor_role]})"
    return name


def _via(event: ComplaintEvent) -> str:
    """Where a system's step came from ("Open311: FixMyStreet"), when another system sent it."""
    return str((event.data or {}).get("via") or "") if event.actor_id is None else ""


def _details(event: ComplaintEvent) -> list[tuple[str, str]]:
    """What a step recorded beyond its note, for the staff: register number, reasons."""
    data = event.data or {}
    details = []
    if number := data.get("register_number"):
        details.append((str(_("Nomor register")), number))
    if reason := data.get("reason"):
        label = DeclineReason(reason).label if reason in DeclineReason.values else reason
        details.append((str(_("Alasan")), str(label)))
    if referral := data.get("referral"):
        label = Referral(referral).label if referral in Referral.values else referral
        details.append((str(_("Disarankan ke")), str(label)))
    if original := data.get("duplicate_of"):
        details.append((str(_("Duplikat dari")), original))
    if "old" in data and "new" in data:
        details.append((str(_("Kategori")), f"{data['old']} → {data['new']}"))
    if due := data.get("clarification_due"):
        details.append((str(_("Batas klarifikasi")), due))
    if (received := data.get("received_on")) and event.action == "submit":
        details.append(
            (str(_("Tanggal diterima")), date_format(date.fromisoformat(received), "j F Y"))
        )
    return details


def reporter_hint(complaint: Complaint, today: date) -> str:
    """What the citizen waits for, or is waited for, and until when (one line under each of
    their complaints: /saya/ and the API)."""

    def on(day: date) -> str:
        return date_format(day, "j F Y")

    if complaint.status == Status.NEEDS_CLARIFICATION:
        if complaint.clarification_due:
            return gettext("Menunggu jawaban Anda, paling lambat %(date)s.") % {
                "date": on(complaint.clarification_due)
            }
        return gettext("Menunggu jawaban Anda.")
    if complaint.status == Status.RESPONDED:
        if complaint.rating_due:
            return gettext("Beri penilaian atau ajukan keberatan paling lambat %(date)s.") % {
                "date": on(complaint.rating_due)
            }
        return gettext("Beri penilaian atau ajukan keberatan.")
    if complaint.status in AWAITING_SECRETARIAT and complaint.review_due:
        return gettext("Ditelaah Sekretariat paling lambat %(date)s.") % {
            "date": on(complaint.review_due)
        }
    if complaint.status in WITH_AGENCIES and complaint.decision_due:
        if deadlines.is_overdue(complaint.decision_due, today):
            return gettext("Melewati batas penyelesaian %(date)s.") % {
                "date": on(complaint.decision_due)
            }
        return gettext("Diselesaikan OPD paling lambat %(date)s.") % {
            "date": on(complaint.decision_due)
        }
    return ""
