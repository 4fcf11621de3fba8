"""Placement schedule checks: one apprentice's placements, and each host's capacity.

Dates are inclusive: a placement from 1 Sep to 30 Nov includes both days, so a
placement that starts the day after another ends follows it with no overlap and
no gap.

Severities: an ERROR is a schedule that cannot stand as it is (an apprentice in
two places at once, a placement outside the apprenticeship, a host's minimum age
or capacity broken) and must be corrected before the schedule is confirmed. A
WARNING is something to follow up that does not stop the placement going ahead:
a gap may be planned leave, late notice has already happened, and notice or a
mentor's name can still be added.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise

from assessor_app.domain.credit_rules import Severity
from assessor_app.domain.dates import age_on, format_date, turns_age_on
from assessor_app.domain.wording import join_and, plural

ONE_DAY = timedelta(days=1)


class ScheduleCode(StrEnum):
    """Stable finding codes: scripts and reports key on these, so never rename one."""

    PLACEMENT_ENDS_BEFORE_IT_STARTS = "PLACEMENT_ENDS_BEFORE_IT_STARTS"
    PLACEMENT_BEFORE_START = "PLACEMENT_BEFORE_START"
    PLACEMENT_AFTER_END = "PLACEMENT_AFTER_END"
    PLACEMENT_OVERLAP = "PLACEMENT_OVERLAP"
    PLACEMENT_GAP = "PLACEMENT_GAP"
    UNDER_MINIMUM_AGE = "UNDER_MINIMUM_AGE"
    DATE_OF_BIRTH_MISSING = "DATE_OF_BIRTH_MISSING"
    HOST_OVER_CAPACITY = "HOST_OVER_CAPACITY"
    NOTICE_LATE = "NOTICE_LATE"
    NOTICE_NOT_SENT = "NOTICE_NOT_SENT"
    MENTOR_MISSING = "MENTOR_MISSING"


SEVERITY: Mapping[ScheduleCode, Severity] = {
    ScheduleCode.PLACEMENT_ENDS_BEFORE_IT_STARTS: Severity.ERROR,
    ScheduleCode.PLACEMENT_BEFORE_START: Severity.ERROR,
    ScheduleCode.PLACEMENT_AFTER_END: Severity.ERROR,
    ScheduleCode.PLACEMENT_OVERLAP: Severity.ERROR,
    ScheduleCode.PLACEMENT_GAP: Severity.WARNING,
    ScheduleCode.UNDER_MINIMUM_AGE: Severity.ERROR,
    # The age limit cannot be checked, which is not the same as it being broken.
    ScheduleCode.DATE_OF_BIRTH_MISSING: Severity.WARNING,
    ScheduleCode.HOST_OVER_CAPACITY: Severity.ERROR,
    ScheduleCode.NOTICE_LATE: Severity.WARNING,
    ScheduleCode.NOTICE_NOT_SENT: Severity.WARNING,
    ScheduleCode.MENTOR_MISSING: Severity.WARNING,
}

_ORDER = {code: rank for rank, code in enumerate(ScheduleCode)}


@dataclass(frozen=True, slots=True)
class PlacementSlot:
    id: int
    apprentice_id: int
    apprentice_name: str
    organisation_id: int
    organisation_name: str
    setting_name: str
    start: date
    end: date  # the last day of the placement
    mentor: str = ""
    notice_sent_on: date | None = None
    host_min_age: int | None = None


@dataclass(frozen=True, slots=True)
class ApprenticeDates:
    apprentice_id: int
    name: str
    start: date
    planned_end: date
    date_of_birth: date | None


@dataclass(frozen=True, slots=True)
class ScheduleFinding:
    code: ScheduleCode
    severity: Severity
    message: str
    placement_ids: tuple[int, ...]
    # The days the finding is about, for overlaps, gaps and over-capacity periods.
    period: tuple[date, date] | None = None


def _finding(
    code: ScheduleCode,
    message: str,
    ids: tuple[int, ...],
    period: tuple[date, date] | None = None,
) -> ScheduleFinding:
    return ScheduleFinding(code, SEVERITY[code], message, ids, period)


def _where(p: PlacementSlot) -> str:
    return f"{p.organisation_name} ({p.setting_name})" if p.setting_name else p.organisation_name


def _span(start: date, end: date) -> str:
    if start == end:
        return f"on {format_date(start)}"
    return f"from {format_date(start)} to {format_date(end)}"


def _weeks(count: int) -> str:
    return "1 week's" if count == 1 else f"{count} weeks'"


def _relative_to_start(sent: date, start: date) -> str:
    days = (start - sent).days
    if days > 0:
        return f"{plural(days, 'day')} before the start"
    if days < 0:
        return f"{plural(-days, 'day')} after the start"
    return "on the first day"


def check_apprentice_schedule(
    apprentice: ApprenticeDates,
    placements: Sequence[PlacementSlot],
    *,
    today: date,
    notice_weeks: int = 4,
    max_gap_days: int = 7,
) -> list[ScheduleFinding]:
    """Check one apprentice's placements against their dates and each other.

    Placements of other apprentices are ignored, so a cohort's whole schedule
    can be passed. Findings come in date order. A gap is only looked for between
    placements, not before the first or after the last, so a schedule that is
    still being planned is not flagged. Notice not sent is only reported while
    the placement has not ended, when sending it still helps.
    """
    mine = sorted(
        (p for p in placements if p.apprentice_id == apprentice.apprentice_id),
        key=lambda p: (p.start, p.end, p.id),
    )
    keyed: list[tuple[tuple[date, date, int, int], ScheduleFinding]] = []

    def add(p: PlacementSlot, finding: ScheduleFinding) -> None:
        keyed.append(((p.start, p.end, p.id, _ORDER[finding.code]), finding))

    name = apprentice.name
    for p in mine:
        for finding in _placement_findings(apprentice, p, today=today, notice_weeks=notice_weeks):
            add(p, finding)

    valid = [p for p in mine if p.end >= p.start]
    for i, earlier in enumerate(valid):
        for later in valid[i + 1 :]:
            if later.start > earlier.end:
                break
            both = (earlier.id, later.id)
            overlap = (later.start, min(earlier.end, later.end))
            add(
                later,
                _finding(
                    ScheduleCode.PLACEMENT_OVERLAP,
                    f"{name}'s placements at {_where(earlier)} "
                    f"{_span(earlier.start, earlier.end)} and at {_where(later)} "
                    f"{_span(later.start, later.end)} overlap {_span(*overlap)}: change the "
                    "dates so that one ends before the other starts.",
                    both,
                    overlap,
                ),
            )

    covering: PlacementSlot | None = None
    for p in valid:
        if covering is not None:
            gap_days = (p.start - covering.end).days - 1
            if gap_days > max_gap_days:
                gap = (covering.end + ONE_DAY, p.start - ONE_DAY)
                add(
                    p,
                    _finding(
                        ScheduleCode.PLACEMENT_GAP,
                        f"{name} has no placement for {plural(gap_days, 'day')}, "
                        f"{_span(*gap)}, between {_where(covering)} and {_where(p)}: extend "
                        "one of them or add a placement for those days.",
                        (covering.id, p.id),
                        gap,
                    ),
                )
        if covering is None or p.end > covering.end:
            covering = p

    keyed.sort(key=lambda pair: pair[0])
    return [finding for _, finding in keyed]


def _placement_findings(
    apprentice: ApprenticeDates, p: PlacementSlot, *, today: date, notice_weeks: int
) -> list[ScheduleFinding]:
    name = apprentice.name
    where = _where(p)
    ids = (p.id,)
    found: list[ScheduleFinding] = []

    if p.end < p.start:
        found.append(
            _finding(
                ScheduleCode.PLACEMENT_ENDS_BEFORE_IT_STARTS,
                f"{name}'s placement at {where} ends on {format_date(p.end)}, before it "
                f"starts on {format_date(p.start)}: correct the dates.",
                ids,
            )
        )
    else:
        if p.start < apprentice.start:
            first = format_date(apprentice.start)
            found.append(
                _finding(
                    ScheduleCode.PLACEMENT_BEFORE_START,
                    f"{name}'s placement at {where} starts on {format_date(p.start)}, before "
                    f"the apprenticeship starts on {first}: start the placement on or after "
                    f"{first}, or correct the apprenticeship's start date.",
                    ids,
                )
            )
        if p.end > apprentice.planned_end:
            last = format_date(apprentice.planned_end)
            found.append(
                _finding(
                    ScheduleCode.PLACEMENT_AFTER_END,
                    f"{name}'s placement at {where} ends on {format_date(p.end)}, after the "
                    f"apprenticeship's planned end on {last}: end the placement by {last}, "
                    "or record a new planned end date.",
                    ids,
                )
            )

    if p.host_min_age is not None:
        limit = p.host_min_age
        dob = apprentice.date_of_birth
        if dob is None:
            found.append(
                _finding(
                    ScheduleCode.DATE_OF_BIRTH_MISSING,
                    f"{p.organisation_name} takes only apprentices aged {limit} or over, and "
                    f"{name}'s date of birth is not recorded: record it so that the placement "
                    f"starting {format_date(p.start)} can be checked.",
                    ids,
                )
            )
        elif (age := age_on(dob, p.start)) < limit:
            found.append(
                _finding(
                    ScheduleCode.UNDER_MINIMUM_AGE,
                    f"{name} is {age} on {format_date(p.start)}, the start of the placement "
                    f"at {where}, but {p.organisation_name} takes only apprentices aged "
                    f"{limit} or over: choose another host, or start the placement on or "
                    f"after {format_date(turns_age_on(dob, limit))}, when {name} turns {limit}.",
                    ids,
                )
            )

    notice_due = p.start - timedelta(weeks=notice_weeks)
    if p.notice_sent_on is not None:
        if p.notice_sent_on > notice_due:
            found.append(
                _finding(
                    ScheduleCode.NOTICE_LATE,
                    f"Notice of {name}'s placement at {where} from {format_date(p.start)} was "
                    f"sent on {format_date(p.notice_sent_on)}, "
                    f"{_relative_to_start(p.notice_sent_on, p.start)}; {_weeks(notice_weeks)} "
                    f"notice meant sending it by {format_date(notice_due)}: check that "
                    f"{name} and the host have the dates, location, working days and hours.",
                    ids,
                )
            )
    elif today >= notice_due and p.end >= today:
        if today < p.start:
            message = (
                f"No notice of {name}'s placement at {where} from {format_date(p.start)} has "
                f"been sent; {_weeks(notice_weeks)} notice means sending it by "
                f"{format_date(notice_due)}: send the dates, location, working days and hours "
                f"to {name} and the host now, and record the date sent."
            )
        else:
            message = (
                f"{name}'s placement at {where} started on {format_date(p.start)} with no "
                "notice recorded: record the date notice was sent, or send the dates, location, "
                f"working days and hours to {name} and the host now."
            )
        found.append(_finding(ScheduleCode.NOTICE_NOT_SENT, message, ids))

    if not p.mentor.strip():
        found.append(
            _finding(
                ScheduleCode.MENTOR_MISSING,
                f"No mentor is named for {name}'s placement at {where} "
                f"{_span(p.start, p.end)}: ask the host for a mentor and record their name.",
                ids,
            )
        )
    return found


def check_host_capacity(
    placements: Sequence[PlacementSlot], capacity: Mapping[int, int]
) -> list[ScheduleFinding]:
    """Each period in which a host has more apprentices at once than it can take.

    `capacity` gives the most apprentices each organisation can host at once;
    organisations not in it are not checked. An apprentice with two overlapping
    placements at one host (two settings, say) counts once: the overlap check
    reports the double booking. One finding per stretch of days with the same
    apprentices present, so each finding names exactly who is there. A sweep over
    start and end dates: the work grows with the number of placements, not days.
    """
    by_host: dict[int, list[PlacementSlot]] = {}
    for p in placements:
        if p.organisation_id in capacity and p.end >= p.start:
            by_host.setdefault(p.organisation_id, []).append(p)

    findings: list[ScheduleFinding] = []
    for host_id, host_placements in by_host.items():
        findings.extend(_host_findings(host_placements, capacity[host_id]))
    findings.sort(key=lambda f: (f.period or (date.min, date.min), f.message))
    return findings


def _host_findings(placements: list[PlacementSlot], limit: int) -> list[ScheduleFinding]:
    # Each placement enters on its start and leaves the day after its end.
    changes: dict[date, list[tuple[int, PlacementSlot]]] = {}
    for p in placements:
        changes.setdefault(p.start, []).append((1, p))
        changes.setdefault(p.end + ONE_DAY, []).append((-1, p))

    present: Counter[int] = Counter()  # apprentice id -> placements running today
    running: dict[int, PlacementSlot] = {}  # placement id -> placement
    findings: list[ScheduleFinding] = []
    days = sorted(changes)
    for day, next_day in pairwise(days):  # the last day only ends placements
        for step, p in changes[day]:
            present[p.apprentice_id] += step
            if present[p.apprentice_id] == 0:
                del present[p.apprentice_id]
            if step > 0:
                running[p.id] = p
            else:
                running.pop(p.id, None)
        if len(present) > limit:
            findings.append(_over_capacity(list(running.values()), limit, day, next_day - ONE_DAY))
    return findings


def _over_capacity(
    running: list[PlacementSlot], limit: int, start: date, end: date
) -> ScheduleFinding:
    running.sort(key=lambda p: (p.apprentice_name, p.apprentice_id, p.id))
    names = list({p.apprentice_id: p.apprentice_name for p in running}.values())
    host = min(running, key=lambda p: p.id).organisation_name
    count = len(names)
    if limit <= 0:
        can = f"{host} has no places for apprentices"
    else:
        can = f"{host} can host {plural(limit, 'apprentice')} at once"
    placed = "1 is" if count == 1 else f"{count} are"
    move = "this apprentice" if count == 1 else f"{count - max(limit, 0)} of them"
    return _finding(
        ScheduleCode.HOST_OVER_CAPACITY,
        f"{can}, but {placed} placed there {_span(start, end)}: {join_and(names)}. "
        f"Move {move} to another host or change the dates.",
        tuple(sorted(p.id for p in running)),
        (start, end),
    )
