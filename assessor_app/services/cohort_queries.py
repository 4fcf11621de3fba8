"""What a coordinator needs to see across a cohort: apprentices at risk and why,
placement changes coming up, units ready for sign-off, evidence waiting for an
assessor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from assessor_app.domain.progress import UnitStatus
from assessor_app.domain.rag import Rag
from assessor_app.services.errors import NotFound
from assessor_app.services.progress_queries import progress_of_many
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import Apprentice, Cohort, Evidence, Placement, Setting

IN_LEARNING = ("active",)


@dataclass(frozen=True)
class AtRisk:
    apprentice_id: int
    name: str
    colour: Rag
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PlacementChange:
    apprentice_id: int
    name: str
    starts: date
    host: str
    setting: str
    notice_sent_on: date | None


@dataclass(frozen=True)
class ReadyUnit:
    apprentice_id: int
    name: str
    unit: str


@dataclass(frozen=True)
class WaitingEvidence:
    evidence_id: int
    apprentice_id: int
    name: str
    title: str
    on_date: date


@dataclass(frozen=True)
class CohortView:
    cohort: str
    at_risk: tuple[AtRisk, ...]
    upcoming_placements: tuple[PlacementChange, ...]
    ready_for_sign_off: tuple[ReadyUnit, ...]
    evidence_waiting: tuple[WaitingEvidence, ...]


def cohort_view(
    db: Database,
    actor: Actor,
    cohort_id: int,
    *,
    today: date | None = None,
    horizon_days: int = 42,
) -> CohortView:
    """Red and amber apprentices first (red before amber), placements starting within
    the horizon, units whose criteria are all covered, and submitted evidence."""
    actor.require(Permission.VIEW_RECORDS)
    today = today or date.today()
    with db.reading() as session:
        cohort = session.get(Cohort, cohort_id)
        if cohort is None:
            raise NotFound("That cohort no longer exists.")
        members = list(
            session.scalars(
                select(Apprentice)
                .where(Apprentice.cohort_id == cohort_id, Apprentice.status.in_(IN_LEARNING))
                .order_by(Apprentice.family_name, Apprentice.given_name)
            )
        )
        names = {a.id: a.full_name for a in members}
        upcoming = [
            PlacementChange(
                p.apprentice_id,
                names[p.apprentice_id],
                p.start_date,
                p.setting.organisation.name,
                p.setting.name,
                p.notice_sent_on,
            )
            for p in session.scalars(
                select(Placement)
                .where(
                    Placement.apprentice_id.in_(names),
                    Placement.start_date > today,
                    Placement.start_date <= today + timedelta(days=horizon_days),
                )
                .options(selectinload(Placement.setting).selectinload(Setting.organisation))
                .order_by(Placement.start_date)
            )
        ]
        waiting = [
            WaitingEvidence(e.id, e.apprentice_id, names[e.apprentice_id], e.title, e.on_date)
            for e in session.scalars(
                select(Evidence)
                .where(Evidence.apprentice_id.in_(names), Evidence.status == "submitted")
                .order_by(Evidence.on_date)
            )
        ]
        cohort_name = cohort.name
    at_risk: list[AtRisk] = []
    ready: list[ReadyUnit] = []
    progress = progress_of_many(db, actor, list(names), today=today)
    for apprentice_id, name in names.items():
        result = progress.get(apprentice_id)
        if result is None:  # removed while the view was being read
            continue
        if result.rag.colour is not Rag.GREEN:
            at_risk.append(AtRisk(apprentice_id, name, result.rag.colour, result.rag.reasons))
        ready.extend(
            ReadyUnit(apprentice_id, name, unit.ref)
            for unit in result.progress.units
            if unit.status is UnitStatus.READY_FOR_SIGN_OFF
        )
    at_risk.sort(key=lambda r: (r.colour is not Rag.RED, r.name))
    return CohortView(cohort_name, tuple(at_risk), tuple(upcoming), tuple(ready), tuple(waiting))
