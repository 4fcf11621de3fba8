"""Read the audit trail: who changed what and when, filtered and limited.

Only those who may view the audit trail (administrators and quality assurers)
can read it. A long-running install can hold hundreds of thousands of entries,
so every query returns at most `limit` rows, newest first, and says whether
there were more.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select

from assessor_app.services.errors import FieldError
from assessor_app.services.roles import Actor, Permission
from assessor_app.store import models
from assessor_app.store.database import Database

DEFAULT_LIMIT = 500
MAX_LIMIT = 5000


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Every field is optional; dates are whole days, both ends included."""

    since: date | None = None
    until: date | None = None
    username: str = ""
    entity: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: str
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class AuditResults:
    rows: list[AuditRow]
    more: bool  # entries beyond the limit match too: narrow the filter to see them


def _detail(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {"detail": text}
    return value if isinstance(value, dict) else {"detail": value}


def _filtered(query: Select[Any], wanted: AuditFilter) -> Select[Any]:
    entry = models.AuditEntry
    if wanted.since is not None and wanted.until is not None and wanted.since > wanted.until:
        raise FieldError(
            "since",
            f"The start date {wanted.since:%d %b %Y} is after the end date "
            f"{wanted.until:%d %b %Y}; swap them or clear one.",
        )
    if wanted.since is not None:
        query = query.where(entry.at >= datetime.combine(wanted.since, time.min, tzinfo=UTC))
    if wanted.until is not None:
        end = datetime.combine(wanted.until + timedelta(days=1), time.min, tzinfo=UTC)
        query = query.where(entry.at < end)
    if wanted.username.strip():
        query = query.where(entry.username == wanted.username.strip())
    if wanted.entity.strip():
        query = query.where(entry.entity == wanted.entity.strip())
    for word in wanted.text.split():
        pattern = f"%{word}%"
        query = query.where(
            or_(
                entry.action.ilike(pattern),
                entry.entity_id.ilike(pattern),
                entry.detail.ilike(pattern),
                entry.username.ilike(pattern),
            )
        )
    return query


def find_audit_entries(
    db: Database, actor: Actor, wanted: AuditFilter | None = None, *, limit: int = DEFAULT_LIMIT
) -> AuditResults:
    """The newest entries that match, at most `limit` of them."""
    actor.require(Permission.VIEW_AUDIT)
    limit = max(1, min(limit, MAX_LIMIT))
    entry = models.AuditEntry
    query = _filtered(select(entry), wanted or AuditFilter())
    query = query.order_by(entry.at.desc(), entry.id.desc()).limit(limit + 1)
    with db.reading() as session:
        found = session.scalars(query).all()
        rows = [
            AuditRow(
                id=row.id,
                at=row.at if row.at.tzinfo is not None else row.at.replace(tzinfo=UTC),
                username=row.username,
                action=row.action,
                entity=row.entity,
                entity_id=row.entity_id,
                detail=_detail(row.detail),
            )
            for row in found[:limit]
        ]
    return AuditResults(rows=rows, more=len(found) > limit)


@dataclass(frozen=True, slots=True)
class AuditChoices:
    usernames: list[str]
    entities: list[str]


def audit_filter_choices(db: Database, actor: Actor) -> AuditChoices:
    """The people and the kinds of record that appear in the trail, for filter lists."""
    actor.require(Permission.VIEW_AUDIT)
    entry = models.AuditEntry
    with db.reading() as session:
        names = session.scalars(select(entry.username).distinct().order_by(entry.username)).all()
        kinds = session.scalars(select(entry.entity).distinct().order_by(entry.entity)).all()
    return AuditChoices(usernames=list(names), entities=list(kinds))


def count_audit_entries(db: Database, actor: Actor, wanted: AuditFilter | None = None) -> int:
    actor.require(Permission.VIEW_AUDIT)
    query = _filtered(select(func.count()).select_from(models.AuditEntry), wanted or AuditFilter())
    with db.reading() as session:
        return int(session.scalar(query) or 0)
