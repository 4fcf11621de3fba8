"""Property tests: the credit rules engine against an exhaustive brute-force checker.

Small random qualifications (2-4 groups, at most one mandatory, 2-9 units,
credits 1-6 or missing, some indicative, a few barred pairs, 1-4 rules) and
random choices are judged by `check_selection` and by `brute_force_rules`, which
is written from the specification alone and tries every subset of changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from assessor_app.domain.catalogue import (
    BarredPair,
    CreditRule,
    Qualification,
    RuleScope,
    Unit,
    UnitGroup,
    ValueStatus,
)
from assessor_app.domain.credit_rules import Verdict, check_selection
from assessor_app.domain.repairs import MAX_SUGGESTIONS, SOLUTION_CAP

try:  # tests/ is not a package; keep working if it becomes one
    import brute_force_rules as bf
except ImportError:  # pragma: no cover
    from tests import brute_force_rules as bf

FOREIGN_REF = "ZZ9"

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# ---------------------------------------------------------------------------
# Strategies


@dataclass(frozen=True)
class Case:
    qual: Qualification
    chosen: list[str]
    achieved: list[str]
    mandatory_implied: bool

    def check(self, *, suggest: bool = True) -> Verdict:
        return check_selection(
            self.qual,
            self.chosen,
            self.achieved,
            mandatory_implied=self.mandatory_implied,
            suggest=suggest,
        )

    def repairs(self) -> bf.RepairSearch:
        return bf.all_repairs(
            self.qual, self.chosen, self.achieved, mandatory_implied=self.mandatory_implied
        )

    def brute_valid(self) -> bool:
        return bf.is_valid(
            self.qual, self.chosen, self.achieved, mandatory_implied=self.mandatory_implied
        )


# Strategies are built once here (and indices drawn as integers) because
# building strategies inside the loops below dominated the run time.
GROUP_CODES = ("A", "B", "C", "D")
STATUSES = st.sampled_from(
    (ValueStatus.CONFIRMED,) * 8 + (ValueStatus.INDICATIVE,) * 3 + (ValueStatus.MISSING,)
)
CREDITS = st.integers(1, 6)
SCOPES = st.sampled_from(tuple(RuleScope))
BOUNDS = st.sampled_from(("min", "max", "both"))
RULE_COUNTS = st.sampled_from((1, 1, 2, 2, 3, 4))


def index(n: int) -> st.SearchStrategy[int]:
    return st.integers(0, n - 1)


@st.composite
def units_for(draw: st.DrawFn, group_codes: tuple[str, ...]) -> list[Unit]:
    n_units = draw(st.integers(min_value=2, max_value=9))
    units = []
    for i in range(n_units):
        group = group_codes[draw(index(len(group_codes)))]
        status = draw(STATUSES)
        value = None if status is ValueStatus.MISSING else draw(CREDITS)
        units.append(Unit(f"{group}{i + 1}", f"Unit {i + 1}", group, value, status))
    return units


@st.composite
def credit_rules(draw: st.DrawFn, groups: tuple[UnitGroup, ...], units: list[Unit]) -> CreditRule:
    """A rule whose bounds are mostly reachable with the units in its scope."""
    scope = draw(SCOPES)
    group = groups[draw(index(len(groups)))].code if scope is RuleScope.GROUP else None
    in_scope = {
        g.code
        for g in groups
        if scope is RuleScope.TOTAL
        or (scope is RuleScope.OPTIONAL and not g.mandatory)
        or g.code == group
    }
    capacity = sum(u.credits or 0 for u in units if u.group in in_scope)
    bounds = draw(BOUNDS)
    if bounds == "min":
        return CreditRule(scope, draw(st.integers(0, capacity + 1)), None, group)
    if bounds == "max":
        return CreditRule(scope, None, draw(st.integers(capacity // 2, capacity + 1)), group)
    low = draw(st.integers(0, capacity))
    # Mostly a sensible range, occasionally an empty one (maximum below minimum).
    return CreditRule(scope, low, max(0, low + draw(st.integers(-1, 6))), group)


@st.composite
def qualifications(draw: st.DrawFn) -> Qualification:
    codes = GROUP_CODES[: draw(st.integers(min_value=2, max_value=4))]
    mandatory_at = draw(st.integers(-1, len(codes) - 1))  # -1: no mandatory group
    groups = tuple(UnitGroup(c, f"Group {c}", i == mandatory_at) for i, c in enumerate(codes))
    units = draw(units_for(codes))
    n = len(units)
    pairs = []
    for _ in range(draw(st.integers(0, 3))):
        a = draw(index(n))
        b = draw(index(n - 1))
        b = b + 1 if b >= a else b  # a different unit
        pairs.append(BarredPair(units[a].ref, units[b].ref))
    rules = [draw(credit_rules(groups, units)) for _ in range(draw(RULE_COUNTS))]
    return Qualification(
        code="Q",
        title="Test qualification",
        groups=groups,
        units=tuple(units),
        rules=tuple(rules),
        barred_pairs=tuple(pairs),
    )


@st.composite
def cases(draw: st.DrawFn) -> Case:
    qual = draw(qualifications())
    refs = [u.ref for u in qual.units]
    # Index len(refs) stands for a ref of another qualification, in half the cases.
    top = len(refs) if draw(st.booleans()) else len(refs) - 1
    chosen = [
        refs[i] if i < len(refs) else FOREIGN_REF
        for i in draw(st.lists(st.integers(0, top), max_size=8))
    ]
    achieved = [refs[i] for i in draw(st.lists(index(len(refs)), max_size=2, unique=True))]
    return Case(qual, chosen, achieved, draw(st.booleans()))


# ---------------------------------------------------------------------------
# Helpers for the hand-written regression cases


def qual_of(
    units: list[tuple[str, str, int | None]],
    rules: list[CreditRule],
    *,
    mandatory: str | None = None,
    barred: Sequence[tuple[str, str]] = (),
    indicative: tuple[str, ...] = (),
) -> Qualification:
    """units as (ref, group, credits or None for a missing value)."""
    codes = sorted({g for _r, g, _c in units} | ({mandatory} if mandatory else set()))
    return Qualification(
        code="Q",
        title="Test qualification",
        groups=tuple(UnitGroup(c, f"Group {c}", c == mandatory) for c in codes),
        units=tuple(
            Unit(
                ref,
                ref,
                group,
                value,
                ValueStatus.MISSING
                if value is None
                else ValueStatus.INDICATIVE
                if ref in indicative
                else ValueStatus.CONFIRMED,
            )
            for ref, group, value in units
        ),
        rules=tuple(rules),
        barred_pairs=tuple(BarredPair(a, b) for a, b in barred),
    )


def nothing_chosen(qual: Qualification) -> Case:
    return Case(qual, chosen=[], achieved=[], mandatory_implied=True)


# Catalogues with no valid selection at all that no single rule's credit bound
# reveals: only an exhausted search shows it (once reported as NO_REPAIR_FOUND).
UNCOMPLETABLE = {
    # The minimal case hypothesis shrank to: one TOTAL rule needs at least 1
    # credit, another allows at most 0.
    "min_and_max_rules_clash": nothing_chosen(
        qual_of(
            [("A1", "A", 1), ("A2", "A", 1)],
            [CreditRule(RuleScope.TOTAL, 1), CreditRule(RuleScope.TOTAL, None, 0)],
        )
    ),
    # Exactly 3 credits are needed; the units give 2 + 2.
    "exact_total_no_subset_reaches": nothing_chosen(
        qual_of([("A1", "A", 2), ("A2", "A", 2)], [CreditRule(RuleScope.TOTAL, 3, 3)])
    ),
    # 6 credits are needed and only the two barred units together reach them.
    "barred_pair_blocks_the_minimum": nothing_chosen(
        qual_of(
            [("A1", "A", 3), ("A2", "A", 3)],
            [CreditRule(RuleScope.TOTAL, 6)],
            barred=[("A1", "A2")],
        )
    ),
}


# ---------------------------------------------------------------------------
# Property 1: validity


@SETTINGS
@given(cases())
def test_valid_matches_brute_force(case: Case) -> None:
    verdict = case.check(suggest=False)
    assert verdict.valid == case.brute_valid()


@SETTINGS
@given(cases())
def test_selection_is_the_effective_selection(case: Case) -> None:
    verdict = case.check(suggest=False)
    expected = bf.effective_selection(
        case.qual, case.chosen, case.achieved, mandatory_implied=case.mandatory_implied
    )
    assert set(verdict.selection) == expected
    assert len(verdict.selection) == len(expected)
    # In catalogue order.
    assert list(verdict.selection) == [r for r in bf.unit_refs(case.qual) if r in expected]


# ---------------------------------------------------------------------------
# Property 2: credit sums


@SETTINGS
@given(cases())
def test_credits_match_brute_force(case: Case) -> None:
    verdict = case.check(suggest=False)
    expected = bf.credit_sums(
        case.qual,
        bf.effective_selection(
            case.qual, case.chosen, case.achieved, mandatory_implied=case.mandatory_implied
        ),
    )
    assert verdict.credits.total == expected.total
    assert verdict.credits.optional == expected.optional
    assert dict(verdict.credits.groups) == expected.groups


# ---------------------------------------------------------------------------
# Property 3: repairs are valid and minimal


def _apply(verdict: Verdict, add: tuple[str, ...], remove: tuple[str, ...]) -> set[str]:
    return (set(verdict.selection) | set(add)) - set(remove)


@SETTINGS
@given(cases())
def test_suggestions_are_valid_minimal_repairs(case: Case) -> None:
    verdict = case.check()
    search = case.repairs()
    assume(not verdict.valid and search.repairable)
    assert verdict.suggestions, "a repair exists, so the engine should suggest one"
    achieved = set(case.achieved)
    mandatory = bf.mandatory_unit_refs(case.qual)
    seen = set()
    for repair in verdict.suggestions:
        add, remove = set(repair.add), set(repair.remove)
        assert len(add) == len(repair.add) and len(remove) == len(repair.remove)
        key = (frozenset(add), frozenset(remove))
        assert key not in seen, "the same repair is suggested twice"
        seen.add(key)
        # Every change is a real change, within the rules for changes.
        assert not add & set(verdict.selection)
        assert add <= set(bf.unit_refs(case.qual))
        assert remove <= set(verdict.selection) | search.forced_remove
        assert not remove & achieved, "an achieved unit is never removed"
        assert not remove & mandatory, "a mandatory unit is never removed"
        # The forced changes are in every suggestion.
        assert search.forced_remove <= remove
        assert search.forced_add <= add
        # The result is valid and the repair is as small as any.
        after = _apply(verdict, repair.add, repair.remove)
        assert bf.set_is_valid(case.qual, after)
        assert repair.size == search.minimum
        assert key in set(search.minimal)
        credits = bf.credit_sums(case.qual, after)
        assert repair.credits_after.total == credits.total
        assert repair.credits_after.optional == credits.optional
        assert dict(repair.credits_after.groups) == credits.groups
    # `alternatives` counts every minimal repair (capped); at most 5 are shown.
    assert verdict.alternatives == min(len(search.minimal), SOLUTION_CAP)
    assert len(verdict.suggestions) == min(len(search.minimal), MAX_SUGGESTIONS)


# ---------------------------------------------------------------------------
# Property 4: no repair at all


@SETTINGS
@given(cases())
def test_no_suggestions_when_no_repair_exists(case: Case) -> None:
    verdict = case.check()
    assume(not verdict.valid and not case.repairs().repairable)
    assert verdict.suggestions == ()


@SETTINGS
@example(UNCOMPLETABLE["min_and_max_rules_clash"])
@example(UNCOMPLETABLE["exact_total_no_subset_reaches"])
@example(UNCOMPLETABLE["barred_pair_blocks_the_minimum"])
@given(cases())
def test_not_completable_when_no_repair_exists(case: Case) -> None:
    verdict = case.check()
    assume(not verdict.valid and not case.repairs().repairable)
    assert not verdict.completable
    assert "NO_VALID_COMPLETION" in verdict.codes()
    assert verdict.suggestions == ()


@SETTINGS
@given(cases())
def test_not_completable_only_when_no_repair_exists(case: Case) -> None:
    """The converse: NO_VALID_COMPLETION is never claimed when a repair exists."""
    verdict = case.check()
    if not verdict.completable or "NO_VALID_COMPLETION" in verdict.codes():
        assert not case.repairs().repairable
        assert not verdict.completable
        assert "NO_VALID_COMPLETION" in verdict.codes()


# ---------------------------------------------------------------------------
# Property 5: valid iff no errors


@SETTINGS
@given(cases(), st.booleans())
def test_valid_iff_no_error_findings(case: Case, suggest: bool) -> None:
    verdict = case.check(suggest=suggest)
    errors = [f for f in verdict.findings if f.severity == "error"]
    assert verdict.valid == (not errors)
    if verdict.valid:
        assert verdict.suggestions == ()
        assert verdict.completable
    if not suggest:
        assert verdict.suggestions == ()


# ---------------------------------------------------------------------------
# Deterministic regression examples


@pytest.mark.parametrize("name", sorted(UNCOMPLETABLE))
def test_uncompletable_cases_are_invalid_without_suggestions(name: str) -> None:
    case = UNCOMPLETABLE[name]
    verdict = case.check()
    assert not verdict.valid
    assert not case.repairs().repairable
    assert verdict.suggestions == ()


@pytest.mark.parametrize("name", sorted(UNCOMPLETABLE))
def test_uncompletable_cases_are_reported_as_such(name: str) -> None:
    verdict = UNCOMPLETABLE[name].check()
    assert "NO_VALID_COMPLETION" in verdict.codes()
    assert not verdict.completable


def test_brute_force_oracle_on_hand_worked_examples() -> None:
    # Guards the oracle itself: every number here is worked out by hand.
    qual = qual_of(
        [("M1", "M", 2), ("A1", "A", 3), ("A2", "A", None), ("B1", "B", 4)],
        [CreditRule(RuleScope.OPTIONAL, 4, 7), CreditRule(RuleScope.GROUP, None, 3, "A")],
        mandatory="M",
        barred=[("A1", "B1")],
        indicative=("B1",),
    )
    sums = bf.credit_sums(qual, {"M1", "A1", "A2"})
    assert (sums.total, sums.optional, sums.groups) == (5, 3, {"A": 3, "B": 0, "M": 2})
    assert bf.set_is_valid(qual, {"M1", "B1"})
    assert not bf.set_is_valid(qual, {"B1"})  # mandatory missing
    assert not bf.set_is_valid(qual, {"M1", "A1"})  # optional 3 < 4
    assert not bf.set_is_valid(qual, {"M1", "A1", "B1"})  # barred
    assert not bf.set_is_valid(qual, {"M1", "A2", "B1"})  # missing value
    assert not bf.is_valid(qual, ["B1", FOREIGN_REF])
    assert bf.is_valid(qual, ["B1"])
    assert not bf.is_valid(qual, ["B1"], mandatory_implied=False)
    # Chosen A1, A2: remove both, add B1 (3 changes) is the only repair.
    search = bf.all_repairs(qual, ["A1", "A2"])
    assert search.minimum == 3
    assert search.minimal == ((frozenset({"B1"}), frozenset({"A1", "A2"})),)


def test_duplicates_and_listed_mandatory_units_are_only_warnings() -> None:
    qual = qual_of(
        [("M1", "M", 2), ("A1", "A", 3)],
        [CreditRule(RuleScope.TOTAL, 5, 5)],
        mandatory="M",
    )
    verdict = check_selection(qual, ["A1", "A1", "M1"])
    assert verdict.valid
    assert {"DUPLICATE_UNIT", "MANDATORY_UNIT_CHOSEN"} <= verdict.codes()
    assert verdict.credits.total == 5


def test_foreign_and_missing_mandatory_are_in_every_suggestion() -> None:
    qual = qual_of(
        [("M1", "M", 2), ("A1", "A", 3), ("A2", "A", 3)],
        [CreditRule(RuleScope.TOTAL, 5, 5)],
        mandatory="M",
    )
    case = Case(qual, ["A1", FOREIGN_REF, FOREIGN_REF], [], mandatory_implied=False)
    verdict = case.check()
    search = case.repairs()
    assert not verdict.valid
    assert search.minimum == 2
    assert verdict.suggestions
    for repair in verdict.suggestions:
        assert repair.add == ("M1",)
        assert repair.remove == (FOREIGN_REF,)


def test_achieved_unit_barred_with_chosen_unit() -> None:
    qual = qual_of(
        [("A1", "A", 3), ("A2", "A", 3), ("B1", "B", 3)],
        [CreditRule(RuleScope.TOTAL, 6, 6)],
        barred=[("A1", "A2")],
    )
    case = Case(qual, ["A2"], ["A1"], mandatory_implied=True)
    verdict = case.check()
    assert not verdict.valid
    assert [(r.add, r.remove) for r in verdict.suggestions] == [(("B1",), ("A2",))]
    assert case.repairs().minimum == 2


def test_missing_value_mandatory_unit_makes_completion_impossible() -> None:
    qual = qual_of(
        [("M1", "M", None), ("A1", "A", 3)],
        [CreditRule(RuleScope.TOTAL, 1)],
        mandatory="M",
    )
    case = Case(qual, ["A1"], [], mandatory_implied=True)
    verdict = case.check()
    assert not verdict.valid
    assert not case.repairs().repairable
    assert not verdict.completable
    assert "NO_VALID_COMPLETION" in verdict.codes()
