"""Seed the editable holiday table from the `holidays` package.

The package knows Indonesia's public holidays (Presidential decree) and cuti bersama (the
`government` category), with Indonesian names. Administrators own the table after the
first load: seeding only adds dates that are missing and never changes an existing row,
so a day the government moved and an administrator edited stays as edited.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import holidays
from django.db import transaction

from sikesal.core.models import Holiday

COUNTRY = "ID"
# Without language="id" the package names the days in English.
LANGUAGE = "id"
NAME_SEPARATOR = "; "


@dataclass(frozen=True)
class HolidaySpec:
    """One date as the package describes it, before it becomes a Holiday row."""

    date: date
    name: str
    kind: str


def supported_years() -> range:
    """The years the `holidays` package covers for Indonesia."""
    return range(holidays.ID.start_year, holidays.ID.end_year + 1)


def holidays_from_package(years: list[int]) -> list[HolidaySpec]:
    """Indonesia's public holidays and cuti bersama for `years`, one entry per date.

    Names that fall on the same date are joined ("A; B"). A date is cuti bersama only when
    everything on it comes from the government category; a public holiday on the same date
    wins, because it is a day off whatever the cuti bersama setting says.
    Raises ValueError for a year the package does not cover.
    """
    unsupported = sorted(set(years) - set(supported_years()))
    if unsupported:
        raise ValueError(f"The holidays package does not cover year(s) {unsupported}.")
    every_day_off = holidays.country_holidays(
        COUNTRY, years=years, categories=("public", "government"), language=LANGUAGE
    )
    cuti_bersama = holidays.country_holidays(
        COUNTRY, years=years, categories=("government",), language=LANGUAGE
    )
    name_length = Holiday._meta.get_field("name").max_length
    specs = []
    for day in sorted(every_day_off):
        names = every_day_off.get_list(day)
        government_names = set(cuti_bersama.get_list(day))
        kind = (
            Holiday.Kind.CUTI_BERSAMA
            if all(name in government_names for name in names)
            else Holiday.Kind.PUBLIC
        )
        name = NAME_SEPARATOR.join(names)[:name_length]
        specs.append(HolidaySpec(date=day, name=name, kind=kind))
    return specs


def seed_holidays(
    years: list[int],
    *,
    dry_run: bool = False,
    on_created: Callable[[Holiday], None] | None = None,
) -> int:
    """Create the Holiday rows for `years` that do not exist yet; return how many.

    Existing dates are left exactly as they are (name, kind and is_active included), so
    running it again creates nothing. `on_created` is called with each new row, so a
    command can print it; with `dry_run` nothing is saved, but `on_created` still sees
    the rows that would be created.
    """
    specs = holidays_from_package(years)
    if not specs:
        return 0
    with transaction.atomic():
        existing = set(
            Holiday.objects.filter(date__range=(specs[0].date, specs[-1].date)).values_list(
                "date", flat=True
            )
        )
        new_rows = [
            Holiday(date=spec.date, name=spec.name, kind=spec.kind)
            for spec in specs
            if spec.date not in existing
        ]
        if not dry_run:
            Holiday.objects.bulk_create(new_rows)
    if on_created is not None:
        for row in new_rows:
            on_created(row)
    return len(new_rows)
