"""What the agencies handling one complaint read of each other's work.

The rule (docs/workflow.md, "Who reads what"): the Secretariat and executives read
everything. An agency's staff read what the reporter or the public may read, the
Secretariat's work, and their own agency's internal work: its internal notes and updates and
their photos, the Secretariat's instructions to it, its register number, its officers and
its reason for returning a complaint. Never another agency's, neither while both handle the
complaint nor after one has handed it back.

The matrix test generates, from that rule, what every reader may read of every kind of step
the workflow writes (every action of `TRANSITIONS`, the filing, their photos, and the
records an agency keeps on its assignment), and checks it against the page each reader
opens (the staff console, the reporter's page, the public page) and `/foto/<id>/`.
"""

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from sikesal.accounts.models import Role
from sikesal.agencies.models import Agency
from sikesal.complaints.models import (
    AssignmentStatus,
    Complaint,
    ComplaintEvent,
    ComplaintPhoto,
    Status,
    Visibility,
)
from sikesal.complaints.tests.conftest import (
    People,
    file_complaint,
    member,
    stored_photo,
    worker_prepares_photos,
)
from sikesal.complaints.tests.test_staff_console import photo_upload, route_post
from sikesal.complaints.workflow import TRANSITIONS, Route, transition

pytestmark = pytest.mark.django_db

INTERNAL, REPORTER, PUBLIC = Visibility.INTERNAL, Visibility.REPORTER, Visibility.PUBLIC


# --- the readers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    """Someone reading a complaint: staff on the console, its reporter on their page, an
    anonymous visitor on the public page."""

    name: str
    person: str | None  # attribute of `World.people`; None: not signed in
    agency: str | None = None  # the agency code of agency staff
    oversees: bool = False  # the Secretariat and executives

    @property
    def staff(self) -> bool:
        return self.oversees or self.agency is not None


# Story "shared": Dinas PUPR leads (the acting agency), DLH handles it too, Dishub accepts
# and hands it back. Story "rerouted": PUPR works on it, hands it back, and the Secretariat
# routes it to DLH. Story "declined": no agency ever sees it.
READERS = [
    Reader("secretariat", "secretariat", oversees=True),
    Reader("executive", "executive", oversees=True),
    Reader("acting-agency-officer", "officer", agency="dpupr"),
    Reader("acting-agency-head", "head", agency="dpupr"),
    Reader("co-handling-agency-officer", "dlh_officer", agency="dlh"),
    Reader("agency-that-returned-it", "dishub_officer", agency="dishub"),
    Reader("reporter", "reporter"),
    Reader("anonymous-visitor", None),
]


# --- the facts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One thing a page may show, found by a text that appears nowhere else on that page: a
    step's note, or a record an agency keeps (register number, officer, instructions,
    return reason)."""

    story: str
    name: str
    kind: str  # the workflow action, "submit", or the record's name
    marker: str
    owner: str | None  # the agency whose work it is; None: the Secretariat's or the citizen's
    visibility: str  # which citizens read it: PUBLIC, REPORTER, or INTERNAL (none)
    agency_work: bool  # staff: only the Secretariat, executives and the owner read it
    photo: ComplaintPhoto | None = None


@dataclass
class World:
    people: People
    complaints: dict[str, Complaint] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    # Staff readers who may open each story's complaint; whether it is on the public pages.
    openers: dict[str, set[str]] = field(default_factory=dict)
    public: dict[str, bool] = field(default_factory=dict)


class Story:
    """Writes one complaint's steps through the workflow and records each as a Fact."""

    def __init__(self, world: World, name: str) -> None:
        self.world = world
        self.name = name

    def marker(self, step: str) -> str:
        return f"[{self.name}:{step}]"

    def file(self, *, photo: bool = False) -> Complaint:
        people = self.world.people
        photos = [stored_photo(people.reporter, colour="red")] if photo else []
        complaint = file_complaint(
            people, description=f"Lubang besar. {self.marker('submit')}", photos=photos
        )
        self.world.complaints[self.name] = complaint
        event = complaint.events.get(action="submit")
        self.fact("submit", "submit", event, owner=None, visibility=PUBLIC)
        return complaint

    def step(
        self,
        name: str,
        action: str,
        actor,
        *,
        visibility: str,
        owner: str | None = None,
        assignment=None,
        photo: bool = False,
        **payload,
    ) -> ComplaintEvent:
        """Take `action` with a marked note; `visibility`: the event's, as the table says."""
        complaint = self.world.complaints[self.name]
        if photo:
            payload["photos"] = [stored_photo(actor, colour="blue")]
        event = transition(
            complaint,
            action,
            actor=actor,
            assignment=assignment,
            note=self.marker(name),
            **payload,
        )
        assert event.visibility == visibility, name
        self.fact(name, action, event, owner=owner, visibility=visibility)
        return event

    def fact(self, name, kind, event, *, owner, visibility) -> None:
        photos = list(event.photos.all())
        self.world.facts.append(
            Fact(
                story=self.name,
                name=name,
                kind=kind,
                marker=self.marker(name),
                owner=owner,
                visibility=visibility,
                agency_work=visibility == INTERNAL and owner is not None,
                photo=photos[0] if photos else None,
            )
        )

    def record(self, name: str, marker: str, *, owner: str, visibility: str = INTERNAL) -> None:
        """A record an agency keeps (its work, whoever else reads the event it came with)."""
        self.world.facts.append(
            Fact(self.name, name, name.split("-")[0], marker, owner, visibility, True)
        )


def _assignment(complaint: Complaint, code: str):
    return complaint.assignments.exclude(status=AssignmentStatus.RETURNED).get(agency__code=code)


def _accept(story: Story, officer, code: str, *, active_at_the_end: bool) -> None:
    complaint = story.world.complaints[story.name]
    assignment = _assignment(complaint, code)
    story.step(
        f"accept-{code}",
        "accept",
        officer,
        visibility=PUBLIC,
        owner=code,
        assignment=assignment,
    )
    assignment.refresh_from_db()
    # The reporter's page lists the register numbers of the agencies handling it now.
    story.record(
        f"register_number-{code}",
        assignment.register_number,
        owner=code,
        visibility=REPORTER if active_at_the_end else INTERNAL,
    )
    story.record(f"officer-{code}", officer.full_name, owner=code)


def _route(story: Story, *codes: str) -> None:
    people = story.world.people
    agencies = Agency.objects.in_bulk(codes, field_name="code")
    routes = [
        Route(agencies[code], is_lead=index == 0, instructions=story.marker(f"instructions-{code}"))
        for index, code in enumerate(codes)
    ]
    story.step(
        f"route-{'-'.join(codes)}", "route", people.secretariat, visibility=PUBLIC, routes=routes
    )
    for code in codes:
        story.record(f"instructions-{code}", story.marker(f"instructions-{code}"), owner=code)


def shared_story(world: World) -> None:
    """Co-handled by PUPR (leading) and DLH; Dishub accepts, works and hands it back. Every
    action of the workflow but decline, return-to-review and close; ends archived."""
    p = world.people
    story = Story(world, "shared")
    complaint = story.file(photo=True)
    story.step("review", "review", p.secretariat, visibility=REPORTER)
    story.step("request_clarification", "request_clarification", p.secretariat, visibility=REPORTER)
    story.step(
        "answer_clarification", "answer_clarification", p.reporter, visibility=REPORTER, photo=True
    )
    story.step(
        "change_category", "change_category", p.secretariat, visibility=INTERNAL, category=p.waste
    )
    story.step("note-secretariat", "note", p.secretariat, visibility=INTERNAL)
    _route(story, "dpupr", "dlh", "dishub")
    pupr, dishub_officer = _assignment(complaint, "dpupr"), world.people.dishub_officer
    _accept(story, p.officer, "dpupr", active_at_the_end=True)
    story.step("note-dpupr", "note", p.officer, visibility=INTERNAL, owner="dpupr", assignment=pupr)
    story.step(
        "update-public-dpupr",
        "update",
        p.officer,
        visibility=PUBLIC,
        owner="dpupr",
        assignment=pupr,
        photo=True,
    )
    story.step(
        "update-internal-dpupr",
        "update",
        p.officer,
        visibility=INTERNAL,
        owner="dpupr",
        assignment=pupr,
        photo=True,
        public=False,
    )
    dishub = _assignment(complaint, "dishub")
    _accept(story, dishub_officer, "dishub", active_at_the_end=False)
    story.step(
        "update-internal-dishub",
        "update",
        dishub_officer,
        visibility=INTERNAL,
        owner="dishub",
        assignment=dishub,
        photo=True,
        public=False,
    )
    # The others still handle it and its state stays: the return is Dishub's internal work.
    story.step(
        "return-dishub",
        "return",
        dishub_officer,
        visibility=INTERNAL,
        owner="dishub",
        assignment=dishub,
    )
    dlh = _assignment(complaint, "dlh")
    _accept(story, p.dlh_officer, "dlh", active_at_the_end=True)
    story.step("note-dlh", "note", p.dlh_officer, visibility=INTERNAL, owner="dlh", assignment=dlh)
    story.step(
        "respond-dpupr",
        "respond",
        p.officer,
        visibility=PUBLIC,
        owner="dpupr",
        assignment=pupr,
        photo=True,
    )
    story.step(
        "respond-dlh", "respond", p.dlh_officer, visibility=PUBLIC, owner="dlh", assignment=dlh
    )
    # A connected system's public comment (Open311): everyone reads it.
    story.step(
        "comment", "comment", None, visibility=PUBLIC, channel="open311:fms", via="Open311: FMS"
    )
    story.step("object", "object", p.reporter, visibility=REPORTER)
    story.step(
        "respond-again-dpupr",
        "respond",
        p.officer,
        visibility=PUBLIC,
        owner="dpupr",
        assignment=pupr,
    )
    story.step(
        "respond-again-dlh",
        "respond",
        p.dlh_officer,
        visibility=PUBLIC,
        owner="dlh",
        assignment=dlh,
    )
    story.step("rate", "rate", p.reporter, visibility=REPORTER, rating=4)
    story.step("archive", "archive", None, visibility=INTERNAL)
    world.openers["shared"] = {
        "secretariat",
        "executive",
        "acting-agency-officer",
        "acting-agency-head",
        "co-handling-agency-officer",
    }
    world.public["shared"] = True


def rerouted_story(world: World) -> None:
    """PUPR accepts and works on it, hands it back (the last agency: back to the
    Secretariat, the reporter told), and the Secretariat routes it to DLH, which answers;
    closed by the system."""
    p = world.people
    story = Story(world, "rerouted")
    complaint = story.file()
    transition(complaint, "review", actor=p.secretariat)
    _route(story, "dpupr")
    pupr = _assignment(complaint, "dpupr")
    _accept(story, p.officer, "dpupr", active_at_the_end=False)
    story.step("note-dpupr", "note", p.officer, visibility=INTERNAL, owner="dpupr", assignment=pupr)
    story.step(
        "update-internal-dpupr",
        "update",
        p.officer,
        visibility=INTERNAL,
        owner="dpupr",
        assignment=pupr,
        photo=True,
        public=False,
    )
    story.step(
        "update-public-dpupr",
        "update",
        p.officer,
        visibility=PUBLIC,
        owner="dpupr",
        assignment=pupr,
        photo=True,
    )
    # The reporter reads that it went back, in the workflow's words; the reason is PUPR's.
    event = transition(
        complaint, "return", actor=p.officer, assignment=pupr, note=story.marker("return-dpupr")
    )
    assert (event.visibility, complaint.status) == (REPORTER, Status.IN_REVIEW)
    story.record("return_reason-dpupr", story.marker("return-dpupr"), owner="dpupr")
    world.facts.append(
        Fact("rerouted", "return-dpupr-message", "return", event.note, "dpupr", REPORTER, False)
    )
    _route(story, "dlh")
    dlh = _assignment(complaint, "dlh")
    _accept(story, p.dlh_officer, "dlh", active_at_the_end=True)
    story.step(
        "respond-dlh", "respond", p.dlh_officer, visibility=PUBLIC, owner="dlh", assignment=dlh
    )
    story.step("close", "close", None, visibility=PUBLIC)
    world.openers["rerouted"] = {"secretariat", "executive", "co-handling-agency-officer"}
    world.public["rerouted"] = True


def declined_story(world: World) -> None:
    p = world.people
    story = Story(world, "declined")
    story.file()
    transition(world.complaints["declined"], "review", actor=p.secretariat)
    story.step("decline", "decline", p.secretariat, visibility=REPORTER, reason="spam")
    world.openers["declined"] = {"secretariat", "executive"}
    world.public["declined"] = False


@pytest.fixture
def world(people, media_root) -> World:
    people.dishub_officer = member(
        "petugasdishub", Agency.objects.get(code="dishub"), Role.AGENCY_OFFICER
    )
    built = World(people=people)
    shared_story(built)
    rerouted_story(built)
    declined_story(built)
    return built


# --- the rule ------------------------------------------------------------------------------


def staff_read(reader: Reader, fact: Fact, world: World) -> bool:
    if not reader.staff or reader.name not in world.openers[fact.story]:
        return False
    return reader.oversees or not fact.agency_work or fact.owner == reader.agency


def citizen_read(reader: Reader, fact: Fact) -> bool:
    return reader.name == "reporter" and fact.visibility in (PUBLIC, REPORTER)


def public_read(fact: Fact, world: World) -> bool:
    return world.public[fact.story] and fact.visibility == PUBLIC


def expected(reader: Reader, fact: Fact, world: World) -> tuple[bool, int | None]:
    """Whether `reader` reads `fact` on their page, and the status of its photo for them."""
    if reader.staff:
        on_page = staff_read(reader, fact, world)
    elif reader.person is not None:
        on_page = citizen_read(reader, fact)
    else:
        on_page = public_read(fact, world)
    photo = None
    if fact.photo is not None:
        # A photo goes wherever its step may be read, on whichever page.
        sees = (
            staff_read(reader, fact, world)
            or citizen_read(reader, fact)
            or public_read(fact, world)
        )
        photo = 200 if sees else 404
    return on_page, photo


# --- the checks ----------------------------------------------------------------------------


def page_of(client: Client, reader: Reader, complaint: Complaint) -> tuple[int, str]:
    if reader.staff:
        url = reverse("staff:complaint", args=[complaint.tracking_number])
    elif reader.person is not None:
        url = reverse("complaints:mine_detail", args=[complaint.tracking_number])
    else:
        url = reverse("complaints:public_detail", args=[complaint.tracking_number])
    response = client.get(url)
    return response.status_code, response.content.decode() if response.status_code == 200 else ""


def test_every_kind_of_step_is_in_the_matrix(world):
    kinds = {fact.kind for fact in world.facts}

    assert set(TRANSITIONS) - kinds == set()
    assert {"submit", "register_number", "officer", "instructions", "return_reason"} <= kinds
    photographed = {fact.kind for fact in world.facts if fact.photo is not None}
    assert photographed == {"submit", "answer_clarification", "update", "respond"}


@pytest.mark.parametrize("reader", READERS, ids=[reader.name for reader in READERS])
def test_each_reader_reads_what_the_rule_allows_and_nothing_else(world, reader):
    client = Client()
    if reader.person is not None:
        client.force_login(getattr(world.people, reader.person))
    pages = {story: page_of(client, reader, c) for story, c in world.complaints.items()}

    statuses = {story: status for story, (status, _html) in pages.items()}
    read = {
        f"{fact.story}:{fact.name}": (
            fact.marker in pages[fact.story][1],
            client.get(fact.photo.url).status_code if fact.photo is not None else None,
        )
        for fact in world.facts
    }

    if reader.staff:
        assert statuses == {
            story: 200 if reader.name in openers else 404
            for story, openers in world.openers.items()
        }
    elif reader.person is not None:
        assert statuses == dict.fromkeys(world.complaints, 200)
    else:
        assert statuses == {story: 200 if public else 404 for story, public in world.public.items()}
    assert read == {
        f"{fact.story}:{fact.name}": expected(reader, fact, world) for fact in world.facts
    }


# --- the two cases, through the console ---------------------------------------------


def staff_url(complaint: Complaint, action: str = "") -> str:
    if action:
        return reverse("staff:act", args=[complaint.tracking_number, action])
    return reverse("staff:complaint", args=[complaint.tracking_number])


def console(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pupr_works_on_it(people: People, complaint: Complaint) -> dict[str, str]:
    """PUPR's officer accepts the complaint, notes, posts an internal update with a photo and
    a public one, on the console; returns what PUPR recorded, by name."""
    pupr = console(people.officer)
    posts = [
        ("accept", {}),
        ("note", {"note-note": "Catatan PUPR: kontraktor lama bermasalah."}),
        (
            "update",
            {
                "update-note": "Internal PUPR: anggaran belum turun.",
                "update-public": "0",
                "update-photos": [photo_upload()],
            },
        ),
        ("update", {"update-note": "Lokasi sudah disurvei.", "update-public": "1"}),
    ]
    for action, data in posts:
        assert pupr.post(staff_url(complaint, action), data).status_code == 302, action
    assignment = complaint.assignments.get(agency=people.pupr)
    return {
        "note": "Catatan PUPR: kontraktor lama bermasalah.",
        "internal update": "Internal PUPR: anggaran belum turun.",
        "instructions": "Arahan untuk PUPR: koordinasi dengan Balai Jalan.",
        "register number": assignment.register_number,
        "officer": people.officer.full_name,
    }


def internal_photo(complaint: Complaint) -> ComplaintPhoto:
    return ComplaintPhoto.objects.get(
        complaint=complaint, event__action="update", event__visibility=INTERNAL
    )


def test_on_a_complaint_routed_to_pupr_and_dlh_dlh_reads_none_of_pupr_s_internal_work(
    people, media_root
):
    complaint = file_complaint(people)
    secretariat = console(people.secretariat)
    secretariat.post(staff_url(complaint, "review"))
    routed = secretariat.post(
        staff_url(complaint, "route"),
        route_post(
            [people.pupr, people.dlh],
            instructions={
                0: "Arahan untuk PUPR: koordinasi dengan Balai Jalan.",
                1: "Arahan untuk DLH: angkut puing.",
            },
        ),
    )
    assert routed.status_code == 302
    pupr_work = pupr_works_on_it(people, complaint)
    worker_prepares_photos()  # so that a 404 below is the rule, not a photo not ready
    photo = internal_photo(complaint)

    dlh = console(people.dlh_officer)
    page = dlh.get(staff_url(complaint)).content.decode()

    assert {name: text in page for name, text in pupr_work.items()} == dict.fromkeys(
        pupr_work, False
    )
    assert "Arahan untuk DLH: angkut puing." in page
    assert "Lokasi sudah disurvei." in page  # PUPR's public update
    assert dlh.get(photo.url).status_code == 404
    assert dlh.get(photo.thumbnail_url).status_code == 404
    for reader in (people.head, people.secretariat, people.executive):
        client = console(reader)
        page = client.get(staff_url(complaint)).content.decode()
        assert {name: text in page for name, text in pupr_work.items()} == dict.fromkeys(
            pupr_work, True
        ), reader
        assert client.get(photo.url).status_code == 200, reader


def test_after_pupr_returns_it_and_it_goes_to_dlh_dlh_reads_none_of_pupr_s_trail(
    people, media_root
):
    complaint = file_complaint(people)
    secretariat = console(people.secretariat)
    secretariat.post(staff_url(complaint, "review"))
    secretariat.post(
        staff_url(complaint, "route"),
        route_post(
            [people.pupr], instructions={0: "Arahan untuk PUPR: koordinasi dengan Balai Jalan."}
        ),
    )
    pupr_work = pupr_works_on_it(people, complaint)
    worker_prepares_photos()  # so that a 404 below is the rule, not a photo not ready
    pupr_work["return reason"] = "Bukan kewenangan PUPR: puing bangunan urusan DLH."
    returned = console(people.officer).post(
        staff_url(complaint, "return"), {"return-note": pupr_work["return reason"]}
    )
    assert returned.status_code == 302
    rerouted = secretariat.post(staff_url(complaint, "route"), route_post([people.dlh]))
    assert rerouted.status_code == 302
    photo = internal_photo(complaint)

    dlh = console(people.dlh_officer)
    response = dlh.get(staff_url(complaint))
    page = response.content.decode()

    assert response.status_code == 200
    assert {name: text in page for name, text in pupr_work.items()} == dict.fromkeys(
        pupr_work, False
    )
    # What the reporter was told, and PUPR's public update, are everyone's.
    assert "Pengaduan Anda dikembalikan ke Sekretariat Pengaduan" in page
    assert "Lokasi sudah disurvei." in page
    assert dlh.get(photo.url).status_code == 404
    assert console(people.officer).get(staff_url(complaint)).status_code == 404
    page = secretariat.get(staff_url(complaint)).content.decode()
    assert {name: text in page for name, text in pupr_work.items()} == dict.fromkeys(
        pupr_work, True
    )
    assert secretariat.get(photo.url).status_code == 200
