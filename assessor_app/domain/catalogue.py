"""Qualifications as plain values: units, groups, credit rules and barred pairs.

Everything a rule depends on is data here, so another awarding body's variant or
another qualification is a catalogue, not a code change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class ValueStatus(StrEnum):
    """How far a unit's credit value can be trusted."""

    CONFIRMED = "confirmed"
    INDICATIVE = "indicative"  # taken from a closely similar unit: usable, needs confirming
    MISSING = "missing"  # no value: the unit cannot count until one is entered


class RuleScope(StrEnum):
    TOTAL = "total"  # every unit of the qualification
    OPTIONAL = "optional"  # units of the groups that are not mandatory
    GROUP = "group"  # the units of one group


@dataclass(frozen=True, slots=True)
class Unit:
    ref: str
    title: str
    group: str
    credits: int | None
    value_status: ValueStatus
    glh: int | None = None
    level: int | None = None
    kind: str = ""
    awarding_body_ref: str = ""
    source_unit_ref: str = ""  # the reference of the unit the value was taken from
    source: str = ""

    def __post_init__(self) -> None:
        if self.credits is not None and self.credits < 1:
            raise ValueError(f"unit {self.ref}: credits must be 1 or more")
        if self.value_status is not ValueStatus.MISSING and self.credits is None:
            raise ValueError(f"unit {self.ref}: a {self.value_status} value needs credits")

    @property
    def countable_credits(self) -> int:
        """Credits this unit adds to a total: none until a value is entered."""
        if self.value_status is ValueStatus.MISSING or self.credits is None:
            return 0
        return self.credits

    @property
    def has_credit_value(self) -> bool:
        return self.value_status is not ValueStatus.MISSING and self.credits is not None


@dataclass(frozen=True, slots=True)
class UnitGroup:
    code: str
    name: str
    mandatory: bool


@dataclass(frozen=True, slots=True)
class CreditRule:
    """At least `min_credits` and at most `max_credits` from the units in scope."""

    scope: RuleScope
    min_credits: int | None = None
    max_credits: int | None = None
    group: str | None = None

    def __post_init__(self) -> None:
        if (self.scope is RuleScope.GROUP) != (self.group is not None):
            raise ValueError("a group rule names its group; other rules do not")
        if self.min_credits is None and self.max_credits is None:
            raise ValueError("a credit rule needs a minimum, a maximum or both")

    @property
    def label(self) -> str:
        if self.scope is RuleScope.GROUP:
            return f"Group {self.group}"
        if self.scope is RuleScope.OPTIONAL:
            return "Optional units"
        return "The selection"


@dataclass(frozen=True, slots=True)
class BarredPair:
    unit_a: str
    unit_b: str
    reason: str = ""

    def involves(self, ref: str) -> bool:
        return ref in (self.unit_a, self.unit_b)

    def other(self, ref: str) -> str:
        return self.unit_b if ref == self.unit_a else self.unit_a


@dataclass(frozen=True)
class Qualification:
    code: str
    title: str
    groups: tuple[UnitGroup, ...]
    units: tuple[Unit, ...]
    rules: tuple[CreditRule, ...]
    barred_pairs: tuple[BarredPair, ...] = ()
    awarding_body: str = ""
    level: int | None = None
    total_qualification_time: int | None = None
    _by_ref: Mapping[str, Unit] = field(init=False, repr=False, compare=False)
    _group_by_code: Mapping[str, UnitGroup] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_ref = {u.ref: u for u in self.units}
        if len(by_ref) != len(self.units):
            raise ValueError(f"{self.code}: two units share a reference")
        groups = {g.code: g for g in self.groups}
        for unit in self.units:
            if unit.group not in groups:
                raise ValueError(f"{self.code}: unit {unit.ref} is in unknown group {unit.group}")
        for pair in self.barred_pairs:
            for ref in (pair.unit_a, pair.unit_b):
                if ref not in by_ref:
                    raise ValueError(f"{self.code}: barred pair names unknown unit {ref}")
        for rule in self.rules:
            if rule.group is not None and rule.group not in groups:
                raise ValueError(f"{self.code}: rule names unknown group {rule.group}")
        object.__setattr__(self, "_by_ref", by_ref)
        object.__setattr__(self, "_group_by_code", groups)

    def unit(self, ref: str) -> Unit:
        return self._by_ref[ref]

    def has_unit(self, ref: str) -> bool:
        return ref in self._by_ref

    def group(self, code: str) -> UnitGroup:
        return self._group_by_code[code]

    @property
    def mandatory_refs(self) -> tuple[str, ...]:
        return tuple(u.ref for u in self.units if self._group_by_code[u.group].mandatory)

    @property
    def optional_units(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if not self._group_by_code[u.group].mandatory)

    def is_mandatory(self, ref: str) -> bool:
        return self._group_by_code[self._by_ref[ref].group].mandatory

    def groups_in_scope(self, rule: CreditRule) -> frozenset[str]:
        if rule.scope is RuleScope.GROUP:
            assert rule.group is not None
            return frozenset((rule.group,))
        if rule.scope is RuleScope.OPTIONAL:
            return frozenset(g.code for g in self.groups if not g.mandatory)
        return frozenset(g.code for g in self.groups)

    def credits_by_group(self, refs: Iterable[str]) -> dict[str, int]:
        sums = {g.code: 0 for g in self.groups}
        for ref in refs:
            unit = self._by_ref[ref]
            sums[unit.group] += unit.countable_credits
        return sums
