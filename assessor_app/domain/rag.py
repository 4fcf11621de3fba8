"""A red, amber or green status for an apprentice, with the reasons in plain English.

Three things are weighed: units against the plan, the Care Certificate deadline
and the off-the-job training pace.

A unit is *expected* once its planned date (the end of the placement it is
planned in) plus `grace_days` has passed: on the day exactly `grace_days` after
the placement ends it is not expected yet; the day after, it is. An expected
unit is *behind* while it is not signed off (sign-offs dated after today do not
count yet).

Red, when any of:
- 6 or more credits are behind plan (`RED_CREDITS_BEHIND`);
- the Care Certificate is overdue by more than 28 days, i.e. four weeks
  (`RED_CARE_CERTIFICATE_DAYS`);
- off-the-job training is below 75% of the hours expected by today
  (`RED_OFF_THE_JOB_PERCENT`).

Amber, when not red and any of:
- any unit is behind plan, even one with no credit value;
- the Care Certificate is overdue at all;
- off-the-job training is behind (below 90% of the hours expected, as
  `off_the_job.off_the_job_pace` decides).

Green otherwise. Every reason that applies is given, red ones first, and in
the order units, Care Certificate, off-the-job within a colour; a green status
has one reason saying why it is green.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from assessor_app.domain.care_certificate import CareCertificateStatus
from assessor_app.domain.dates import format_date
from assessor_app.domain.off_the_job import OffTheJobPace, Pace
from assessor_app.domain.wording import credits, join_and, plural

RED_CREDITS_BEHIND = 6
RED_CARE_CERTIFICATE_DAYS = 28  # red when overdue by more than this
RED_OFF_THE_JOB_PERCENT = Decimal(75)  # red when below this percentage of the hours expected


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


_RANK = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}


@dataclass(frozen=True, slots=True)
class RagStatus:
    colour: Rag
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Expected:
    ref: str
    credits: int
    due: date


def rag_status(
    *,
    today: date,
    expected_units: Sequence[tuple[str, int, date]],
    signed_off: Mapping[str, date],
    care_certificate: CareCertificateStatus,
    off_the_job: OffTheJobPace,
    grace_days: int = 28,
    titles: Mapping[str, str] | None = None,
) -> RagStatus:
    """The apprentice's colour and every reason for it.

    `expected_units` holds (unit reference, credits, date by which it should be
    signed off); `signed_off` maps unit reference to its sign-off date; `titles`
    (unit reference to title) lets the reasons name the units.
    """
    if grace_days < 0:
        raise ValueError(f"The grace period cannot be negative ({grace_days} days).")
    titles = titles or {}
    reasons: list[tuple[Rag, str]] = []

    expected = [
        _Expected(ref, max(value, 0), due)
        for ref, value, due in expected_units
        if today > due + timedelta(days=grace_days)
    ]
    behind = [u for u in expected if u.ref not in signed_off or signed_off[u.ref] > today]
    behind.sort(key=lambda u: u.due)
    if behind:
        total = sum(u.credits for u in behind)
        colour = Rag.RED if total >= RED_CREDITS_BEHIND else Rag.AMBER
        reasons.append((colour, _behind_reason(behind, total, titles)))

    cc = care_certificate
    if cc.overdue:
        colour = Rag.RED if cc.days_overdue > RED_CARE_CERTIFICATE_DAYS else Rag.AMBER
        reasons.append(
            (
                colour,
                f"The Care Certificate is {plural(cc.days_overdue, 'day')} overdue (due "
                f"{format_date(cc.due)}): {cc.completed} of "
                f"{plural(cc.standards, 'standard')} complete.",
            )
        )

    otj = off_the_job
    percent = otj.percent_of_expected
    if otj.pace is Pace.BEHIND and percent is not None:
        colour = Rag.RED if percent < RED_OFF_THE_JOB_PERCENT else Rag.AMBER
        whole = percent.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        reasons.append(
            (
                colour,
                f"Off-the-job training is behind: {otj.logged:.1f} hours logged against "
                f"{otj.expected:.1f} expected by today ({whole}%).",
            )
        )

    if not reasons:
        return RagStatus(Rag.GREEN, (_green_reason(expected, cc, otj, grace_days),))
    worst = max((colour for colour, _ in reasons), key=_RANK.__getitem__)
    ordered = sorted(reasons, key=lambda r: -_RANK[r[0]])
    return RagStatus(worst, tuple(text for _, text in ordered))


def _label(ref: str, titles: Mapping[str, str]) -> str:
    title = titles.get(ref, "").strip()
    return f"{ref} '{title}'" if title else ref


def _value(u: _Expected) -> str:
    return credits(u.credits) if u.credits else "no credit value"


def _behind_reason(behind: list[_Expected], total: int, titles: Mapping[str, str]) -> str:
    amount = credits(total) if total else plural(len(behind), "unit")
    verb = "is" if (total or len(behind)) == 1 else "are"
    if len(behind) == 1:
        u = behind[0]
        return (
            f"{amount} {verb} behind plan: {_label(u.ref, titles)} ({_value(u)}) was planned "
            f"for the placement ending {format_date(u.due)} and is not signed off."
        )
    items = [
        f"{_label(u.ref, titles)} ({_value(u)}, placement ending {format_date(u.due)})"
        for u in behind
    ]
    return f"{amount} {verb} behind plan: {join_and(items)} are not signed off."


def _green_reason(
    expected: list[_Expected], cc: CareCertificateStatus, otj: OffTheJobPace, grace_days: int
) -> str:
    if not expected:
        units = "no unit is due for sign-off yet"
    elif len(expected) == 1:
        units = (
            f"the 1 unit planned for a placement that ended more than "
            f"{plural(grace_days, 'day')} ago is signed off"
        )
    else:
        units = (
            f"all {len(expected)} units planned for placements that ended more than "
            f"{plural(grace_days, 'day')} ago are signed off"
        )
    if cc.complete:
        care = "the Care Certificate is complete"
    else:
        care = f"the Care Certificate is not overdue (due {format_date(cc.due)})"
    if otj.percent_of_expected is None:
        hours = "no off-the-job hours are expected yet"
    else:
        state = "ahead" if otj.pace is Pace.AHEAD else "on track"
        hours = (
            f"off-the-job training is {state} ({otj.logged:.1f} of {otj.expected:.1f} "
            "hours expected by today)"
        )
    return f"On plan: {units}, {care} and {hours}."
