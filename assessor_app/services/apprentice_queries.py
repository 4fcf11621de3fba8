"""Read-only questions about apprentices: the list, one apprentice's overview with
every check applied, schedule findings for a cohort, and the audit history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, selectinload

from assessor_app.domain.care_certificate import CareCertificateStatus, care_certificate_status
from assessor_app.domain.credit_rules import Verdict, check_selection
from assessor_app.domain.off_the_job import OffTheJobPace, off_the_job_pace
from assessor_app.domain.reviews import next_review_due
from assessor_app.domain.schedule import (
    ApprenticeDates,
    PlacementSlot,
    ScheduleFinding,
    check_apprentice_schedule,
    check_host_capacity,
)
from assessor_app.services.app_settings import get_settings
from assessor_app.services.errors import NotFound
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.catalogue_rows import load_qualification_row, to_domain
from assessor_app.store.database import Database
from assessor_app.store.models import (
    Apprentice,
    AuditEntry,
    CareCertificateCompletion,
    CareCertificateStandard,
    Cohort,
    OffTheJobEntry,
    Organisation,
    Placement,
    Review,
    Setting,
)

_NOT_IN_LEARNING = ("break_in_learning", "withdrawn", "transferred", "completed")


def as_of_date(status: str, status_date: date | None, today: date) -> date:
    """The day plans and deadlines are judged on: they stop counting during a break
    in learning, and when the apprentice leaves or completes."""
    if status in _NOT_IN_LEARNING and status_date is not None:
        return min(today, status_date)
    return today


@dataclass(frozen=True)
class ApprenticeRow:
    id: int
    name: str
    uln: str | None
    cohort: str
    status: str
    status_date: date | None
    start_date: date
    planned_end_date: date
    assessor: str


@dataclass(frozen=True)
class PlacementView:
    id: int
    host: str
    setting: str
    setting_type: str
    start: date
    end: date
    mentor: str
    notice_sent_on: date | None
    review_meeting_on: date | None
    appraisal_received_on: date | None
    version: int


@dataclass(frozen=True)
class ApprenticeOverview:
    id: int
    name: str
    uln: str | None
    status: str
    status_reason: str
    cohort: str
    start_date: date
    planned_end_date: date
    version: int
    chosen_units: tuple[str, ...]
    units_verdict: Verdict
    placements: tuple[PlacementView, ...]
    schedule_findings: tuple[ScheduleFinding, ...]
    care_certificate: CareCertificateStatus
    off_the_job: OffTheJobPace
    next_review_due: date


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    username: str
    action: str
    detail: dict[str, Any]


def list_apprentices(db: Database, actor: Actor) -> list[ApprenticeRow]:
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        rows = session.scalars(
            select(Apprentice)
            .options(selectinload(Apprentice.cohort), selectinload(Apprentice.assessor))
            .order_by(Apprentice.family_name, Apprentice.given_name)
        ).all()
        return [
            ApprenticeRow(
                id=a.id,
                name=a.full_name,
                uln=a.uln,
                cohort=a.cohort.name,
                status=a.status,
                status_date=a.status_date,
                start_date=a.start_date,
                planned_end_date=a.planned_end_date,
                assessor=a.assessor.display_name if a.assessor else "",
            )
            for a in rows
        ]


def _slot(p: Placement, name: str) -> PlacementSlot:
    org = p.setting.organisation
    return PlacementSlot(
        id=p.id,
        apprentice_id=p.apprentice_id,
        apprentice_name=name,
        organisation_id=org.id,
        organisation_name=org.name,
        setting_name=p.setting.name,
        start=p.start_date,
        end=p.end_date,
        mentor=p.mentor_name,
        notice_sent_on=p.notice_sent_on,
        host_min_age=org.min_apprentice_age,
    )


def _placements(session: Session, apprentice_ids: list[int]) -> list[Placement]:
    return list(
        session.scalars(
            select(Placement)
            .where(Placement.apprentice_id.in_(apprentice_ids))
            .options(selectinload(Placement.setting).selectinload(Setting.organisation))
            .order_by(Placement.start_date)
        )
    )


def apprentice_overview(
    db: Database, actor: Actor, apprentice_id: int, *, today: date | None = None
) -> ApprenticeOverview:
    """Everything the apprentice's page shows, with every rule applied."""
    actor.require(Permission.VIEW_RECORDS)
    today = today or date.today()
    settings = get_settings(db)
    with db.reading() as session:
        a = session.get(Apprentice, apprentice_id)
        if a is None:
            raise NotFound("That apprentice no longer exists.")
        as_of = as_of_date(a.status, a.status_date, today)
        qual_row = load_qualification_row(session, a.cohort.qualification.code)
        assert qual_row is not None
        qual = to_domain(qual_row)
        chosen = tuple(sorted((c.unit.ref for c in a.chosen_units), key=_unit_order(qual_row)))
        placements = _placements(session, [a.id])
        dates = ApprenticeDates(
            a.id, a.full_name, a.start_date, a.planned_end_date, a.date_of_birth
        )
        findings = check_apprentice_schedule(
            dates,
            [_slot(p, a.full_name) for p in placements],
            today=today,
            notice_weeks=settings["placement_notice_weeks"],
            max_gap_days=settings["placement_gap_days"],
        )
        completed = {
            number: completed_on
            for number, completed_on in session.execute(
                select(CareCertificateStandard.number, CareCertificateCompletion.completed_on)
                .join(CareCertificateCompletion.standard)
                .where(CareCertificateCompletion.apprentice_id == a.id)
            )
        }
        standards = len(session.scalars(select(CareCertificateStandard.id)).all())
        logged = [
            (on, hours)
            for on, hours in session.execute(
                select(OffTheJobEntry.on_date, OffTheJobEntry.hours).where(
                    OffTheJobEntry.apprentice_id == a.id
                )
            )
        ]
        reviews = list(
            session.scalars(
                select(Review.held_on).where(
                    Review.apprentice_id == a.id, Review.kind == "progress_review"
                )
            )
        )
        return ApprenticeOverview(
            id=a.id,
            name=a.full_name,
            uln=a.uln,
            status=a.status,
            status_reason=a.status_reason,
            cohort=a.cohort.name,
            start_date=a.start_date,
            planned_end_date=a.planned_end_date,
            version=a.version,
            chosen_units=chosen,
            units_verdict=check_selection(qual, list(chosen)),
            placements=tuple(
                PlacementView(
                    id=p.id,
                    host=p.setting.organisation.name,
                    setting=p.setting.name,
                    setting_type=p.setting.setting_type,
                    start=p.start_date,
                    end=p.end_date,
                    mentor=p.mentor_name,
                    notice_sent_on=p.notice_sent_on,
                    review_meeting_on=p.review_meeting_on,
                    appraisal_received_on=p.appraisal_received_on,
                    version=p.version,
                )
                for p in placements
            ),
            schedule_findings=tuple(findings),
            care_certificate=care_certificate_status(
                a.start_date,
                completed,
                standards=standards,
                weeks=settings["care_certificate_weeks"],
                today=as_of,
            ),
            off_the_job=off_the_job_pace(
                a.start_date,
                a.planned_end_date,
                as_of,
                a.cohort.contracted_hours_per_week,
                logged,
                target_share=Decimal(settings["off_the_job_percent"]) / 100,
            ),
            next_review_due=next_review_due(
                a.start_date, reviews, interval_weeks=settings["review_interval_weeks"]
            ),
        )


def _unit_order(qual_row: Any) -> Any:
    order = {u.ref: i for i, u in enumerate(qual_row.units)}
    return lambda ref: order.get(ref, len(order))


def cohort_schedule_findings(
    db: Database, actor: Actor, cohort_id: int, *, today: date | None = None
) -> list[ScheduleFinding]:
    """Every apprentice's schedule checks, and hosts over capacity across all cohorts."""
    actor.require(Permission.VIEW_RECORDS)
    today = today or date.today()
    settings = get_settings(db)
    with db.reading() as session:
        if session.get(Cohort, cohort_id) is None:
            raise NotFound("That cohort no longer exists.")
        members = list(session.scalars(select(Apprentice).where(Apprentice.cohort_id == cohort_id)))
        names = {a.id: a.full_name for a in session.scalars(select(Apprentice))}
        own = _placements(session, [a.id for a in members])
        findings: list[ScheduleFinding] = []
        for a in members:
            findings.extend(
                check_apprentice_schedule(
                    ApprenticeDates(
                        a.id, a.full_name, a.start_date, a.planned_end_date, a.date_of_birth
                    ),
                    [_slot(p, a.full_name) for p in own if p.apprentice_id == a.id],
                    today=today,
                    notice_weeks=settings["placement_notice_weeks"],
                    max_gap_days=settings["placement_gap_days"],
                )
            )
        host_ids = {p.setting.organisation_id for p in own}
        capacity = {
            org.id: org.capacity
            for org in session.scalars(select(Organisation).where(Organisation.id.in_(host_ids)))
            if org.capacity is not None
        }
        # Capacity is shared with other cohorts placed at the same hosts.
        at_hosts = list(
            session.scalars(
                select(Placement)
                .join(Placement.setting)
                .where(Setting.organisation_id.in_(capacity))
                .options(selectinload(Placement.setting).selectinload(Setting.organisation))
            )
        )
        findings.extend(
            check_host_capacity([_slot(p, names[p.apprentice_id]) for p in at_hosts], capacity)
        )
        return findings


def apprentice_history(db: Database, actor: Actor, apprentice_id: int) -> list[HistoryEntry]:
    """Every audited change to the apprentice's record and placements, newest first."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        placement_ids = [
            str(i)
            for i in session.scalars(
                select(Placement.id).where(Placement.apprentice_id == apprentice_id)
            )
        ]
        rows = session.scalars(
            select(AuditEntry)
            .where(
                or_(
                    and_(
                        AuditEntry.entity == "apprentice",
                        AuditEntry.entity_id == str(apprentice_id),
                    ),
                    and_(AuditEntry.entity == "placement", AuditEntry.entity_id.in_(placement_ids)),
                )
            )
            .order_by(AuditEntry.id.desc())
        ).all()
        return [HistoryEntry(r.at, r.username, r.action, json.loads(r.detail)) for r in rows]
