"""Is the apprentice ready for gateway (the step before end-point assessment)?

Seven checks, always in this order, each ready or not with one sentence:

1. units: every selected unit signed off and the signed-off units meet the
   rules of combination (`Progress.complete`);
2. care_certificate: all standards complete;
3. off_the_job: the hours logged reach the hours for the whole programme
   (`OffTheJobPace.programme_total`), not just the hours expected by today;
4. duration: today is on or after the day `minimum_months` after the start;
5. english and 6. maths: a level and the date it was achieved are recorded, on
   or before today;
7. review: the last progress review was held on or before today and no more
   than `review_weeks` weeks ago.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from assessor_app.domain.care_certificate import CareCertificateStatus
from assessor_app.domain.dates import add_months, format_date
from assessor_app.domain.off_the_job import OffTheJobPace
from assessor_app.domain.progress import Progress, UnitStatus
from assessor_app.domain.wording import credits, join_and, plural


def _be(count: int) -> str:
    return "is" if count == 1 else "are"


class GatewayKey(StrEnum):
    UNITS = "units"
    CARE_CERTIFICATE = "care_certificate"
    OFF_THE_JOB = "off_the_job"
    DURATION = "duration"
    ENGLISH = "english"
    MATHS = "maths"
    REVIEW = "review"


LABELS = {
    GatewayKey.UNITS: "Units",
    GatewayKey.CARE_CERTIFICATE: "Care Certificate",
    GatewayKey.OFF_THE_JOB: "Off-the-job training",
    GatewayKey.DURATION: "Minimum duration",
    GatewayKey.ENGLISH: "English",
    GatewayKey.MATHS: "Maths",
    GatewayKey.REVIEW: "Progress review",
}


@dataclass(frozen=True, slots=True)
class GatewayItem:
    key: GatewayKey
    label: str
    ready: bool
    sentence: str


@dataclass(frozen=True, slots=True)
class Gateway:
    ready: bool
    items: tuple[GatewayItem, ...]
    message: str

    @property
    def outstanding(self) -> tuple[GatewayItem, ...]:
        return tuple(item for item in self.items if not item.ready)


def _item(key: GatewayKey, ready: bool, sentence: str) -> GatewayItem:
    return GatewayItem(key, LABELS[key], ready, sentence)


def gateway_readiness(
    *,
    progress: Progress,
    care_certificate: CareCertificateStatus,
    off_the_job: OffTheJobPace,
    start: date,
    today: date,
    minimum_months: int = 12,
    english: tuple[str, date] | None,
    maths: tuple[str, date] | None,
    last_review: date | None,
    review_weeks: int = 12,
) -> Gateway:
    """Every gateway check, ready or not, with a sentence saying why.

    `english` and `maths` are (level, date achieved), e.g. ("Level 1", ...).
    """
    if minimum_months < 0 or review_weeks < 1:
        raise ValueError(
            f"A minimum of {minimum_months} months and reviews every {review_weeks} weeks "
            "cannot be checked."
        )
    items = (
        _units(progress),
        _care_certificate(care_certificate),
        _off_the_job(off_the_job),
        _duration(start, today, minimum_months),
        _subject(GatewayKey.ENGLISH, "English", english, today),
        _subject(GatewayKey.MATHS, "maths", maths, today),
        _review(last_review, today, review_weeks),
    )
    waiting = [item.label for item in items if not item.ready]
    if waiting:
        message = (
            f"Not ready for gateway: {len(waiting)} of {plural(len(items), 'check')} "
            f"{_be(len(waiting))} not met ({join_and(waiting)})."
        )
    else:
        message = f"Ready for gateway: all {len(items)} checks are met."
    return Gateway(ready=not waiting, items=items, message=message)


def _units(progress: Progress) -> GatewayItem:
    total = len(progress.units)
    signed = progress.count(UnitStatus.SIGNED_OFF)
    achieved = credits(progress.achieved.total)
    if progress.complete:
        return _item(
            GatewayKey.UNITS,
            True,
            f"All {plural(total, 'selected unit')} are signed off, giving {achieved} that "
            "meet the rules of combination.",
        )
    if signed == total:
        errors = progress.achieved_verdict.errors
        why = f": {errors[0].message}" if errors else "."
        return _item(
            GatewayKey.UNITS,
            False,
            f"All {plural(total, 'selected unit')} are signed off, giving {achieved}, but they "
            f"do not meet the rules of combination{why}",
        )
    left = total - signed
    needed = (
        f"; {plural(progress.credits_needed, 'more credit')} {_be(progress.credits_needed)} needed"
        if progress.credits_needed
        else ""
    )
    return _item(
        GatewayKey.UNITS,
        False,
        f"{signed} of {plural(total, 'selected unit')} {_be(signed)} signed "
        f"off, giving {achieved}; {left} {_be(left)} still to be signed "
        f"off{needed}.",
    )


def _care_certificate(cc: CareCertificateStatus) -> GatewayItem:
    if cc.complete and cc.completed_on is not None:
        return _item(
            GatewayKey.CARE_CERTIFICATE,
            True,
            f"The Care Certificate is complete: all {plural(cc.standards, 'standard')} were "
            f"completed by {format_date(cc.completed_on)}.",
        )
    outstanding = join_and([str(n) for n in cc.outstanding])
    which = "standard" if len(cc.outstanding) == 1 else "standards"
    return _item(
        GatewayKey.CARE_CERTIFICATE,
        False,
        f"The Care Certificate is not complete: {cc.completed} of "
        f"{plural(cc.standards, 'standard')} done; still to do: {which} {outstanding}.",
    )


def _off_the_job(otj: OffTheJobPace) -> GatewayItem:
    if otj.logged >= otj.programme_total:
        return _item(
            GatewayKey.OFF_THE_JOB,
            True,
            f"Off-the-job training for the whole programme is met: {otj.logged:.1f} hours "
            f"logged of the {otj.programme_total:.1f} required.",
        )
    short = otj.programme_total - otj.logged
    return _item(
        GatewayKey.OFF_THE_JOB,
        False,
        f"Off-the-job training is {short:.1f} hours short of the {otj.programme_total:.1f} "
        f"required for the whole programme ({otj.logged:.1f} logged).",
    )


def _duration(start: date, today: date, months: int) -> GatewayItem:
    reached = add_months(start, months)
    span = plural(months, "month")
    if today >= reached:
        return _item(
            GatewayKey.DURATION,
            True,
            f"The minimum duration of {span} was reached on {format_date(reached)} "
            f"(start {format_date(start)}).",
        )
    return _item(
        GatewayKey.DURATION,
        False,
        f"The minimum duration of {span} is reached on {format_date(reached)}, in "
        f"{plural((reached - today).days, 'day')} (start {format_date(start)}).",
    )


def _subject(
    key: GatewayKey, name: str, record: tuple[str, date] | None, today: date
) -> GatewayItem:
    subject = name[:1].upper() + name[1:]
    if record is None or not record[0].strip():
        return _item(
            key,
            False,
            f"No {name} level is recorded: record the level and the date it was achieved.",
        )
    level, on = record[0].strip(), record[1]
    if on > today:
        return _item(
            key,
            False,
            f"{subject} {level} is recorded as achieved on {format_date(on)}, which is after "
            "today: check the date.",
        )
    return _item(key, True, f"{subject} {level} was achieved on {format_date(on)}.")


def _review(last: date | None, today: date, weeks: int) -> GatewayItem:
    span = plural(weeks, "week")
    if last is None:
        return _item(
            GatewayKey.REVIEW,
            False,
            f"No progress review is recorded: hold one within the {span} before gateway.",
        )
    if last > today:
        return _item(
            GatewayKey.REVIEW,
            False,
            f"The last progress review is dated {format_date(last)}, which is after today: "
            "check the date.",
        )
    days = (today - last).days
    ago = "today" if days == 0 else f"{plural(days, 'day')} ago"
    if today - last <= timedelta(weeks=weeks):
        return _item(
            GatewayKey.REVIEW,
            True,
            f"The last progress review was on {format_date(last)}, {ago}, within the {span} "
            "allowed.",
        )
    return _item(
        GatewayKey.REVIEW,
        False,
        f"The last progress review was on {format_date(last)}, {ago}, more than {span} "
        "ago: hold a review before gateway.",
    )
