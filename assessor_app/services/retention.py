"""How long an apprentice's records are kept, and what happens after.

Records are kept for the provider's `retention_years` after the apprentice
completed, withdrew or transferred (funding rules often require six years or
more). A legal hold keeps them regardless. An erasure request inside that period,
or under a hold, restricts processing instead: the record can be viewed but no
service changes it (services/records.ensure_processing_allowed). After the
period, with no hold, the apprentice's personal data is erased: the record stays
as an anonymous row so cohort outcomes still count, and their personal values are
scrubbed from the audit trail, which then holds only the fact of the erasure.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from assessor_app.domain.dates import format_date
from assessor_app.services import audit, validation
from assessor_app.services.app_settings import get_settings
from assessor_app.services.errors import NotFound, ServiceError
from assessor_app.services.evidence import evidence_store
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.evidence_files import EvidenceStore
from assessor_app.store.models import (
    Apprentice,
    Attachment,
    AuditEntry,
    Evidence,
    EvidenceBlob,
    IqaSample,
    OffTheJobEntry,
    Placement,
    PriorPlacement,
    Review,
    UnitSignOff,
)

LEAVING_STATUSES = ("completed", "withdrawn", "transferred")
ERASED = "[erased]"
ERASED_GIVEN_NAME = "Erased"
# Keys whose values in an audit entry are about the person, whatever they hold.
PERSONAL_KEYS = frozenset(
    {
        "given_name",
        "family_name",
        "uln",
        "date_of_birth",
        "email",
        "phone",
        "address",
        "status_reason",
        "employment_outcome",
        "title",
        "description",
        "feedback",
        "judgement",
        "comments",
        "reason",
        "summary",
        "actions",
        "notes",
        "witness_name",
        "witness_role",
        "mentor_name",
        "line_manager_name",
        "appraisal_summary",
        "conducted_by",
        "name",
        "legal_hold_reason",
        "restriction_reason",
    }
)
# Changes to these fields stay readable in the scrubbed trail.
NEUTRAL_CHANGES = frozenset(
    {"status", "status_date", "start_date", "planned_end_date", "cohort_id", "assessor_id"}
)


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_date(status: str, status_date: date | None, years: int) -> date | None:
    """The last day the records must be kept, or None while the apprentice is still
    on programme (no end date yet)."""
    if status not in LEAVING_STATUSES or status_date is None:
        return None
    return add_years(status_date, years)


@dataclass(frozen=True, slots=True)
class RetentionState:
    apprentice_id: int
    name: str
    status: str
    left_on: date | None
    keep_until: date | None
    legal_hold: bool
    legal_hold_reason: str
    processing_restricted: bool
    restricted_on: date | None
    restriction_reason: str
    erased_on: date | None

    def erasable(self, today: date) -> bool:
        return self.why_kept(today) is None

    def why_kept(self, today: date) -> str | None:
        """Why the personal data must be kept on `today`, or None when it may be erased."""
        if self.erased_on is not None:
            return f"Their personal data was already erased on {format_date(self.erased_on)}."
        if self.legal_hold:
            return (
                f"The record is under a legal hold ({self.legal_hold_reason}); lift the hold first."
            )
        if self.keep_until is None:
            return (
                "They have not completed, withdrawn or transferred, so the retention period "
                "has not started."
            )
        if today <= self.keep_until:
            return f"The records must be kept until {format_date(self.keep_until)}."
        return None


def _state(row: Apprentice, years: int) -> RetentionState:
    return RetentionState(
        apprentice_id=row.id,
        name=row.full_name,
        status=row.status,
        left_on=row.status_date if row.status in LEAVING_STATUSES else None,
        keep_until=retention_date(row.status, row.status_date, years),
        legal_hold=row.legal_hold,
        legal_hold_reason=row.legal_hold_reason,
        processing_restricted=row.processing_restricted,
        restricted_on=row.restricted_on,
        restriction_reason=row.restriction_reason,
        erased_on=row.erased_on,
    )


def _load(session: Session, apprentice_id: int) -> Apprentice:
    # Not records.load_for_edit: retention decisions apply to restricted records too.
    row = session.get(Apprentice, apprentice_id)
    if row is None:
        raise NotFound("That apprentice no longer exists.")
    return row


def retention_state(db: Database, actor: Actor, apprentice_id: int) -> RetentionState:
    actor.require(Permission.VIEW_RECORDS)
    years = get_settings(db)["retention_years"]
    with db.reading() as session:
        return _state(_load(session, apprentice_id), years)


def due_for_erasure(db: Database, actor: Actor, today: date) -> list[RetentionState]:
    """Apprentices past their retention date, not held and not yet erased, longest
    overdue first."""
    actor.require(Permission.VIEW_RECORDS)
    years = get_settings(db)["retention_years"]
    with db.reading() as session:
        rows = session.scalars(
            select(Apprentice).where(
                Apprentice.status.in_(LEAVING_STATUSES),
                Apprentice.erased_on.is_(None),
                Apprentice.legal_hold.is_(False),
            )
        )
        due = [s for s in (_state(r, years) for r in rows) if s.erasable(today)]
    return sorted(due, key=lambda s: (s.keep_until or today, s.apprentice_id))


def set_legal_hold(
    db: Database, actor: Actor, apprentice_id: int, *, hold: bool, reason: str = ""
) -> None:
    """Place (with a reason, e.g. a funding audit or a claim) or lift a legal hold."""
    actor.require(Permission.MANAGE_RETENTION)
    clean = validation.text(reason, "reason", "Reason", max_length=2000, required=hold)
    with db.transaction() as session:
        row = _load(session, apprentice_id)
        if row.erased_on is not None:
            raise ServiceError("This record was already erased; there is nothing to hold.")
        before = row.legal_hold
        row.legal_hold, row.legal_hold_reason = hold, clean if hold else ""
        session.flush()
        audit.record(
            session,
            actor,
            "apprentice.legal_hold" if hold else "apprentice.legal_hold_lifted",
            "apprentice",
            row.id,
            changes={"legal_hold": [before, hold]},
            reason=clean,
        )


class ErasureOutcome(StrEnum):
    RESTRICTED = "restricted"  # inside the retention period or under a hold
    ERASED = "erased"


def request_erasure(
    db: Database, actor: Actor, apprentice_id: int, reason: str, *, today: date | None = None
) -> ErasureOutcome:
    """Act on an erasure request: erase when the retention period is over and no hold
    applies; otherwise restrict processing, recording when and why."""
    actor.require(Permission.MANAGE_RETENTION)
    today = today or date.today()
    clean = validation.text(reason, "reason", "Reason", max_length=2000, required=False)
    state = retention_state(db, actor, apprentice_id)
    if state.erased_on is not None:
        raise ServiceError(state.why_kept(today) or "")
    if state.erasable(today):
        erase_apprentice(db, actor, apprentice_id, today=today)
        return ErasureOutcome.ERASED
    kept = state.why_kept(today) or ""
    with db.transaction() as session:
        row = _load(session, apprentice_id)
        row.processing_restricted = True
        row.restricted_on = today
        row.restriction_reason = f"Erasure requested. {kept}{' ' + clean if clean else ''}"
        session.flush()
        audit.record(
            session,
            actor,
            "apprentice.restrict_processing",
            "apprentice",
            row.id,
            keep_until=state.keep_until.isoformat() if state.keep_until else None,
            legal_hold=state.legal_hold,
            reason=clean,
        )
    return ErasureOutcome.RESTRICTED


def lift_restriction(db: Database, actor: Actor, apprentice_id: int, reason: str) -> None:
    """Allow changes again, e.g. when the request is withdrawn."""
    actor.require(Permission.MANAGE_RETENTION)
    clean = validation.text(reason, "reason", "Reason", max_length=2000)
    with db.transaction() as session:
        row = _load(session, apprentice_id)
        if not row.processing_restricted:
            raise ServiceError(f"Processing of {row.full_name}'s record is not restricted.")
        row.processing_restricted, row.restricted_on, row.restriction_reason = False, None, ""
        session.flush()
        audit.record(
            session, actor, "apprentice.restriction_lifted", "apprentice", row.id, reason=clean
        )


@dataclass(frozen=True)
class ErasureSummary:
    apprentice_id: int
    audit_entries_scrubbed: int
    files_removed: int


def erase_apprentice(
    db: Database, actor: Actor, apprentice_id: int, *, today: date | None = None
) -> ErasureSummary:
    """Erase the apprentice's personal data, only after the retention date and with
    no legal hold. Status, dates, units, sign-offs and hours stay, anonymous, so
    cohort outcomes still count them."""
    actor.require(Permission.MANAGE_RETENTION)
    today = today or date.today()
    years = get_settings(db)["retention_years"]
    with db.transaction() as session:
        row = _load(session, apprentice_id)
        state = _state(row, years)
        kept = state.why_kept(today)
        if kept is not None:
            raise ServiceError(f"{row.full_name}'s personal data cannot be erased yet. {kept}")
        identity = _identity(row)
        hashes = set(
            session.scalars(
                select(Attachment.sha256).join(Evidence).where(Evidence.apprentice_id == row.id)
            )
        )
        tokens = _erase_rows(session, row, today)
        placements = [
            str(i)
            for i in session.scalars(select(Placement.id).where(Placement.apprentice_id == row.id))
        ]
        session.flush()
        scrubbed = _scrub_audit(session, str(row.id), placements, tokens, identity)
        unused = hashes - set(
            session.scalars(select(Attachment.sha256).where(Attachment.sha256.in_(hashes)))
        )
        if db.path is None:  # a shared server keeps the files in the database itself
            session.execute(delete(EvidenceBlob).where(EvidenceBlob.sha256.in_(unused)))
        audit.record(
            session,
            actor,
            "apprentice.erase",
            "apprentice",
            row.id,
            kept_until=state.keep_until.isoformat() if state.keep_until else None,
            audit_entries_scrubbed=scrubbed,
            files=len(hashes),
        )
    # Folder files go only after the commit: a failed erasure leaves every file in place.
    removed = len(unused) if db.path is None else _remove_files(db, unused)
    return ErasureSummary(row.id, scrubbed, removed)


def _identity(row: Apprentice) -> list[str]:
    """The values that identify the person wherever they are quoted."""
    values = [row.full_name, row.uln or "", row.email, row.phone, row.address]
    return sorted({v.strip() for v in values if len(v.strip()) >= 4}, key=len, reverse=True)


def _erase_rows(session: Session, row: Apprentice, today: date) -> list[str]:
    """Blank the personal data; return the values removed, to scrub them elsewhere."""
    tokens = [
        row.full_name,
        row.given_name,
        row.family_name,
        row.uln or "",
        row.email,
        row.phone,
        row.address,
        row.status_reason,
        row.employment_outcome,
        row.legal_hold_reason,
        row.restriction_reason,
    ]
    row.given_name, row.family_name = ERASED_GIVEN_NAME, f"apprentice {row.id}"
    row.uln, row.date_of_birth = None, None
    row.email = row.phone = row.address = row.status_reason = ""
    row.legal_hold_reason = row.restriction_reason = ""
    # Whether they went into work still counts in the cohort's outcomes.
    row.employment_outcome = "Recorded (details erased)" if row.employment_outcome else ""
    row.erased_on = today
    for e in session.scalars(select(Evidence).where(Evidence.apprentice_id == row.id)):
        tokens += [e.title, e.description, e.witness_name, e.feedback]
        e.title, e.description, e.feedback = "Evidence (details erased)", "", ""
        e.witness_name = e.witness_role = ""
        tokens += [a.original_name for a in e.attachments]
        e.attachments.clear()  # the files themselves go once this commits
    for r in session.scalars(select(Review).where(Review.apprentice_id == row.id)):
        tokens += [r.summary, r.actions]
        r.summary = r.actions = r.conducted_by = ""
    for o in session.scalars(select(OffTheJobEntry).where(OffTheJobEntry.apprentice_id == row.id)):
        tokens.append(o.notes)
        o.notes = ""
    for p in session.scalars(select(Placement).where(Placement.apprentice_id == row.id)):
        tokens.append(p.appraisal_summary)
        p.appraisal_summary = p.mentor_name = p.line_manager_name = ""
    for q in session.scalars(select(PriorPlacement).where(PriorPlacement.apprentice_id == row.id)):
        q.mentor_name = ""
    for s in session.scalars(select(UnitSignOff).where(UnitSignOff.apprentice_id == row.id)):
        tokens += [s.judgement, s.revoke_reason]
        s.judgement = s.revoke_reason = ""
    for i in session.scalars(select(IqaSample).where(IqaSample.apprentice_id == row.id)):
        tokens.append(i.comments)
        i.comments = ""
    # Single short words (a first name alone) would scrub other people's entries.
    return sorted({t.strip() for t in tokens if len(t.strip()) >= 4}, key=len, reverse=True)


def _blank(value: Any) -> Any:
    """Every piece of text in `value` replaced; numbers, flags and structure kept."""
    if isinstance(value, dict):
        return {k: _blank(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_blank(v) for v in value]
    if isinstance(value, str) and value:
        return ERASED
    return value


def _scrub_quotes(value: Any, tokens: list[str]) -> Any:
    """Every occurrence of the person's values in the text of `value` replaced."""
    if isinstance(value, dict):
        return {k: _scrub_quotes(v, tokens) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_quotes(v, tokens) for v in value]
    if isinstance(value, str):
        for token in tokens:
            value = re.sub(re.escape(token), ERASED, value, flags=re.IGNORECASE)
    return value


def _scrub_own(value: Any, tokens: list[str]) -> Any:
    """An entry about the erased person: personal fields blanked wherever they are
    (top level, or inside changes/before/after); statuses, dates, units and counts
    kept so the history still reads; any quoted value removed from the rest."""
    if isinstance(value, dict):
        return {
            k: _blank(v) if k in PERSONAL_KEYS else _scrub_own(v, tokens) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_scrub_own(v, tokens) for v in value]
    return _scrub_quotes(value, tokens)


def _scrub_audit(
    session: Session,
    apprentice_id: str,
    placements: list[str],
    tokens: list[str],
    identity: list[str],
) -> int:
    """Remove the person's data from the audit trail: entries about them lose every
    personal value; any other entry that quotes their name, ULN or contact details
    loses that text. The trail is otherwise never changed; this is the one change
    the law requires."""
    own = or_(
        (AuditEntry.entity == "apprentice") & (AuditEntry.entity_id == apprentice_id),
        (AuditEntry.entity == "placement") & AuditEntry.entity_id.in_(placements),
    )
    # Details are JSON with non-ASCII escaped: look for both spellings.
    spellings = {form for t in identity for form in (t, json.dumps(t)[1:-1])}
    quoting = [AuditEntry.detail.icontains(t, autoescape=True) for t in spellings]
    scrubbed = 0
    for entry in session.scalars(select(AuditEntry).where(or_(own, *quoting))):
        is_own = (entry.entity == "apprentice" and entry.entity_id == apprentice_id) or (
            entry.entity == "placement" and entry.entity_id in placements
        )
        detail = json.loads(entry.detail or "{}")
        clean_detail = _scrub_own(detail, tokens) if is_own else _scrub_quotes(detail, identity)
        clean = json.dumps(clean_detail, sort_keys=True, default=str)
        if clean != entry.detail:
            entry.detail = clean
            scrubbed += 1
    return scrubbed


def _remove_files(db: Database, hashes: set[str]) -> int:
    """Delete evidence files no other attachment uses: they hold the person's data."""
    store = evidence_store(db) if hashes else None
    if not isinstance(store, EvidenceStore):
        return 0
    removed = 0
    for sha256 in hashes:
        try:
            store.path_for(sha256).unlink()
            removed += 1
        except FileNotFoundError:
            continue
    return removed
