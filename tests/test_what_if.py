"""What changing the optional units would do to credits, sign-offs and evidence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assessor_app.domain.credit_rules import Code
from assessor_app.domain.what_if import what_if
from assessor_app.store.catalogue_files import load_default_catalogue

QUAL = load_default_catalogue()
MANDATORY = set(QUAL.mandatory_refs)
CURRENT = ("B1", "B2", "B4", "B5", "B8", "B9", "B15", "C7", "C10")  # 46 credits, valid
SWAPPED = ("B1", "B2", "B4", "B5", "B8", "B9", "B15", "C7", "C20")  # C10 -> C20 (3 credits)

EVIDENCE = {
    1: frozenset({"A1", "C10"}),  # keeps A1
    2: frozenset({"C10"}),  # only C10
    3: frozenset({"B4", "C10", "A3"}),  # units in three groups, one of them dropped
    4: frozenset({"B4"}),
    5: frozenset({"C17"}),  # counts towards no unit of the current selection either
    6: frozenset(),
}


def test_no_change():
    result = what_if(QUAL, CURRENT, list(reversed(CURRENT)), MANDATORY | {"C10"}, EVIDENCE)
    assert (result.added, result.removed, result.dropped_signed_off) == ((), (), ())
    assert (result.orphaned_evidence, result.partly_orphaned) == ((), ())
    assert result.verdict.valid
    assert result.achieved.total == 27
    assert result.credits_still_needed == 19
    assert result.summary == (
        "The proposal makes no change to the units. It meets the rules of combination with "
        "46 credits in total. Signed-off units in it give 27 credits; 19 more credits are "
        "needed."
    )


def test_swapping_a_signed_off_unit():
    result = what_if(QUAL, CURRENT, SWAPPED, MANDATORY | {"C10", "B4"}, EVIDENCE)
    assert result.added == ("C20",)
    assert result.removed == ("C10",)
    assert result.dropped_signed_off == ("C10",)
    assert result.orphaned_evidence == (2,)
    assert result.partly_orphaned == (1, 3)
    assert result.achieved.total == 26
    assert result.achieved.groups == {"A": 24, "B": 2, "C": 0}
    assert result.credits_still_needed == 20
    assert result.verdict.valid
    assert result.verdict.credits.total == 46
    assert Code.CREDIT_VALUE_INDICATIVE in result.verdict.codes()
    assert result.summary == (
        "The proposal adds C20 'Prepare for and Take Physiological Measurements' and removes "
        "C10 'Support Individuals to Manage Continence'. It meets the rules of combination "
        "with 46 credits in total. Signed-off units in it give 26 credits; 20 more credits are "
        "needed. It drops 1 signed-off unit, whose credits would no longer count: "
        "C10 'Support Individuals to Manage Continence'. 1 piece of accepted evidence would "
        "count towards no selected unit. 2 pieces of accepted evidence would count towards "
        "fewer units than now."
    )


def test_a_proposal_that_breaks_the_rules():
    proposed = [r for r in CURRENT if r != "B9"]  # group B drops to 14, optional to 20
    result = what_if(QUAL, CURRENT, proposed, set(), {}, suggest=False)
    assert result.removed == ("B9",)
    assert not result.verdict.valid
    assert result.verdict.codes() >= {"TOTAL_BELOW_MIN", "OPTIONAL_BELOW_MIN"}
    assert result.summary == (
        "The proposal removes B9 'Cleaning, Decontamination and Waste Management'. It does not "
        "meet the rules of combination (44 credits; 2 problems). Signed-off units in it give "
        "0 credits; 46 more credits are needed."
    )


def test_repairs_are_suggested_for_a_broken_proposal():
    proposed = [r for r in CURRENT if r != "B9"]
    result = what_if(QUAL, CURRENT, proposed, set(), {})
    assert result.verdict.suggestions


def test_adding_only():
    result = what_if(QUAL, CURRENT, (*CURRENT, "C12"), set(), {})
    assert (result.added, result.removed) == (("C12",), ())
    assert result.summary.startswith(
        "The proposal adds C12 'Undertake Agreed Pressure Area Care'. It does not meet"
    )  # group C would have 10 credits, over the 8 allowed


def test_a_signed_off_unit_brought_back_counts_again():
    result = what_if(QUAL, CURRENT, (*CURRENT, "C12"), {"C12"}, {})
    assert result.dropped_signed_off == ()
    assert result.achieved.total == 4
    assert "C12" in result.verdict.selection


def test_signed_off_units_outside_the_current_selection_are_not_dropped_by_it():
    result = what_if(QUAL, CURRENT, CURRENT, {"C12", "ZZ9"}, {})
    assert result.dropped_signed_off == ()
    assert result.achieved.total == 0


def test_mandatory_units_are_never_removed():
    result = what_if(QUAL, ("A1", *CURRENT), CURRENT, MANDATORY, {1: frozenset({"A1"})})
    assert result.removed == ()
    assert result.dropped_signed_off == ()
    assert result.orphaned_evidence == ()


def test_evidence_across_groups_is_orphaned_only_when_all_its_units_go():
    evidence = {7: frozenset({"B4", "C10"}), 8: frozenset({"B4", "C10", "ZZ9"})}
    proposed = [r for r in CURRENT if r not in ("B4", "C10")]
    result = what_if(QUAL, CURRENT, proposed, set(), evidence, suggest=False)
    assert result.orphaned_evidence == (7, 8)
    assert result.partly_orphaned == ()
    assert result.summary.endswith(
        "2 pieces of accepted evidence would count towards no selected unit."
    )


OPTIONAL = [u.ref for u in QUAL.optional_units]
REFS = [*QUAL.mandatory_refs, *OPTIONAL]


@settings(max_examples=150, deadline=None)
@given(
    current=st.lists(st.sampled_from(OPTIONAL), max_size=12, unique=True),
    proposed=st.lists(st.sampled_from(OPTIONAL), max_size=12, unique=True),
    signed=st.sets(st.sampled_from(REFS)),
    evidence=st.dictionaries(
        st.integers(1, 40), st.frozensets(st.sampled_from(REFS), max_size=4), max_size=8
    ),
)
def test_what_if_properties(current, proposed, signed, evidence):
    same = what_if(QUAL, current, current, signed, evidence, suggest=False)
    assert (same.added, same.removed, same.dropped_signed_off) == ((), (), ())
    assert (same.orphaned_evidence, same.partly_orphaned) == ((), ())

    result = what_if(QUAL, current, proposed, signed, evidence, suggest=False)
    now = MANDATORY | set(current)
    after = MANDATORY | set(proposed)
    assert set(result.added) == after - now
    assert set(result.removed) == now - after
    assert set(result.dropped_signed_off) == (now - after) & signed
    assert not set(result.orphaned_evidence) & set(result.partly_orphaned)
    for evidence_id in result.orphaned_evidence:
        assert evidence[evidence_id] & now and not evidence[evidence_id] & after
    for evidence_id in result.partly_orphaned:
        assert evidence[evidence_id] & after and evidence[evidence_id] & (now - after)
    kept = after & signed
    assert result.achieved.total == sum(QUAL.unit(r).countable_credits for r in kept)
    assert result.credits_still_needed == max(46 - result.achieved.total, 0)
    assert set(result.verdict.selection) == after
