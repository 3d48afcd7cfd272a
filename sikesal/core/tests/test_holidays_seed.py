"""Seeding the holiday table from the `holidays` package, and the admin that edits it."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sikesal.core.holidays_seed import holidays_from_package, seed_holidays
from sikesal.core.models import Holiday

pytestmark = pytest.mark.django_db


def test_seeding_2026_and_2027_creates_every_day_off_with_its_kind(db):
    created = seed_holidays([2026, 2027])

    assert created == 51
    assert Holiday.objects.count() == 51
    assert Holiday.objects.filter(kind=Holiday.Kind.CUTI_BERSAMA).count() == 16
    nyepi_week = Holiday.objects.filter(date__range=(date(2026, 3, 18), date(2026, 3, 24)))
    assert [(h.date.day, h.kind, h.name) for h in nyepi_week] == [
        (18, "cuti_bersama", "Cuti Bersama Hari Suci Nyepi"),
        (19, "public", "Hari Suci Nyepi"),
        (20, "cuti_bersama", "Cuti Bersama Hari Raya Idul Fitri"),
        (21, "public", "Hari Raya Idul Fitri"),
        (22, "public", "Hari kedua dari Hari Raya Idul Fitri"),
        (23, "cuti_bersama", "Cuti Bersama Hari Raya Idul Fitri"),
        (24, "cuti_bersama", "Cuti Bersama Hari Raya Idul Fitri"),
    ]
    assert all(h.is_active for h in nyepi_week)


def test_seeding_twice_creates_nothing_and_keeps_administrators_edits(db):
    # Given a seeded table where an administrator renamed, retyped and switched off a day
    seed_holidays([2026, 2027])
    Holiday.objects.filter(date=date(2026, 3, 19)).update(
        name="Hari Suci Nyepi (dipindah)", kind=Holiday.Kind.CUTI_BERSAMA, is_active=False
    )
    # When seeding again
    created = seed_holidays([2026, 2027])
    # Then nothing is created and the edited row is as the administrator left it
    assert created == 0
    assert Holiday.objects.count() == 51
    nyepi = Holiday.objects.get(date=date(2026, 3, 19))
    assert (nyepi.name, nyepi.kind, nyepi.is_active) == (
        "Hari Suci Nyepi (dipindah)",
        "cuti_bersama",
        False,
    )


def test_seeding_adds_only_the_missing_dates(db):
    # Given an administrator added a local day off and 2026 was seeded before
    seed_holidays([2026])
    Holiday.objects.create(date=date(2027, 1, 5), name="Libur daerah")
    # When seeding 2026 and 2027
    created = seed_holidays([2026, 2027])
    # Then 2027 is added except the date that already existed
    assert created == 25
    assert Holiday.objects.get(date=date(2027, 1, 5)).name == "Libur daerah"


def test_names_on_the_same_date_are_joined():
    # 13 May 2021: Idul Fitri and Ascension Day fell on the same Thursday
    specs = {spec.date: spec for spec in holidays_from_package([2021])}
    assert specs[date(2021, 5, 13)].name == "Hari Raya Idul Fitri; Kenaikan Yesus Kristus"
    assert specs[date(2021, 5, 13)].kind == Holiday.Kind.PUBLIC


def test_a_year_the_package_does_not_cover_is_refused():
    with pytest.raises(ValueError, match=r"\[1900\]"):
        holidays_from_package([1900])


def test_dry_run_saves_nothing_but_reports(db):
    seen = []
    created = seed_holidays([2026], dry_run=True, on_created=seen.append)
    assert created == 25
    assert len(seen) == 25
    assert Holiday.objects.count() == 0


def test_command_prints_what_it_created(db):
    out = StringIO()
    call_command("seed_holidays", "--year", "2026", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "  added 2026-01-01 (public) Tahun Baru Masehi"
    assert "  added 2026-03-18 (cuti_bersama) Cuti Bersama Hari Suci Nyepi" in lines
    assert lines[-1] == "Holidays 2026: added 25."
    assert Holiday.objects.count() == 25


def test_command_a_second_time_creates_nothing(db):
    call_command("seed_holidays", "--year", "2026", "--year", "2027", stdout=StringIO())
    out = StringIO()
    call_command("seed_holidays", "--year", "2027", "--year", "2026", stdout=out)
    assert out.getvalue() == "Holidays 2026, 2027: added 0.\n"


def test_command_defaults_to_this_year_and_the_next_in_jakarta(db, monkeypatch):
    # Given it is 31 December 2026 17:30 UTC, already 1 January 2027 in Jambi
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: datetime(2026, 12, 31, 17, 30, tzinfo=UTC)
    )
    out = StringIO()
    # When seeding without --year
    call_command("seed_holidays", "--dry-run", stdout=out)
    # Then 2027 and 2028 are the years, and a dry run saves nothing
    assert out.getvalue().splitlines()[-1].startswith("Holidays 2027, 2028: would add ")
    assert "  would add 2027-01-01 (public) Tahun Baru Masehi" in out.getvalue().splitlines()
    assert Holiday.objects.count() == 0


def test_command_refuses_an_unsupported_year(db):
    with pytest.raises(CommandError, match="1900"):
        call_command("seed_holidays", "--year", "1900", stdout=StringIO())


def test_admin_lists_and_filters_holidays_by_year_and_kind(admin_client, holidays_2026_2027):
    url = reverse("admin:core_holiday_changelist")
    response = admin_client.get(url, {"year": "2027", "kind__exact": "cuti_bersama"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 8


def test_admin_switches_a_holiday_off_from_the_list(admin_client, holidays_2026_2027):
    # Given the list of March 2026 (7 days off from 18 to 24 March)
    url = reverse("admin:core_holiday_changelist")
    march = {"date__year": "2026", "date__month": "3"}
    rows = list(Holiday.objects.filter(date__year=2026, date__month=3))
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "_save": "Simpan",
    }
    for i, row in enumerate(rows):
        data[f"form-{i}-id"] = str(row.pk)
        # every box stays ticked except Nyepi's
        if row.date != date(2026, 3, 19):
            data[f"form-{i}-is_active"] = "on"
    # When the administrator unticks Nyepi and saves
    response = admin_client.post(f"{url}?date__year=2026&date__month=3", data)
    # Then only Nyepi is switched off
    assert response.status_code == 302
    assert list(Holiday.objects.filter(is_active=False).values_list("date", flat=True)) == [
        date(2026, 3, 19)
    ]
    assert admin_client.get(url, march).context["cl"].result_count == 7
