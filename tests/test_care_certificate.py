"""The Care Certificate deadline: 15 standards within 12 weeks of the start."""

from __future__ import annotations

from datetime import date

import pytest

from assessor_app.domain.care_certificate import care_certificate_status

START = date(2025, 1, 1)  # due 26 Mar 2025


def done(count: int, on: date = date(2025, 2, 1)) -> dict[int, date | None]:
    return {n: (on if n <= count else None) for n in range(1, 16)}


def test_the_due_date_is_twelve_weeks_after_the_start():
    status = care_certificate_status(START, {}, today=START)
    assert status.due == date(2025, 3, 26)
    assert status.completed == 0
    assert status.outstanding == tuple(range(1, 16))
    assert status.days_left == 84
    assert status.message == "0 of 15 standards complete; due 26 Mar 2025, 84 days left."


def test_overdue():
    status = care_certificate_status(START, done(8), today=date(2025, 4, 7))
    assert status.overdue
    assert not status.complete
    assert status.completed == 8
    assert status.outstanding == (9, 10, 11, 12, 13, 14, 15)
    assert (status.days_left, status.days_overdue) == (0, 12)
    assert status.message == "8 of 15 standards complete; due 26 Mar 2025, 12 days overdue."


def test_due_today_is_not_yet_overdue_and_a_day_later_is():
    today = care_certificate_status(START, done(14), today=date(2025, 3, 26))
    assert not today.overdue
    assert today.message == "14 of 15 standards complete; due today (26 Mar 2025)."
    tomorrow = care_certificate_status(START, done(14), today=date(2025, 3, 27))
    assert tomorrow.overdue
    assert tomorrow.message.endswith("due 26 Mar 2025, 1 day overdue.")
    day_before = care_certificate_status(START, done(14), today=date(2025, 3, 25))
    assert day_before.message.endswith("due 26 Mar 2025, 1 day left.")


def test_complete_in_time():
    completed = done(15)
    completed[15] = date(2025, 3, 20)
    status = care_certificate_status(START, completed, today=date(2025, 6, 1))
    assert status.complete and not status.overdue
    assert status.completed_on == date(2025, 3, 20)
    assert (status.days_left, status.days_overdue) == (0, 0)
    assert status.message == (
        "All 15 standards complete on 20 Mar 2025, within the 12 weeks (due 26 Mar 2025)."
    )


def test_complete_late():
    completed = done(15)
    completed[3] = date(2025, 4, 2)
    status = care_certificate_status(START, completed, today=date(2025, 6, 1))
    assert status.complete and not status.overdue
    assert status.message == (
        "All 15 standards complete on 2 Apr 2025, 7 days after the due date of 26 Mar 2025."
    )


def test_completions_dated_after_today_and_unknown_standards_do_not_count():
    completed = done(14)
    completed[15] = date(2025, 3, 1)
    completed[16] = date(2025, 2, 1)
    status = care_certificate_status(START, completed, today=date(2025, 2, 20))
    assert status.completed == 14
    assert status.outstanding == (15,)
    assert not status.complete


def test_other_numbers_of_standards_and_weeks():
    status = care_certificate_status(
        START, {1: date(2025, 1, 2)}, standards=1, weeks=2, today=date(2025, 1, 3)
    )
    assert status.due == date(2025, 1, 15)
    assert (
        status.message
        == "All 1 standard complete on 2 Jan 2025, within the 2 weeks (due 15 Jan 2025)."
    )
    with pytest.raises(ValueError, match="Cannot track 0 standards over 12 weeks"):
        care_certificate_status(START, {}, standards=0, today=START)
