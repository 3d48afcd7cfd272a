"""The English catalogue is complete: every Indonesian source string has a translation
that a reviewer has confirmed (no fuzzy guesses), so English readers never meet a stray
Indonesian sentence. Run `make messages` and translate what it adds."""

from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries(text: str) -> list[dict]:
    """The .po file's entries: msgid, msgstr(s) and flags, continuation lines joined."""
    parsed = []
    for block in text.split("\n\n"):
        entry: dict = {"flags": "", "msgid": "", "msgstr": []}
        field = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#"):
                continue
            elif line.startswith(("msgid ", "msgid_plural ")):
                field = "msgid"
                entry["msgid"] += line.split(" ", 1)[1].strip('"')
            elif line.startswith("msgstr"):
                field = "msgstr"
                entry["msgstr"].append(line.split(" ", 1)[1].strip('"'))
            elif line.startswith('"') and field == "msgid":
                entry["msgid"] += line.strip('"')
            elif line.startswith('"') and field == "msgstr":
                entry["msgstr"][-1] += line.strip('"')
        if entry["msgid"]:
            parsed.append(entry)
    return parsed


def test_every_string_is_translated_and_none_is_a_fuzzy_guess():
    catalogue = entries(CATALOGUE.read_text(encoding="utf-8"))

    assert len(catalogue) > 500
    fuzzy = [e["msgid"] for e in catalogue if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in catalogue if not all(e["msgstr"])]
    assert fuzzy == []
    assert untranslated == []
