"""Progress through the selected units: unit statuses, achieved credits and completion."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessor_app.domain.catalogue import (
    CreditRule,
    Qualification,
    RuleScope,
    Unit,
    UnitGroup,
    ValueStatus,
)
from assessor_app.domain.credit_rules import Code, is_valid_set
from assessor_app.domain.progress import (
    UnitEvidence,
    UnitStatus,
    progress,
    total_minimum,
    unit_progress,
)
from assessor_app.store.catalogue_files import load_default_catalogue

QUAL = load_default_catalogue()
ON = date(2026, 3, 2)
# 16 credits from group B, 6 from group C: with the 24 mandatory credits, exactly 46.
VALID = ("B1", "B2", "B4", "B5", "B8", "B9", "B15", "C7", "C10")


def signed(ref: str, by: str = "Sam Patel") -> UnitEvidence:
    return UnitEvidence(ref, ("1.1", "1.2"), frozenset({"1.1", "1.2"}), 2, ON, by)


def all_signed(refs) -> dict[str, UnitEvidence]:
    return {ref: signed(ref) for ref in (*QUAL.mandatory_refs, *refs)}


def one(evidence: UnitEvidence | None, ref: str = "B4"):
    return unit_progress(QUAL.unit(ref), evidence)


# ---------------------------------------------------------------------------
# One unit's status and message


def test_a_unit_with_no_records_is_not_started():
    result = one(None)
    assert result.status is UnitStatus.NOT_STARTED
    assert (result.criteria_total, result.criteria_covered) == (0, 0)
    assert result.message == "No accepted evidence is mapped to this unit yet."


def test_not_started_when_no_criterion_is_covered():
    result = one(UnitEvidence("B4", ("1.1", "1.2", "2.1"), frozenset(), 0, None))
    assert result.status is UnitStatus.NOT_STARTED
    assert result.criteria_total == 3
    assert result.message == "No accepted evidence yet for any of its 3 criteria."


def test_not_started_with_a_single_criterion():
    result = one(UnitEvidence("B4", ("1.1",), frozenset(), 0, None))
    assert result.message == "No accepted evidence yet for its 1 criterion."


def test_in_progress_names_the_criteria_still_to_cover():
    result = one(UnitEvidence("B4", ("1.1", "1.2", "2.1", "2.2"), frozenset({"1.2"}), 1, None))
    assert result.status is UnitStatus.IN_PROGRESS
    assert (result.criteria_total, result.criteria_covered) == (4, 1)
    assert result.message == (
        "1 of 4 criteria covered by accepted evidence; still to cover: 1.1, 2.1 and 2.2."
    )


def test_accepted_evidence_covering_no_criterion_yet_is_in_progress():
    result = one(UnitEvidence("B4", ("1.1", "1.2"), frozenset(), 1, None))
    assert result.status is UnitStatus.IN_PROGRESS
    assert result.message == (
        "0 of 2 criteria covered by accepted evidence; still to cover: 1.1 and 1.2."
    )


def test_ready_when_every_criterion_is_covered():
    result = one(
        UnitEvidence("B4", ("1.1", "1.2", "2.1"), frozenset({"1.1", "1.2", "2.1"}), 2, None)
    )
    assert result.status is UnitStatus.READY_FOR_SIGN_OFF
    assert result.criteria_covered == 3
    assert result.message == "All 3 criteria are covered by accepted evidence: ready for sign-off."


def test_ready_with_a_single_criterion():
    result = one(UnitEvidence("B4", ("1.1",), frozenset({"1.1"}), 1, None))
    assert (
        result.message == "Its only criterion is covered by accepted evidence: ready for sign-off."
    )


def test_criteria_not_in_the_catalogue_do_not_count():
    result = one(UnitEvidence("B4", ("1.1", "1.2"), frozenset({"1.1", "9.9"}), 1, None))
    assert result.status is UnitStatus.IN_PROGRESS
    assert result.criteria_covered == 1


def test_a_unit_without_criteria_is_judged_as_a_whole():
    result = one(UnitEvidence("B4", (), frozenset(), 1, None))
    assert result.status is UnitStatus.READY_FOR_SIGN_OFF
    assert result.criteria_total == 0
    assert result.message == (
        "1 accepted piece of evidence is mapped to this unit, which has no assessment criteria "
        "in the catalogue: ready for the assessor to judge it as a whole and sign it off."
    )
    many = one(UnitEvidence("B4", (), frozenset(), 3, None))
    assert many.message.startswith("3 accepted pieces of evidence are mapped to this unit")


def test_signed_off_says_when_and_by_whom():
    result = one(UnitEvidence("B4", ("1.1", "1.2"), frozenset({"1.1"}), 1, ON, "Sam Patel"))
    assert result.status is UnitStatus.SIGNED_OFF
    assert (result.signed_off_on, result.signed_off_by) == (ON, "Sam Patel")
    assert result.message == "Signed off on 2 Mar 2026 by Sam Patel."
    assert one(UnitEvidence("B4", (), frozenset(), 0, ON)).message == "Signed off on 2 Mar 2026."


def test_a_unit_with_no_credit_value_has_none():
    assert one(None, "B6").credits is None
    assert one(None, "B4").credits == 2


# ---------------------------------------------------------------------------
# The whole programme


def test_nothing_signed_off():
    result = progress(QUAL, VALID, {})
    assert [u.ref for u in result.units] == [*QUAL.mandatory_refs, *VALID]
    assert all(u.status is UnitStatus.NOT_STARTED for u in result.units)
    assert result.achieved.total == 0
    assert result.credits_needed == 46
    assert result.percent_complete == 0
    assert result.selection_credits == 46
    assert not result.complete
    assert not result.achieved_verdict.valid
    assert Code.MANDATORY_UNIT_MISSING in result.achieved_verdict.codes()
    assert result.message == (
        "0 of 18 units are signed off, giving 0 credits (0% of the selection); "
        "46 more credits are needed."
    )


def test_everything_signed_off_completes_the_qualification():
    result = progress(QUAL, VALID, all_signed(VALID))
    assert result.complete
    assert result.achieved_verdict.valid
    assert result.achieved.total == 46
    assert result.achieved.groups == {"A": 24, "B": 16, "C": 6}
    assert result.credits_needed == 0
    assert result.percent_complete == 100
    assert result.message == (
        "18 of 18 units are signed off, giving 46 credits (100% of the selection): "
        "the Level 2 Diploma in Care is achieved."
    )


def test_part_way_counts_signed_off_units_only():
    evidence = {ref: signed(ref) for ref in QUAL.mandatory_refs}
    evidence["B1"] = UnitEvidence("B1", ("1.1",), frozenset({"1.1"}), 1, None)
    evidence["B2"] = signed("B2")
    result = progress(QUAL, VALID, evidence)
    assert result.achieved.total == 27
    assert result.credits_needed == 19
    assert result.percent_complete == 58  # 27 of 46 is 58.7%: rounded down
    assert result.count(UnitStatus.SIGNED_OFF) == 10
    assert result.count(UnitStatus.READY_FOR_SIGN_OFF) == 1
    assert result.message == (
        "10 of 18 units are signed off, giving 27 credits (58% of the selection); "
        "1 is ready for sign-off; 19 more credits are needed."
    )


def test_one_credit_short():
    evidence = all_signed(VALID)
    del evidence["A4"]  # 1 credit
    result = progress(QUAL, VALID, evidence)
    assert result.credits_needed == 1
    assert result.percent_complete == 97
    assert result.message.endswith("; 1 more credit is needed.")


def test_enough_credits_but_units_still_to_sign_off():
    chosen = (*VALID, "C12")  # 50 credits chosen; C12 (4) not yet signed off
    result = progress(QUAL, chosen, all_signed(VALID))
    assert result.credits_needed == 0
    assert result.achieved_verdict.valid
    assert not result.complete
    assert result.percent_complete == 92
    assert result.message == (
        "18 of 19 units are signed off, giving 46 credits (92% of the selection); "
        "1 unit is still to be signed off."
    )


def test_all_signed_off_but_breaking_a_rule_is_not_complete():
    chosen = ("B1", "B2", "B4", "B5", "B8", "B9", "C17", "C12")  # group C 10 > 8
    result = progress(QUAL, chosen, all_signed(chosen))
    assert result.credits_needed == 0
    assert not result.complete
    assert Code.GROUP_ABOVE_MAX in result.achieved_verdict.codes()
    assert result.message == (
        "17 of 17 units are signed off, giving 48 credits (100% of the selection), but the "
        "signed-off units do not meet the rules of combination yet."
    )


def test_a_unit_with_no_credit_value_counts_nothing_and_blocks_completion():
    chosen = (*VALID, "B6")
    result = progress(QUAL, chosen, all_signed(chosen))
    b6 = next(u for u in result.units if u.ref == "B6")
    assert b6.credits is None and b6.status is UnitStatus.SIGNED_OFF
    assert result.selection_credits == 46
    assert result.percent_complete == 100
    assert Code.CREDIT_VALUE_MISSING in result.achieved_verdict.codes()
    assert not result.complete


def test_units_outside_the_selection_and_unknown_references_are_left_out():
    evidence = all_signed(VALID)
    evidence["C12"] = signed("C12")  # signed off, but no longer chosen
    result = progress(QUAL, [*VALID, "A1", "ZZ9", "B1"], evidence)
    assert [u.ref for u in result.units] == [*QUAL.mandatory_refs, *VALID]
    assert result.achieved.total == 46


def test_units_are_in_catalogue_order_whatever_the_order_chosen():
    result = progress(QUAL, list(reversed(VALID)), {})
    assert [u.ref for u in result.units] == [*QUAL.mandatory_refs, *VALID]


def test_a_selection_with_no_credit_values_is_complete_only_when_all_signed_off():
    qual = Qualification(
        code="X",
        title="Test award",
        groups=(UnitGroup("A", "Mandatory", True),),
        units=(
            Unit("U1", "One", "A", None, ValueStatus.MISSING),
            Unit("U2", "Two", "A", None, ValueStatus.MISSING),
        ),
        rules=(CreditRule(RuleScope.TOTAL, min_credits=None, max_credits=10),),
    )
    assert total_minimum(qual) == 0
    assert progress(qual, (), {"U1": signed("U1")}).percent_complete == 0
    both = progress(qual, (), {"U1": signed("U1"), "U2": signed("U2")})
    assert both.percent_complete == 100
    assert both.credits_needed == 0
    assert not both.complete  # units with no credit value cannot count


# ---------------------------------------------------------------------------
# Properties

OPTIONAL = [u.ref for u in QUAL.optional_units]
STATUS = st.sampled_from(["none", "some", "all", "whole", "signed"])


def evidence_for(ref: str, kind: str) -> UnitEvidence:
    criteria = ("1.1", "1.2", "2.1")
    if kind == "none":
        return UnitEvidence(ref, criteria, frozenset(), 0, None)
    if kind == "some":
        return UnitEvidence(ref, criteria, frozenset({"1.2"}), 1, None)
    if kind == "all":
        return UnitEvidence(ref, criteria, frozenset(criteria), 2, None)
    if kind == "whole":
        return UnitEvidence(ref, (), frozenset(), 1, None)
    return UnitEvidence(ref, criteria, frozenset(), 0, ON, "Assessor")


@settings(max_examples=150, deadline=None)
@given(
    chosen=st.lists(st.sampled_from(OPTIONAL), max_size=14, unique=True),
    kinds=st.dictionaries(st.sampled_from([*QUAL.mandatory_refs, *OPTIONAL]), STATUS),
)
def test_progress_properties(chosen, kinds):
    evidence = {ref: evidence_for(ref, kind) for ref, kind in kinds.items()}
    result = progress(QUAL, chosen, evidence)
    in_scope = {u.ref for u in result.units}
    signed_refs = {u.ref for u in result.units if u.status is UnitStatus.SIGNED_OFF}
    achieved = sum(QUAL.unit(r).countable_credits for r in signed_refs)

    assert in_scope == set(QUAL.mandatory_refs) | set(chosen)
    assert 0 <= result.percent_complete <= 100
    assert (result.percent_complete == 100) == (achieved == result.selection_credits)
    assert result.achieved.total == achieved
    assert result.credits_needed == max(46 - achieved, 0)
    assert result.achieved_verdict.valid == is_valid_set(QUAL, signed_refs)
    assert result.complete == (signed_refs == in_scope and is_valid_set(QUAL, signed_refs))
    if result.complete:
        assert result.percent_complete == 100 and result.credits_needed == 0


@pytest.mark.parametrize("kind", ["none", "some", "all", "whole", "signed"])
def test_each_kind_of_evidence_gives_its_status(kind):
    expected = {
        "none": UnitStatus.NOT_STARTED,
        "some": UnitStatus.IN_PROGRESS,
        "all": UnitStatus.READY_FOR_SIGN_OFF,
        "whole": UnitStatus.READY_FOR_SIGN_OFF,
        "signed": UnitStatus.SIGNED_OFF,
    }[kind]
    assert one(evidence_for("B4", kind)).status is expected
