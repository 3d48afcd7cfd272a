import os
from datetime import datetime

import pytest

from sikesal.complaints.models import Assignment, Complaint

# The complaint fixtures (people, media_root) serve the report tests too.
from sikesal.complaints.tests.conftest import _cast_snapshot, media_root, people  # noqa: F401
from sikesal.complaints.workflow import Route, transition
from sikesal.reports.pdf import PdfUnavailable


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A test that makes a PDF skips, saying why, on a machine without WeasyPrint's system
    libraries, as browser tests skip without chromium. CI installs them and sets
    SIKESAL_REQUIRE_PDF so that nothing skips there."""
    try:
        return (yield)
    except PdfUnavailable as error:
        if os.environ.get("SIKESAL_REQUIRE_PDF"):
            raise
        pytest.skip(str(error))


def handled_by_pupr(
    cast,
    complaint: Complaint,
    *,
    at: datetime,
    answered_at: datetime | None = None,
    response: str = "Sudah diperbaiki.",
) -> Assignment:
    """Review `complaint`, route it to Dinas PUPR and accept it (its REGISTER entry) at
    `at`; answer it at `answered_at` when given. `cast`: the `people` fixture."""
    transition(complaint, "review", actor=cast.secretariat, now=at)
    transition(complaint, "route", actor=cast.secretariat, routes=[Route(cast.pupr, True)], now=at)
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=cast.officer, assignment=assignment, now=at)
    if answered_at is not None:
        transition(
            complaint,
            "respond",
            actor=cast.officer,
            assignment=assignment,
            note=response,
            now=answered_at,
        )
    assignment.refresh_from_db()
    return assignment
