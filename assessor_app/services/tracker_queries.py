"""Read-only questions for the cohort tracker workbook: the cohort itself, its
apprentices, their placements, evidence log and off-the-job hours.

Each answers for the whole cohort with a fixed number of queries however many
apprentices it has, and returns plain values in a stable order (apprentices by
family name, then given name, then id).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from assessor_app.domain.off_the_job import OffTheJobPace, off_the_job_pace
from assessor_app.services.app_settings import get_settings
from assessor_app.services.apprentice_queries import as_of_date
from assessor_app.services.errors import NotFound
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import (
    Apprentice,
    Cohort,
    Evidence,
    EvidenceCoverage,
    OffTheJobEntry,
    Organisation,
    Placement,
    Setting,
    Unit,
)


@dataclass(frozen=True)
class CohortMember:
    id: int
    name: str
    uln: str | None
    status: str
    status_date: date | None
    start_date: date
    planned_end_date: date
    assessor: str


@dataclass(frozen=True)
class PlacementLine:
    apprentice_id: int
    apprentice: str
    period: int  # 1 for the apprentice's first placement, by start date
    host: str
    setting: str
    setting_type: str
    start: date
    end: date
    mentor: str
    notice_sent_on: date | None
    review_meeting_on: date | None
    appraisal_received_on: date | None


@dataclass(frozen=True)
class EvidenceLine:
    id: int
    apprentice_id: int
    apprentice: str
    on_date: date
    title: str
    method: str
    context: str  # placement, off_the_job or college
    host: str  # empty unless gathered on a placement
    setting: str
    units: tuple[str, ...]  # unit references covered, in catalogue order
    status: str
    assessed_on: date | None


@dataclass(frozen=True)
class OffTheJobLine:
    apprentice_id: int
    apprentice: str
    on_date: date
    hours: Decimal
    activity: str
    notes: str


@dataclass(frozen=True)
class OffTheJobSummary:
    apprentice_id: int
    apprentice: str
    status: str
    pace: OffTheJobPace  # as the apprentice's overview judges it


@dataclass(frozen=True)
class CohortOffTheJob:
    apprentices: tuple[OffTheJobSummary, ...]
    entries: tuple[OffTheJobLine, ...]  # by apprentice, then date


def _members(session: Session, cohort_id: int) -> list[Apprentice]:
    if session.get(Cohort, cohort_id) is None:
        raise NotFound("That cohort no longer exists.")
    return list(
        session.scalars(
            select(Apprentice)
            .where(Apprentice.cohort_id == cohort_id)
            .options(selectinload(Apprentice.assessor))
            .order_by(Apprentice.family_name, Apprentice.given_name, Apprentice.id)
        )
    )


def cohort_members(db: Database, actor: Actor, cohort_id: int) -> list[CohortMember]:
    """Every apprentice enrolled in the cohort, whatever their status."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        return [
            CohortMember(
                id=a.id,
                name=a.full_name,
                uln=a.uln,
                status=a.status,
                status_date=a.status_date,
                start_date=a.start_date,
                planned_end_date=a.planned_end_date,
                assessor=a.assessor.display_name if a.assessor else "",
            )
            for a in _members(session, cohort_id)
        ]


def cohort_placements(db: Database, actor: Actor, cohort_id: int) -> list[PlacementLine]:
    """Every placement of the cohort's apprentices, by apprentice then start date."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        members = _members(session, cohort_id)
        names = {a.id: a.full_name for a in members}
        by_apprentice: dict[int, list[Placement]] = defaultdict(list)
        for p in session.scalars(
            select(Placement)
            .join(Apprentice, Apprentice.id == Placement.apprentice_id)
            .where(Apprentice.cohort_id == cohort_id)
            .options(selectinload(Placement.setting).selectinload(Setting.organisation))
            .order_by(Placement.start_date, Placement.id)
        ):
            by_apprentice[p.apprentice_id].append(p)
        return [
            PlacementLine(
                apprentice_id=a.id,
                apprentice=names[a.id],
                period=period,
                host=p.setting.organisation.name,
                setting=p.setting.name,
                setting_type=p.setting.setting_type,
                start=p.start_date,
                end=p.end_date,
                mentor=p.mentor_name,
                notice_sent_on=p.notice_sent_on,
                review_meeting_on=p.review_meeting_on,
                appraisal_received_on=p.appraisal_received_on,
            )
            for a in members
            for period, p in enumerate(by_apprentice[a.id], start=1)
        ]


def cohort_evidence(db: Database, actor: Actor, cohort_id: int) -> list[EvidenceLine]:
    """The evidence log: every piece for the cohort's apprentices, by apprentice,
    then date, then the order it was recorded."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        members = _members(session, cohort_id)
        order = {a.id: i for i, a in enumerate(members)}
        names = {a.id: a.full_name for a in members}
        covered: dict[int, dict[str, int]] = defaultdict(dict)
        for evidence_id, ref, position in session.execute(
            select(EvidenceCoverage.evidence_id, Unit.ref, Unit.position)
            .join(Unit, Unit.id == EvidenceCoverage.unit_id)
            .join(Evidence, Evidence.id == EvidenceCoverage.evidence_id)
            .join(Apprentice, Apprentice.id == Evidence.apprentice_id)
            .where(Apprentice.cohort_id == cohort_id)
        ):
            covered[evidence_id][ref] = position
        # Columns, not Evidence objects: a cohort of 500 has 30,000 pieces, and
        # building an ORM object for each took longer than writing their rows.
        pieces = session.execute(
            select(
                Evidence.id,
                Evidence.apprentice_id,
                Evidence.on_date,
                Evidence.title,
                Evidence.method,
                Evidence.context,
                Evidence.status,
                Evidence.assessed_on,
                Organisation.name,
                Setting.name,
            )
            .join(Apprentice, Apprentice.id == Evidence.apprentice_id)
            .outerjoin(Placement, Placement.id == Evidence.placement_id)
            .outerjoin(Setting, Setting.id == Placement.setting_id)
            .outerjoin(Organisation, Organisation.id == Setting.organisation_id)
            .where(Apprentice.cohort_id == cohort_id)
        ).all()
        lines = []
        for row in sorted(pieces, key=lambda r: (order[r[1]], r[2], r[0])):
            (
                piece_id,
                apprentice_id,
                on_date,
                title,
                method,
                context,
                status,
                assessed_on,
                host,
                setting,
            ) = row
            refs = covered.get(piece_id, {})
            lines.append(
                EvidenceLine(
                    id=piece_id,
                    apprentice_id=apprentice_id,
                    apprentice=names[apprentice_id],
                    on_date=on_date,
                    title=title,
                    method=method,
                    context=context,
                    host=host or "",
                    setting=setting or "",
                    units=tuple(sorted(refs, key=lambda r: (refs[r], r))),
                    status=status,
                    assessed_on=assessed_on,
                )
            )
        return lines


def cohort_off_the_job(
    db: Database, actor: Actor, cohort_id: int, *, today: date | None = None
) -> CohortOffTheJob:
    """Each apprentice's off-the-job pace, judged exactly as their overview judges it
    (as of a break, withdrawal or completion), and every entry logged."""
    actor.require(Permission.VIEW_RECORDS)
    today = today or date.today()
    share = Decimal(get_settings(db)["off_the_job_percent"]) / 100
    with db.reading() as session:
        members = _members(session, cohort_id)
        cohort = session.get(Cohort, cohort_id)
        assert cohort is not None
        hours_per_week = cohort.contracted_hours_per_week
        names = {a.id: a.full_name for a in members}
        # (date, hours, activity, notes) by apprentice: columns, not ORM objects, for
        # the tens of thousands of entries a large cohort has.
        logged: dict[int, list[tuple[date, Decimal, str, str]]] = defaultdict(list)
        for apprentice_id, on_date, hours, activity, notes in session.execute(
            select(
                OffTheJobEntry.apprentice_id,
                OffTheJobEntry.on_date,
                OffTheJobEntry.hours,
                OffTheJobEntry.activity,
                OffTheJobEntry.notes,
            )
            .join(Apprentice, Apprentice.id == OffTheJobEntry.apprentice_id)
            .where(Apprentice.cohort_id == cohort_id)
            .order_by(OffTheJobEntry.on_date, OffTheJobEntry.id)
        ):
            logged[apprentice_id].append((on_date, hours, activity, notes))
        summaries = tuple(
            OffTheJobSummary(
                apprentice_id=a.id,
                apprentice=a.full_name,
                status=a.status,
                pace=off_the_job_pace(
                    a.start_date,
                    a.planned_end_date,
                    as_of_date(a.status, a.status_date, today),
                    hours_per_week,
                    [(on_date, hours) for on_date, hours, _activity, _notes in logged[a.id]],
                    target_share=share,
                ),
            )
            for a in members
        )
        entries = tuple(
            OffTheJobLine(
                apprentice_id=a.id,
                apprentice=names[a.id],
                on_date=on_date,
                hours=hours,
                activity=activity,
                notes=notes,
            )
            for a in members
            for on_date, hours, activity, notes in logged[a.id]
        )
        return CohortOffTheJob(summaries, entries)
