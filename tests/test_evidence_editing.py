"""Correcting evidence after it is saved: what may change, who may change it, when it
is refused (accepted, backing a sign-off, stale, invalid) and what the audit keeps."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from conftest import apprentice_input
from sqlalchemy import select

from assessor_app.services.apprentices import choose_units, enrol_apprentice
from assessor_app.services.catalogue import add_learning_outcome
from assessor_app.services.errors import FieldError, ServiceError, StaleEdit
from assessor_app.services.evidence import (
    EvidenceInput,
    add_attachments,
    assess_evidence,
    record_evidence,
    return_evidence,
    revoke_sign_off,
    sign_off_unit,
    submit_evidence,
    update_evidence,
)
from assessor_app.services.evidence_queries import EvidenceRow, evidence_book
from assessor_app.services.placements import PlacementInput, schedule_placement
from assessor_app.services.roles import Actor, PermissionDenied, Role
from assessor_app.store import models

ADMIN = Actor(None, "admin", Role.ADMIN)
COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
TUTOR = Actor(None, "tutor", Role.TUTOR)
OTHER_TUTOR = Actor(None, "tess", Role.TUTOR)
ASSESSOR = Actor(None, "ash", Role.ASSESSOR)
IQA = Actor(None, "indira", Role.IQA)
VIEWER = Actor(None, "vic", Role.VIEWER)
TODAY = date(2026, 11, 23)
PDF = b"%PDF-1.4\n% observation record\n"


@pytest.fixture
def case(db, world):
    add_learning_outcome(
        db,
        ADMIN,
        "L2-CARE",
        "B4",
        "1",
        "Understand what dementia is",
        [
            ("1.1", "Explain what is meant by dementia"),
            ("1.2", "Describe the key functions of the brain"),
        ],
    )
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    choose_units(db, TUTOR, apprentice, ["B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13"])
    home = schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(
            apprentice, world["home"], date(2026, 1, 5), date(2026, 4, 4), mentor_name="Jo Khan"
        ),
    )
    ward = schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(
            apprentice, world["ward"], date(2026, 4, 6), date(2026, 7, 4), mentor_name="Al Roy"
        ),
    )
    return {"apprentice": apprentice, "home": home, "ward": ward}


def evidence(case, **changes) -> EvidenceInput:
    values = dict(
        apprentice_id=case["apprentice"],
        on_date=date(2026, 2, 10),
        method="observation",
        title="Supporting a resident at breakfast",
        context="placement",
        placement_id=case["home"],
        description="Observed on the early shift.",
        coverage=[("B4", "1.1"), ("A4", None)],
    )
    values.update(changes)
    return EvidenceInput(**values)


def piece(db, case, evidence_id) -> EvidenceRow:
    book = evidence_book(db, ADMIN, case["apprentice"])
    return next(e for e in book.evidence if e.id == evidence_id)


def audit_entries(db, action):
    with db.reading() as session:
        rows = session.scalars(
            select(models.AuditEntry)
            .where(models.AuditEntry.action == action)
            .order_by(models.AuditEntry.id)
        ).all()
        return [(r.username, json.loads(r.detail)) for r in rows]


def test_a_draft_is_corrected_and_the_audit_keeps_old_and_new(db, case):
    saved = record_evidence(db, TUTOR, evidence(case), today=TODAY)
    before = piece(db, case, saved)
    corrected = evidence(
        case,
        on_date=date(2026, 4, 20),
        placement_id=case["ward"],
        title="Supporting a patient at breakfast",
        coverage=[("B4", "1.1"), ("B4", "1.2")],
    )
    version = update_evidence(
        db, OTHER_TUTOR, saved, corrected, expected_version=before.version, today=TODAY
    )

    after = piece(db, case, saved)
    assert version == after.version > before.version
    assert after.on_date == date(2026, 4, 20)
    assert after.placement_id == case["ward"]
    assert after.where.startswith("Ward 7")
    assert after.title == "Supporting a patient at breakfast"
    assert sorted(after.coverage) == [("B4", "1.1"), ("B4", "1.2")]
    assert after.status == "draft"
    [(who, detail)] = audit_entries(db, "evidence.update")
    assert who == "tess"
    assert detail["evidence"] == saved
    assert detail["changes"] == {
        "on_date": ["2026-02-10", "2026-04-20"],
        "where": [
            "Oak Lodge, Shire County Council",
            "Ward 7 (elderly care), Royal Shire Hospital NHS Trust",
        ],
        "title": ["Supporting a resident at breakfast", "Supporting a patient at breakfast"],
        "covers": [["A4", "B4/1.1"], ["B4/1.1", "B4/1.2"]],
    }


def test_submitted_and_referred_evidence_can_be_corrected_and_keeps_its_status(db, case):
    saved = record_evidence(db, TUTOR, evidence(case), today=TODAY)
    submit_evidence(db, TUTOR, saved)
    version = update_evidence(
        db,
        TUTOR,
        saved,
        evidence(case, description="Observed on the early shift with the mentor."),
        expected_version=piece(db, case, saved).version,
        today=TODAY,
    )
    assert piece(db, case, saved).status == "submitted"
    assess_evidence(
        db, ASSESSOR, saved, accept=False, feedback="Name the mentor.", expected_version=version
    )
    update_evidence(
        db,
        TUTOR,
        saved,
        evidence(case, description="Observed on the early shift with Jo Khan, the mentor."),
        expected_version=piece(db, case, saved).version,
        today=TODAY,
    )
    after = piece(db, case, saved)
    assert after.status == "referred"
    assert after.description == "Observed on the early shift with Jo Khan, the mentor."
    submit_evidence(db, TUTOR, saved, expected_version=after.version)
    assert piece(db, case, saved).status == "submitted"


def test_saving_without_a_change_leaves_no_audit_entry(db, case):
    saved = record_evidence(db, TUTOR, evidence(case), today=TODAY)
    version = piece(db, case, saved).version
    # The same criteria ticked in another order are no change either.
    same = evidence(case, coverage=[("A4", None), ("B4", "1.1")])
    assert update_evidence(db, TUTOR, saved, same, expected_version=version, today=TODAY) == version
    assert audit_entries(db, "evidence.update") == []


def test_accepted_evidence_is_refused_until_an_assessor_returns_it(db, case):
    saved = record_evidence(db, TUTOR, evidence(case), today=TODAY)
    submit_evidence(db, TUTOR, saved)
    assess_evidence(db, ASSESSOR, saved, accept=True, on=TODAY)
    accepted = piece(db, case, saved)
    with pytest.raises(ServiceError, match="return it for correction") as refused:
        update_evidence(
            db,
            TUTOR,
            saved,
            evidence(case, title="Changed after acceptance"),
            expected_version=accepted.version,
            today=TODAY,
        )
    assert not isinstance(refused.value, FieldError)
    with pytest.raises(ServiceError, match="Files cannot be added to accepted evidence"):
        add_attachments(db, TUTOR, saved, [])
    assert piece(db, case, saved) == accepted

    # Returned, it is referred with the reason as feedback, and can be corrected.
    with pytest.raises(FieldError, match="Reason is required"):
        return_evidence(db, ASSESSOR, saved, " ")
    with pytest.raises(PermissionDenied):
        return_evidence(db, TUTOR, saved, "Wrong date.")
    version = return_evidence(db, ASSESSOR, saved, "The date is wrong.", on=TODAY)
    returned = piece(db, case, saved)
    assert (returned.status, returned.feedback) == ("referred", "The date is wrong.")
    update_evidence(
        db,
        TUTOR,
        saved,
        evidence(case, on_date=date(2026, 2, 11)),
        expected_version=version,
        today=TODAY,
    )
    assert piece(db, case, saved).on_date == date(2026, 2, 11)
    [(_who, detail)] = audit_entries(db, "evidence.returned")
    assert detail["changes"] == {"status": ["accepted", "referred"]}
    assert detail["reason"] == "The date is wrong."


def test_evidence_backing_a_sign_off_is_refused_naming_the_unit(db, case):
    saved = record_evidence(
        db, TUTOR, evidence(case, coverage=[("B4", "1.1"), ("B4", "1.2")]), today=TODAY
    )
    submit_evidence(db, TUTOR, saved)
    assess_evidence(db, ASSESSOR, saved, accept=True, on=TODAY)
    sign_off_unit(db, ASSESSOR, case["apprentice"], "B4", on=TODAY)
    accepted = piece(db, case, saved)
    with pytest.raises(ServiceError, match="backs the sign-off of unit B4") as refused:
        update_evidence(
            db, TUTOR, saved, evidence(case), expected_version=accepted.version, today=TODAY
        )
    assert "revoke the sign-off" in str(refused.value)
    with pytest.raises(ServiceError, match="revoke the sign-off first"):
        return_evidence(db, ASSESSOR, saved, "Covers the wrong criteria.")
    assert piece(db, case, saved) == accepted

    revoke_sign_off(db, ASSESSOR, case["apprentice"], "B4", "Evidence needs correcting.")
    return_evidence(db, ASSESSOR, saved, "Covers the wrong criteria.")
    assert piece(db, case, saved).status == "referred"


def test_a_stale_edit_is_refused_and_the_other_persons_work_is_kept(db, case):
    saved = record_evidence(db, TUTOR, evidence(case), today=TODAY)
    opened = piece(db, case, saved).version
    update_evidence(
        db,
        OTHER_TUTOR,
        saved,
        evidence(case, title="Tess's correction"),
        expected_version=opened,
        today=TODAY,
    )
    kept = piece(db, case, saved)
    with pytest.raises(StaleEdit, match="tess saved this piece of evidence") as refused:
        update_evidence(
            db,
            TUTOR,
            saved,
            evidence(case, title="Tutor's correction", coverage=[("A4", None)]),
            expected_version=opened,
            today=TODAY,
        )
    assert "Your changes are kept in the form" in str(refused.value)
    assert piece(db, case, saved) == kept
    assert len(audit_entries(db, "evidence.update")) == 1


def test_changing_only_what_it_covers_still_moves_the_version_on(db, case):
    saved = record_evidence(db, TUTOR, evidence(case), today=TODAY)
    opened = piece(db, case, saved).version
    update_evidence(
        db,
        TUTOR,
        saved,
        evidence(case, coverage=[("B4", "1.2")]),
        expected_version=opened,
        today=TODAY,
    )
    # A second person who opened it before cannot then undo the change unknowingly.
    with pytest.raises(StaleEdit):
        update_evidence(
            db, OTHER_TUTOR, saved, evidence(case), expected_version=opened, today=TODAY
        )
    with pytest.raises(StaleEdit):
        submit_evidence(db, OTHER_TUTOR, saved, expected_version=opened)
    assert piece(db, case, saved).coverage == (("B4", "1.2"),)


@pytest.mark.parametrize("actor", [COORDINATOR, IQA, VIEWER])
def test_roles_that_do_not_record_evidence_cannot_change_it(db, case, actor):
    saved = record_evidence(db, TUTOR, evidence(case), today=TODAY)
    before = piece(db, case, saved)
    with pytest.raises(PermissionDenied, match="may not record assessment evidence"):
        update_evidence(
            db,
            actor,
            saved,
            evidence(case, title="Not allowed"),
            expected_version=before.version,
            today=TODAY,
        )
    assert piece(db, case, saved) == before


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"coverage": [("B4", "9.9")]}, "coverage", "Unit B4 has no criterion 9.9"),
        ({"coverage": [("B16", None)]}, "coverage", "B16 is not one of Sam Smith's units"),
        ({"coverage": []}, "coverage", "Choose the units or criteria"),
        ({"on_date": date(2027, 1, 1)}, "on_date", "in the future"),
        ({"on_date": date(2025, 12, 1)}, "on_date", "before the apprentice started"),
        ({"placement_id": None}, "placement_id", "Choose the placement"),
        ({"context": "college"}, "placement_id", "has no placement"),
        ({"method": "witness_testimony"}, "witness_name", "witness's name"),
        ({"title": "  "}, "title", "Title is required"),
        ({"apprentice_id": 999}, "apprentice_id", "another apprentice's record"),
    ],
)
def test_bad_corrections_are_refused_naming_the_field_and_nothing_changes(
    db, case, changes, field, words
):
    saved = record_evidence(db, TUTOR, evidence(case), today=TODAY)
    before = piece(db, case, saved)
    with pytest.raises(FieldError) as refused:
        update_evidence(
            db,
            TUTOR,
            saved,
            replace(evidence(case), **changes),
            expected_version=before.version,
            today=TODAY,
        )
    assert refused.value.field == field
    assert words in str(refused.value)
    assert piece(db, case, saved) == before
    assert audit_entries(db, "evidence.update") == []


def test_files_are_added_with_a_correction_and_a_bad_file_changes_nothing(db, case, tmp_path):
    saved = record_evidence(db, TUTOR, evidence(case), today=TODAY)
    before = piece(db, case, saved)
    bad = tmp_path / "virus.exe"
    bad.write_bytes(b"MZ\x90\x00")
    with pytest.raises(FieldError) as refused:
        update_evidence(
            db,
            TUTOR,
            saved,
            evidence(case, title="With the record"),
            [bad],
            expected_version=before.version,
            today=TODAY,
        )
    assert refused.value.field == "attachments"
    assert piece(db, case, saved) == before

    good = tmp_path / "observation.pdf"
    good.write_bytes(PDF)
    update_evidence(
        db,
        TUTOR,
        saved,
        evidence(case, title="With the record"),
        [good],
        expected_version=before.version,
        today=TODAY,
    )
    after = piece(db, case, saved)
    assert after.title == "With the record"
    assert [a.name for a in after.attachments] == ["observation.pdf"]
    [(_who, detail)] = audit_entries(db, "evidence.update")
    assert [f["name"] for f in detail["files"]] == ["observation.pdf"]


def test_adding_files_to_a_piece_changed_meanwhile_is_refused(db, case, tmp_path):
    saved = record_evidence(db, TUTOR, evidence(case), today=TODAY)
    opened = piece(db, case, saved).version
    update_evidence(
        db,
        OTHER_TUTOR,
        saved,
        evidence(case, title="Renamed"),
        expected_version=opened,
        today=TODAY,
    )
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF)
    with pytest.raises(StaleEdit):
        add_attachments(db, TUTOR, saved, [scan], expected_version=opened)
    assert piece(db, case, saved).attachments == ()
    current = piece(db, case, saved).version
    add_attachments(db, TUTOR, saved, [scan], expected_version=current)
    assert piece(db, case, saved).version > current  # a file is part of the piece
