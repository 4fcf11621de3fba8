"""Assessment evidence: record it against units and criteria, correct it until it is
accepted, attach files, submit, assess (accept or refer with feedback), return accepted
evidence for correction, sign units off and revoke sign-off, and record internal
quality assurance sampling. Every step is audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from assessor_app.domain.wording import join_and
from assessor_app.services import audit, validation
from assessor_app.services.app_settings import get_settings
from assessor_app.services.errors import FieldError, NotFound, ServiceError
from assessor_app.services.records import (
    changes,
    ensure_processing_allowed,
    load_for_edit,
    plain,
)
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.evidence_blobs import AttachmentStore, DatabaseEvidenceStore
from assessor_app.store.evidence_files import EvidenceFileError, EvidenceStore, StoredFile
from assessor_app.store.models import (
    EVIDENCE_METHODS,
    Apprentice,
    AssessmentCriterion,
    Attachment,
    Evidence,
    EvidenceCoverage,
    IqaSample,
    LearningOutcome,
    Placement,
    Unit,
    UnitSignOff,
)

CONTEXTS = ("placement", "off_the_job", "college")
# Evidence can be corrected until an assessor accepts it; accepted evidence must be
# returned for correction first, so nothing changes under an assessment already made.
EDITABLE_STATUSES = ("draft", "submitted", "referred")
METHOD_LABELS = {
    "observation": "Direct observation",
    "witness_testimony": "Witness testimony",
    "professional_discussion": "Professional discussion",
    "questioning": "Questioning",
    "reflective_account": "Reflective account",
    "product": "Product evidence (work records)",
    "written_assignment": "Written assignment",
    "recognition_of_prior_learning": "Recognition of prior learning",
}


@dataclass(frozen=True)
class EvidenceInput:
    apprentice_id: int
    on_date: date
    method: str
    title: str
    context: str = "placement"
    placement_id: int | None = None
    description: str = ""
    witness_name: str = ""
    witness_role: str = ""
    # (unit reference, criterion number) pairs; None covers a unit without criteria.
    coverage: Sequence[tuple[str, str | None]] = field(default_factory=tuple)


def evidence_store(db: Database) -> AttachmentStore:
    """Where attachments are kept, with the provider's size limit: the folder beside a
    SQLite file, or the database itself on a shared server so every PC sees them."""
    limit = get_settings(db)["max_attachment_mb"] * 1024 * 1024
    if db.path is None:
        return DatabaseEvidenceStore(db, max_bytes=limit)
    return EvidenceStore(db.path.parent / "evidence-files", max_bytes=limit)


def units_in_scope(session: Session, apprentice: Apprentice) -> dict[str, Unit]:
    """The apprentice's units in scope: every mandatory unit plus those chosen."""
    qual = apprentice.cohort.qualification
    chosen = {c.unit_id for c in apprentice.chosen_units}
    return {
        u.ref: u
        for u in session.scalars(select(Unit).where(Unit.qualification_id == qual.id))
        if u.group.mandatory or u.id in chosen
    }


def _criteria(session: Session, unit: Unit) -> dict[str, AssessmentCriterion]:
    return {
        c.number: c
        for c in session.scalars(
            select(AssessmentCriterion)
            .join(LearningOutcome)
            .where(LearningOutcome.unit_id == unit.id)
        )
    }


def _check(session: Session, data: EvidenceInput, today: date) -> list[EvidenceCoverage]:
    apprentice = session.get(Apprentice, data.apprentice_id)
    if apprentice is None:
        raise FieldError("apprentice_id", "Choose the apprentice the evidence belongs to.")
    ensure_processing_allowed(apprentice)
    validation.choice(data.method, "method", "Method", EVIDENCE_METHODS)
    validation.choice(data.context, "context", "Where", CONTEXTS)
    if data.on_date < apprentice.start_date:
        raise FieldError("on_date", "The evidence cannot be dated before the apprentice started.")
    if data.on_date > today:
        raise FieldError("on_date", "The evidence cannot be dated in the future.")
    if data.context == "placement":
        placement = session.get(Placement, data.placement_id) if data.placement_id else None
        if placement is None or placement.apprentice_id != apprentice.id:
            raise FieldError(
                "placement_id", "Choose the placement where the evidence was gathered."
            )
    elif data.placement_id is not None:
        raise FieldError(
            "placement_id", "Evidence from college or off-the-job training has no placement."
        )
    if data.method == "witness_testimony" and not data.witness_name.strip():
        raise FieldError("witness_name", "Witness testimony needs the witness's name and role.")
    if not data.coverage:
        raise FieldError("coverage", "Choose the units or criteria this evidence covers.")
    units = units_in_scope(session, apprentice)
    rows: list[EvidenceCoverage] = []
    seen: set[tuple[str, str | None]] = set()
    for ref, number in data.coverage:
        if (ref, number) in seen:
            continue
        seen.add((ref, number))
        unit = units.get(ref)
        if unit is None:
            raise FieldError(
                "coverage",
                f"Unit {ref} is not one of {apprentice.full_name}'s units: choose it as an "
                "optional unit first, or map the evidence to a unit they are taking.",
            )
        criteria = _criteria(session, unit)
        if number is None:
            if criteria:
                raise FieldError(
                    "coverage",
                    f"Unit {ref} has assessment criteria: choose the criteria this evidence "
                    "covers rather than the unit as a whole.",
                )
            rows.append(EvidenceCoverage(unit=unit, criterion=None))
        else:
            criterion = criteria.get(number)
            if criterion is None:
                raise FieldError("coverage", f"Unit {ref} has no criterion {number}.")
            rows.append(EvidenceCoverage(unit=unit, criterion=criterion))
    return rows


def _store_files(db: Database, files: Sequence[Path]) -> list[StoredFile]:
    # Files go into the content-addressed store before the transaction: storing is
    # idempotent, so a refused record leaves at most an unreferenced copy, never a
    # record pointing at a missing file.
    store = evidence_store(db) if files else None
    stored = []
    for path in files:
        assert store is not None
        try:
            stored.append(store.add(path))
        except EvidenceFileError as exc:
            raise FieldError("attachments", str(exc)) from None
    return stored


def record_evidence(
    db: Database,
    actor: Actor,
    data: EvidenceInput,
    attachments: Sequence[Path] = (),
    *,
    today: date | None = None,
) -> int:
    """Save a piece of evidence as a draft, with its files."""
    actor.require(Permission.RECORD_EVIDENCE)
    _texts(data)
    with db.reading() as session:
        _check(session, data, today or date.today())
    stored = _store_files(db, attachments)
    with db.transaction() as session:
        return record_in_session(session, actor, data, stored, today=today)


def _attach(row: Evidence, stored: Sequence[StoredFile], actor: Actor) -> list[StoredFile]:
    """Attach the stored files the piece does not have yet; returns those attached."""
    have = {a.sha256 for a in row.attachments}
    added = []
    for f in stored:
        if f.sha256 in have:
            continue
        have.add(f.sha256)
        added.append(f)
        row.attachments.append(
            Attachment(
                sha256=f.sha256,
                original_name=f.original_name,
                media_type=f.media_type,
                size=f.size,
                added_by_id=actor.user_id,
            )
        )
    return added


def _texts(data: EvidenceInput) -> tuple[str, str]:
    title = validation.text(data.title, "title", "Title", max_length=200)
    description = validation.text(
        data.description, "description", "Description", max_length=20000, required=False
    )
    return title, description


def record_in_session(
    session: Session,
    actor: Actor,
    data: EvidenceInput,
    stored: Sequence[StoredFile] = (),
    *,
    today: date | None = None,
) -> int:
    """The recording inside a caller's transaction (an import runs many in one), with
    files already in the store; the caller has checked the actor's permission."""
    title, description = _texts(data)
    coverage = _check(session, data, today or date.today())
    row = Evidence(
        apprentice_id=data.apprentice_id,
        on_date=data.on_date,
        context=data.context,
        placement_id=data.placement_id,
        method=data.method,
        title=title,
        description=description,
        witness_name=data.witness_name.strip(),
        witness_role=data.witness_role.strip(),
        status="draft",
        created_by_id=actor.user_id,
        coverage=coverage,
    )
    _attach(row, stored, actor)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "evidence.record",
        "apprentice",
        data.apprentice_id,
        evidence=row.id,
        title=title,
        method=data.method,
        covers=_covers(coverage),
        files=[{"name": f.original_name, "sha256": f.sha256} for f in stored],
    )
    return row.id


def _covers(coverage: Sequence[EvidenceCoverage]) -> list[str]:
    return [f"{c.unit.ref}{'/' + c.criterion.number if c.criterion else ''}" for c in coverage]


def _where(session: Session, context: str, placement_id: int | None) -> str:
    """Where the evidence was gathered, in words for the audit trail."""
    placement = session.get(Placement, placement_id) if placement_id is not None else None
    if placement is None:
        return context
    return f"{placement.setting.name}, {placement.setting.organisation.name}"


def _signed_off_units(session: Session, row: Evidence) -> list[str]:
    """The units whose current sign-off this (accepted) evidence backs."""
    return sorted(
        {
            c.unit.ref
            for c in row.coverage
            if _active_sign_off(session, row.apprentice_id, c.unit) is not None
        }
    )


def units_text(refs: Sequence[str]) -> str:
    """'unit B4', or 'units A1, A2 and B4'."""
    return f"unit {refs[0]}" if len(refs) == 1 else f"units {join_and(refs)}"


def ensure_editable(session: Session, row: Evidence) -> None:
    """Refuse changes to evidence an assessor has accepted, saying what to do instead."""
    if row.status in EDITABLE_STATUSES:
        return
    units = _signed_off_units(session, row)
    if units:
        raise ServiceError(
            f"This evidence was accepted and backs the sign-off of {units_text(units)}: "
            "an assessor must revoke the sign-off and then return the evidence for "
            "correction before it can be changed."
        )
    raise ServiceError(
        f"This evidence is {row.status}: an assessor must return it for correction before "
        "it can be changed."
    )


def _prepare_update(
    session: Session, row: Evidence, data: EvidenceInput, today: date
) -> list[tuple[int, int | None, EvidenceCoverage]]:
    """Check an edit against the rules for recording; returns the new coverage keyed by
    (unit id, criterion id)."""
    if data.apprentice_id != row.apprentice_id:
        raise FieldError(
            "apprentice_id",
            "Evidence cannot be moved to another apprentice's record: record it there instead.",
        )
    ensure_editable(session, row)
    return [
        (c.unit.id, c.criterion.id if c.criterion is not None else None, c)
        for c in _check(session, data, today)
    ]


def _audit_view(session: Session, row: Evidence) -> dict[str, Any]:
    """What a person corrects, as the audit trail shows it before and after."""
    return {
        "on_date": plain(row.on_date),
        "method": row.method,
        "where": _where(session, row.context, row.placement_id),
        "title": row.title,
        "description": row.description,
        "witness_name": row.witness_name,
        "witness_role": row.witness_role,
        "covers": sorted(_covers(row.coverage)),  # the order ticked is no change
    }


def update_evidence(
    db: Database,
    actor: Actor,
    evidence_id: int,
    data: EvidenceInput,
    attachments: Sequence[Path] = (),
    *,
    expected_version: int | None,
    today: date | None = None,
) -> int:
    """Correct a piece of evidence that has not been accepted yet: its date, place,
    method, wording and what it covers, with any files to add. Returns the new version."""
    actor.require(Permission.RECORD_EVIDENCE)
    title, description = _texts(data)
    day = today or date.today()
    with db.reading() as session:
        current = session.get(Evidence, evidence_id)
        if current is None:
            raise NotFound("The piece of evidence no longer exists; it may have been removed.")
        _prepare_update(session, current, data, day)
    stored = _store_files(db, attachments)
    with db.transaction() as session:
        row = load_for_edit(session, Evidence, evidence_id, "piece of evidence", expected_version)
        wanted = _prepare_update(session, row, data, day)
        before = _audit_view(session, row)
        row.on_date, row.method, row.context = data.on_date, data.method, data.context
        row.placement_id, row.title, row.description = data.placement_id, title, description
        row.witness_name = data.witness_name.strip()
        row.witness_role = data.witness_role.strip()
        # Coverage kept where it is unchanged, so a criterion ticked before and after
        # is never deleted and inserted again (the pair is unique per piece).
        keys = {(unit_id, criterion_id) for unit_id, criterion_id, _ in wanted}
        kept = {
            (c.unit_id, c.criterion_id): c
            for c in row.coverage
            if (c.unit_id, c.criterion_id) in keys
        }
        row.coverage = [kept.get((u, c), new) for u, c, new in wanted]
        added = _attach(row, stored, actor)
        after = _audit_view(session, row)
        changed = changes(before, after)
        if not changed and not added:
            return row.version
        # Coverage and files are part of the piece: a stale edit of them must be
        # refused too, so the piece's version moves on even when only they changed.
        flag_modified(row, "status")
        session.flush()
        audit.record(
            session,
            actor,
            "evidence.update",
            "apprentice",
            row.apprentice_id,
            evidence=row.id,
            title=row.title,
            changes=changed,
            files=[{"name": f.original_name, "sha256": f.sha256} for f in added],
        )
        return row.version


def submit_evidence(
    db: Database, actor: Actor, evidence_id: int, *, expected_version: int | None = None
) -> int:
    """Send a draft (or referred) piece of evidence for assessment."""
    actor.require(Permission.RECORD_EVIDENCE)
    with db.transaction() as session:
        row = load_for_edit(session, Evidence, evidence_id, "piece of evidence", expected_version)
        if row.status not in ("draft", "referred"):
            raise ServiceError(f"This evidence is already {row.status}; it cannot be submitted.")
        before = row.status
        row.status = "submitted"
        session.flush()
        audit.record(
            session,
            actor,
            "evidence.submit",
            "apprentice",
            row.apprentice_id,
            evidence=row.id,
            changes={"status": [before, "submitted"]},
        )
        return row.version


def assess_evidence(
    db: Database,
    actor: Actor,
    evidence_id: int,
    *,
    accept: bool,
    feedback: str = "",
    on: date | None = None,
    expected_version: int | None = None,
) -> int:
    """Accept submitted evidence, or refer it back with feedback saying what is needed."""
    actor.require(Permission.ASSESS_EVIDENCE)
    clean = validation.text(feedback, "feedback", "Feedback", max_length=10000, required=not accept)
    with db.transaction() as session:
        row = load_for_edit(session, Evidence, evidence_id, "piece of evidence", expected_version)
        if row.status != "submitted":
            raise ServiceError(f"Only submitted evidence can be assessed; this is {row.status}.")
        status = "accepted" if accept else "referred"
        row.status, row.feedback = status, clean
        row.assessed_by_id, row.assessed_on = actor.user_id, on or date.today()
        session.flush()
        audit.record(
            session,
            actor,
            f"evidence.{status}",
            "apprentice",
            row.apprentice_id,
            evidence=row.id,
            changes={"status": ["submitted", status]},
            feedback=clean,
        )
        return row.version


def add_attachments(
    db: Database,
    actor: Actor,
    evidence_id: int,
    files: Sequence[Path],
    *,
    expected_version: int | None = None,
) -> list[str]:
    """Attach more files to a piece of evidence not yet accepted; returns their hashes."""
    actor.require(Permission.RECORD_EVIDENCE)
    stored = _store_files(db, files)
    with db.transaction() as session:
        row = load_for_edit(session, Evidence, evidence_id, "piece of evidence", expected_version)
        if row.status not in EDITABLE_STATUSES:
            raise ServiceError(
                f"Files cannot be added to {row.status} evidence; record a new piece instead."
            )
        added = _attach(row, stored, actor)
        if not added:
            return []
        flag_modified(row, "status")  # a file is part of the piece: its version moves on
        session.flush()
        audit.record(
            session,
            actor,
            "evidence.attach",
            "apprentice",
            row.apprentice_id,
            evidence=row.id,
            files=[{"name": f.original_name, "sha256": f.sha256} for f in added],
        )
        return [f.sha256 for f in added]


def return_evidence(
    db: Database,
    actor: Actor,
    evidence_id: int,
    reason: str,
    *,
    on: date | None = None,
    expected_version: int | None = None,
) -> int:
    """Send accepted evidence back for correction: it becomes referred, with the reason
    as feedback, and can then be changed and submitted again. Refused while it backs a
    unit's sign-off. Returns the new version."""
    actor.require(Permission.ASSESS_EVIDENCE)
    clean = validation.text(reason, "reason", "Reason", max_length=10000)
    with db.transaction() as session:
        row = load_for_edit(session, Evidence, evidence_id, "piece of evidence", expected_version)
        if row.status != "accepted":
            raise ServiceError(f"Only accepted evidence can be returned; this is {row.status}.")
        units = _signed_off_units(session, row)
        if units:
            raise ServiceError(
                f"This evidence backs the sign-off of {units_text(units)}: revoke the "
                "sign-off first, then return the evidence."
            )
        row.status, row.feedback = "referred", clean
        row.assessed_by_id, row.assessed_on = actor.user_id, on or date.today()
        session.flush()
        audit.record(
            session,
            actor,
            "evidence.returned",
            "apprentice",
            row.apprentice_id,
            evidence=row.id,
            changes={"status": ["accepted", "referred"]},
            reason=clean,
        )
        return row.version


def _active_sign_off(session: Session, apprentice_id: int, unit: Unit) -> UnitSignOff | None:
    return session.scalars(
        select(UnitSignOff).where(
            UnitSignOff.apprentice_id == apprentice_id,
            UnitSignOff.unit_id == unit.id,
            UnitSignOff.revoked_on.is_(None),
        )
    ).first()


def _accepted_coverage(session: Session, apprentice_id: int, unit: Unit) -> list[EvidenceCoverage]:
    return list(
        session.scalars(
            select(EvidenceCoverage)
            .join(Evidence)
            .where(
                Evidence.apprentice_id == apprentice_id,
                Evidence.status == "accepted",
                EvidenceCoverage.unit_id == unit.id,
            )
        )
    )


def sign_off_unit(
    db: Database,
    actor: Actor,
    apprentice_id: int,
    unit_ref: str,
    *,
    on: date | None = None,
    judgement: str = "",
) -> int:
    """The assessor's sign-off: every criterion covered by accepted evidence, or, for a
    unit without criteria, accepted evidence and a recorded judgement."""
    actor.require(Permission.SIGN_OFF_UNITS)
    when = on or date.today()
    with db.transaction() as session:
        apprentice = load_for_edit(session, Apprentice, apprentice_id, "apprentice")
        unit = units_in_scope(session, apprentice).get(unit_ref)
        if unit is None:
            raise FieldError(
                "unit", f"Unit {unit_ref} is not one of {apprentice.full_name}'s units."
            )
        if _active_sign_off(session, apprentice_id, unit) is not None:
            raise ServiceError(f"Unit {unit_ref} is already signed off.")
        criteria = _criteria(session, unit)
        covered = _accepted_coverage(session, apprentice_id, unit)
        if criteria:
            done = {c.criterion.number for c in covered if c.criterion is not None}
            missing = sorted(set(criteria) - done)
            if missing:
                raise ServiceError(
                    f"Unit {unit_ref} cannot be signed off yet: criteria {', '.join(missing)} "
                    "are not covered by accepted evidence."
                )
        else:
            if not covered:
                raise ServiceError(
                    f"Unit {unit_ref} cannot be signed off yet: no accepted evidence is mapped "
                    "to it."
                )
            if not judgement.strip():
                raise FieldError(
                    "judgement",
                    f"Unit {unit_ref} has no criteria in the catalogue: record your judgement "
                    "of how the evidence meets the unit.",
                )
        row = UnitSignOff(
            apprentice_id=apprentice_id,
            unit=unit,
            signed_off_on=when,
            signed_off_by_id=actor.user_id,
            signed_off_by_name=actor.username,
            judgement=judgement.strip(),
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor,
            "unit.sign_off",
            "apprentice",
            apprentice_id,
            unit=unit_ref,
            on=when.isoformat(),
            judgement=judgement.strip(),
        )
        return row.id


def revoke_sign_off(
    db: Database,
    actor: Actor,
    apprentice_id: int,
    unit_ref: str,
    reason: str,
    *,
    on: date | None = None,
) -> None:
    """Withdraw a sign-off; the reason is kept with it and in the audit trail."""
    actor.require(Permission.SIGN_OFF_UNITS)
    clean = validation.text(reason, "reason", "Reason", max_length=5000)
    with db.transaction() as session:
        apprentice = load_for_edit(session, Apprentice, apprentice_id, "apprentice")
        unit = units_in_scope(session, apprentice).get(unit_ref)
        row = _active_sign_off(session, apprentice_id, unit) if unit is not None else None
        if row is None:
            raise ServiceError(f"Unit {unit_ref} is not signed off, so there is nothing to revoke.")
        row.revoked_on = on or date.today()
        row.revoked_by_name = actor.username
        row.revoke_reason = clean
        session.flush()
        audit.record(
            session,
            actor,
            "unit.revoke_sign_off",
            "apprentice",
            apprentice_id,
            unit=unit_ref,
            reason=clean,
        )


def record_iqa_sample(
    db: Database,
    actor: Actor,
    apprentice_id: int,
    *,
    decision: str,
    comments: str,
    unit_ref: str | None = None,
    evidence_id: int | None = None,
    on: date | None = None,
) -> int:
    """A quality assurer's decision on an assessed unit or piece of evidence."""
    actor.require(Permission.SAMPLE_ASSESSMENTS)
    validation.choice(decision, "decision", "Decision", ("agreed", "action_required"))
    clean = validation.text(
        comments, "comments", "Comments", max_length=10000, required=decision != "agreed"
    )
    if (unit_ref is None) == (evidence_id is None):
        raise FieldError("sample", "Sample either one unit or one piece of evidence.")
    with db.transaction() as session:
        apprentice = load_for_edit(session, Apprentice, apprentice_id, "apprentice")
        unit: Unit | None = None
        if unit_ref is not None:
            unit = units_in_scope(session, apprentice).get(unit_ref)
            if unit is None or _active_sign_off(session, apprentice_id, unit) is None:
                raise FieldError("sample", f"Unit {unit_ref} has not been assessed (signed off).")
        if evidence_id is not None:
            evidence = session.get(Evidence, evidence_id)
            if (
                evidence is None
                or evidence.apprentice_id != apprentice_id
                or evidence.status not in ("accepted", "referred")
            ):
                raise FieldError(
                    "sample", "Only assessed evidence of this apprentice can be sampled."
                )
        row = IqaSample(
            apprentice_id=apprentice_id,
            unit_id=unit.id if unit else None,
            evidence_id=evidence_id,
            decision=decision,
            comments=clean,
            sampled_on=on or date.today(),
            sampled_by_id=actor.user_id,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor,
            "iqa.sample",
            "apprentice",
            apprentice_id,
            unit=unit_ref,
            evidence=evidence_id,
            decision=decision,
            comments=clean,
        )
        return row.id


def open_attachment(db: Database, actor: Actor, attachment_id: int, destination: Path) -> Path:
    """A verified copy of an attachment for viewing; a missing or altered file is
    reported, never silently opened."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        row = session.get(Attachment, attachment_id)
        if row is None:
            raise ServiceError("That attachment no longer exists.")
        sha256, name = row.sha256, row.original_name
    try:
        return evidence_store(db).copy_out(sha256, destination, name=name)
    except EvidenceFileError as exc:
        raise ServiceError(str(exc)) from None
