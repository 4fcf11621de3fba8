"""Organisations, cohorts, apprentices and placements through the services:
role checks, clear refusals naming the field, nothing half-saved, audit entries."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from conftest import apprentice_input
from sqlalchemy import func, select

from assessor_app.services.apprentices import (
    change_status,
    choose_units,
    enrol_apprentice,
    update_apprentice,
)
from assessor_app.services.errors import FieldError, StaleEdit
from assessor_app.services.organisations import OrganisationInput, add_setting, create_organisation
from assessor_app.services.placements import (
    PlacementInput,
    record_notice_sent,
    record_placement_outcome,
    schedule_placement,
)
from assessor_app.services.roles import Actor, PermissionDenied, Role
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
