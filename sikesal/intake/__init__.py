"""Intake: how complaints arriving by another door than the citizen's own account are
taken in (Open311 today; the counter, phone and letter channels of assisted intake next)."""
