"""Read-only lists for the choosers in forms: cohorts, apprentices in a cohort, an
apprentice's placements, and the signed-in person's own name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import Apprentice, Cohort, Placement, Setting, User


@dataclass(frozen=True, slots=True)
class CohortChoice:
    id: int
    name: str
    provider: str  # the training provider, named on the cohort's reports


@dataclass(frozen=True, slots=True)
class ApprenticeChoice:
    id: int
    name: str
    uln: str | None
    cohort_id: int
    status: str


@dataclass(frozen=True, slots=True)
class PlacementChoice:
    id: int
    host: str
    setting: str
    start: date
    end: date


def cohort_choices(db: Database, actor: Actor) -> list[CohortChoice]:
    """Every cohort, by name."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        rows = session.scalars(
            select(Cohort).options(selectinload(Cohort.training_provider)).order_by(Cohort.name)
        ).all()
        return [CohortChoice(c.id, c.name, c.training_provider.name) for c in rows]


def apprentice_choices(
    db: Database, actor: Actor, cohort_id: int | None = None
) -> list[ApprenticeChoice]:
    """Apprentices by family name, then given name; only one cohort's when given."""
    actor.require(Permission.VIEW_RECORDS)
    query = select(Apprentice).order_by(Apprentice.family_name, Apprentice.given_name)
    if cohort_id is not None:
        query = query.where(Apprentice.cohort_id == cohort_id)
    with db.reading() as session:
        return [
            ApprenticeChoice(a.id, a.full_name, a.uln, a.cohort_id, a.status)
            for a in session.scalars(query)
        ]


def placement_choices(db: Database, actor: Actor, apprentice_id: int) -> list[PlacementChoice]:
    """An apprentice's placements, earliest first."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        rows = session.scalars(
            select(Placement)
            .where(Placement.apprentice_id == apprentice_id)
            .options(selectinload(Placement.setting).selectinload(Setting.organisation))
            .order_by(Placement.start_date, Placement.id)
        ).all()
        return [
            PlacementChoice(
                p.id, p.setting.organisation.name, p.setting.name, p.start_date, p.end_date
            )
            for p in rows
        ]


def signed_in_name(db: Database, actor: Actor) -> str:
    """The name to greet the signed-in person by: their full name, else their username.

    Anyone may read their own name, so no permission is checked.
    """
    if actor.user_id is None:
        return actor.username
    with db.reading() as session:
        shown = session.scalar(select(User.display_name).where(User.id == actor.user_id))
    return shown or actor.username
