"""Real-browser tests: Debian's chromium driven by Playwright (nothing is downloaded).

A browser test module marks itself `pytestmark = [pytest.mark.browser, needs_chromium]` and
asks for the `browser` fixture (root conftest.py); without chromium or Playwright it skips
and says why.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]

try:
    import playwright.sync_api as playwright
except ImportError:  # pragma: no cover - the dev requirements install it
    playwright = None

needs_chromium = pytest.mark.skipif(
    playwright is None or not os.path.exists(CHROMIUM),
    reason="needs Playwright and Debian's chromium (apt install chromium)",
)
