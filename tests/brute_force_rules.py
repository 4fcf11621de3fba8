"""An independent, exhaustive checker for the rules of combination.

Written from the specification only, to test `assessor_app.domain.credit_rules`
and `assessor_app.domain.repairs` against. It reads the raw fields of the
catalogue values (never the helper methods of `Qualification`, and never the
engine's own functions) and is deliberately slow and plain: validity is a
direct reading of the rules, and repairs are found by trying every subset of
the possible changes. Use it on small catalogues only (a dozen free units at
most).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from assessor_app.domain.catalogue import Qualification, RuleScope, Unit, ValueStatus


def unit_refs(qual: Qualification) -> list[str]:
    return [unit.ref for unit in qual.units]


def find_unit(qual: Qualification, ref: str) -> Unit:
    for unit in qual.units:
        if unit.ref == ref:
            return unit
    raise KeyError(ref)


def is_mandatory_group(qual: Qualification, code: str) -> bool:
    for group in qual.groups:
        if group.code == code:
            return group.mandatory
    raise KeyError(code)


def mandatory_unit_refs(qual: Qualification) -> set[str]:
    return {unit.ref for unit in qual.units if is_mandatory_group(qual, unit.group)}


def value_is_missing(unit: Unit) -> bool:
    return unit.value_status == ValueStatus.MISSING or unit.credits is None


def credit_of(unit: Unit) -> int:
    """Credits a unit counts for: a unit with a missing value counts 0."""
    if value_is_missing(unit):
        return 0
    assert unit.credits is not None
    return unit.credits


def scope_groups(qual: Qualification, scope: RuleScope, group: str | None) -> set[str]:
    if scope == RuleScope.TOTAL:
        return {g.code for g in qual.groups}
    if scope == RuleScope.OPTIONAL:
        return {g.code for g in qual.groups if not g.mandatory}
    assert scope == RuleScope.GROUP
    assert group is not None
    return {group}


def effective_selection(
    qual: Qualification,
    chosen: Sequence[str],
    achieved: Iterable[str] = (),
    *,
    mandatory_implied: bool = True,
) -> set[str]:
    """Chosen units of the qualification, achieved units and (if implied) mandatory ones."""
    refs = set(unit_refs(qual))
    selection = {ref for ref in chosen if ref in refs}
    selection |= {ref for ref in achieved if ref in refs}
    if mandatory_implied:
        selection |= mandatory_unit_refs(qual)
    return selection


def foreign_refs(qual: Qualification, chosen: Sequence[str]) -> set[str]:
    refs = set(unit_refs(qual))
    return {ref for ref in chosen if ref not in refs}


@dataclass(frozen=True)
class Credits:
    total: int
    optional: int
    groups: dict[str, int]


def credit_sums(qual: Qualification, selection: Iterable[str]) -> Credits:
    selected = set(selection)
    groups = {}
    for group in qual.groups:
        groups[group.code] = sum(
            credit_of(unit)
            for unit in qual.units
            if unit.ref in selected and unit.group == group.code
        )
    total = sum(credit_of(unit) for unit in qual.units if unit.ref in selected)
    optional = sum(
        credit_of(unit)
        for unit in qual.units
        if unit.ref in selected and not is_mandatory_group(qual, unit.group)
    )
    return Credits(total=total, optional=optional, groups=groups)


def set_is_valid(qual: Qualification, selection: Iterable[str]) -> bool:
    """Is this complete set of units of the qualification a valid selection?"""
    selected = set(selection)
    assert selected <= set(unit_refs(qual)), "only units of the qualification"
    for ref in mandatory_unit_refs(qual):
        if ref not in selected:
            return False
    for unit in qual.units:
        if unit.ref in selected and value_is_missing(unit):
            return False
    for pair in qual.barred_pairs:
        if pair.unit_a in selected and pair.unit_b in selected:
            return False
    for rule in qual.rules:
        in_scope = scope_groups(qual, rule.scope, rule.group)
        have = sum(
            credit_of(unit)
            for unit in qual.units
            if unit.ref in selected and unit.group in in_scope
        )
        if rule.min_credits is not None and have < rule.min_credits:
            return False
        if rule.max_credits is not None and have > rule.max_credits:
            return False
    return True


def is_valid(
    qual: Qualification,
    chosen: Sequence[str],
    achieved: Iterable[str] = (),
    *,
    mandatory_implied: bool = True,
) -> bool:
    """Validity of a choice as the user gave it (foreign refs make it invalid)."""
    if foreign_refs(qual, chosen):
        return False
    selection = effective_selection(qual, chosen, achieved, mandatory_implied=mandatory_implied)
    return set_is_valid(qual, selection)


@dataclass(frozen=True)
class RepairSearch:
    """Every repair of one selection, found by trying every subset of free changes."""

    selection: frozenset[str]
    forced_add: frozenset[str]  # mandatory units missing from the selection
    forced_remove: frozenset[str]  # refs that are not units of the qualification
    minimal: tuple[tuple[frozenset[str], frozenset[str]], ...]  # (add, remove) of least size
    minimum: int | None  # size of a smallest repair (forced changes included), None if none

    @property
    def repairable(self) -> bool:
        return self.minimum is not None


def all_repairs(
    qual: Qualification,
    chosen: Sequence[str],
    achieved: Iterable[str] = (),
    *,
    mandatory_implied: bool = True,
) -> RepairSearch:
    """Try every set of changes; keep the smallest ones that give a valid selection.

    Possible changes: add a unit of the qualification that is not selected, or
    remove a selected unit that is neither achieved nor mandatory. Refs outside
    the qualification are always removed and missing mandatory units are always
    added; both count towards a repair's size.
    """
    selection = effective_selection(qual, chosen, achieved, mandatory_implied=mandatory_implied)
    achieved_refs = set(achieved) & set(unit_refs(qual))
    mandatory = mandatory_unit_refs(qual)
    forced_add = {ref for ref in mandatory if ref not in selection}
    forced_remove = foreign_refs(qual, chosen)

    free_add = [ref for ref in unit_refs(qual) if ref not in selection and ref not in mandatory]
    free_remove = [
        ref
        for ref in unit_refs(qual)
        if ref in selection and ref not in achieved_refs and ref not in mandatory
    ]
    free = [("add", ref) for ref in free_add] + [("remove", ref) for ref in free_remove]
    assert len(free) <= 14, "too many free units for an exhaustive search"

    best: int | None = None
    minimal: list[tuple[frozenset[str], frozenset[str]]] = []
    # Sizes in increasing order, so the first size with a solution is the minimum.
    for size in range(len(free) + 1):
        for changes in combinations(free, size):
            add = {ref for kind, ref in changes if kind == "add"} | forced_add
            remove = {ref for kind, ref in changes if kind == "remove"}
            final = (selection | add) - remove
            if set_is_valid(qual, final):
                minimal.append((frozenset(add), frozenset(remove | forced_remove)))
        if minimal:
            best = size + len(forced_add) + len(forced_remove)
            break
    return RepairSearch(
        selection=frozenset(selection),
        forced_add=frozenset(forced_add),
        forced_remove=frozenset(forced_remove),
        minimal=tuple(minimal),
        minimum=best,
    )
