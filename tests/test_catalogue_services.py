"""Catalogue changes go through services: role check, one transaction, audit entry."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from assessor_app.domain.catalogue import ValueStatus
from assessor_app.domain.credit_rules import Code, check_selection
from assessor_app.services.catalogue import (
    add_barred_pair,
    ensure_default_catalogue,
    install_qualification,
    set_unit_credits,
)
from assessor_app.services.catalogue_queries import list_qualifications, load_qualification
from assessor_app.services.errors import NotFound, ServiceError, StaleEdit
from assessor_app.services.roles import Actor, PermissionDenied, Role
from assessor_app.store import models

ADMIN = Actor(user_id=None, username="admin", role=Role.ADMIN)
TUTOR = Actor(user_id=None, username="tutor1", role=Role.TUTOR)


def audit_entries(db, action):
    with db.reading() as session:
        return session.scalars(
            select(models.AuditEntry).where(models.AuditEntry.action == action)
        ).all()


def test_default_catalogue_matches_the_reference_facts(db):
    qual = load_qualification(db, "L2-CARE")
    by_group = {g.code: [u for u in qual.units if u.group == g.code] for g in qual.groups}
    assert {g: len(units) for g, units in by_group.items()} == {"A": 9, "B": 19, "C": 27}
    assert sum(u.credits for u in by_group["A"]) == 24
    assert [g.code for g in qual.groups if g.mandatory] == ["A"]
    statuses = [u.value_status for u in qual.units]
    assert statuses.count(ValueStatus.MISSING) == 19
    assert statuses.count(ValueStatus.INDICATIVE) == 13
    assert all(u.credits is None for u in qual.units if u.value_status is ValueStatus.MISSING)
    diabetes = next(u for u in qual.units if u.title == "Awareness of Diabetes")
    assert (diabetes.credits, diabetes.value_status) == (4, ValueStatus.INDICATIVE)
    assert qual.total_qualification_time == 460


def test_entering_a_credit_value_is_audited_and_counts_at_once(db):
    set_unit_credits(db, ADMIN, "L2-CARE", "B7", 3, ValueStatus.CONFIRMED)
    qual = load_qualification(db)
    assert qual.unit("B7").credits == 3
    verdict = check_selection(qual, ["B1", "B2", "B4", "B5", "B7", "B8", "C12", "C13"])
    assert Code.CREDIT_VALUE_MISSING not in verdict.codes()
    [entry] = audit_entries(db, "catalogue.set_unit_credits")
    assert entry.username == "admin"
    assert entry.entity_id == "L2-CARE/B7"
    detail = json.loads(entry.detail)
    assert detail["before"] == {"credits": None, "value_status": "missing"}
    assert detail["after"] == {"credits": 3, "value_status": "confirmed"}


def test_a_tutor_cannot_edit_the_catalogue(db):
    with pytest.raises(PermissionDenied, match="tutor1 \\(tutor\\) may not edit the catalogue"):
        set_unit_credits(db, TUTOR, "L2-CARE", "B7", 3, ValueStatus.CONFIRMED)
    assert load_qualification(db).unit("B7").credits is None
    assert audit_entries(db, "catalogue.set_unit_credits") == []


@pytest.mark.parametrize(
    ("credits", "status", "expected"),
    [
        (0, ValueStatus.CONFIRMED, "between 1 and 60"),
        (None, ValueStatus.CONFIRMED, "Enter the credits"),
        (3, ValueStatus.MISSING, "cannot have credits"),
    ],
)
def test_bad_credit_values_are_refused_and_nothing_changes(db, credits, status, expected):
    with pytest.raises(ServiceError, match=expected):
        set_unit_credits(db, ADMIN, "L2-CARE", "B1", credits, status)
    assert load_qualification(db).unit("B1").credits == 3


def test_a_stale_edit_is_refused(db):
    version = set_unit_credits(db, ADMIN, "L2-CARE", "B7", 3, ValueStatus.CONFIRMED)
    set_unit_credits(db, ADMIN, "L2-CARE", "B7", 4, ValueStatus.CONFIRMED, expected_version=version)
    with pytest.raises(StaleEdit, match="changed by someone else"):
        set_unit_credits(
            db, ADMIN, "L2-CARE", "B7", 2, ValueStatus.CONFIRMED, expected_version=version
        )
    assert load_qualification(db).unit("B7").credits == 4


def test_unknown_unit_is_named(db):
    with pytest.raises(NotFound, match="no unit Z9 in qualification L2-CARE"):
        set_unit_credits(db, ADMIN, "L2-CARE", "Z9", 3, ValueStatus.CONFIRMED)


def test_barred_pairs_are_data_the_rules_engine_reads(db):
    add_barred_pair(db, ADMIN, "L2-CARE", "B4", "B5", "overlapping dementia content")
    qual = load_qualification(db)
    verdict = check_selection(qual, ["B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13"])
    assert Code.BARRED_PAIR in verdict.codes()
    with pytest.raises(ServiceError, match="already a barred pair"):
        add_barred_pair(db, ADMIN, "L2-CARE", "B5", "B4")
    assert len(audit_entries(db, "catalogue.add_barred_pair")) == 1


def test_another_qualification_is_a_catalogue_not_a_release(db, diploma):
    from dataclasses import replace

    variant = replace(diploma, code="L2-CARE-PB", title="Level 2 Diploma in Care (Pearson)")
    install_qualification(db, ADMIN, variant)
    assert [q.code for q in list_qualifications(db)] == ["L2-CARE", "L2-CARE-PB"]
    with pytest.raises(ServiceError, match="already has a qualification with code L2-CARE"):
        install_qualification(db, ADMIN, diploma)
    assert ensure_default_catalogue(db) is False
