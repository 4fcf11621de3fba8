"""Progress, RAG, the unit-to-placement map, the gateway and what-if, read from
real records through the services."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import apprentice_input

from assessor_app.domain.progress import UnitStatus
from assessor_app.domain.rag import Rag
from assessor_app.domain.unit_map import MapCode
from assessor_app.services.apprentices import choose_units, enrol_apprentice
from assessor_app.services.evidence import (
    EvidenceInput,
    assess_evidence,
    record_evidence,
    sign_off_unit,
    submit_evidence,
)
from assessor_app.services.placements import PlacementInput, schedule_placement
from assessor_app.services.progress_queries import apprentice_progress, try_unit_choice
from assessor_app.services.roles import Actor, Role
from assessor_app.services.unit_plans import (
    apply_cohort_template,
    plan_unit,
    record_functional_skill,
    set_cohort_template,
)

COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
TUTOR = Actor(None, "tutor", Role.TUTOR)
ASSESSOR = Actor(None, "ash", Role.ASSESSOR)
UNITS = ["B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13"]
TODAY = date(2026, 6, 1)


@pytest.fixture
def case(db, world):
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    choose_units(db, TUTOR, apprentice, UNITS)
    first = schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(
            apprentice, world["home"], date(2026, 1, 5), date(2026, 4, 4), mentor_name="Jo Khan"
        ),
    )
    second = schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(
            apprentice, world["home"], date(2026, 4, 5), date(2026, 7, 4), mentor_name="Jo Khan"
        ),
    )
    return {"apprentice": apprentice, "first": first, "second": second}


def accepted(db, case, refs, placement):
    piece = record_evidence(
        db,
        TUTOR,
        EvidenceInput(
            case["apprentice"],
            date(2026, 3, 2),
            "observation",
            "Observed practice",
            placement_id=case[placement],
            coverage=[(r, None) for r in refs],
        ),
        today=TODAY,
    )
    submit_evidence(db, TUTOR, piece)
    assess_evidence(db, ASSESSOR, piece, accept=True, on=date(2026, 3, 3))
    return piece


def test_signed_off_units_count_towards_credits_and_percent(db, case):
    accepted(db, case, ["B4", "B5"], "first")
    for ref in ("B4", "B5"):
        sign_off_unit(
            db, ASSESSOR, case["apprentice"], ref, on=date(2026, 3, 4), judgement="Meets the unit."
        )
    result = apprentice_progress(db, ASSESSOR, case["apprentice"], today=TODAY).progress
    assert result.achieved.groups["B"] == 4
    assert result.percent_complete == 8  # 4 of 46 credits, rounded down
    statuses = {u.ref: u.status for u in result.units}
    assert statuses["B4"] is UnitStatus.SIGNED_OFF
    assert statuses["B1"] is UnitStatus.NOT_STARTED


def test_units_planned_in_a_finished_placement_and_not_signed_off_turn_the_rag_red(db, case):
    for ref in ("B1", "B2", "C12"):
        plan_unit(db, TUTOR, case["apprentice"], ref, case["first"])
    status = apprentice_progress(db, ASSESSOR, case["apprentice"], today=TODAY).rag
    assert status.colour is Rag.RED  # 10 credits behind, placement ended 4 Apr + 28 days
    assert any("10 credits are behind plan" in reason for reason in status.reasons)


def test_the_map_shows_plans_evidence_and_unplanned_units(db, case):
    plan_unit(db, TUTOR, case["apprentice"], "B4", case["second"])
    accepted(db, case, ["B4"], "first")
    the_map = apprentice_progress(db, ASSESSOR, case["apprentice"], today=TODAY).unit_map
    row = next(r for r in the_map.rows if r.ref == "B4")
    states = {cell.placement_id: cell.state.value for cell in row.cells}
    assert states == {case["first"]: "evidenced", case["second"]: "planned"}
    unplanned = {f.unit for f in the_map.findings if f.code is MapCode.UNIT_NOT_PLANNED}
    assert "B1" in unplanned and "B4" not in unplanned


def test_the_cohort_template_plans_every_apprentice(db, case, world):
    set_cohort_template(db, TUTOR, world["cohort"], "B1", 2)
    set_cohort_template(db, TUTOR, world["cohort"], "A4", 1)
    assert apply_cohort_template(db, TUTOR, world["cohort"]) == 2
    assert apply_cohort_template(db, TUTOR, world["cohort"]) == 0  # already planned
    the_map = apprentice_progress(db, ASSESSOR, case["apprentice"], today=TODAY).unit_map
    b1 = next(r for r in the_map.rows if r.ref == "B1")
    assert b1.planned_placement == case["second"]


def test_what_if_shows_evidence_that_would_stop_counting(db, case):
    piece = accepted(db, case, ["B4"], "first")
    sign_off_unit(db, ASSESSOR, case["apprentice"], "B4", on=date(2026, 3, 4), judgement="ok")
    proposed = [r for r in UNITS if r != "B4"] + ["B16"]
    result = try_unit_choice(db, TUTOR, case["apprentice"], proposed)
    assert result.dropped_signed_off == ("B4",)
    assert result.orphaned_evidence == (piece,)
    assert result.verdict.valid is False or result.verdict.credits.total >= 46


def test_the_gateway_lists_what_is_outstanding(db, case):
    record_functional_skill(
        db, COORDINATOR, case["apprentice"], "english", "Level 2", date(2026, 2, 1)
    )
    gateway = apprentice_progress(db, ASSESSOR, case["apprentice"], today=TODAY).gateway
    items = {item.key.value: item.ready for item in gateway.items}
    assert not gateway.ready
    assert items["english"] is True
    assert items["maths"] is False
    assert items["units"] is False
    assert items["duration"] is False
