"""Progress reviews: one is due a fixed number of weeks after the start or the last review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from assessor_app.domain.dates import format_date
from assessor_app.domain.wording import plural


def _check(interval_weeks: int) -> None:
    if interval_weeks < 1:
        raise ValueError(f"Reviews must be at least a week apart, not {interval_weeks} weeks.")


def _last_review(start: date, review_dates: Sequence[date]) -> date | None:
    held = [d for d in review_dates if d >= start]
    return max(held) if held else None


def next_review_due(start: date, review_dates: Sequence[date], *, interval_weeks: int = 12) -> date:
    """The date the next review is due: `interval_weeks` after the last one, or the start.

    Reviews dated before the start (entered in error, or from an earlier
    programme) do not count.
    """
    _check(interval_weeks)
    last = _last_review(start, review_dates)
    return (last or start) + timedelta(weeks=interval_weeks)


def review_overdue(
    start: date, review_dates: Sequence[date], *, today: date, interval_weeks: int = 12
) -> bool:
    """True when the next review's due date has passed. Reviews after today are not held yet."""
    held = [d for d in review_dates if d <= today]
    return today > next_review_due(start, held, interval_weeks=interval_weeks)


def review_message(
    start: date, review_dates: Sequence[date], *, today: date, interval_weeks: int = 12
) -> str:
    """One sentence for the apprentice's page: when the last review was and the next is due."""
    held = [d for d in review_dates if d <= today]
    last = _last_review(start, held)
    due = next_review_due(start, held, interval_weeks=interval_weeks)
    since = (
        f"The last review was on {format_date(last)}"
        if last is not None
        else f"There has been no review since the start on {format_date(start)}"
    )
    which = "next" if last is not None else "first"
    days = (due - today).days
    if days < 0:
        return (
            f"{since}; the {which} was due on {format_date(due)} and is "
            f"{plural(-days, 'day')} overdue: arrange a review now."
        )
    if days == 0:
        return f"{since}; the {which} is due today ({format_date(due)}): hold it today."
    return f"{since}; the {which} is due on {format_date(due)}, in {plural(days, 'day')}."
