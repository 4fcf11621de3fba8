"""The Care Certificate deadline: 15 standards, due 12 weeks after the start."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from assessor_app.domain.dates import format_date
from assessor_app.domain.wording import plural


@dataclass(frozen=True, slots=True)
class CareCertificateStatus:
    start: date
    due: date
    standards: int
    completed: int  # standards completed on or before today
    outstanding: tuple[int, ...]  # numbers of the standards still to do
    complete: bool
    completed_on: date | None  # when the last standard was completed, once all are
    overdue: bool  # not complete and past the due date
    days_left: int  # until the due date; 0 once complete or overdue
    days_overdue: int  # past the due date; 0 unless overdue
    message: str


def care_certificate_status(
    start: date,
    completed: Mapping[int, date | None],
    *,
    standards: int = 15,
    weeks: int = 12,
    today: date,
) -> CareCertificateStatus:
    """Where an apprentice stands against the Care Certificate deadline.

    `completed` maps standard number (1 to `standards`) to the date it was
    completed, or None while it is not. Dates after `today` are not counted yet,
    and numbers outside 1 to `standards` are ignored.
    """
    if standards < 1 or weeks < 0:
        raise ValueError(f"Cannot track {standards} standards over {weeks} weeks.")
    due = start + timedelta(weeks=weeks)
    done = {
        number: on
        for number, on in completed.items()
        if 1 <= number <= standards and on is not None and on <= today
    }
    outstanding = tuple(n for n in range(1, standards + 1) if n not in done)
    complete = not outstanding
    completed_on = max(done.values()) if complete else None
    overdue = not complete and today > due
    days_left = max((due - today).days, 0) if not complete else 0
    days_overdue = (today - due).days if overdue else 0

    if completed_on is not None:
        late = (completed_on - due).days
        when = (
            f"{plural(late, 'day')} after the due date of {format_date(due)}"
            if late > 0
            else f"within the {plural(weeks, 'week')} (due {format_date(due)})"
        )
        message = (
            f"All {plural(standards, 'standard')} complete on {format_date(completed_on)}, {when}."
        )
    else:
        progress = f"{len(done)} of {plural(standards, 'standard')} complete"
        if overdue:
            message = f"{progress}; due {format_date(due)}, {plural(days_overdue, 'day')} overdue."
        elif days_left == 0:
            message = f"{progress}; due today ({format_date(due)})."
        else:
            message = f"{progress}; due {format_date(due)}, {plural(days_left, 'day')} left."

    return CareCertificateStatus(
        start=start,
        due=due,
        standards=standards,
        completed=len(done),
        outstanding=outstanding,
        complete=complete,
        completed_on=completed_on,
        overdue=overdue,
        days_left=days_left,
        days_overdue=days_overdue,
        message=message,
    )
