"""Shared steps of record-keeping use cases: loading a row for an edit, refusing
stale edits, and capturing before/after values for the audit trail."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from assessor_app.domain.dates import format_date
from assessor_app.services.errors import NotFound, ServiceError, StaleEdit
from assessor_app.store.models import Apprentice, AuditEntry, Base

RowT = TypeVar("RowT", bound=Base)


def load_for_edit(
    session: Session,
    model: type[RowT],
    row_id: int,
    what: str,
    expected_version: int | None = None,
) -> RowT:
    """The row to change, or a clear refusal if it is gone or changed meanwhile."""
    # Locked until the edit is saved (PostgreSQL; SQLite holds its write lock
    # already), so a second editor waits, then sees the new version and is refused.
    row = session.get(model, row_id, with_for_update=True)
    if row is None:
        raise NotFound(f"The {what} no longer exists; it may have been removed.")
    if expected_version is not None and getattr(row, "version", None) != expected_version:
        last = _last_change(session, model.__tablename__, row_id, row)
        who = (
            f"{last.username} saved this {what} at {_local(last.at):%H:%M on %d %b %Y}"
            if last is not None
            else f"Someone else saved this {what}"
        )
        raise StaleEdit(
            f"{who}, after you opened it. Your changes are kept in the form: reload the "
            "record, then apply them again."
        )
    # Every row that belongs to an apprentice obeys a restriction on their record.
    owner_id = getattr(row, "apprentice_id", None)
    owner: Apprentice | None = row if isinstance(row, Apprentice) else None
    if owner is None and isinstance(owner_id, int):
        owner = session.get(Apprentice, owner_id)
    if owner is not None:
        ensure_processing_allowed(owner)
    return row


def _last_change(session: Session, entity: str, row_id: int, row: Base) -> AuditEntry | None:
    """The newest audit entry about the row: filed under it, or (evidence and other parts
    of an apprentice's record) under the apprentice with the row's id in the detail."""
    about = and_(AuditEntry.entity == entity, AuditEntry.entity_id == str(row_id))
    owner_id = getattr(row, "apprentice_id", None)
    if isinstance(owner_id, int) and not isinstance(row, Apprentice):
        key = f'"{entity}": {row_id}'  # audit details are JSON with sorted keys
        about = or_(
            about,
            and_(
                AuditEntry.entity == "apprentice",
                AuditEntry.entity_id == str(owner_id),
                or_(AuditEntry.detail.like(f"%{key},%"), AuditEntry.detail.like(f"%{key}}}%")),
            ),
        )
    return session.scalars(
        select(AuditEntry).where(about).order_by(AuditEntry.id.desc()).limit(1)
    ).first()


def _local(at: datetime) -> datetime:
    """An audit time (stored in UTC) in this PC's time zone, as people read clocks."""
    return (at if at.tzinfo is not None else at.replace(tzinfo=UTC)).astimezone()


class ProcessingRestricted(ServiceError):
    """The apprentice's record may be viewed but not changed."""


def ensure_processing_allowed(apprentice: Apprentice) -> None:
    """Refuse changes to an erased record or one whose processing is restricted
    (an erasure request inside the retention period, or under a legal hold)."""
    if apprentice.erased_on is not None:
        raise ProcessingRestricted(
            f"This apprentice's personal data was erased on {format_date(apprentice.erased_on)}; "
            "the record is kept only for anonymous counts and cannot be changed."
        )
    if apprentice.processing_restricted:
        since = format_date(apprentice.restricted_on) if apprentice.restricted_on else "earlier"
        raise ProcessingRestricted(
            f"Processing of {apprentice.full_name}'s record has been restricted since {since} "
            f"({apprentice.restriction_reason or 'erasure requested'}): it can be viewed but "
            "not changed. An administrator can lift the restriction."
        )


def plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(row: Base, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: plain(getattr(row, name)) for name in fields}


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Only what changed, as {"field": [old, new]}."""
    return {k: [before[k], after[k]] for k in before if before[k] != after[k]}


def assign(row: Base, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(row, name, value)
