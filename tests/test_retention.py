"""Retention: dates from the provider's setting, legal holds, restricted processing
for an erasure request inside the period, erasure after it, and an audit trail
that keeps none of the erased person's personal data."""

from __future__ import annotations

import contextlib
import io
from datetime import date
from decimal import Decimal

import pytest
from conftest import apprentice_input
from sqlalchemy import select

from assessor_app.cli import main
from assessor_app.services import passwords
from assessor_app.services.app_settings import change_setting
from assessor_app.services.apprentices import (
    change_status,
    choose_units,
    enrol_apprentice,
    record_employment_outcome,
    update_apprentice,
)
from assessor_app.services.errors import ServiceError
from assessor_app.services.evidence import (
    EvidenceInput,
    assess_evidence,
    evidence_store,
    record_evidence,
    sign_off_unit,
    submit_evidence,
)
from assessor_app.services.placements import PlacementInput, schedule_placement
from assessor_app.services.progress_records import log_off_the_job, record_review
from assessor_app.services.records import ProcessingRestricted
from assessor_app.services.report_queries import cohort_summary, programme_details
from assessor_app.services.retention import (
    ErasureOutcome,
    add_years,
    due_for_erasure,
    erase_apprentice,
    lift_restriction,
    request_erasure,
    retention_date,
    retention_state,
    set_legal_hold,
)
from assessor_app.services.roles import Actor, PermissionDenied, Role
from assessor_app.services.rotation_planning import propose_cohort_rotation
from assessor_app.services.unit_plans import apply_cohort_template, set_cohort_template
from assessor_app.services.users import create_user, reset_password
from assessor_app.store import models

ADMIN = Actor(None, "admin", Role.ADMIN)
COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
TUTOR = Actor(None, "tutor", Role.TUTOR)
ASSESSOR = Actor(None, "ash", Role.ASSESSOR)
COMPLETED = date(2027, 4, 1)
INSIDE = date(2030, 6, 1)
AFTER = date(2033, 4, 2)  # six years and a day after completing
PDF = b"%PDF-1.4\n% reflective account of Sam Smith\n"
ULN = "9276308686"
PERSONAL = ("Sam Smith", "Smith", ULN, "sam.smith@example.org", "07700 900123", "Oakfield Road")


@pytest.fixture
def sam(db, world, tmp_path):
    """An apprentice who completed on 1 April 2027, with evidence, a file, a sign-off,
    hours, a review and an employment outcome; every step audited."""
    apprentice = enrol_apprentice(
        db,
        COORDINATOR,
        apprentice_input(
            world,
            email="sam.smith@example.org",
            phone="07700 900123",
            address="12 Oakfield Road, Shiretown",
        ),
    )
    choose_units(db, TUTOR, apprentice, ["B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13"])
    placement = schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(
            apprentice, world["home"], date(2026, 1, 5), date(2026, 4, 4), mentor_name="Jo Khan"
        ),
    )
    account = tmp_path / "account.pdf"
    account.write_bytes(PDF)
    piece = record_evidence(
        db,
        TUTOR,
        EvidenceInput(
            apprentice_id=apprentice,
            on_date=date(2026, 2, 10),
            method="reflective_account",
            title="Sam Smith's account of a breakfast shift",
            placement_id=placement,
            description="Sam described helping Mrs Patel with breakfast.",
            coverage=[("A4", None)],
        ),
        [account],
        today=date(2026, 11, 23),
    )
    submit_evidence(db, TUTOR, piece)
    assess_evidence(db, ASSESSOR, piece, accept=True, on=date(2026, 11, 23))
    sign_off_unit(
        db, ASSESSOR, apprentice, "A4", on=date(2026, 11, 23), judgement="Sam Smith met A4."
    )
    log_off_the_job(
        db,
        TUTOR,
        apprentice,
        date(2026, 2, 3),
        Decimal("7"),
        "taught session",
        "Sam Smith attended",
        today=date(2026, 11, 23),
    )
    record_review(
        db,
        TUTOR,
        apprentice,
        "progress_review",
        date(2026, 3, 30),
        "Tina Tutor",
        "Sam Smith is doing well.",
        today=date(2026, 11, 23),
    )
    update_apprentice(
        db,
        COORDINATOR,
        apprentice,
        apprentice_input(
            world,
            email="sam.smith@example.org",
            phone="07700 900123",
            address="14 Oakfield Road, Shiretown",
        ),
    )
    change_status(db, COORDINATOR, apprentice, "completed", COMPLETED, "Sam Smith finished")
    record_employment_outcome(db, COORDINATOR, apprentice, "Care assistant, Oak Lodge")
    return apprentice


def audit_text(db):
    with db.reading() as session:
        return [
            (e.action, e.entity, e.entity_id, e.detail)
            for e in session.scalars(select(models.AuditEntry))
        ]


def test_the_retention_date_counts_the_setting_from_leaving():
    assert retention_date("completed", date(2027, 4, 1), 6) == date(2033, 4, 1)
    assert retention_date("withdrawn", date(2026, 9, 30), 10) == date(2036, 9, 30)
    assert retention_date("transferred", date(2026, 9, 30), 6) == date(2032, 9, 30)
    assert retention_date("active", date(2026, 1, 5), 6) is None
    assert retention_date("break_in_learning", date(2026, 5, 1), 6) is None
    assert add_years(date(2028, 2, 29), 6) == date(2034, 2, 28)


def test_the_provider_setting_moves_the_date(db, sam):
    assert retention_state(db, ADMIN, sam).keep_until == date(2033, 4, 1)
    change_setting(db, ADMIN, "retention_years", 8)
    assert retention_state(db, ADMIN, sam).keep_until == date(2035, 4, 1)
    assert [s.apprentice_id for s in due_for_erasure(db, ADMIN, AFTER)] == []


def test_an_active_apprentice_has_no_date_and_is_never_due(db, world):
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    state = retention_state(db, ADMIN, apprentice)
    assert state.keep_until is None
    assert "retention period has not started" in (state.why_kept(AFTER) or "")
    assert due_for_erasure(db, ADMIN, date(2099, 1, 1)) == []


def test_a_request_inside_the_period_restricts_processing(db, world, sam):
    outcome = request_erasure(db, ADMIN, sam, "Requested by letter", today=INSIDE)
    assert outcome is ErasureOutcome.RESTRICTED
    state = retention_state(db, ADMIN, sam)
    assert state.processing_restricted
    assert state.restricted_on == INSIDE
    assert "must be kept until 1 Apr 2033" in state.restriction_reason
    # Still viewable...
    assert programme_details(db, ADMIN, sam).name == "Sam Smith"
    # ...but nothing changes it.
    with pytest.raises(ProcessingRestricted, match="restricted since 1 Jun 2030"):
        update_apprentice(db, COORDINATOR, sam, apprentice_input(world, family_name="Jones"))
    with pytest.raises(ProcessingRestricted):
        record_employment_outcome(db, COORDINATOR, sam, "Senior carer")
    with pytest.raises(ProcessingRestricted):
        schedule_placement(
            db,
            COORDINATOR,
            PlacementInput(sam, world["ward"], date(2026, 4, 6), date(2026, 7, 5)),
        )
    with pytest.raises(ProcessingRestricted):
        record_evidence(
            db,
            TUTOR,
            EvidenceInput(
                sam,
                date(2026, 3, 1),
                "questioning",
                "Q&A",
                context="college",
                coverage=[("A4", None)],
            ),
            today=date(2026, 11, 23),
        )
    with db.reading() as session:
        row = session.get(models.Apprentice, sam)
        assert (row.family_name, row.employment_outcome) == ("Smith", "Care assistant, Oak Lodge")
    assert ("apprentice.restrict_processing", "apprentice", str(sam)) in {
        a[:3] for a in audit_text(db)
    }
    lift_restriction(db, ADMIN, sam, "Request withdrawn")
    record_employment_outcome(db, COORDINATOR, sam, "Senior carer")


def test_erasure_inside_the_period_is_refused_and_changes_nothing(db, sam):
    before = audit_text(db)
    with pytest.raises(ServiceError, match="must be kept until 1 Apr 2033"):
        erase_apprentice(db, ADMIN, sam, today=INSIDE)
    assert audit_text(db) == before
    assert retention_state(db, ADMIN, sam).name == "Sam Smith"


def test_a_legal_hold_keeps_the_record_after_the_period(db, sam):
    with pytest.raises(ServiceError, match="Reason is required"):
        set_legal_hold(db, ADMIN, sam, hold=True)
    set_legal_hold(db, ADMIN, sam, hold=True, reason="Funding audit 2033")
    assert due_for_erasure(db, ADMIN, AFTER) == []
    with pytest.raises(ServiceError, match=r"legal hold \(Funding audit 2033\)"):
        erase_apprentice(db, ADMIN, sam, today=AFTER)
    assert request_erasure(db, ADMIN, sam, "", today=AFTER) is ErasureOutcome.RESTRICTED
    set_legal_hold(db, ADMIN, sam, hold=False)
    assert [s.apprentice_id for s in due_for_erasure(db, ADMIN, AFTER)] == [sam]


def test_only_an_administrator_erases_or_holds(db, sam):
    for actor in (COORDINATOR, TUTOR, ASSESSOR):
        with pytest.raises(PermissionDenied):
            erase_apprentice(db, actor, sam, today=AFTER)
        with pytest.raises(PermissionDenied):
            set_legal_hold(db, actor, sam, hold=True, reason="x")


def test_erasure_after_the_period_leaves_no_personal_data(db, world, sam):
    with db.reading() as session:
        [sha256] = session.scalars(select(models.Attachment.sha256))
    store = evidence_store(db)
    assert store.exists(sha256)
    # Someone else's record that quotes Sam: their own details must survive.
    other = enrol_apprentice(
        db,
        COORDINATOR,
        apprentice_input(world, given_name="Ali", family_name="Khan", uln="9999999999"),
    )
    change_status(db, COORDINATOR, other, "withdrawn", date(2027, 6, 1), "Moved with Sam Smith")
    assert [s.apprentice_id for s in due_for_erasure(db, ADMIN, AFTER)] == [sam]

    assert request_erasure(db, ADMIN, sam, "Asked by Sam Smith", today=AFTER) == "erased"

    with db.reading() as session:
        row = session.get(models.Apprentice, sam)
        assert row.full_name == f"Erased apprentice {sam}"
        assert (row.uln, row.date_of_birth, row.email, row.phone, row.address) == (
            None,
            None,
            "",
            "",
            "",
        )
        assert row.erased_on == AFTER
        assert row.status == "completed"  # the cohort's outcomes still count them
        [piece] = session.scalars(select(models.Evidence))
        assert (piece.description, piece.attachments) == ("", [])
        texts = [
            *(r.summary for r in session.scalars(select(models.Review))),
            *(o.notes for o in session.scalars(select(models.OffTheJobEntry))),
            *(s.judgement for s in session.scalars(select(models.UnitSignOff))),
            *(p.mentor_name for p in session.scalars(select(models.Placement))),
        ]
        assert all(t == "" for t in texts)
        assert session.scalar(select(models.UnitSignOff.signed_off_on)) == date(2026, 11, 23)
    assert not store.exists(sha256)

    trail = audit_text(db)
    for action, _entity, _entity_id, detail in trail:
        for value in PERSONAL:
            assert value.lower() not in detail.lower(), (action, value)
    erased = [t for t in trail if t[0] == "apprentice.erase"]
    assert len(erased) == 1 and erased[0][2] == str(sam)
    # The history still reads: what happened, when, by whom, with personal values gone.
    assert any(a == "apprentice.change_status" and '"completed"' in d for a, _e, _i, d in trail)
    with db.reading() as session:
        ali = session.get(models.Apprentice, other)
        assert ali.full_name == "Ali Khan"
        assert ali.status_reason == "Moved with Sam Smith"  # their record is theirs
    totals = cohort_summary(db, ADMIN, world["cohort"], today=AFTER).totals
    assert (totals.starts, totals.completions, totals.employment_outcomes) == (2, 1, 1)

    with pytest.raises(ProcessingRestricted, match="erased on 2 Apr 2033"):
        record_employment_outcome(db, COORDINATOR, sam, "Nurse")
    with pytest.raises(ServiceError, match="already erased"):
        erase_apprentice(db, ADMIN, sam, today=AFTER)


def run_cli(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_lists_and_erases_only_with_confirmation(db, world, sam):
    code, printed, _ = run_cli("--db", db.url, "retention", "due", "--on", "2033-04-01")
    assert (code, printed.strip()) == (
        0,
        "No apprentice is past their retention date on 1 Apr 2033.",
    )
    code, printed, _ = run_cli("--db", db.url, "retention", "due", "--on", "2033-04-02")
    assert code == 0
    assert f"{sam}  Sam Smith  completed 1 Apr 2027, kept until 1 Apr 2033" in printed
    code, _, err = run_cli("--db", db.url, "retention", "erase", ULN, "--confirm")
    assert code == 2
    assert "cannot be erased yet. The records must be kept until 1 Apr 2033" in err
    # An apprentice who completed long ago (dates set directly: services refuse the past).
    with db.transaction() as session:
        row = session.get(models.Apprentice, sam)
        row.start_date, row.planned_end_date = date(2016, 1, 4), date(2017, 4, 3)
        row.status_date = date(2017, 4, 1)
    code, _, err = run_cli("--db", db.url, "retention", "erase", str(sam))
    assert code == 2
    assert "cannot be undone: run the command again with --confirm" in err
    assert retention_state(db, ADMIN, sam).name == "Sam Smith"
    code, printed, _ = run_cli("--db", db.url, "retention", "erase", str(sam), "--confirm")
    assert code == 0
    assert f"Erased the personal data of apprentice {sam}" in printed
    assert "1 evidence file removed" in printed
    assert retention_state(db, ADMIN, sam).name == f"Erased apprentice {sam}"
    code, _, err = run_cli("--db", db.url, "retention", "due", "--on", "someday")
    assert (code, "--on someday: give the date as YYYY-MM-DD." in err) == (2, True)


def test_the_audit_trail_never_holds_a_password(db, monkeypatch):
    monkeypatch.setattr(passwords, "CURRENT", passwords.ScryptParams(log2_n=10, r=8, p=1))
    user = create_user(db, ADMIN, "tina", "Tina Tutor", Role.TUTOR, "first secret phrase 1")
    reset_password(db, ADMIN, user, "second secret phrase 2")
    with db.reading() as session:
        stored_hash = session.get(models.User, user).password_hash
    trail = audit_text(db)
    assert {"user.create", "user.reset_password"} <= {a for a, *_ in trail}
    for _action, _entity, _entity_id, detail in trail:
        assert "secret phrase" not in detail
        assert stored_hash not in detail


def test_cohort_wide_planning_passes_over_a_restricted_record(db, world, sam):
    ali = enrol_apprentice(
        db,
        COORDINATOR,
        apprentice_input(world, given_name="Ali", family_name="Khan", uln="9999999999"),
    )
    schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(ali, world["home"], date(2026, 1, 5), date(2026, 4, 4)),
    )
    change_status(db, COORDINATOR, sam, "active", date(2026, 5, 1))
    request_erasure(db, ADMIN, sam, "", today=INSIDE)
    set_cohort_template(db, ADMIN, world["cohort"], "A1", 1)
    assert apply_cohort_template(db, ADMIN, world["cohort"]) == 1  # Ali's plan only
    with db.reading() as session:
        planned = set(session.scalars(select(models.UnitPlan.apprentice_id)))
    assert planned == {ali}
    plan = propose_cohort_rotation(db, COORDINATOR, world["cohort"])
    assert {slot.apprentice_id for slot in plan.slots} <= {ali}
