"""An apprentice's progress through the units they are taking.

Each unit in scope (the mandatory units and the optional units chosen) is not
started, in progress, ready for sign-off or signed off, judged from the
assessment criteria its accepted evidence covers. A unit whose catalogue entry
lists no criteria is judged as a whole: one accepted piece of evidence makes it
ready for the assessor to sign off.

What has been achieved is judged by the same rules engine as a choice of units
(`credit_rules.check_selection`), applied to the signed-off units alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from assessor_app.domain.catalogue import Qualification, RuleScope, Unit
from assessor_app.domain.credit_rules import (
    CreditSummary,
    Verdict,
    check_selection,
    summarise_credits,
)
from assessor_app.domain.dates import format_date
from assessor_app.domain.wording import credits, join_and, plural


class UnitStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    READY_FOR_SIGN_OFF = "ready_for_sign_off"
    SIGNED_OFF = "signed_off"


@dataclass(frozen=True, slots=True)
class UnitEvidence:
    """What the records hold for one unit of one apprentice."""

    ref: str
    criteria: tuple[str, ...]  # the unit's criterion numbers in the catalogue; may be empty
    covered: frozenset[str]  # criteria covered by accepted evidence
    accepted_pieces: int  # accepted pieces of evidence mapped to the unit
    signed_off_on: date | None
    signed_off_by: str = ""


@dataclass(frozen=True, slots=True)
class UnitProgress:
    ref: str
    title: str
    group: str
    credits: int | None  # None while the unit has no credit value
    status: UnitStatus
    criteria_total: int
    criteria_covered: int
    signed_off_on: date | None
    signed_off_by: str
    message: str


@dataclass(frozen=True)
class Progress:
    units: tuple[UnitProgress, ...]  # the units in scope, in catalogue order
    achieved: CreditSummary  # credits of the signed-off units
    achieved_verdict: Verdict  # the signed-off units judged on their own
    credits_needed: int  # to reach the qualification's total minimum; never below 0
    percent_complete: int  # achieved credits of the selection's credits, rounded down
    complete: bool  # every unit signed off and the signed-off units meet the rules
    selection_credits: int  # credits of every unit in scope that has a value
    message: str

    def count(self, status: UnitStatus) -> int:
        return sum(1 for u in self.units if u.status is status)


def total_minimum(qual: Qualification) -> int:
    """The fewest credits the qualification needs in total (0 when it sets no total)."""
    return max(
        (r.min_credits for r in qual.rules if r.scope is RuleScope.TOTAL and r.min_credits),
        default=0,
    )


def units_in_scope(qual: Qualification, selected_optional: Sequence[str]) -> tuple[Unit, ...]:
    """The mandatory units and the chosen optional ones, in catalogue order.

    References that are not units of the qualification are left out: the
    selection check reports them.
    """
    chosen = set(selected_optional)
    return tuple(u for u in qual.units if qual.is_mandatory(u.ref) or u.ref in chosen)


def unit_progress(unit: Unit, evidence: UnitEvidence | None) -> UnitProgress:
    """One unit's status and a sentence saying what it needs next."""
    if evidence is None:
        evidence = UnitEvidence(unit.ref, (), frozenset(), 0, None)
    criteria = tuple(dict.fromkeys(evidence.criteria))
    covered = [c for c in criteria if c in evidence.covered]
    missing = [c for c in criteria if c not in evidence.covered]
    pieces = evidence.accepted_pieces

    if evidence.signed_off_on is not None:
        status = UnitStatus.SIGNED_OFF
        by = f" by {evidence.signed_off_by}" if evidence.signed_off_by.strip() else ""
        message = f"Signed off on {format_date(evidence.signed_off_on)}{by}."
    elif not criteria:
        if pieces > 0:
            status = UnitStatus.READY_FOR_SIGN_OFF
            message = (
                f"{_pieces(pieces)} mapped to this unit, which has no assessment "
                "criteria in the catalogue: ready for the assessor to judge it as a "
                "whole and sign it off."
            )
        else:
            status = UnitStatus.NOT_STARTED
            message = "No accepted evidence is mapped to this unit yet."
    elif not missing:
        status = UnitStatus.READY_FOR_SIGN_OFF
        what = (
            "Its only criterion is" if len(criteria) == 1 else f"All {len(criteria)} criteria are"
        )
        message = f"{what} covered by accepted evidence: ready for sign-off."
    elif covered or pieces > 0:
        status = UnitStatus.IN_PROGRESS
        message = (
            f"{len(covered)} of {plural(len(criteria), 'criterion', 'criteria')} covered by "
            f"accepted evidence; still to cover: {join_and(missing)}."
        )
    else:
        status = UnitStatus.NOT_STARTED
        which = "its 1 criterion" if len(criteria) == 1 else f"any of its {len(criteria)} criteria"
        message = f"No accepted evidence yet for {which}."

    return UnitProgress(
        ref=unit.ref,
        title=unit.title,
        group=unit.group,
        credits=unit.credits if unit.has_credit_value else None,
        status=status,
        criteria_total=len(criteria),
        criteria_covered=len(covered),
        signed_off_on=evidence.signed_off_on,
        signed_off_by=evidence.signed_off_by if evidence.signed_off_on is not None else "",
        message=message,
    )


def _pieces(count: int) -> str:
    verb = "is" if count == 1 else "are"
    return f"{plural(count, 'accepted piece')} of evidence {verb}"


def progress(
    qual: Qualification,
    selected_optional: Sequence[str],
    evidence: Mapping[str, UnitEvidence],
) -> Progress:
    """Each unit's status and what the signed-off units achieve.

    `evidence` is keyed by unit reference; a unit with no entry is not started.
    Entries for units outside the selection are ignored. Percent complete is
    rounded down, so 100 means every credit of the selection is achieved; a
    selection with no credit values at all is 100% only once every unit in it
    is signed off.
    """
    scope = units_in_scope(qual, selected_optional)
    units = tuple(unit_progress(u, evidence.get(u.ref)) for u in scope)
    signed = [u.ref for u in units if u.status is UnitStatus.SIGNED_OFF]
    achieved = summarise_credits(qual, signed)
    verdict = check_selection(qual, signed, mandatory_implied=False, suggest=False)
    needed = max(total_minimum(qual) - achieved.total, 0)
    selection_credits = sum(u.countable_credits for u in scope)
    all_signed = len(signed) == len(units)
    if selection_credits:
        percent = achieved.total * 100 // selection_credits
    else:
        percent = 100 if units and all_signed else 0
    complete = all_signed and verdict.valid

    return Progress(
        units=units,
        achieved=achieved,
        achieved_verdict=verdict,
        credits_needed=needed,
        percent_complete=percent,
        complete=complete,
        selection_credits=selection_credits,
        message=_summary(qual, units, len(signed), achieved.total, needed, percent, complete),
    )


def _summary(
    qual: Qualification,
    units: tuple[UnitProgress, ...],
    signed: int,
    achieved: int,
    needed: int,
    percent: int,
    complete: bool,
) -> str:
    head = (
        f"{signed} of {plural(len(units), 'unit')} {_be(signed)} signed off, giving "
        f"{credits(achieved)} ({percent}% of the selection)"
    )
    if complete:
        return f"{head}: the {qual.title} is achieved."
    ready = sum(1 for u in units if u.status is UnitStatus.READY_FOR_SIGN_OFF)
    waiting = f"; {ready} {_be(ready)} ready for sign-off" if ready else ""
    if needed:
        return f"{head}{waiting}; {plural(needed, 'more credit')} {_be(needed)} needed."
    if signed == len(units):
        return f"{head}, but the signed-off units do not meet the rules of combination yet."
    left = len(units) - signed
    return f"{head}{waiting}; {plural(left, 'unit')} {_be(left)} still to be signed off."


def _be(count: int) -> str:
    return "is" if count == 1 else "are"
