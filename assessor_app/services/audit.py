"""The audit trail: one entry per change, written in the change's own transaction."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from assessor_app.services.roles import Actor
from assessor_app.store.models import AuditEntry


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str | int = "",
    **detail: Any,
) -> None:
    session.add(
        AuditEntry(
            user_id=actor.user_id,
            username=actor.username,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            detail=json.dumps(detail, sort_keys=True, default=str),
        )
    )
