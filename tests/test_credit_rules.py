"""Hand-written cases for every rule of combination, on the real Diploma catalogue."""

from __future__ import annotations

from dataclasses import replace

from assessor_app.domain.catalogue import (
    BarredPair,
    CreditRule,
    Qualification,
    RuleScope,
    Unit,
    UnitGroup,
    ValueStatus,
)
from assessor_app.domain.credit_rules import Code, Severity, check_selection, is_valid_set

# 14 credits from group B and 8 from group C, all confirmed values: exactly 46.
VALID = ["B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13"]


def codes(verdict) -> list[str]:
    return [str(f.code) for f in verdict.findings]


def message(verdict, code: Code) -> str:
    return next(f.message for f in verdict.findings if f.code is code)


def applied(verdict, repair) -> set[str]:
    return (set(verdict.selection) | set(repair.add)) - set(repair.remove)


def test_a_valid_choice_is_valid_with_the_credits_counted(diploma):
    verdict = check_selection(diploma, VALID)
    assert verdict.valid
    assert verdict.findings == ()
    assert verdict.credits.total == 46
    assert verdict.credits.optional == 22
    assert dict(verdict.credits.groups) == {"A": 24, "B": 14, "C": 8}
    assert verdict.suggestions == ()
    assert not verdict.relies_on_indicative


def test_mandatory_units_are_always_included(diploma):
    verdict = check_selection(diploma, VALID)
    assert [r for r in verdict.selection if r.startswith("A")] == [f"A{i}" for i in range(1, 10)]


def test_group_b_short_says_how_many_credits_to_add(diploma):
    verdict = check_selection(diploma, ["B1", "B2", "B4", "B5", "B8", "C12", "C13", "C16"])
    assert not verdict.valid
    assert message(verdict, Code.GROUP_BELOW_MIN) == (
        "Group B has 12 credits; at least 14 are needed: add 2 or more credits from group B."
    )
    # Dropping the third C unit and adding one 2-credit B unit would not reach 22 optional
    # credits, so the smallest repair adds a B unit and keeps C.
    for repair in verdict.suggestions:
        assert is_valid_set(diploma, applied(verdict, repair))
        assert repair.size == 2


def test_group_c_over_its_maximum_suggests_the_unit_to_drop(diploma):
    verdict = check_selection(diploma, [*VALID, "C7"])
    assert not verdict.valid
    assert message(verdict, Code.GROUP_ABOVE_MAX) == (
        "Group C has 11 credits; at most 8 may count: remove 3 or more credits from group C."
    )
    # Only dropping C7 works in one change: dropping a 4-credit C unit leaves 21 optional.
    assert [(s.add, s.remove) for s in verdict.suggestions] == [((), ("C7",))]
    assert verdict.alternatives == 1


def test_total_and_optional_minimums(diploma):
    verdict = check_selection(diploma, ["B1", "B2", "B4", "B5", "B8", "B9"])
    assert Code.TOTAL_BELOW_MIN in verdict.codes()
    assert message(verdict, Code.TOTAL_BELOW_MIN) == (
        "The selection has 38 credits in total; at least 46 are needed: "
        "add 8 or more credits of optional units."
    )
    assert message(verdict, Code.OPTIONAL_BELOW_MIN) == (
        "Optional units give 14 credits; at least 22 are needed: add 8 or more optional credits."
    )
    assert Code.GROUP_BELOW_MIN not in verdict.codes()
    best = verdict.suggestions[0]
    assert best.size == 2
    assert is_valid_set(diploma, applied(verdict, best))


def test_an_empty_choice_gets_a_complete_suggestion(diploma):
    verdict = check_selection(diploma, [])
    assert verdict.credits.total == 24
    assert verdict.suggestions, "a tutor starting from nothing still gets a way forward"
    for repair in verdict.suggestions:
        assert repair.remove == ()
        assert is_valid_set(diploma, applied(verdict, repair))


def test_missing_credit_value_is_an_error_and_never_counts(diploma):
    verdict = check_selection(diploma, [*VALID, "B7"])
    assert not verdict.valid
    finding = next(f for f in verdict.findings if f.code is Code.CREDIT_VALUE_MISSING)
    assert finding.severity is Severity.ERROR
    assert "B7 'Introduction to Personalisation in Care' has no confirmed credit value" in (
        finding.message
    )
    assert verdict.credits.total == 46
    assert [(s.add, s.remove) for s in verdict.suggestions] == [((), ("B7",))]


def test_indicative_value_counts_with_a_warning(diploma):
    chosen = ["B1", "B2", "B4", "B5", "B18", "C12", "C13"]  # B18 is indicative, 4 credits
    verdict = check_selection(diploma, chosen)
    assert verdict.valid
    assert verdict.relies_on_indicative
    warning = next(f for f in verdict.findings if f.code is Code.CREDIT_VALUE_INDICATIVE)
    assert warning.severity is Severity.WARNING
    assert "B18 'Awareness of Diabetes' counts 4 credits, an indicative value" in warning.message


def test_duplicate_is_a_warning_and_counts_once(diploma):
    verdict = check_selection(diploma, [*VALID, "B1"])
    assert verdict.valid
    assert message(verdict, Code.DUPLICATE_UNIT) == (
        "B1 'Understand Mental Wellbeing and Mental Health Promotion' is listed 2 times; "
        "it counts once."
    )
    assert verdict.credits.total == 46


def test_listing_a_mandatory_unit_is_only_a_warning(diploma):
    verdict = check_selection(diploma, [*VALID, "A4"])
    assert verdict.valid
    assert Code.MANDATORY_UNIT_CHOSEN in verdict.codes()
    assert verdict.credits.total == 46


def test_missing_mandatory_unit_when_the_list_is_complete(diploma):
    full = [r for r in diploma.mandatory_refs if r != "A4"] + VALID
    verdict = check_selection(diploma, full, mandatory_implied=False)
    assert not verdict.valid
    assert message(verdict, Code.MANDATORY_UNIT_MISSING) == (
        "Mandatory unit A4 'Duty of care' is missing: every unit of group A must be included."
    )
    assert verdict.suggestions[0].add == ("A4",)
    assert verdict.suggestions[0].remove == ()


def test_unit_of_another_qualification_must_go(diploma):
    verdict = check_selection(
        diploma, [*VALID, "L3/X1"], names={"L3/X1": "Lead person-centred practice"}
    )
    assert not verdict.valid
    assert message(verdict, Code.UNIT_NOT_IN_QUALIFICATION).startswith(
        "L3/X1 'Lead person-centred practice' is not part of the Level 2 Diploma in Care"
    )
    assert [(s.add, s.remove) for s in verdict.suggestions] == [((), ("L3/X1",))]


def test_barred_pair_is_an_error_and_a_repair_keeps_one(diploma):
    qual = replace(diploma, barred_pairs=(BarredPair("B4", "B5", "both dementia awareness"),))
    verdict = check_selection(qual, VALID)
    assert not verdict.valid
    assert message(verdict, Code.BARRED_PAIR) == (
        "B4 'Awareness of Dementia' and B5 'The Person-Centred Approach to the Care and "
        "Support of Individuals with Dementia' are a barred combination (both dementia "
        "awareness): only one of them can count, so keep one."
    )
    assert verdict.suggestions
    for repair in verdict.suggestions:
        final = applied(verdict, repair)
        assert not {"B4", "B5"} <= final
        assert is_valid_set(qual, final)


def test_a_suggestion_never_adds_a_unit_barred_with_one_kept(diploma):
    qual = replace(diploma, barred_pairs=(BarredPair("B1", "B16"), BarredPair("B2", "B3")))
    verdict = check_selection(qual, ["B1", "B2", "B4", "B5", "C12", "C13"])
    for repair in verdict.suggestions:
        final = applied(verdict, repair)
        assert not {"B1", "B16"} <= final and not {"B2", "B3"} <= final
        assert is_valid_set(qual, final)


def test_achieved_units_are_never_suggested_for_removal(diploma):
    verdict = check_selection(diploma, [*VALID, "C7"], achieved=["C7", "C12"])
    assert not verdict.valid
    for repair in verdict.suggestions:
        assert "C7" not in repair.remove and "C12" not in repair.remove
        assert is_valid_set(diploma, applied(verdict, repair))
    assert verdict.suggestions[0].remove == ("C13",)


def test_no_valid_completion_when_achieved_units_break_a_maximum(diploma):
    verdict = check_selection(diploma, VALID, achieved=["C12", "C13", "C7"])
    assert not verdict.valid
    assert not verdict.completable
    assert verdict.suggestions == ()
    assert message(verdict, Code.NO_VALID_COMPLETION) == (
        "Group C already has 11 credits from achieved and mandatory units; at most 8 may "
        "count, and those units cannot be removed, so no valid selection exists."
    )


def test_no_valid_completion_when_a_minimum_is_out_of_reach():
    qual = Qualification(
        code="T",
        title="Test Diploma",
        groups=(UnitGroup("A", "Mandatory", True), UnitGroup("B", "Optional", False)),
        units=(
            Unit("A1", "Core", "A", 4, ValueStatus.CONFIRMED),
            Unit("B1", "One", "B", 2, ValueStatus.CONFIRMED),
            Unit("B2", "Two", "B", None, ValueStatus.MISSING),
        ),
        rules=(CreditRule(RuleScope.GROUP, min_credits=5, group="B"),),
    )
    verdict = check_selection(qual, ["B1"])
    assert not verdict.completable
    text = message(verdict, Code.NO_VALID_COMPLETION)
    assert "Group B can reach at most 2 credits" in text
    assert "1 unit in scope has no confirmed credit value" in text


def test_entering_a_missing_value_lets_the_unit_count(diploma):
    valued = replace(
        diploma,
        units=tuple(
            replace(u, credits=2, value_status=ValueStatus.CONFIRMED) if u.ref == "B7" else u
            for u in diploma.units
        ),
    )
    verdict = check_selection(valued, ["B1", "B2", "B4", "B5", "B8", "B7", "C12", "C13"])
    assert verdict.valid
    assert verdict.credits.groups["B"] == 14


def test_a_total_maximum_is_data_too(diploma):
    capped = replace(diploma, rules=(*diploma.rules, CreditRule(RuleScope.TOTAL, max_credits=50)))
    verdict = check_selection(capped, [*VALID, "B16", "B15"])  # 51 credits
    assert not verdict.valid
    assert message(verdict, Code.TOTAL_ABOVE_MAX) == (
        "The selection has 51 credits in total; at most 50 are allowed: remove 1 or more credits."
    )
    assert all(s.size == 1 and s.add == () for s in verdict.suggestions)
    assert check_selection(capped, VALID).valid
