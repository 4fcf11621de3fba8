"""Evidence from draft to sign-off: mapping to criteria, files, assessment, sign-off,
revocation and quality assurance sampling, each step checked and audited."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from conftest import apprentice_input
from sqlalchemy import func, select

from assessor_app.services.apprentices import choose_units, enrol_apprentice
from assessor_app.services.catalogue import add_learning_outcome, remove_learning_outcome
from assessor_app.services.errors import FieldError, NotFound, ServiceError
from assessor_app.services.evidence import (
    EvidenceInput,
    add_attachments,
    assess_evidence,
    evidence_store,
    record_evidence,
    record_iqa_sample,
    revoke_sign_off,
    sign_off_unit,
    submit_evidence,
)
from assessor_app.services.placements import PlacementInput, schedule_placement
from assessor_app.services.roles import Actor, PermissionDenied, Role
from assessor_app.store import models

ADMIN = Actor(None, "admin", Role.ADMIN)
COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
TUTOR = Actor(None, "tutor", Role.TUTOR)
ASSESSOR = Actor(None, "ash", Role.ASSESSOR)
IQA = Actor(None, "indira", Role.IQA)
TODAY = date(2026, 11, 23)
UNITS = ["B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13"]
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
    choose_units(db, TUTOR, apprentice, UNITS)
    placement = schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(
            apprentice, world["home"], date(2026, 1, 5), date(2026, 4, 4), mentor_name="Jo Khan"
        ),
    )
    return {"apprentice": apprentice, "placement": placement}


def evidence(case, **changes):
    values = dict(
        apprentice_id=case["apprentice"],
        on_date=date(2026, 2, 10),
        method="observation",
        title="Supporting a resident at breakfast",
        context="placement",
        placement_id=case["placement"],
        coverage=[("B4", "1.1"), ("B4", "1.2"), ("A4", None)],
    )
    values.update(changes)
    return EvidenceInput(**values)


def count(db, model):
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_evidence_goes_from_draft_to_sign_off(db, case, tmp_path):
    photo = tmp_path / "record.pdf"
    photo.write_bytes(PDF)
    piece = record_evidence(db, TUTOR, evidence(case), [photo], today=TODAY)
    submit_evidence(db, TUTOR, piece)
    with pytest.raises(ServiceError, match=r"criteria 1\.1, 1\.2 are not covered"):
        sign_off_unit(db, ASSESSOR, case["apprentice"], "B4", on=TODAY)
    assess_evidence(db, ASSESSOR, piece, accept=True, on=TODAY)
    sign_off_unit(db, ASSESSOR, case["apprentice"], "B4", on=TODAY)
    with pytest.raises(FieldError, match="record your judgement"):
        sign_off_unit(db, ASSESSOR, case["apprentice"], "A4", on=TODAY)
    sign_off_unit(
        db,
        ASSESSOR,
        case["apprentice"],
        "A4",
        on=TODAY,
        judgement="Observed duty of care in practice; discussed with the mentor.",
    )
    with db.reading() as session:
        row = session.get(models.Evidence, piece)
        assert row.status == "accepted"
        [attachment] = row.attachments
        assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert evidence_store(db).read_verified(attachment.sha256) == PDF


def test_a_referral_needs_feedback_and_the_evidence_can_come_back(db, case):
    piece = record_evidence(db, TUTOR, evidence(case), today=TODAY)
    submit_evidence(db, TUTOR, piece)
    with pytest.raises(FieldError, match="Feedback is required"):
        assess_evidence(db, ASSESSOR, piece, accept=False)
    assess_evidence(
        db,
        ASSESSOR,
        piece,
        accept=False,
        feedback="Say how you checked the resident's preferences.",
    )
    with pytest.raises(ServiceError, match="Only submitted evidence can be assessed"):
        assess_evidence(db, ASSESSOR, piece, accept=True)
    submit_evidence(db, TUTOR, piece)
    assess_evidence(db, ASSESSOR, piece, accept=True)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"coverage": [("B16", None)]}, "coverage", "not one of Sam Smith's units"),
        ({"coverage": [("B4", None)]}, "coverage", "choose the criteria"),
        ({"coverage": [("B4", "9.9")]}, "coverage", "no criterion 9.9"),
        ({"coverage": []}, "coverage", "Choose the units or criteria"),
        ({"placement_id": None}, "placement_id", "Choose the placement"),
        ({"on_date": date(2027, 1, 1)}, "on_date", "in the future"),
        ({"method": "witness_testimony"}, "witness_name", "witness's name"),
        ({"method": "gossip"}, "method", "must be one of"),
        ({"title": " "}, "title", "Title is required"),
    ],
)
def test_bad_evidence_is_refused_naming_the_field_and_nothing_is_saved(
    db, case, changes, field, words
):
    with pytest.raises(FieldError) as refused:
        record_evidence(db, TUTOR, evidence(case, **changes), today=TODAY)
    assert refused.value.field == field
    assert words in str(refused.value)
    assert count(db, models.Evidence) == 0


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("virus.exe", b"MZ\x90\x00", "exe"),
        ("scan.pdf", b"just some text", "looks like"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_saved(db, case, tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FieldError) as refused:
        record_evidence(db, TUTOR, evidence(case), [path], today=TODAY)
    assert refused.value.field == "attachments"
    assert words in str(refused.value).lower()
    assert count(db, models.Evidence) == 0
    assert count(db, models.Attachment) == 0


def test_a_file_over_the_limit_is_refused(db, case, tmp_path):
    from assessor_app.services.app_settings import change_setting

    change_setting(db, ADMIN, "max_attachment_mb", 1)
    big = tmp_path / "video.pdf"
    big.write_bytes(PDF + b"0" * (1024 * 1024 + 1))
    with pytest.raises(FieldError, match="MB"):
        record_evidence(db, TUTOR, evidence(case), [big], today=TODAY)


@pytest.mark.sqlite_only  # the folder store's files; see test_postgresql.py
def test_the_same_file_twice_is_stored_once(db, case, tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "copy of a.pdf"
    first.write_bytes(PDF)
    second.write_bytes(PDF)
    piece = record_evidence(db, TUTOR, evidence(case), [first], today=TODAY)
    assert add_attachments(db, TUTOR, piece, [second]) == []
    other = record_evidence(db, TUTOR, evidence(case, title="Another"), [second], today=TODAY)
    assert other != piece
    stored = list((db.path.parent / "evidence-files").rglob("*"))
    assert len([p for p in stored if p.is_file()]) == 1


def test_only_assessors_assess_and_sign_off(db, case):
    piece = record_evidence(db, TUTOR, evidence(case), today=TODAY)
    submit_evidence(db, TUTOR, piece)
    for actor in (TUTOR, ADMIN, COORDINATOR, IQA):
        with pytest.raises(PermissionDenied):
            assess_evidence(db, actor, piece, accept=True)
    assess_evidence(db, ASSESSOR, piece, accept=True)
    with pytest.raises(PermissionDenied):
        sign_off_unit(db, ADMIN, case["apprentice"], "B4")
    with pytest.raises(PermissionDenied):
        record_evidence(db, Actor(None, "v", Role.VIEWER), evidence(case), today=TODAY)


def test_revoking_a_sign_off_needs_a_reason_and_is_kept(db, case):
    piece = record_evidence(db, TUTOR, evidence(case), today=TODAY)
    submit_evidence(db, TUTOR, piece)
    assess_evidence(db, ASSESSOR, piece, accept=True)
    sign_off_unit(db, ASSESSOR, case["apprentice"], "B4", on=TODAY)
    with pytest.raises(FieldError, match="Reason is required"):
        revoke_sign_off(db, ASSESSOR, case["apprentice"], "B4", "")
    revoke_sign_off(db, ASSESSOR, case["apprentice"], "B4", "Evidence found to be copied.")
    with db.reading() as session:
        [row] = session.scalars(select(models.UnitSignOff)).all()
        assert row.revoke_reason == "Evidence found to be copied."
    sign_off_unit(db, ASSESSOR, case["apprentice"], "B4", on=TODAY)
    with pytest.raises(ServiceError, match="already signed off"):
        sign_off_unit(db, ASSESSOR, case["apprentice"], "B4", on=TODAY)


def test_iqa_samples_assessed_work_only(db, case):
    piece = record_evidence(db, TUTOR, evidence(case), today=TODAY)
    with pytest.raises(FieldError, match="Only assessed evidence"):
        record_iqa_sample(
            db, IQA, case["apprentice"], decision="agreed", comments="", evidence_id=piece
        )
    submit_evidence(db, TUTOR, piece)
    assess_evidence(db, ASSESSOR, piece, accept=True)
    record_iqa_sample(
        db, IQA, case["apprentice"], decision="agreed", comments="", evidence_id=piece
    )
    with pytest.raises(FieldError, match="has not been assessed"):
        record_iqa_sample(
            db,
            IQA,
            case["apprentice"],
            decision="action_required",
            comments="Check dates",
            unit_ref="B4",
        )
    with pytest.raises(PermissionDenied):
        record_iqa_sample(
            db, ASSESSOR, case["apprentice"], decision="agreed", comments="", evidence_id=piece
        )
    assert count(db, models.IqaSample) == 1


def test_every_step_is_in_the_apprentice_history(db, case):
    from assessor_app.services.apprentice_queries import apprentice_history

    piece = record_evidence(db, TUTOR, evidence(case), today=TODAY)
    submit_evidence(db, TUTOR, piece)
    assess_evidence(db, ASSESSOR, piece, accept=True)
    sign_off_unit(db, ASSESSOR, case["apprentice"], "B4", on=TODAY)
    actions = [h.action for h in apprentice_history(db, ADMIN, case["apprentice"])]
    assert actions[:4] == [
        "unit.sign_off",
        "evidence.accepted",
        "evidence.submit",
        "evidence.record",
    ]


def test_off_the_job_evidence_has_no_placement(db, case):
    piece = record_evidence(
        db,
        TUTOR,
        evidence(case, context="off_the_job", placement_id=None, method="written_assignment"),
        today=TODAY,
    )
    assert piece
    with pytest.raises(FieldError, match="has no placement"):
        record_evidence(db, TUTOR, evidence(case, context="college"), today=TODAY)


@pytest.mark.sqlite_only  # the folder store's files; see test_postgresql.py
def test_an_altered_attachment_is_reported_when_opened(db, case, tmp_path):
    from assessor_app.services.evidence import open_attachment

    source = tmp_path / "record.pdf"
    source.write_bytes(PDF)
    piece = record_evidence(db, TUTOR, evidence(case), [source], today=TODAY)
    with db.reading() as session:
        attachment = session.get(models.Evidence, piece).attachments[0]
    copy = open_attachment(db, TUTOR, attachment.id, tmp_path / "view.pdf")
    assert copy.read_bytes() == PDF
    stored = evidence_store(db).path_for(attachment.sha256)
    stored.chmod(0o644)
    stored.write_bytes(PDF + b"tampered")
    with pytest.raises(ServiceError, match=r"record\.pdf"):
        open_attachment(db, TUTOR, attachment.id, tmp_path / "again.pdf")
    stored.unlink()
    with pytest.raises(ServiceError, match=r"record\.pdf"):
        open_attachment(db, TUTOR, attachment.id, tmp_path / "again.pdf")


def test_an_outcome_with_evidence_against_its_criteria_cannot_be_removed(db, case):
    record_evidence(db, TUTOR, evidence(case), today=TODAY)
    outcomes_before = count(db, models.LearningOutcome)
    with pytest.raises(ServiceError, match="1 piece of evidence is recorded against"):
        remove_learning_outcome(db, ADMIN, "L2-CARE", "B4", "1")
    assert count(db, models.LearningOutcome) == outcomes_before
    assert count(db, models.AssessmentCriterion) == 2


def test_an_outcome_without_evidence_is_removed_with_its_criteria_and_audited(db, case):
    with pytest.raises(PermissionDenied):
        remove_learning_outcome(db, TUTOR, "L2-CARE", "B4", "1")
    with pytest.raises(NotFound, match="no learning outcome 9"):
        remove_learning_outcome(db, ADMIN, "L2-CARE", "B4", "9")
    remove_learning_outcome(db, ADMIN, "L2-CARE", "B4", "1")
    assert count(db, models.LearningOutcome) == 0
    assert count(db, models.AssessmentCriterion) == 0
    with db.reading() as session:
        entry = session.scalars(
            select(models.AuditEntry).order_by(models.AuditEntry.id.desc())
        ).first()
        assert entry.action == "catalogue.remove_learning_outcome"
