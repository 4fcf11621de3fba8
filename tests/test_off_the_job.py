"""Off-the-job training pace: logged hours against the hours expected by today."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from assessor_app.domain.off_the_job import Pace, off_the_job_pace

START = date(2025, 1, 6)
END = date(2026, 1, 4)  # 364 days: exactly 52 weeks
HOURS = Decimal("37.5")  # 20% is 7.5 hours a week
WEEK_24 = START + timedelta(weeks=24, days=-1)  # 24 weeks elapsed, today included


def pace(today, logged, **kw):
    return off_the_job_pace(START, END, today, HOURS, logged, **kw)


def test_behind():
    result = pace(WEEK_24, [(START, Decimal("100")), (WEEK_24, Decimal("42.5"))])
    assert result.logged == Decimal("142.5")
    assert result.expected == Decimal("180.0")
    assert result.programme_total == Decimal("390.0")
    assert result.percent_of_expected == Decimal("79.2")
    assert result.difference == Decimal("-37.5")
    assert result.pace is Pace.BEHIND
    assert result.message == "142.5 hours logged; 180.0 expected by today (79%): 37.5 hours behind."


def test_on_track_from_90_to_110_percent():
    at_90 = pace(WEEK_24, [(START, Decimal("162"))])
    assert at_90.pace is Pace.ON_TRACK
    assert at_90.message == "162.0 hours logged; 180.0 expected by today (90%): on track."
    assert pace(WEEK_24, [(START, Decimal("161.9"))]).pace is Pace.BEHIND
    assert pace(WEEK_24, [(START, Decimal("198"))]).pace is Pace.ON_TRACK


def test_ahead():
    result = pace(WEEK_24, [(START, Decimal("200"))])
    assert result.pace is Pace.AHEAD
    assert result.difference == Decimal("20.0")
    assert result.message == "200.0 hours logged; 180.0 expected by today (111%): 20.0 hours ahead."


def test_entries_after_today_are_not_counted():
    result = pace(WEEK_24, [(START, Decimal("180")), (WEEK_24 + timedelta(days=1), Decimal("7.5"))])
    assert result.logged == Decimal("180")
    assert result.percent_of_expected == Decimal("100.0")


def test_a_planned_total_is_spread_over_the_programme():
    result = pace(WEEK_24, [], planned_total=Decimal("460"))
    assert result.programme_total == Decimal("460.0")
    assert result.expected == Decimal("212.3")  # 460 * 168 / 364
    assert result.message == "0.0 hours logged; 212.3 expected by today (0%): 212.3 hours behind."


def test_the_first_day_counts_and_the_expectation_stops_at_the_planned_end():
    assert pace(START, []).expected == Decimal("1.1")  # 7.5 hours / 7 days
    late = pace(END + timedelta(days=100), [(START, Decimal("390"))])
    assert late.expected == late.programme_total == Decimal("390.0")
    assert late.pace is Pace.ON_TRACK


def test_before_the_start_nothing_is_expected():
    result = pace(START - timedelta(days=3), [])
    assert result.expected == Decimal("0.0")
    assert result.percent_of_expected is None
    assert result.pace is Pace.ON_TRACK
    assert (
        result.message
        == "0.0 hours logged; none expected before the programme starts on 6 Jan 2025."
    )


def test_nothing_expected_when_no_hours_are_contracted():
    result = off_the_job_pace(START, END, WEEK_24, Decimal(0), [(START, Decimal("3.25"))])
    assert result.pace is Pace.AHEAD
    assert result.message == "3.3 hours logged; none expected by today."


def test_hours_are_rounded_half_up_to_a_tenth():
    result = pace(WEEK_24, [(START, Decimal("7.25")), (START, Decimal("7.5"))])
    assert result.logged == Decimal("14.75")
    assert result.message.startswith("14.8 hours logged;")


def test_dates_and_hours_that_cannot_be_right():
    with pytest.raises(ValueError, match="planned end 1 Jan 2025 is before the start 6 Jan 2025"):
        off_the_job_pace(START, date(2025, 1, 1), START, HOURS, [])
    with pytest.raises(ValueError, match="cannot be negative"):
        off_the_job_pace(START, END, START, Decimal("-1"), [])
