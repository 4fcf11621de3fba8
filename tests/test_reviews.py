"""Progress reviews: due every 12 weeks from the start or the last review."""

from __future__ import annotations

from datetime import date

import pytest

from assessor_app.domain.reviews import next_review_due, review_message, review_overdue

START = date(2025, 3, 3)  # first review due 26 May 2025


def test_the_first_review_is_due_twelve_weeks_after_the_start():
    assert next_review_due(START, []) == date(2025, 5, 26)


def test_the_next_review_is_due_twelve_weeks_after_the_latest():
    reviews = [date(2025, 8, 1), date(2025, 5, 20)]
    assert next_review_due(START, reviews) == date(2025, 10, 24)
    assert next_review_due(START, reviews, interval_weeks=8) == date(2025, 9, 26)


def test_reviews_before_the_start_do_not_count():
    assert next_review_due(START, [date(2024, 12, 1)]) == date(2025, 5, 26)


def test_overdue_only_after_the_due_day():
    assert not review_overdue(START, [], today=date(2025, 5, 26))
    assert review_overdue(START, [], today=date(2025, 5, 27))
    assert not review_overdue(START, [date(2025, 5, 20)], today=date(2025, 5, 27))


def test_a_review_dated_after_today_has_not_happened_yet():
    planned = [date(2025, 6, 10)]
    assert review_overdue(START, planned, today=date(2025, 6, 1))
    assert not review_overdue(START, planned, today=date(2025, 6, 10))


def test_the_interval_must_be_a_week_or_more():
    with pytest.raises(ValueError, match="at least a week apart, not 0 weeks"):
        next_review_due(START, [], interval_weeks=0)


def test_message_when_overdue_with_no_review_yet():
    assert review_message(START, [], today=date(2025, 6, 5)) == (
        "There has been no review since the start on 3 Mar 2025; the first was due on "
        "26 May 2025 and is 10 days overdue: arrange a review now."
    )


def test_message_when_overdue_after_a_review():
    assert review_message(START, [date(2025, 5, 20)], today=date(2025, 8, 13)) == (
        "The last review was on 20 May 2025; the next was due on 12 Aug 2025 and is 1 day "
        "overdue: arrange a review now."
    )


def test_message_when_due_today():
    assert review_message(START, [], today=date(2025, 5, 26)) == (
        "There has been no review since the start on 3 Mar 2025; the first is due today "
        "(26 May 2025): hold it today."
    )


def test_message_when_not_yet_due():
    assert review_message(START, [date(2025, 5, 20)], today=date(2025, 7, 22)) == (
        "The last review was on 20 May 2025; the next is due on 12 Aug 2025, in 21 days."
    )
