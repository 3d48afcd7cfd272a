"""One home for each rule (issue #9): status groups live in complaints/models.py, working
days are counted only by core/calendar.py, and the deadline and "agency's complaints" rules
mean the same thing in the staff queue, the monitoring, the recap and the periodic jobs."""

import ast
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

import sikesal
from sikesal.complaints import models
from sikesal.complaints.jobs import breaches_record
from sikesal.complaints.models import Assignment, AssignmentStatus, DeadlineBreach, Status
from sikesal.complaints.tests.conftest import JAKARTA, file_complaint, routed
from sikesal.complaints.workflow import Route, transition
from sikesal.core.calendar import local_date
from sikesal.reports.figures import ReportFilter, report_figures
from sikesal.reports.recap import Month, recap_build

SOURCE = Path(sikesal.__file__).parent
MODELS = SOURCE / "complaints" / "models.py"
CALENDAR = SOURCE / "core" / "calendar.py"
STATUS_ENUMS = {"Status", "AssignmentStatus"}
MEMBER_NAMES = set(Status.names) | set(AssignmentStatus.names)
STATUS_VALUES = set(Status.values) | set(AssignmentStatus.values)
# Names of the groups defined in models.py: tuples of Status or AssignmentStatus members.
GROUPS = {
    name
    for name, value in vars(models).items()
    if name.isupper()
    and isinstance(value, tuple)
    and value
    and all(isinstance(member, Status | AssignmentStatus) for member in value)
}


def source_files() -> list[Path]:
    """Every module of the project, tests and migrations aside."""
    return sorted(
        path
        for path in SOURCE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    )


def parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def enum_aliases(tree: ast.Module) -> set[str]:
    """Names under which a module reads the status enums (workflow.py's `S` and `A`)."""
    aliases = set(STATUS_ENUMS)
    for node in tree.body:
        value = getattr(node, "value", None)
        if (
            isinstance(node, ast.Assign)
            and isinstance(value, ast.Name)
            and value.id in STATUS_ENUMS
        ):
            aliases |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return aliases


def where(path: Path, node: ast.AST) -> str:
    shown = path.relative_to(SOURCE) if path.is_relative_to(SOURCE) else path.name
    return f"{shown}:{getattr(node, 'lineno', 0)}"


def is_status_member(node: ast.AST, aliases: set[str]) -> bool:
    if isinstance(node, ast.Attribute) and node.attr in MEMBER_NAMES:
        return isinstance(node.value, ast.Name) and node.value.id in aliases
    return isinstance(node, ast.Constant) and node.value in STATUS_VALUES


def retyped_groups(path: Path) -> list[str]:
    """Tuples, lists and sets of two or more statuses written out in `path`."""
    tree = parsed(path)
    aliases = enum_aliases(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            members = [element for element in node.elts if is_status_member(element, aliases)]
            if len(members) >= 2:
                found.append(f"{where(path, node)}: {ast.unparse(node)}")
    return found


def renamed_groups(path: Path) -> list[str]:
    """Module-level names given to a group of models.py (a second name for the same group)."""
    found = []
    for node in parsed(path).body:
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        value = node.value
        if isinstance(value, ast.Call) and len(value.args) == 1:
            value = value.args[0]  # frozenset(GROUP), tuple(GROUP)…
        if isinstance(value, ast.Name) and value.id in GROUPS:
            found.append(f"{where(path, node)}: {ast.unparse(node)}")
    return found


# --- status groups -----------------------------------------------------------------------


def test_the_models_define_the_status_groups_each_once():
    assignments = [
        target.id
        for node in parsed(MODELS).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id in GROUPS
    ]

    assert sorted(assignments) == sorted(GROUPS)
    assert {"AWAITING_SECRETARIAT", "IN_HANDLING", "ACTIVE_ASSIGNMENT_STATUSES"} <= GROUPS


def test_no_module_retypes_or_renames_a_status_group():
    elsewhere = [path for path in source_files() if path != MODELS]

    retyped = [line for path in elsewhere for line in retyped_groups(path)]
    renamed = [line for path in elsewhere for line in renamed_groups(path)]

    assert retyped == []
    assert renamed == []


def test_the_check_finds_a_retyped_group(tmp_path):
    # The guard itself: an inline pair of statuses and an alias of a group are both caught.
    module = tmp_path / "example.py"
    module.write_text(
        "S = Status\n"
        "QUEUE = frozenset(AWAITING_SECRETARIAT)\n"
        "def f(qs):\n"
        "    return qs.filter(status__in=(S.ROUTED, S.IN_PROGRESS))\n"
    )

    assert retyped_groups(module) == ["example.py:4: (S.ROUTED, S.IN_PROGRESS)"]
    assert renamed_groups(module) == ["example.py:2: QUEUE = frozenset(AWAITING_SECRETARIAT)"]


# --- one working-day counter ---------------------------------------------------------------

# Places a demo step on a weekday; it counts nothing and no deadline reads it.
WEEKDAY_ALLOWED = {SOURCE / "complaints" / "management" / "commands" / "load_demo_complaints.py"}


def test_working_days_are_counted_only_by_the_calendar():
    found = []
    for path in source_files():
        if path == CALENDAR:
            continue
        for node in ast.walk(parsed(path)):
            weekday = isinstance(node, ast.Attribute) and node.attr in ("weekday", "isoweekday")
            if weekday and path not in WEEKDAY_ALLOWED:
                found.append(f"{where(path, node)}: .{node.attr}()")
            name = getattr(node, "attr", None) or getattr(node, "id", None) or ""
            if "busday" in name:  # numpy's business-day count: a second algorithm
                found.append(f"{where(path, node)}: {name}")
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and "working_day" in node.name:
                found.append(f"{where(path, node)}: defines {node.name}")

    assert found == []


# --- "complaints of agency X": one meaning in the queue and the reports ---------------------


@pytest.mark.django_db
def test_the_queue_and_the_reports_agree_on_the_complaints_of_an_agency(client, people):
    # Given: two complaints routed to PUPR and DLH. DLH's case on the first was withdrawn
    # when the complaint closed (still DLH's case); DLH handed the second back (not DLH's).
    withdrawn = routed(people, file_complaint(people, title="Ditarik"), people.pupr, people.dlh)
    Assignment.objects.filter(complaint=withdrawn, agency=people.dlh).update(
        status=AssignmentStatus.WITHDRAWN
    )
    handed_back = routed(
        people, file_complaint(people, title="Dikembalikan"), people.pupr, people.dlh
    )
    transition(
        handed_back,
        "return",
        actor=people.dlh_officer,
        assignment=handed_back.assignments.get(agency=people.dlh),
        note="Bukan kewenangan DLH.",
    )
    client.force_login(people.secretariat)
    today = local_date(timezone.now())

    # When: the Secretariat filters the queue by DLH, and the report is narrowed to DLH.
    response = client.get(reverse("staff:queue"), {"status": "all", "agency": "dlh"})
    report = ReportFilter(start=today - timedelta(days=1), end=today, agency=people.dlh)

    # Then: the same complaints, the withdrawn case included, the handed-back one not.
    assert [row.complaint for row in response.context["rows"]] == [withdrawn]
    assert list(report.complaints()) == [withdrawn]
    assert report_figures(report, today=today).total == 1


# --- overdue: one meaning in the queue, the monitoring and the breach alerts -----------------


@pytest.fixture
def late_in_several_ways(people):
    """An unreviewed complaint past its review clock; one routed to PUPR whose first
    follow-up is past due (its own clocks are not); one waiting for the citizen (clocks
    paused); and a fresh one."""
    old = timezone.now() - timedelta(days=20)
    unreviewed = file_complaint(people, title="Belum ditelaah", at=old)
    followup_late = routed(
        people, file_complaint(people, title="Belum ditindaklanjuti"), people.pupr
    )
    Assignment.objects.filter(complaint=followup_late).update(
        followup_due=local_date(timezone.now()) - timedelta(days=7)
    )
    waiting = file_complaint(people, title="Menunggu pelapor", at=old)
    transition(waiting, "review", actor=people.secretariat)
    transition(waiting, "request_clarification", actor=people.secretariat, note="Di mana?")
    file_complaint(people, title="Baru")
    return {"unreviewed": unreviewed, "followup_late": followup_late}


@pytest.mark.django_db
def test_the_overdue_queue_the_monitoring_and_the_breaches_agree(
    client, people, late_in_several_ways
):
    client.force_login(people.secretariat)
    today = local_date(timezone.now())

    queue = client.get(reverse("staff:queue"), {"status": "open", "overdue": "1"})
    monitoring = client.get(
        reverse("monitoring:dashboard"),
        {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat()},
    )
    breaches_record()

    late = {late_in_several_ways["unreviewed"], late_in_several_ways["followup_late"]}
    rows = queue.context["rows"]
    assert {row.complaint for row in rows} == late
    assert queue.context["overdue_total"] == 2
    assert monitoring.context["figures"].overdue == 2
    assert monitoring.context["overdue_total"] == 2
    assert {breach.complaint for breach in DeadlineBreach.objects.all()} == late
    # The follow-up is the clock that makes the routed complaint late, and its row says so.
    routed_row = next(r for r in rows if r.complaint == late_in_several_ways["followup_late"])
    assert routed_row.clock.label == "Tindak lanjut pertama OPD"
    assert routed_row.clock.overdue


# --- the recap: late the day after the due date, as everywhere -----------------------------


@pytest.mark.django_db
def test_the_recap_calls_late_on_the_weekend_after_a_friday_deadline(people):
    # Given: PUPR registered a complaint on Monday 2 March 2026; its first follow-up was due
    # Friday 6 March and has not come.
    monday = datetime(2026, 3, 2, 9, tzinfo=JAKARTA)
    complaint = file_complaint(people, at=monday)
    transition(complaint, "review", actor=people.secretariat, now=monday)
    transition(
        complaint, "route", actor=people.secretariat, routes=[Route(people.pupr, True)], now=monday
    )
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment, now=monday)
    Assignment.objects.filter(pk=assignment.pk).update(followup_due=date(2026, 3, 6))

    # When: the recap is read on Saturday 7 March (no working day has passed since).
    friday = recap_build(people.pupr, Month(2026, 3), today=date(2026, 3, 6)).rows[0]
    saturday = recap_build(people.pupr, Month(2026, 3), today=date(2026, 3, 7)).rows[0]

    # Then: late from the day after the due date (docs/workflow.md), as the queue says.
    assert friday.remarks == "Dalam proses"
    assert saturday.remarks == "Dalam proses, lewat batas waktu"
