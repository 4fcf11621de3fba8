"""The rules of combination: is a choice of units valid, and if not, why.

`check_selection` returns a `Verdict` with credit totals, findings (each with a
stable code, a severity and a sentence a tutor can act on) and repair
suggestions from `repairs.find_repairs`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from assessor_app.domain.catalogue import CreditRule, Qualification, RuleScope, Unit, ValueStatus
from assessor_app.domain.wording import credits, join_and, plural


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Code(StrEnum):
    """Stable finding codes: scripts and reports key on these, so never rename one."""

    MANDATORY_UNIT_MISSING = "MANDATORY_UNIT_MISSING"
    MANDATORY_UNIT_CHOSEN = "MANDATORY_UNIT_CHOSEN"
    TOTAL_BELOW_MIN = "TOTAL_BELOW_MIN"
    TOTAL_ABOVE_MAX = "TOTAL_ABOVE_MAX"
    OPTIONAL_BELOW_MIN = "OPTIONAL_BELOW_MIN"
    OPTIONAL_ABOVE_MAX = "OPTIONAL_ABOVE_MAX"
    GROUP_BELOW_MIN = "GROUP_BELOW_MIN"
    GROUP_ABOVE_MAX = "GROUP_ABOVE_MAX"
    BARRED_PAIR = "BARRED_PAIR"
    DUPLICATE_UNIT = "DUPLICATE_UNIT"
    UNIT_NOT_IN_QUALIFICATION = "UNIT_NOT_IN_QUALIFICATION"
    CREDIT_VALUE_MISSING = "CREDIT_VALUE_MISSING"
    CREDIT_VALUE_INDICATIVE = "CREDIT_VALUE_INDICATIVE"
    NO_VALID_COMPLETION = "NO_VALID_COMPLETION"
    NO_REPAIR_FOUND = "NO_REPAIR_FOUND"


_BELOW = {
    RuleScope.TOTAL: Code.TOTAL_BELOW_MIN,
    RuleScope.OPTIONAL: Code.OPTIONAL_BELOW_MIN,
    RuleScope.GROUP: Code.GROUP_BELOW_MIN,
}
_ABOVE = {
    RuleScope.TOTAL: Code.TOTAL_ABOVE_MAX,
    RuleScope.OPTIONAL: Code.OPTIONAL_ABOVE_MAX,
    RuleScope.GROUP: Code.GROUP_ABOVE_MAX,
}


@dataclass(frozen=True, slots=True)
class Finding:
    code: Code
    severity: Severity
    message: str
    units: tuple[str, ...] = ()
    group: str | None = None


@dataclass(frozen=True, slots=True)
class CreditSummary:
    total: int
    optional: int
    groups: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Repair:
    """One smallest set of changes that makes the selection valid."""

    add: tuple[str, ...]
    remove: tuple[str, ...]
    credits_after: CreditSummary
    message: str

    @property
    def size(self) -> int:
        return len(self.add) + len(self.remove)


@dataclass(frozen=True)
class Verdict:
    qualification: str
    valid: bool
    selection: tuple[str, ...]
    credits: CreditSummary
    findings: tuple[Finding, ...]
    suggestions: tuple[Repair, ...] = ()
    alternatives: int = 0
    completable: bool = True
    relies_on_indicative: bool = False
    required: tuple[CreditRule, ...] = field(default=())

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    def codes(self) -> set[str]:
        return {str(f.code) for f in self.findings}


def unit_label(unit: Unit) -> str:
    return f"{unit.ref} '{unit.title}'"


def summarise_credits(qual: Qualification, refs: Iterable[str]) -> CreditSummary:
    groups = qual.credits_by_group(refs)
    optional = sum(v for g, v in groups.items() if not qual.group(g).mandatory)
    return CreditSummary(total=sum(groups.values()), optional=optional, groups=groups)


def rule_sum(qual: Qualification, rule: CreditRule, groups: Mapping[str, int]) -> int:
    return sum(groups[g] for g in qual.groups_in_scope(rule))


def rule_breaches(qual: Qualification, groups: Mapping[str, int]) -> list[tuple[CreditRule, int]]:
    """Each broken rule with its signed gap: positive = credits short, negative = over."""
    breaches = []
    for rule in qual.rules:
        have = rule_sum(qual, rule, groups)
        if rule.min_credits is not None and have < rule.min_credits:
            breaches.append((rule, rule.min_credits - have))
        elif rule.max_credits is not None and have > rule.max_credits:
            breaches.append((rule, rule.max_credits - have))
    return breaches


def is_valid_set(qual: Qualification, refs: set[str]) -> bool:
    """True when a complete set of units (mandatory included) meets every rule."""
    if any(ref not in refs for ref in qual.mandatory_refs):
        return False
    if any(not qual.unit(ref).has_credit_value for ref in refs):
        return False
    if any(p.unit_a in refs and p.unit_b in refs for p in qual.barred_pairs):
        return False
    return not rule_breaches(qual, qual.credits_by_group(refs))


def check_selection(
    qual: Qualification,
    chosen: Sequence[str],
    achieved: Iterable[str] = (),
    *,
    mandatory_implied: bool = True,
    names: Mapping[str, str] | None = None,
    suggest: bool = True,
) -> Verdict:
    """Judge a choice of units against the qualification's rules of combination.

    `chosen` lists unit references as the user gave them (duplicates and units of
    other qualifications included, so they can be reported). With
    `mandatory_implied` the mandatory units are always part of the selection, as
    when a tutor lists only the optional units. Achieved units always count and
    are never suggested for removal. `names` gives titles for references that are
    not in this qualification.
    """
    from assessor_app.domain.repairs import find_repairs  # repairs builds on this module

    names = names or {}
    achieved_set = {ref for ref in achieved if qual.has_unit(ref)}
    findings: list[Finding] = []

    counts = Counter(chosen)
    foreign = [ref for ref in counts if not qual.has_unit(ref)]
    for ref in foreign:
        title = names.get(ref)
        what = f"{ref} '{title}'" if title else f"Unit {ref}"
        findings.append(
            Finding(
                Code.UNIT_NOT_IN_QUALIFICATION,
                Severity.ERROR,
                f"{what} is not part of the {qual.title}: remove it or choose one of this "
                "qualification's units instead.",
                units=(ref,),
            )
        )
    for ref, n in counts.items():
        if n > 1 and qual.has_unit(ref):
            findings.append(
                Finding(
                    Code.DUPLICATE_UNIT,
                    Severity.WARNING,
                    f"{unit_label(qual.unit(ref))} is listed {n} times; it counts once.",
                    units=(ref,),
                )
            )

    selected = {ref for ref in counts if qual.has_unit(ref)} | achieved_set
    if mandatory_implied:
        for ref in qual.mandatory_refs:
            if ref in counts:
                findings.append(
                    Finding(
                        Code.MANDATORY_UNIT_CHOSEN,
                        Severity.WARNING,
                        f"{unit_label(qual.unit(ref))} is a mandatory unit: it is always "
                        "included, so it need not be chosen.",
                        units=(ref,),
                    )
                )
        selected |= set(qual.mandatory_refs)
    else:
        for ref in qual.mandatory_refs:
            if ref not in selected:
                findings.append(
                    Finding(
                        Code.MANDATORY_UNIT_MISSING,
                        Severity.ERROR,
                        f"Mandatory unit {unit_label(qual.unit(ref))} is missing: every "
                        f"unit of group {qual.unit(ref).group} must be included.",
                        units=(ref,),
                        group=qual.unit(ref).group,
                    )
                )

    ordered = tuple(u.ref for u in qual.units if u.ref in selected)
    for ref in ordered:
        unit = qual.unit(ref)
        if not unit.has_credit_value:
            findings.append(
                Finding(
                    Code.CREDIT_VALUE_MISSING,
                    Severity.ERROR,
                    f"{unit_label(unit)} has no confirmed credit value, so it cannot count: "
                    "enter its value from the awarding body's specification in the "
                    "catalogue, or choose another unit.",
                    units=(ref,),
                    group=unit.group,
                )
            )
        elif unit.value_status is ValueStatus.INDICATIVE:
            findings.append(
                Finding(
                    Code.CREDIT_VALUE_INDICATIVE,
                    Severity.WARNING,
                    f"{unit_label(unit)} counts {credits(unit.countable_credits)}, an "
                    "indicative value taken from a similar unit: confirm it against the "
                    "awarding body's specification.",
                    units=(ref,),
                    group=unit.group,
                )
            )

    for pair in qual.barred_pairs:
        if pair.unit_a in selected and pair.unit_b in selected:
            why = f" ({pair.reason})" if pair.reason else ""
            findings.append(
                Finding(
                    Code.BARRED_PAIR,
                    Severity.ERROR,
                    f"{unit_label(qual.unit(pair.unit_a))} and "
                    f"{unit_label(qual.unit(pair.unit_b))} are a barred combination{why}: "
                    "only one of them can count, so keep one.",
                    units=(pair.unit_a, pair.unit_b),
                )
            )

    summary = summarise_credits(qual, ordered)
    findings.extend(_rule_findings(qual, ordered, summary))

    relies = any(qual.unit(r).value_status is ValueStatus.INDICATIVE for r in ordered)
    valid = not any(f.severity is Severity.ERROR for f in findings)
    suggestions: tuple[Repair, ...] = ()
    alternatives = 0
    completable = True
    if not valid and suggest:
        outcome = find_repairs(
            qual,
            selected=set(ordered),
            locked=achieved_set | set(qual.mandatory_refs),
            foreign=tuple(foreign),
        )
        suggestions, alternatives = outcome.repairs, outcome.alternatives
        if outcome.impossible:
            completable = False
            findings.append(Finding(Code.NO_VALID_COMPLETION, Severity.ERROR, outcome.impossible))
        elif not outcome.repairs:
            findings.append(
                Finding(
                    Code.NO_REPAIR_FOUND,
                    Severity.WARNING,
                    f"No way to fix this selection with up to {outcome.searched_up_to} changes "
                    "was found; choose units by hand using the findings above.",
                )
            )

    return Verdict(
        qualification=qual.code,
        valid=valid,
        selection=ordered,
        credits=summary,
        findings=tuple(findings),
        suggestions=suggestions,
        alternatives=alternatives,
        completable=completable,
        relies_on_indicative=relies,
        required=qual.rules,
    )


def _rule_findings(
    qual: Qualification, refs: Sequence[str], summary: CreditSummary
) -> list[Finding]:
    findings = []
    for rule, gap in rule_breaches(qual, summary.groups):
        scope = qual.groups_in_scope(rule)
        have = rule_sum(qual, rule, summary.groups)
        uncounted = sum(
            1 for r in refs if qual.unit(r).group in scope and not qual.unit(r).has_credit_value
        )
        note = (
            f" (not counting {plural(uncounted, 'unit')} with no confirmed credit value)"
            if uncounted
            else ""
        )
        if gap > 0:
            findings.append(
                Finding(
                    _BELOW[rule.scope],
                    Severity.ERROR,
                    _below_message(rule, have, gap, note),
                    group=rule.group,
                )
            )
        else:
            findings.append(
                Finding(
                    _ABOVE[rule.scope],
                    Severity.ERROR,
                    _above_message(rule, have, -gap, note),
                    group=rule.group,
                )
            )
    return findings


def _below_message(rule: CreditRule, have: int, gap: int, note: str) -> str:
    need = rule.min_credits
    if rule.scope is RuleScope.GROUP:
        return (
            f"Group {rule.group} has {credits(have)}{note}; at least {need} are needed: "
            f"add {gap} or more credits from group {rule.group}."
        )
    if rule.scope is RuleScope.OPTIONAL:
        return (
            f"Optional units give {credits(have)}{note}; at least {need} are needed: "
            f"add {gap} or more optional credits."
        )
    return (
        f"The selection has {credits(have)} in total{note}; at least {need} are needed: "
        f"add {gap} or more credits of optional units."
    )


def _above_message(rule: CreditRule, have: int, excess: int, note: str) -> str:
    limit = rule.max_credits
    if rule.scope is RuleScope.GROUP:
        return (
            f"Group {rule.group} has {credits(have)}{note}; at most {limit} may count: "
            f"remove {excess} or more credits from group {rule.group}."
        )
    if rule.scope is RuleScope.OPTIONAL:
        return (
            f"Optional units give {credits(have)}{note}; at most {limit} are allowed: "
            f"remove {excess} or more optional credits."
        )
    return (
        f"The selection has {credits(have)} in total{note}; at most {limit} are allowed: "
        f"remove {excess} or more credits."
    )


def describe_changes(qual: Qualification, add: Sequence[str], remove: Sequence[str]) -> str:
    """'Add B4 'Awareness of Dementia' (2 credits); remove C1 ...' for one repair."""

    def part(ref: str) -> str:
        unit = qual.unit(ref) if qual.has_unit(ref) else None
        if unit is None:
            return ref
        value = credits(unit.countable_credits) if unit.has_credit_value else "no credit value"
        if unit.value_status is ValueStatus.INDICATIVE:
            value += ", indicative"
        return f"{unit_label(unit)} ({value})"

    parts = []
    if add:
        parts.append("add " + join_and([part(r) for r in add]))
    if remove:
        parts.append("remove " + join_and([part(r) for r in remove]))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."
