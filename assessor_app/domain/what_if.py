"""What changing an apprentice's optional units would do, before anything is saved.

A tutor proposes a new choice of optional units; the answer says whether it
meets the rules (with the signed-off units it keeps counted as achieved), which
signed-off units it would drop, and which accepted evidence would stop counting
towards any selected unit (orphaned) or towards some of its units (partly
orphaned). Only what the proposal changes is reported: evidence that counts
towards no unit of the current selection either is not orphaned by it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from assessor_app.domain.catalogue import Qualification
from assessor_app.domain.credit_rules import (
    CreditSummary,
    Verdict,
    check_selection,
    summarise_credits,
    unit_label,
)
from assessor_app.domain.progress import total_minimum
from assessor_app.domain.wording import credits, join_and, plural


@dataclass(frozen=True)
class WhatIf:
    verdict: Verdict  # the proposed selection, signed-off units in it counted as achieved
    achieved: CreditSummary  # credits of the signed-off units still in the proposed selection
    credits_still_needed: int  # to reach the qualification's total minimum; never below 0
    added: tuple[str, ...]  # optional units the proposal adds, in catalogue order
    removed: tuple[str, ...]  # optional units the proposal removes, in catalogue order
    dropped_signed_off: tuple[str, ...]  # signed-off units among those removed
    orphaned_evidence: tuple[int, ...]  # accepted evidence that would count towards no unit
    partly_orphaned: tuple[int, ...]  # accepted evidence that would lose some of its units
    summary: str


def _selection(qual: Qualification, optional: Sequence[str]) -> set[str]:
    return {ref for ref in optional if qual.has_unit(ref)} | set(qual.mandatory_refs)


def what_if(
    qual: Qualification,
    current_optional: Sequence[str],
    proposed_optional: Sequence[str],
    signed_off: Collection[str],
    accepted_evidence_units: Mapping[int, frozenset[str]],
    *,
    suggest: bool = True,
) -> WhatIf:
    """Compare the proposed optional units with the current ones.

    `signed_off` holds the references of the apprentice's signed-off units and
    `accepted_evidence_units` maps each accepted piece of evidence to the unit
    references it covers. `suggest` asks the rules engine for repairs when the
    proposal breaks a rule.
    """
    current = _selection(qual, current_optional)
    proposed = _selection(qual, proposed_optional)
    order = [u.ref for u in qual.units]
    added = tuple(r for r in order if r in proposed and r not in current)
    removed = tuple(r for r in order if r in current and r not in proposed)
    kept_signed = [r for r in order if r in proposed and r in signed_off]
    dropped = tuple(r for r in removed if r in signed_off)

    verdict = check_selection(qual, proposed_optional, kept_signed, suggest=suggest)
    achieved = summarise_credits(qual, kept_signed)
    needed = max(total_minimum(qual) - achieved.total, 0)

    orphaned = []
    partly = []
    for evidence_id in sorted(accepted_evidence_units):
        refs = accepted_evidence_units[evidence_id]
        counted_now = refs & current
        if not counted_now:
            continue
        still = refs & proposed
        if not still:
            orphaned.append(evidence_id)
        elif counted_now - proposed:
            partly.append(evidence_id)

    return WhatIf(
        verdict=verdict,
        achieved=achieved,
        credits_still_needed=needed,
        added=added,
        removed=removed,
        dropped_signed_off=dropped,
        orphaned_evidence=tuple(orphaned),
        partly_orphaned=tuple(partly),
        summary=_summary(
            qual, added, removed, verdict, achieved, needed, dropped, orphaned, partly
        ),
    )


def _labels(qual: Qualification, refs: Sequence[str]) -> str:
    return join_and([unit_label(qual.unit(r)) for r in refs])


def _summary(
    qual: Qualification,
    added: Sequence[str],
    removed: Sequence[str],
    verdict: Verdict,
    achieved: CreditSummary,
    needed: int,
    dropped: Sequence[str],
    orphaned: Sequence[int],
    partly: Sequence[int],
) -> str:
    sentences = []
    if added and removed:
        sentences.append(
            f"The proposal adds {_labels(qual, added)} and removes {_labels(qual, removed)}."
        )
    elif added:
        sentences.append(f"The proposal adds {_labels(qual, added)}.")
    elif removed:
        sentences.append(f"The proposal removes {_labels(qual, removed)}.")
    else:
        sentences.append("The proposal makes no change to the units.")

    total = credits(verdict.credits.total)
    if verdict.valid:
        sentences.append(f"It meets the rules of combination with {total} in total.")
    else:
        problems = plural(len(verdict.errors), "problem")
        sentences.append(f"It does not meet the rules of combination ({total}; {problems}).")

    sentences.append(
        f"Signed-off units in it give {credits(achieved.total)}; "
        f"{plural(needed, 'more credit')} {'is' if needed == 1 else 'are'} needed."
    )
    if dropped:
        sentences.append(
            f"It drops {plural(len(dropped), 'signed-off unit')}, whose credits would no "
            f"longer count: {_labels(qual, dropped)}."
        )
    if orphaned:
        sentences.append(
            f"{plural(len(orphaned), 'piece')} of accepted evidence would count towards no "
            "selected unit."
        )
    if partly:
        sentences.append(
            f"{plural(len(partly), 'piece')} of accepted evidence would count towards fewer "
            "units than now."
        )
    return " ".join(sentences)
