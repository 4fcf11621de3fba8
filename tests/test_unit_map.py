"""The unit-to-placement map, its checks, placement suggestions and the affinity table."""

from __future__ import annotations

from datetime import date
from importlib.resources import files

import pytest

from assessor_app.domain.catalogue import Unit, ValueStatus
from assessor_app.domain.credit_rules import Severity
from assessor_app.domain.unit_map import (
    Affinity,
    CellState,
    MapCode,
    MapPlacement,
    parse_affinity_csv,
    suggest_placements,
    unit_map,
)
from assessor_app.store.catalogue_files import load_default_catalogue

QUAL = load_default_catalogue()
TODAY = date(2026, 1, 15)

WARD = MapPlacement(
    1, "Royal Shire Hospital", "Ward 7", "ward", date(2025, 9, 1), date(2025, 11, 30)
)
HOME = MapPlacement(
    2,
    "Oak Lodge",
    "Oak Lodge residential",
    "residential_home",
    date(2025, 12, 1),
    date(2026, 2, 28),
)
DAY = MapPlacement(
    3, "Meadowview", "Meadowview day centre", "day_centre", date(2026, 3, 1), date(2026, 5, 31)
)
NURSING = MapPlacement(
    4, "Elm House", "Elm House nursing", "nursing_home", date(2026, 6, 1), date(2026, 8, 31)
)
PLACEMENTS = (DAY, WARD, NURSING, HOME)  # deliberately out of order

AFFINITY_TEXT = (
    files("assessor_app") / "resources" / "affinity" / "setting_affinity.csv"
).read_text(encoding="utf-8")
AFFINITY = parse_affinity_csv(AFFINITY_TEXT, QUAL.units)


def build(refs, planned=None, evidenced=None, signed_off=None, *, today=TODAY, affinity=None):
    return unit_map(
        PLACEMENTS,
        [QUAL.unit(r) for r in refs],
        planned or {},
        AFFINITY if affinity is None else affinity,
        evidenced or {},
        signed_off or {},
        today=today,
    )


def codes(result):
    return [(f.code, f.unit) for f in result.findings]


# ---------------------------------------------------------------------------
# Rows and cells


def test_placements_are_in_date_order_and_each_row_has_a_cell_for_each():
    result = build(["A1", "B4"], planned={"A1": 1, "B4": 2})
    assert [p.id for p in result.placements] == [1, 2, 3, 4]
    assert [r.ref for r in result.rows] == ["A1", "B4"]
    assert all([c.placement_id for c in r.cells] == [1, 2, 3, 4] for r in result.rows)


def test_cell_states():
    result = build(
        ["C13"],
        planned={"C13": 1},
        evidenced={"C13": frozenset({1, 2, "college"})},
    )
    row = result.rows[0]
    assert [c.state for c in row.cells] == [
        CellState.PLANNED_AND_EVIDENCED,
        CellState.EVIDENCED,
        CellState.NONE,
        CellState.NONE,
    ]
    assert [c.affinity for c in row.cells] == [
        Affinity.OFTEN,
        Affinity.RARELY,
        Affinity.RARELY,
        Affinity.SOMETIMES,
    ]
    assert row.evidenced_at_college and not row.evidenced_off_the_job
    assert row.planned_placement == 1
    assert (row.title, row.group, row.credits) == (
        "Obtain and Test Capillary Blood Samples",
        "C",
        4,
    )


def test_a_planned_cell_and_the_off_the_job_source():
    result = build(["B4"], planned={"B4": 3}, evidenced={"B4": frozenset({"off_the_job"})})
    row = result.rows[0]
    assert [c.state for c in row.cells][2] is CellState.PLANNED
    assert row.evidenced_off_the_job
    assert row.signed_off_on is None


def test_a_row_keeps_its_sign_off_date_and_a_missing_credit_value():
    result = build(["B6"], planned={"B6": 2}, signed_off={"B6": date(2026, 1, 10)})
    assert result.rows[0].signed_off_on == date(2026, 1, 10)
    assert result.rows[0].credits is None
    assert result.findings == ()


def test_unknown_affinity_leaves_the_cell_unjudged():
    result = build(["B4"], affinity={})
    assert all(c.affinity is None for c in result.rows[0].cells)


def test_an_unknown_evidence_source_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown evidence source 'work'"):
        build(["B4"], evidenced={"B4": frozenset({"work"})})


# ---------------------------------------------------------------------------
# Findings


def test_unit_not_planned_suggests_a_placement_still_to_come():
    result = build(["B4"])
    (finding,) = result.findings
    assert (finding.code, finding.severity, finding.unit) == (
        MapCode.UNIT_NOT_PLANNED,
        Severity.WARNING,
        "B4",
    )
    # The ward (often) has ended; the residential home (often) is current.
    assert finding.message == (
        "B4 'Awareness of Dementia' is not planned for any placement and is not signed off: "
        "plan it for a placement, for example Oak Lodge residential at Oak Lodge "
        "(1 Dec 2025 – 28 Feb 2026), a residential home where it can often be evidenced."
    )


def test_unit_not_planned_without_a_good_placement_left():
    result = build(["C13"], today=date(2025, 12, 15))  # the ward has ended
    assert result.findings[0].message == (
        "C13 'Obtain and Test Capillary Blood Samples' is not planned for any placement and "
        "is not signed off: plan it for a placement."
    )


def test_a_signed_off_unit_needs_no_plan():
    assert build(["B4"], signed_off={"B4": date(2025, 10, 1)}).findings == ()


def test_unit_planned_in_a_rare_setting():
    result = build(["C13"], planned={"C13": 3}, evidenced={"C13": frozenset({"college"})})
    (finding,) = result.findings
    assert (finding.code, finding.severity, finding.placement_id) == (
        MapCode.UNIT_PLANNED_IN_RARE_SETTING,
        Severity.WARNING,
        3,
    )
    assert finding.message == (
        "C13 'Obtain and Test Capillary Blood Samples' is planned for Meadowview day centre at "
        "Meadowview (1 Mar 2026 – 31 May 2026), a day centre where it can rarely be evidenced: "
        "check that the placement can offer it, or plan another way to evidence it."
    )


def test_a_rare_setting_finding_points_to_a_better_placement():
    result = build(
        ["B4"],
        planned={"B4": 3},
        affinity={("B4", "day_centre"): "rarely", ("B4", "nursing_home"): "often"},
    )
    assert result.findings[0].message.endswith(
        "a day centre where it can rarely be evidenced: consider Elm House nursing at Elm House "
        "(1 Jun 2026 – 31 Aug 2026), a nursing home where it can often be evidenced."
    )


def test_unit_plan_passed():
    result = build(["B4"], planned={"B4": 1})
    (finding,) = result.findings
    assert (finding.code, finding.severity, finding.placement_id) == (
        MapCode.UNIT_PLAN_PASSED,
        Severity.WARNING,
        1,
    )
    assert finding.message == (
        "B4 'Awareness of Dementia' was planned for Ward 7 at Royal Shire Hospital, which ended "
        "on 30 Nov 2025, but has no accepted evidence and is not signed off: plan it for a "
        "later placement or gather evidence another way."
    )


def test_a_plan_passes_only_after_the_last_day_and_without_any_evidence():
    assert build(["B4"], planned={"B4": 1}, today=WARD.end).findings == ()
    assert build(["B4"], planned={"B4": 1}, evidenced={"B4": frozenset({"college"})}).findings == ()
    assert build(["B4"], planned={"B4": 1}, signed_off={"B4": TODAY}).findings == ()


def test_rare_setting_and_passed_plan_together():
    result = build(["C13"], planned={"C13": 2}, today=date(2026, 3, 5))
    assert [f.code for f in result.findings] == [
        MapCode.UNIT_PLANNED_IN_RARE_SETTING,
        MapCode.UNIT_PLAN_PASSED,
    ]


def test_planned_placement_missing():
    result = build(["B4"], planned={"B4": 99}, signed_off={"B4": TODAY})
    (finding,) = result.findings
    assert (finding.code, finding.severity, finding.placement_id) == (
        MapCode.PLANNED_PLACEMENT_MISSING,
        Severity.ERROR,
        99,
    )
    assert finding.message == (
        "B4 'Awareness of Dementia' is planned for a placement that is not among this "
        "apprentice's placements (record 99): plan it again in one of them."
    )
    assert all(c.state is CellState.NONE for c in result.rows[0].cells)
    assert result.rows[0].planned_placement == 99


def test_findings_follow_the_rows():
    result = build(["A1", "B4", "C13"], planned={"A1": 2, "C13": 99})
    assert codes(result) == [
        (MapCode.UNIT_NOT_PLANNED, "B4"),
        (MapCode.PLANNED_PLACEMENT_MISSING, "C13"),
    ]


# ---------------------------------------------------------------------------
# Suggestions


def test_suggestions_put_often_first_then_by_date():
    assert suggest_placements(QUAL.unit("C13"), PLACEMENTS, AFFINITY) == [1, 4, 2, 3]
    assert suggest_placements(QUAL.unit("B4"), PLACEMENTS, AFFINITY) == [1, 2, 3, 4]


def test_unjudged_settings_come_between_sometimes_and_rarely():
    affinity = {("B4", "ward"): "rarely", ("B4", "nursing_home"): "sometimes"}
    assert suggest_placements(QUAL.unit("B4"), PLACEMENTS, affinity) == [4, 2, 3, 1]


def test_suggestions_break_ties_by_id():
    twin = MapPlacement(0, "Other", "Ward 9", "ward", WARD.start, WARD.end)
    assert suggest_placements(QUAL.unit("C13"), [WARD, twin], AFFINITY) == [0, 1]


# ---------------------------------------------------------------------------
# The affinity table


def test_the_default_table_covers_every_unit_in_every_setting_type():
    types = {
        "ward", "residential_home", "nursing_home", "day_centre", "mental_health_unit",
        "ae_streaming", "rehabilitation", "domiciliary_care", "community",
    }  # fmt: skip
    assert len(QUAL.units) == 55
    assert set(AFFINITY) == {(u.ref, t) for u in QUAL.units for t in types}
    assert set(AFFINITY.values()) == {"often", "sometimes", "rarely"}
    assert len(AFFINITY_TEXT.splitlines()) == 1 + 55 * 9


@pytest.mark.parametrize(
    ("ref", "setting_type", "expected"),
    [
        ("C13", "ward", "often"),
        ("C13", "day_centre", "rarely"),
        ("B4", "residential_home", "often"),
        ("B4", "nursing_home", "often"),
        ("B16", "nursing_home", "often"),
        ("C17", "mental_health_unit", "often"),
        ("B14", "rehabilitation", "often"),
    ],
)
def test_the_default_table_judges_as_a_care_educator_would(ref, setting_type, expected):
    assert AFFINITY[(ref, setting_type)] == expected


def test_mandatory_units_are_often_evidenced_everywhere():
    for ref in QUAL.mandatory_refs:
        assert {v for (r, _), v in AFFINITY.items() if r == ref} == {"often"}


def unit(ref: str, title: str) -> Unit:
    return Unit(ref, title, "B", 2, ValueStatus.CONFIRMED)


def test_titles_match_another_catalogue_loosely_and_unknown_titles_are_skipped():
    text = (
        "\ufeffUnit_Title,Setting_Type,Affinity\n"
        "awareness of dementia ,ward, Often\n"
        '"Health, Safety and Well-being in Care Settings",day_centre,sometimes\n'
        "A unit this catalogue does not have,ward,rarely\n"
        "\n"
    )
    units = [
        unit("301", "Awareness of Dementia"),
        unit("202", "Health, safety and wellbeing in care settings"),
    ]
    assert parse_affinity_csv(text, units) == {
        ("301", "ward"): "often",
        ("202", "day_centre"): "sometimes",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("unit_title,setting_type\nX,ward\n", "Affinity table row 1: column(s) affinity missing."),
        (
            "unit_title,setting_type,affinity\nX,ward,\n",
            "Affinity table row 2: 'affinity' is empty.",
        ),
        ("unit_title,setting_type,affinity\n,ward,often\n", "row 2: 'unit_title' is empty."),
        ("unit_title,setting_type,affinity\nX,ward\n", "row 2: 'affinity' is empty."),
        (
            "unit_title,setting_type,affinity\nX,ward,often\nX,ward,always\n",
            "Affinity table row 3: 'affinity' must be often, sometimes or rarely, not 'always'.",
        ),
        (
            "unit_title,setting_type,affinity\nX,hospice,often\n",
            "Affinity table row 2: 'setting_type' must be one of ward, residential_home,",
        ),
        (
            "unit_title,setting_type,affinity\nX,ward,often\n\nx ,Ward,rarely\n",
            "Affinity table row 4: 'unit_title' x and 'setting_type' ward were already given in "
            "row 2.",
        ),
    ],
)
def test_bad_rows_are_refused_with_row_and_field(text, message):
    with pytest.raises(ValueError) as caught:
        parse_affinity_csv(text, [unit("X", "X")])
    assert message in str(caught.value)


def test_setting_types_can_be_given():
    text = "unit_title,setting_type,affinity\nX,hospice,often\n"
    assert parse_affinity_csv(text, [unit("X", "X")], setting_types={"hospice"}) == {
        ("X", "hospice"): "often"
    }
