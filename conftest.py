"""Project-wide pytest fixtures."""

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command

from sikesal.agencies import geo


@pytest.fixture
def reference_data(db: None) -> None:
    """Kota Jambi's regions (with boundaries), its 42 agencies and the complaint categories."""
    for command in ("load_regions", "load_agencies", "load_categories"):
        call_command(command, stdout=StringIO())


@pytest.fixture(autouse=True)
def _fresh_region_index() -> Iterator[None]:
    """The point look-up caches geometry per process; rows of one test must not leak into
    the next, whose database has been rolled back."""
    yield
    geo.clear_cache()
