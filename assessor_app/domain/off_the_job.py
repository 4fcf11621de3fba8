"""Off-the-job training pace: hours logged against the hours expected by today."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from assessor_app.domain.dates import format_date

TENTH = Decimal("0.1")
BEHIND_BELOW = Decimal("0.90")  # of the hours expected
# A little over the expected hours is only the timing of when training is logged,
# so 'ahead' starts at the same distance above as 'behind' does below.
AHEAD_ABOVE = Decimal("1.10")


class Pace(StrEnum):
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    BEHIND = "behind"


@dataclass(frozen=True, slots=True)
class OffTheJobPace:
    logged: Decimal  # hours logged up to and including today, as entered
    expected: Decimal  # hours expected by today, to 0.1 hour
    programme_total: Decimal  # hours for the whole programme, to 0.1 hour
    percent_of_expected: Decimal | None  # to 0.1 %; None while no hours are expected
    difference: Decimal  # logged minus expected, to 0.1 hour: below zero when behind
    pace: Pace
    message: str


def _tenths(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def off_the_job_pace(
    start: date,
    planned_end: date,
    today: date,
    contracted_hours_per_week: Decimal,
    logged: Sequence[tuple[date, Decimal]],
    *,
    target_share: Decimal = Decimal("0.20"),
    planned_total: Decimal | None = None,
) -> OffTheJobPace:
    """How the hours logged by today compare with the hours expected by today.

    The programme runs from `start` to `planned_end`, both days included. The
    hours for the whole programme are `planned_total` when the provider has
    planned them, otherwise `target_share` of the contracted hours for every week
    of the programme. The hours expected by today are that total pro rata to the
    days elapsed, today included. Entries dated after today are not counted yet.
    Behind means below 90% of the hours expected; ahead, above 110%.
    """
    if planned_end < start:
        raise ValueError(
            f"The planned end {format_date(planned_end)} is before the start {format_date(start)}."
        )
    if contracted_hours_per_week < 0 or target_share < 0:
        raise ValueError("Contracted hours and the off-the-job share cannot be negative.")
    days = (planned_end - start).days + 1
    elapsed = min(max((today - start).days + 1, 0), days)
    if planned_total is None:
        whole = target_share * contracted_hours_per_week * days / 7
    else:
        whole = planned_total
    expected = _tenths(whole * elapsed / days)
    done = sum((hours for on, hours in logged if on <= today), Decimal(0))
    shown = _tenths(done)
    difference = shown - expected

    head = f"{shown:.1f} hours logged"
    if expected <= 0:
        percent = None
        pace = Pace.AHEAD if done > 0 else Pace.ON_TRACK
        if today < start:
            message = f"{head}; none expected before the programme starts on {format_date(start)}."
        else:
            message = f"{head}; none expected by today."
    else:
        ratio = done * 100 / expected
        percent = ratio.quantize(TENTH, rounding=ROUND_HALF_UP)
        if done < expected * BEHIND_BELOW:
            pace, verdict = Pace.BEHIND, f"{-difference:.1f} hours behind"
        elif done > expected * AHEAD_ABOVE:
            pace, verdict = Pace.AHEAD, f"{difference:.1f} hours ahead"
        else:
            pace, verdict = Pace.ON_TRACK, "on track"
        whole_percent = ratio.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        message = f"{head}; {expected:.1f} expected by today ({whole_percent}%): {verdict}."

    return OffTheJobPace(
        logged=done,
        expected=expected,
        programme_total=_tenths(whole),
        percent_of_expected=percent,
        difference=difference,
        pace=pace,
        message=message,
    )
