"""docs/android.md's Google Play store listing fits Play Console's limits, so Diskominfo can
paste it as it is."""

import re

from django.conf import settings

DOCS = settings.BASE_DIR / "docs" / "android.md"
LIMITS = {"title": 30, "short": 80, "full": 4000, "whatsnew": 500}
BLOCK = re.compile(r"<!-- listing:(\w+) -->\n```text\n(.*?)\n```", re.DOTALL)


def test_the_store_listing_texts_fit_google_plays_limits():
    texts = dict(BLOCK.findall(DOCS.read_text(encoding="utf-8")))

    assert set(texts) == set(LIMITS)
    for name, limit in LIMITS.items():
        assert 0 < len(texts[name]) <= limit, (name, len(texts[name]), limit)
    assert texts["title"] == settings.SIKESAL_SITE_NAME
