"""Shared steps of record-keeping use cases: loading a row for an edit, refusing
stale edits, and capturing before/after values for the audit trail."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessor_app.services.errors import NotFound, StaleEdit
from assessor_app.store.models import AuditEntry, Base

RowT = TypeVar("RowT", bound=Base)


def load_for_edit(
    session: Session,
    model: type[RowT],
    row_id: int,
    what: str,
    expected_version: int | None = None,
) -> RowT:
    """The row to change, or a clear refusal if it is gone or changed meanwhile."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"The {what} no longer exists; it may have been removed.")
    if expected_version is not None and getattr(row, "version", None) != expected_version:
        last = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == model.__tablename__, AuditEntry.entity_id == str(row_id))
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).first()
        who = (
            f"{last.username} saved this {what} at {last.at:%H:%M on %d %b %Y}"
            if last is not None
            else f"Someone else saved this {what}"
        )
        raise StaleEdit(
            f"{who}, after you opened it. Your changes are kept in the form: reload the "
            "record, then apply them again."
        )
    return row


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
