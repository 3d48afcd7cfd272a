"""The working-day calendar: Monday to Friday minus active holidays (and cuti bersama)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from sikesal.core.calendar import (
    add_working_days,
    is_working_day,
    local_date,
    working_days_between,
)
from sikesal.core.models import Holiday

pytestmark = pytest.mark.django_db

TUESDAY_17_MARCH_2026 = date(2026, 3, 17)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# --- add_working_days ------------------------------------------------------------------------


def test_idul_fitri_2026_with_cuti_bersama_as_days_off(holidays_2026_2027, cuti_bersama_off):
    # Given 18 cuti, 19 Nyepi, 20 cuti, 21-22 Idul Fitri (weekend), 23-24 cuti
    # When counting 3 working days from Tuesday 17 March 2026
    due = add_working_days(TUESDAY_17_MARCH_2026, 3)
    # Then Wednesday 25, Thursday 26 and Friday 27 are the three
    assert due == date(2026, 3, 27)


def test_idul_fitri_2026_with_cuti_bersama_as_working_days(holidays_2026_2027, cuti_bersama_on):
    # Given cuti bersama does not stop the clock: 18 and 20 count, 19 (Nyepi) does not
    due = add_working_days(TUESDAY_17_MARCH_2026, 3)
    # Then the third working day is Monday 23 March
    assert due == date(2026, 3, 23)


def test_across_the_new_year(holidays_2026_2027, cuti_bersama_off):
    # Given 31 Dec works, 1 Jan is Tahun Baru, 2-3 Jan a weekend, 4 Jan works,
    # 5 Jan is Isra Mikraj (as the holidays package has it)
    assert Holiday.objects.get(date=date(2027, 1, 1)).name == "Tahun Baru Masehi"
    assert Holiday.objects.get(date=date(2027, 1, 5)).name == "Isra Mikraj Nabi Muhammad"
    # When counting 3 working days from Wednesday 30 December 2026
    due = add_working_days(date(2026, 12, 30), 3)
    # Then the third is Wednesday 6 January 2027
    assert due == date(2027, 1, 6)


def test_one_working_day_after_friday_is_monday(holidays_2026_2027):
    assert add_working_days(date(2026, 4, 10), 1) == date(2026, 4, 13)


def test_zero_days_from_a_working_day_is_that_day(holidays_2026_2027):
    assert add_working_days(TUESDAY_17_MARCH_2026, 0) == TUESDAY_17_MARCH_2026


def test_zero_days_from_a_day_off_is_the_next_working_day(holidays_2026_2027, cuti_bersama_off):
    # Given Saturday 21 March 2026 (Idul Fitri), with 23-24 March cuti bersama
    assert add_working_days(date(2026, 3, 21), 0) == date(2026, 3, 25)


def test_zero_days_from_a_day_off_without_cuti_bersama(holidays_2026_2027, cuti_bersama_on):
    assert add_working_days(date(2026, 3, 21), 0) == date(2026, 3, 23)


def test_negative_days_are_refused(db):
    with pytest.raises(ValueError, match="n=-1"):
        add_working_days(TUESDAY_17_MARCH_2026, -1)


def test_a_datetime_is_refused_because_its_date_would_be_utc(db):
    with pytest.raises(TypeError, match="local_date"):
        add_working_days(datetime(2026, 3, 17, 23, 0, tzinfo=UTC), 1)


def test_a_long_span_extends_the_window_beyond_the_first_query(db, django_assert_num_queries):
    # Given a run of holidays longer than the first window (31 days for a small n)
    Holiday.objects.bulk_create(
        Holiday(date=d, name="Libur panjang") for d in days(date(2026, 7, 1), date(2026, 8, 31))
    )
    # When counting one working day after 30 June 2026
    with django_assert_num_queries(2):
        due = add_working_days(date(2026, 6, 30), 1)
    # Then the first working day after the run is Tuesday 1 September
    assert due == date(2026, 9, 1)


# --- is_working_day --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 17), True),  # an ordinary Tuesday
        (date(2026, 3, 19), False),  # Nyepi
        (date(2026, 3, 18), False),  # cuti bersama, off by default
        (date(2026, 3, 28), False),  # Saturday
        (date(2026, 3, 29), False),  # Sunday
        (date(2027, 1, 5), False),  # Isra Mikraj
    ],
)
def test_is_working_day(holidays_2026_2027, cuti_bersama_off, day, expected):
    assert is_working_day(day) is expected


def test_cuti_bersama_is_a_working_day_when_the_setting_is_off(holidays_2026_2027, cuti_bersama_on):
    assert is_working_day(date(2026, 3, 18)) is True
    assert is_working_day(date(2026, 3, 19)) is False


def test_a_deactivated_holiday_is_a_working_day(holidays_2026_2027, cuti_bersama_off):
    # Given an administrator switches Nyepi 2026 off (the government moved it)
    Holiday.objects.filter(date=date(2026, 3, 19)).update(is_active=False)
    # Then 19 March counts again
    assert is_working_day(date(2026, 3, 19)) is True
    assert add_working_days(TUESDAY_17_MARCH_2026, 3) == date(2026, 3, 26)
    assert working_days_between(TUESDAY_17_MARCH_2026, date(2026, 3, 26)) == 3


def test_a_weekend_needs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert is_working_day(date(2026, 3, 28)) is False


def test_without_any_holidays_every_weekday_works(db):
    assert [is_working_day(d) for d in days(date(2026, 3, 16), date(2026, 3, 22))] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]


# --- working_days_between --------------------------------------------------------------------


def test_between_counts_days_after_a_up_to_and_including_b(holidays_2026_2027, cuti_bersama_off):
    assert working_days_between(TUESDAY_17_MARCH_2026, date(2026, 3, 27)) == 3
    assert working_days_between(TUESDAY_17_MARCH_2026, date(2026, 3, 25)) == 1
    assert working_days_between(TUESDAY_17_MARCH_2026, date(2026, 3, 24)) == 0


def test_between_the_same_day_is_zero(holidays_2026_2027):
    assert working_days_between(TUESDAY_17_MARCH_2026, TUESDAY_17_MARCH_2026) == 0


def test_between_friday_and_sunday_is_zero(holidays_2026_2027):
    assert working_days_between(date(2026, 4, 10), date(2026, 4, 12)) == 0


def test_between_backwards_is_negative(holidays_2026_2027, cuti_bersama_off):
    assert working_days_between(date(2026, 3, 27), TUESDAY_17_MARCH_2026) == -3


def test_between_a_whole_year(holidays_2026_2027, cuti_bersama_off):
    # Given 2 January to 31 December 2026: 260 weekdays, 20 of them days off (12 public
    # holidays and 8 cuti bersama; Idul Fitri, Easter Sunday and Waisak fall on a weekend)
    weekday_days_off = Holiday.objects.filter(
        date__range=(date(2026, 1, 2), date(2026, 12, 31)), date__week_day__in=[2, 3, 4, 5, 6]
    )
    assert weekday_days_off.filter(kind=Holiday.Kind.PUBLIC).count() == 12
    assert weekday_days_off.filter(kind=Holiday.Kind.CUTI_BERSAMA).count() == 8
    # Then 240 working days follow New Year's Day
    assert working_days_between(date(2026, 1, 1), date(2026, 12, 31)) == 240


def test_between_a_whole_year_with_cuti_bersama_working(holidays_2026_2027, cuti_bersama_on):
    assert working_days_between(date(2026, 1, 1), date(2026, 12, 31)) == 248


@pytest.mark.parametrize("cuti_bersama_is_day_off", [True, False])
def test_between_is_the_inverse_of_add_and_matches_a_day_by_day_count(
    holidays_2026_2027, settings, cuti_bersama_is_day_off
):
    # Given every start date of March to May 2026 and December 2026 to January 2027
    settings.SIKESAL_CUTI_BERSAMA_IS_DAY_OFF = cuti_bersama_is_day_off
    starts = days(date(2026, 3, 1), date(2026, 5, 31)) + days(date(2026, 12, 1), date(2027, 1, 31))
    working = {d for d in days(date(2026, 3, 1), date(2027, 3, 31)) if is_working_day(d)}
    for start in starts:
        for n in range(1, 12):
            due = add_working_days(start, n)
            # Then add and between agree, and both agree with counting day by day
            assert working_days_between(start, due) == n
            assert working_days_between(due, start) == -n
            assert due in working
            assert len([d for d in working if start < d <= due]) == n


# --- queries ---------------------------------------------------------------------------------


def test_forty_working_days_take_at_most_two_queries(
    holidays_2026_2027, cuti_bersama_off, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        due = add_working_days(TUESDAY_17_MARCH_2026, 40)
    assert working_days_between(TUESDAY_17_MARCH_2026, due) == 40


def test_between_over_two_years_takes_one_query(holidays_2026_2027, django_assert_num_queries):
    with django_assert_num_queries(1):
        working_days_between(date(2026, 1, 1), date(2027, 12, 31))


# --- local_date ------------------------------------------------------------------------------


def test_local_date_is_the_date_in_jakarta():
    # 18:30 UTC on 17 March is 01:30 WIB on 18 March
    assert local_date(datetime(2026, 3, 17, 18, 30, tzinfo=UTC)) == date(2026, 3, 18)
    assert local_date(datetime(2026, 3, 17, 16, 59, tzinfo=UTC)) == date(2026, 3, 17)


def test_local_date_ignores_the_time_zone_activated_for_a_request():
    with timezone.override("America/New_York"):
        assert local_date(datetime(2026, 3, 17, 18, 30, tzinfo=UTC)) == date(2026, 3, 18)


def test_local_date_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2026, 3, 17, 18, 30))
