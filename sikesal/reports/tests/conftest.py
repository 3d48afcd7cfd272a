# The complaint fixtures (people, media_root) serve the report tests too.
from sikesal.complaints.tests.conftest import media_root, people  # noqa: F401
