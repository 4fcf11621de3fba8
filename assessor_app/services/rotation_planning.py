"""Propose a placement rotation for a whole cohort, then schedule it in one go."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from assessor_app.domain.rotation import (
    RotationApprentice,
    RotationHost,
    RotationPattern,
    RotationPlan,
    Sector,
    propose_rotation,
)
from assessor_app.services import audit
from assessor_app.services.errors import NotFound, ServiceError
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import Apprentice, Cohort, Organisation, Placement, Setting

# Apprentices who have left take no further placements.
_PLACEABLE = ("active", "break_in_learning")


def propose_cohort_rotation(db: Database, actor: Actor, cohort_id: int) -> RotationPlan:
    """Synchronised placements for every current apprentice of the cohort, first with
    the employer and last with a PVI host where the pattern says so, within each
    host's capacity and minimum age. Nothing is saved."""
    actor.require(Permission.SCHEDULE_PLACEMENTS)
    with db.reading() as session:
        cohort = session.get(Cohort, cohort_id)
        if cohort is None:
            raise NotFound("That cohort no longer exists.")
        people = [
            RotationApprentice(a.id, a.full_name, a.date_of_birth, cohort.employer_id)
            for a in session.scalars(
                select(Apprentice).where(
                    Apprentice.cohort_id == cohort_id,
                    Apprentice.status.in_(_PLACEABLE),
                    Apprentice.processing_restricted.is_(False),  # view only: not planned
                )
            )
        ]
        hosts = [
            RotationHost(
                id=org.id,
                name=org.name,
                sector=Sector(org.sector),
                capacity=org.capacity if org.capacity is not None else 1,
                min_age=org.min_apprentice_age,
                settings=tuple(s.name for s in org.settings if s.active),
            )
            for org in session.scalars(
                select(Organisation)
                .where(Organisation.is_host, Organisation.active)
                .options(selectinload(Organisation.settings))
            )
            if any(s.active for s in org.settings)
        ]
        return propose_rotation(
            people,
            hosts,
            start=cohort.start_date,
            pattern=RotationPattern(
                placements=cohort.placement_count,
                months=cohort.placement_months,
                last_with_pvi=cohort.last_placement_pvi,
            ),
        )


def schedule_rotation(
    db: Database,
    actor: Actor,
    cohort_id: int,
    plan: RotationPlan,
    *,
    working_days: str = "Monday to Friday",
) -> list[int]:
    """Save every proposed placement, or none if any cannot be saved."""
    actor.require(Permission.SCHEDULE_PLACEMENTS)
    with db.transaction() as session:
        members = set(
            session.scalars(select(Apprentice.id).where(Apprentice.cohort_id == cohort_id))
        )
        settings = {(s.organisation_id, s.name): s.id for s in session.scalars(select(Setting))}
        ids = []
        for slot in plan.slots:
            if slot.apprentice_id not in members:
                raise ServiceError(
                    f"{slot.apprentice_name} is not in this cohort; propose the rotation again."
                )
            setting_id = settings.get((slot.host_id, slot.setting_name))
            if setting_id is None:
                raise ServiceError(
                    f"{slot.host_name} no longer has the setting '{slot.setting_name}'; "
                    "propose the rotation again."
                )
            row = Placement(
                apprentice_id=slot.apprentice_id,
                setting_id=setting_id,
                start_date=slot.start,
                end_date=slot.end,
                working_days=working_days,
            )
            session.add(row)
            session.flush()
            ids.append(row.id)
            audit.record(
                session,
                actor,
                "placement.schedule",
                "placement",
                row.id,
                apprentice_id=slot.apprentice_id,
                host=slot.host_name,
                setting=slot.setting_name,
                start=slot.start.isoformat(),
                end=slot.end.isoformat(),
                source="rotation",
            )
        return ids
