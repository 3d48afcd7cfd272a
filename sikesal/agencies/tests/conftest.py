"""The complaint fixtures: one person per role (people) serves the agency page tests too."""

from sikesal.complaints.tests.conftest import people  # noqa: F401
