"""Organisations, cohorts, apprentices and placements through the services:
role checks, clear refusals naming the field, nothing half-saved, audit entries."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from conftest import apprentice_input
from sqlalchemy import func, select

from assessor_app.services.apprentice_queries import apprentice_history
from assessor_app.services.apprentices import (
    change_status,
    choose_units,
    enrol_apprentice,
    update_apprentice,
)
from assessor_app.services.errors import FieldError, ServiceError, StaleEdit
from assessor_app.services.evidence import EvidenceInput, record_evidence
from assessor_app.services.organisations import OrganisationInput, add_setting, create_organisation
from assessor_app.services.placements import (
    PlacementInput,
    cancel_placement,
    record_notice_sent,
    record_placement_outcome,
    schedule_placement,
    update_placement,
)
from assessor_app.services.planner_queries import placement_details
from assessor_app.services.roles import Actor, PermissionDenied, Role
from assessor_app.services.unit_plans import plan_unit
from assessor_app.store import models

ADMIN = Actor(None, "admin", Role.ADMIN)
COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
TUTOR = Actor(None, "tutor", Role.TUTOR)
VIEWER = Actor(None, "viewer", Role.VIEWER)
VALID_UNITS = ["B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13"]


def count(db, model):
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def entries(db, action):
    with db.reading() as session:
        return session.scalars(
            select(models.AuditEntry).where(models.AuditEntry.action == action)
        ).all()


def test_enrolling_an_apprentice_is_audited_with_the_values(db, world):
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    [entry] = entries(db, "apprentice.enrol")
    assert entry.entity_id == str(apprentice)
    assert json.loads(entry.detail)["after"]["uln"] == "9276308686"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"uln": "9276308687"}, "uln", "check"),
        ({"uln": "123"}, "uln", "has 3 digits, but a ULN has exactly 10"),
        ({"given_name": "  "}, "given_name", "Given name is required"),
        ({"planned_end_date": date(2025, 1, 1)}, "planned_end_date", "after the start date"),
        ({"date_of_birth": date(2012, 1, 1)}, "date_of_birth", "at least 16"),
        ({"email": "sam at home"}, "email", "not an email address"),
    ],
)
def test_bad_apprentice_details_are_refused_naming_the_field(db, world, changes, field, words):
    with pytest.raises(FieldError) as refused:
        enrol_apprentice(db, COORDINATOR, apprentice_input(world, **changes))
    assert refused.value.field == field
    assert words in str(refused.value)
    assert count(db, models.Apprentice) == 0
    assert entries(db, "apprentice.enrol") == []


def test_the_uln_placeholder_means_not_yet_known(db, world):
    first = enrol_apprentice(db, COORDINATOR, apprentice_input(world, uln="9999999999"))
    second = enrol_apprentice(
        db, COORDINATOR, apprentice_input(world, uln="9999999999", given_name="Alex")
    )
    with db.reading() as session:
        assert session.get(models.Apprentice, first).uln is None
        assert session.get(models.Apprentice, second).uln is None


def test_a_uln_belongs_to_one_apprentice(db, world):
    enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    with pytest.raises(FieldError, match="already belongs to Sam Smith"):
        enrol_apprentice(db, COORDINATOR, apprentice_input(world, given_name="Alex"))


def test_only_coordinators_and_admins_enrol(db, world):
    with pytest.raises(PermissionDenied):
        enrol_apprentice(db, TUTOR, apprentice_input(world))
    with pytest.raises(PermissionDenied):
        create_organisation(db, VIEWER, OrganisationInput("X", "pvi", is_host=True))
    assert count(db, models.Apprentice) == 0


def test_a_stale_edit_names_who_saved_first(db, world):
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    with db.reading() as session:
        version = session.get(models.Apprentice, apprentice).version
    update_apprentice(
        db,
        ADMIN,
        apprentice,
        apprentice_input(world, phone="01234 567890"),
        expected_version=version,
    )
    with pytest.raises(StaleEdit, match="admin saved this apprentice at"):
        update_apprentice(
            db,
            COORDINATOR,
            apprentice,
            apprentice_input(world, phone="0777"),
            expected_version=version,
        )
    with db.reading() as session:
        assert session.get(models.Apprentice, apprentice).phone == "01234 567890"


def test_withdrawal_needs_a_reason(db, world):
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    with pytest.raises(FieldError, match="Reason is required"):
        change_status(db, COORDINATOR, apprentice, "withdrawn", date(2026, 3, 1))
    change_status(db, COORDINATOR, apprentice, "withdrawn", date(2026, 3, 1), "Moved away")
    with db.reading() as session:
        row = session.get(models.Apprentice, apprentice)
        assert (row.status, row.status_reason) == ("withdrawn", "Moved away")


def test_an_invalid_unit_choice_is_saved_as_a_draft_with_its_verdict(db, world):
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    verdict = choose_units(db, TUTOR, apprentice, VALID_UNITS[:-1])
    assert not verdict.valid
    assert verdict.suggestions
    with db.reading() as session:
        row = session.get(models.Apprentice, apprentice)
        assert sorted(c.unit.ref for c in row.chosen_units) == sorted(VALID_UNITS[:-1])
    assert choose_units(db, TUTOR, apprentice, VALID_UNITS).valid
    [*_, last] = entries(db, "apprentice.choose_units")
    assert json.loads(last.detail)["valid"] is True


def test_choosing_units_moves_the_record_version_on(db, world):
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    with db.reading() as session:
        version = session.get(models.Apprentice, apprentice).version
    choose_units(db, TUTOR, apprentice, VALID_UNITS, expected_version=version)
    with pytest.raises(StaleEdit):
        choose_units(db, TUTOR, apprentice, VALID_UNITS[:3], expected_version=version)


def test_units_outside_the_qualification_are_refused(db, world):
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    with pytest.raises(FieldError, match="Z1 is not in the Level 2 Diploma in Care"):
        choose_units(db, TUTOR, apprentice, ["B1", "Z1"])
    with db.reading() as session:
        assert session.get(models.Apprentice, apprentice).chosen_units == []


def test_placements_are_saved_with_notice_and_outcome(db, world):
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    placement = schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(
            apprentice,
            world["home"],
            date(2026, 1, 5),
            date(2026, 4, 4),
            mentor_name="Jo Khan",
            hours_per_week=Decimal("30"),
        ),
    )
    record_notice_sent(db, COORDINATOR, placement, date(2025, 12, 1))
    record_placement_outcome(
        db,
        COORDINATOR,
        placement,
        review_meeting_on=date(2026, 4, 2),
        appraisal_received_on=date(2026, 4, 3),
        appraisal_summary="Caring and reliable.",
    )
    with db.reading() as session:
        row = session.get(models.Placement, placement)
        assert row.notice_sent_on == date(2025, 12, 1)
        assert row.appraisal_summary == "Caring and reliable."
    assert len(entries(db, "placement.outcome")) == 1


def test_a_placement_ending_before_it_starts_is_refused(db, world):
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    with pytest.raises(FieldError, match="cannot end before it starts") as refused:
        schedule_placement(
            db,
            COORDINATOR,
            PlacementInput(apprentice, world["ward"], date(2026, 4, 5), date(2026, 4, 1)),
        )
    assert refused.value.field == "end_date"
    assert count(db, models.Placement) == 0


def test_a_setting_of_a_non_host_cannot_take_placements(db, world):
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    college_org = create_organisation(
        db, COORDINATOR, OrganisationInput("City College", "pvi", is_training_provider=True)
    )
    classroom = add_setting(db, COORDINATOR, college_org, "Room 4", "other")
    with pytest.raises(FieldError, match="not marked as a placement host"):
        schedule_placement(
            db,
            COORDINATOR,
            PlacementInput(apprentice, classroom, date(2026, 1, 5), date(2026, 4, 4)),
        )


def test_duplicate_names_are_refused(db, world):
    with pytest.raises(FieldError, match="already an organisation called"):
        create_organisation(
            db, COORDINATOR, OrganisationInput("shire county council", "health", is_host=True)
        )
    with pytest.raises(FieldError, match="already has a setting called 'Oak Lodge'"):
        add_setting(db, COORDINATOR, world["council"], "oak lodge", "residential_home")


# Correcting and cancelling a placement


@pytest.fixture
def placed(db, world):
    """An apprentice at the council's home for the first quarter of 2026."""
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    placement = schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(apprentice, world["home"], date(2026, 1, 5), date(2026, 4, 4)),
    )
    return apprentice, placement


def version_of(db, placement):
    return placement_details(db, COORDINATOR, placement).version


def test_correcting_a_placement_changes_it_and_audits_old_and_new(db, world, placed):
    apprentice, placement = placed
    record_notice_sent(db, COORDINATOR, placement, date(2025, 12, 1))
    update_placement(
        db,
        COORDINATOR,
        placement,
        PlacementInput(
            apprentice,
            world["ward"],
            date(2026, 1, 12),
            date(2026, 4, 4),
            mentor_name="Jo Khan",
            notice_sent_on=date(2025, 12, 1),
        ),
        expected_version=version_of(db, placement),
    )
    details = placement_details(db, COORDINATOR, placement)
    assert (details.host, details.start_date, details.mentor_name) == (
        "Royal Shire Hospital NHS Trust",
        date(2026, 1, 12),
        "Jo Khan",
    )
    assert details.notice_sent_on == date(2025, 12, 1)
    [entry] = entries(db, "placement.update")
    assert json.loads(entry.detail)["changes"]["start_date"] == ["2026-01-05", "2026-01-12"]


def test_a_stale_placement_edit_is_refused_and_changes_nothing(db, world, placed):
    apprentice, placement = placed
    opened = version_of(db, placement)
    record_notice_sent(db, ADMIN, placement, date(2025, 12, 1))
    with pytest.raises(StaleEdit, match="admin saved this placement at"):
        update_placement(
            db,
            COORDINATOR,
            placement,
            PlacementInput(apprentice, world["ward"], date(2026, 1, 5), date(2026, 4, 4)),
            expected_version=opened,
        )
    assert placement_details(db, COORDINATOR, placement).host == "Shire County Council"
    assert entries(db, "placement.update") == []


def test_a_placement_cannot_be_moved_to_another_apprentice(db, world, placed):
    _apprentice, placement = placed
    other = enrol_apprentice(
        db, COORDINATOR, apprentice_input(world, uln="9999999999", given_name="Alex")
    )
    with pytest.raises(FieldError, match="stays with its apprentice") as refused:
        update_placement(
            db,
            COORDINATOR,
            placement,
            PlacementInput(other, world["home"], date(2026, 1, 5), date(2026, 4, 4)),
        )
    assert refused.value.field == "apprentice_id"


def test_correcting_dates_keeps_a_setting_that_stopped_taking_placements(db, world, placed):
    apprentice, placement = placed
    with db.transaction() as session:
        session.get(models.Setting, world["home"]).active = False
    update_placement(
        db,
        COORDINATOR,
        placement,
        PlacementInput(apprentice, world["home"], date(2026, 1, 5), date(2026, 3, 31)),
    )
    assert placement_details(db, COORDINATOR, placement).end_date == date(2026, 3, 31)
    # A new placement there is refused, as before.
    with pytest.raises(FieldError) as refused:
        schedule_placement(
            db,
            COORDINATOR,
            PlacementInput(apprentice, world["home"], date(2026, 4, 5), date(2026, 7, 4)),
        )
    assert refused.value.field == "setting_id"


def test_cancelling_a_placement_removes_it_and_unplans_its_units(db, world, placed):
    apprentice, placement = placed
    plan_unit(db, COORDINATOR, apprentice, "A4", placement)
    assert placement_details(db, COORDINATOR, placement).planned_units == ("A4",)
    unplanned = cancel_placement(
        db, COORDINATOR, placement, expected_version=version_of(db, placement)
    )
    assert unplanned == ("A4",)
    assert count(db, models.Placement) == 0
    assert count(db, models.UnitPlan) == 0
    [entry] = entries(db, "placement.cancel")
    detail = json.loads(entry.detail)
    assert detail["before"]["start_date"] == "2026-01-05"  # the record of it is kept
    assert detail["unplanned_units"] == ["A4"]
    assert (entry.entity, entry.entity_id, detail["placement"]) == (
        "apprentice",
        str(apprentice),
        placement,
    )
    # The apprentice's history still says what happened to it.
    assert apprentice_history(db, COORDINATOR, apprentice)[0].action == "placement.cancel"


def test_a_placement_with_evidence_on_it_is_not_cancelled(db, world, placed):
    apprentice, placement = placed
    record_evidence(
        db,
        TUTOR,
        EvidenceInput(
            apprentice,
            date(2026, 2, 10),
            "observation",
            "Supporting a resident at breakfast",
            placement_id=placement,
            coverage=[("A4", None)],
        ),
        today=date(2026, 2, 10),
    )
    with pytest.raises(ServiceError, match="Evidence is recorded on this placement"):
        cancel_placement(db, COORDINATOR, placement)
    assert count(db, models.Placement) == 1
    assert entries(db, "placement.cancel") == []


def test_a_placement_with_an_appraisal_is_not_cancelled(db, world, placed):
    _apprentice, placement = placed
    record_placement_outcome(
        db,
        COORDINATOR,
        placement,
        review_meeting_on=None,
        appraisal_received_on=date(2026, 4, 3),
    )
    with pytest.raises(ServiceError, match="took place and is kept"):
        cancel_placement(db, COORDINATOR, placement)
    assert count(db, models.Placement) == 1


def test_cancelling_needs_the_right_role_and_a_current_version(db, world, placed):
    _apprentice, placement = placed
    with pytest.raises(PermissionDenied):
        cancel_placement(db, TUTOR, placement)
    opened = version_of(db, placement)
    record_notice_sent(db, ADMIN, placement, date(2025, 12, 1))
    with pytest.raises(StaleEdit):
        cancel_placement(db, COORDINATOR, placement, expected_version=opened)
    assert count(db, models.Placement) == 1
