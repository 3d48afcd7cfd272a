"""Fixtures for the calendar tests, and the people of the complaint tests."""

import pytest

# The people and their signed-in client, for the hostile-input and fuzz tests.
from sikesal.complaints.tests.conftest import (  # noqa: F401
    _cast_snapshot,
    media_root,
    people,
    reporter_client,
)
from sikesal.core.holidays_seed import seed_holidays

# Fixed years, never "this year": the expected dates below must not change as time passes.
SEEDED_YEARS = [2026, 2027]


@pytest.fixture
def holidays_2026_2027(db) -> int:
    """The holiday table as `seed_holidays --year 2026 --year 2027` leaves it."""
    return seed_holidays(SEEDED_YEARS)


@pytest.fixture
def cuti_bersama_off(settings) -> None:
    """Cuti bersama stops the deadline clock (the default, made explicit)."""
    settings.SIKESAL_CUTI_BERSAMA_IS_DAY_OFF = True


@pytest.fixture
def cuti_bersama_on(settings) -> None:
    """Cuti bersama counts as a working day."""
    settings.SIKESAL_CUTI_BERSAMA_IS_DAY_OFF = False
