"""Text bound for a spreadsheet (CSV exports): never a formula."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """Text a spreadsheet shows as text: a leading =, +, -, @, tab or CR would make it a
    formula (OWASP "CSV injection"), so such a value gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
