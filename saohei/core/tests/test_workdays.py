from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saohei.core.workdays import add_workdays, is_workday, workdays_between


def test_national_day_holiday_is_skipped():
    # 2019-09-30 is a Monday; 1–7 October are the National Day holiday.
    assert add_workdays(date(2019, 9, 30), 1) == date(2019, 10, 8)


def test_make_up_saturday_counts_as_workday():
    assert date(2019, 10, 12).weekday() == 5
    assert is_workday(date(2019, 10, 12))
    assert add_workdays(date(2019, 10, 11), 1) == date(2019, 10, 12)


def test_spring_festival_2019_deadline():
    # Ten working days from 2019-01-31 jump the Spring Festival (4–10 Feb) and count the
    # make-up Saturday 2 February.
    assert add_workdays(date(2019, 1, 31), 10) == date(2019, 2, 19)


def test_workdays_between_counts_after_start_up_to_end():
    assert workdays_between(date(2019, 9, 30), date(2019, 10, 8)) == 1
    assert workdays_between(date(2019, 10, 8), date(2019, 9, 30)) == -1
    assert workdays_between(date(2019, 6, 3), date(2019, 6, 3)) == 0


def test_outside_the_calendar_counts_weekends_only(caplog):
    caplog.set_level("WARNING")
    # 1 October 2199 is a Tuesday; no statutory holidays are known for that year.
    assert add_workdays(date(2199, 10, 1), 1) == date(2199, 10, 2)
    assert add_workdays(date(2199, 10, 4), 1) == date(2199, 10, 7)  # Friday -> Monday
    assert "does not cover 2199" in caplog.text


@given(
    start=st.dates(min_value=date(2005, 1, 1), max_value=date(2025, 12, 31)),
    n=st.integers(min_value=0, max_value=60),
)
def test_add_and_count_are_inverse(start, n):
    end = add_workdays(start, n)
    assert workdays_between(start, end) == n
    if n:
        assert is_workday(end)


@pytest.mark.parametrize("n", [-5, -1])
def test_negative_days_go_back(n):
    start = date(2019, 10, 8)
    assert workdays_between(add_workdays(start, n), start) == -n
