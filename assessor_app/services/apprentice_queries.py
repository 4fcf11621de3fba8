"""Read-only questions about apprentices: the list, one apprentice's overview with
every check applied, schedule findings for a cohort, and the audit history."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from assessor_app.domain import catalogue as domain
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
from assessor_app.store.database import Database
from assessor_app.store.models import (
    Apprentice,
    AuditEntry,
    BarredPair,
    CareCertificateCompletion,
    CareCertificateStandard,
    ChosenUnit,
    Cohort,
    CreditRule,
    OffTheJobEntry,
    Organisation,
    Placement,
    Qualification,
    Review,
    Setting,
    Unit,
    UnitGroup,
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
    line_manager: str
    notice_sent_on: date | None
    review_meeting_on: date | None
    appraisal_received_on: date | None
    appraisal_summary: str
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
    qualification: domain.Qualification  # the one the choice is checked against


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    username: str
    action: str
    detail: dict[str, Any]
    # About a placement that was cancelled after this entry: it is no longer in
    # the plan, but what was scheduled and changed stays in the history.
    placement_cancelled: bool = False


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


def _placements(session: Session, apprentice_ids: Sequence[int]) -> list[Placement]:
    return list(
        session.scalars(
            select(Placement)
            .where(Placement.apprentice_id.in_(apprentice_ids))
            .options(selectinload(Placement.setting).selectinload(Setting.organisation))
            .order_by(Placement.start_date)
        )
    )


@dataclass(frozen=True)
class Catalogue:
    """A qualification as the domain sees it, with each unit's row id."""

    id: int
    qual: domain.Qualification
    unit_ids: dict[str, int]  # in catalogue order


def load_catalogue(session: Session, qualification_id: int) -> Catalogue:
    """The same values as store.catalogue_rows.to_domain, read with a few plain
    queries instead of building ORM objects: an apprentice's page and every list
    and report over many apprentices read it, so it must be cheap."""
    q = session.execute(
        select(
            Qualification.code,
            Qualification.title,
            Qualification.awarding_body,
            Qualification.level,
            Qualification.total_qualification_time,
        ).where(Qualification.id == qualification_id)
    ).one()
    groups = session.execute(
        select(UnitGroup.id, UnitGroup.code, UnitGroup.name, UnitGroup.mandatory)
        .where(UnitGroup.qualification_id == qualification_id)
        .order_by(UnitGroup.position, UnitGroup.id)
    ).all()
    group_code = {g.id: g.code for g in groups}
    units = session.execute(
        select(
            Unit.id,
            Unit.ref,
            Unit.title,
            Unit.group_id,
            Unit.credits,
            Unit.value_status,
            Unit.glh,
            Unit.level,
            Unit.kind,
            Unit.awarding_body_ref,
            Unit.source_unit_ref,
            Unit.source,
        )
        .where(Unit.qualification_id == qualification_id)
        .order_by(Unit.position, Unit.id)
    ).all()
    rules = session.execute(
        select(
            CreditRule.scope, CreditRule.group_id, CreditRule.min_credits, CreditRule.max_credits
        )
        .where(CreditRule.qualification_id == qualification_id)
        .order_by(CreditRule.position, CreditRule.id)
    ).all()
    pairs = session.execute(
        select(BarredPair.unit_a_id, BarredPair.unit_b_id, BarredPair.reason)
        .where(BarredPair.qualification_id == qualification_id)
        .order_by(BarredPair.id)
    ).all()
    wanted_groups = {u.group_id for u in units} | {r.group_id for r in rules if r.group_id}
    if not wanted_groups <= group_code.keys():  # a group row of another qualification
        group_code.update(
            session.execute(
                select(UnitGroup.id, UnitGroup.code).where(UnitGroup.id.in_(wanted_groups))
            ).tuples()
        )
    ref_of = {u.id: u.ref for u in units}
    wanted_units = {i for a, b, _ in pairs for i in (a, b)}
    if not wanted_units <= ref_of.keys():
        ref_of.update(
            session.execute(select(Unit.id, Unit.ref).where(Unit.id.in_(wanted_units))).tuples()
        )
    qual = domain.Qualification(
        code=q.code,
        title=q.title,
        awarding_body=q.awarding_body,
        level=q.level,
        total_qualification_time=q.total_qualification_time,
        groups=tuple(
            domain.UnitGroup(code=g.code, name=g.name, mandatory=g.mandatory) for g in groups
        ),
        units=tuple(
            domain.Unit(
                ref=u.ref,
                title=u.title,
                group=group_code[u.group_id],
                credits=u.credits,
                value_status=domain.ValueStatus(u.value_status),
                glh=u.glh,
                level=u.level,
                kind=u.kind,
                awarding_body_ref=u.awarding_body_ref,
                source_unit_ref=u.source_unit_ref,
                source=u.source,
            )
            for u in units
        ),
        rules=tuple(
            domain.CreditRule(
                scope=domain.RuleScope(r.scope),
                group=group_code[r.group_id] if r.group_id is not None else None,
                min_credits=r.min_credits,
                max_credits=r.max_credits,
            )
            for r in rules
        ),
        barred_pairs=tuple(
            domain.BarredPair(unit_a=ref_of[a], unit_b=ref_of[b], reason=reason)
            for a, b, reason in pairs
        ),
    )
    return Catalogue(qualification_id, qual, {u.ref: u.id for u in units})


@dataclass(frozen=True)
class ApprenticeRecords:
    """What one apprentice's overview and progress are worked out from, read for
    many apprentices at once."""

    apprentice: Apprentice
    catalogue: Catalogue
    chosen_units: tuple[str, ...]  # in catalogue order
    placements: tuple[Placement, ...]  # by start date
    care_certificate: CareCertificateStatus
    off_the_job: OffTheJobPace
    review_dates: tuple[date, ...]  # progress reviews held
    as_of: date


def _apprentices(session: Session, apprentice_ids: Sequence[int]) -> list[Apprentice]:
    return list(
        session.scalars(
            select(Apprentice)
            .where(Apprentice.id.in_(list(apprentice_ids)))
            .options(selectinload(Apprentice.cohort))
        )
    )


@dataclass(frozen=True)
class _Standing:
    care_certificate: CareCertificateStatus
    off_the_job: OffTheJobPace
    review_dates: tuple[date, ...]
    as_of: date


def _standings(
    session: Session, found: Sequence[Apprentice], settings: dict[str, int], today: date
) -> dict[int, _Standing]:
    """The Care Certificate, off-the-job pace and reviews held, for each apprentice."""
    ids = [a.id for a in found]
    completed: dict[int, dict[int, date]] = defaultdict(dict)
    for apprentice_id, number, completed_on in session.execute(
        select(
            CareCertificateCompletion.apprentice_id,
            CareCertificateStandard.number,
            CareCertificateCompletion.completed_on,
        )
        .join(CareCertificateCompletion.standard)
        .where(CareCertificateCompletion.apprentice_id.in_(ids))
    ):
        completed[apprentice_id][number] = completed_on
    standards = session.scalar(select(func.count(CareCertificateStandard.id))) or 0
    logged: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for apprentice_id, on, hours in session.execute(
        select(OffTheJobEntry.apprentice_id, OffTheJobEntry.on_date, OffTheJobEntry.hours)
        .where(OffTheJobEntry.apprentice_id.in_(ids))
        .order_by(OffTheJobEntry.id)
    ):
        logged[apprentice_id].append((on, hours))
    reviews: dict[int, list[date]] = defaultdict(list)
    for apprentice_id, held_on in session.execute(
        select(Review.apprentice_id, Review.held_on)
        .where(Review.apprentice_id.in_(ids), Review.kind == "progress_review")
        .order_by(Review.id)
    ):
        reviews[apprentice_id].append(held_on)
    share = Decimal(settings["off_the_job_percent"]) / 100
    standings = {}
    for a in found:
        as_of = as_of_date(a.status, a.status_date, today)
        standings[a.id] = _Standing(
            care_certificate=care_certificate_status(
                a.start_date,
                completed[a.id],
                standards=standards,
                weeks=settings["care_certificate_weeks"],
                today=as_of,
            ),
            off_the_job=off_the_job_pace(
                a.start_date,
                a.planned_end_date,
                as_of,
                a.cohort.contracted_hours_per_week,
                logged[a.id],
                target_share=share,
            ),
            review_dates=tuple(reviews[a.id]),
            as_of=as_of,
        )
    return standings


def read_records(
    session: Session,
    apprentice_ids: Sequence[int],
    settings: dict[str, int],
    today: date,
    catalogues: dict[int, Catalogue] | None = None,
) -> dict[int, ApprenticeRecords]:
    """The records of each of the apprentices that exists, with a fixed number of
    queries however many are asked for (callers pass a few hundred at a time).
    `catalogues` (by qualification id) is filled in and reused across calls."""
    catalogues = {} if catalogues is None else catalogues
    found = _apprentices(session, apprentice_ids)
    if not found:
        return {}
    for a in found:
        if a.cohort.qualification_id not in catalogues:
            catalogues[a.cohort.qualification_id] = load_catalogue(
                session, a.cohort.qualification_id
            )
    ids = [a.id for a in found]
    chosen: dict[int, list[str]] = defaultdict(list)
    for apprentice_id, ref in session.execute(
        select(ChosenUnit.apprentice_id, Unit.ref)
        .join(Unit, Unit.id == ChosenUnit.unit_id)
        .where(ChosenUnit.apprentice_id.in_(ids))
        .order_by(ChosenUnit.id)
    ):
        chosen[apprentice_id].append(ref)
    placements: dict[int, list[Placement]] = defaultdict(list)
    for p in _placements(session, ids):
        placements[p.apprentice_id].append(p)
    standings = _standings(session, found, settings, today)
    records = {}
    for a in found:
        catalogue = catalogues[a.cohort.qualification_id]
        order = {ref: i for i, ref in enumerate(catalogue.unit_ids)}
        standing = standings[a.id]
        records[a.id] = ApprenticeRecords(
            apprentice=a,
            catalogue=catalogue,
            chosen_units=tuple(sorted(chosen[a.id], key=lambda ref: order.get(ref, len(order)))),
            placements=tuple(placements[a.id]),
            care_certificate=standing.care_certificate,
            off_the_job=standing.off_the_job,
            review_dates=standing.review_dates,
            as_of=standing.as_of,
        )
    return records


def placement_view(p: Placement) -> PlacementView:
    return PlacementView(
        id=p.id,
        host=p.setting.organisation.name,
        setting=p.setting.name,
        setting_type=p.setting.setting_type,
        start=p.start_date,
        end=p.end_date,
        mentor=p.mentor_name,
        line_manager=p.line_manager_name,
        notice_sent_on=p.notice_sent_on,
        review_meeting_on=p.review_meeting_on,
        appraisal_received_on=p.appraisal_received_on,
        appraisal_summary=p.appraisal_summary,
        version=p.version,
    )


def placement_record(db: Database, actor: Actor, placement_id: int) -> PlacementView:
    """One placement as it is now, for a form that records its contacts or outcome."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        p = session.scalars(
            select(Placement)
            .where(Placement.id == placement_id)
            .options(selectinload(Placement.setting).selectinload(Setting.organisation))
        ).first()
        if p is None:
            raise NotFound("That placement no longer exists; it may have been cancelled.")
        return placement_view(p)


def overview_of(
    records: ApprenticeRecords, settings: dict[str, int], today: date
) -> ApprenticeOverview:
    """The overview from records already read: the selection check with its
    repair suggestions and the schedule checks are worked out here."""
    a = records.apprentice
    findings = check_apprentice_schedule(
        ApprenticeDates(a.id, a.full_name, a.start_date, a.planned_end_date, a.date_of_birth),
        [_slot(p, a.full_name) for p in records.placements],
        today=today,
        notice_weeks=settings["placement_notice_weeks"],
        max_gap_days=settings["placement_gap_days"],
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
        chosen_units=records.chosen_units,
        units_verdict=check_selection(records.catalogue.qual, list(records.chosen_units)),
        placements=tuple(placement_view(p) for p in records.placements),
        schedule_findings=tuple(findings),
        care_certificate=records.care_certificate,
        off_the_job=records.off_the_job,
        next_review_due=next_review_due(
            a.start_date,
            list(records.review_dates),
            interval_weeks=settings["review_interval_weeks"],
        ),
        qualification=records.catalogue.qual,
    )


def apprentice_overview(
    db: Database, actor: Actor, apprentice_id: int, *, today: date | None = None
) -> ApprenticeOverview:
    """Everything the apprentice's page shows, with every rule applied."""
    actor.require(Permission.VIEW_RECORDS)
    today = today or date.today()
    settings = get_settings(db)
    with db.reading() as session:
        records = read_records(session, [apprentice_id], settings, today)
        if apprentice_id not in records:
            raise NotFound("That apprentice no longer exists.")
        return overview_of(records[apprentice_id], settings, today)


@dataclass(frozen=True, slots=True)
class ProgrammeStanding:
    """Where an apprentice stands on the Care Certificate, off-the-job hours and
    reviews: what the record tabs show above their lists."""

    start_date: date
    care_certificate: CareCertificateStatus
    off_the_job: OffTheJobPace
    next_review_due: date


def programme_standing(
    db: Database, actor: Actor, apprentice_id: int, *, today: date | None = None
) -> ProgrammeStanding:
    """The same figures as the overview's, without its selection and schedule checks."""
    actor.require(Permission.VIEW_RECORDS)
    today = today or date.today()
    settings = get_settings(db)
    with db.reading() as session:
        found = _apprentices(session, [apprentice_id])
        if not found:
            raise NotFound("That apprentice no longer exists.")
        standing = _standings(session, found, settings, today)[apprentice_id]
        start = found[0].start_date
        return ProgrammeStanding(
            start_date=start,
            care_certificate=standing.care_certificate,
            off_the_job=standing.off_the_job,
            next_review_due=next_review_due(
                start,
                list(standing.review_dates),
                interval_weeks=settings["review_interval_weeks"],
            ),
        )


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
    """Every audited change to the apprentice's record and placements, newest first,
    including those of placements cancelled since (their rows are gone, so their ids
    are read from the cancellations filed under the apprentice)."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        own = session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "apprentice", AuditEntry.entity_id == str(apprentice_id)
            )
        ).all()
        # Audit id of the last cancellation of each placement id: SQLite may give a
        # cancelled placement's id to a later placement, whose entries come after it.
        cancelled_at: dict[str, int] = {}
        for entry in own:
            if entry.action == "placement.cancel":
                placement = json.loads(entry.detail).get("placement")
                if placement is not None:
                    key = str(placement)
                    cancelled_at[key] = max(cancelled_at.get(key, 0), entry.id)
        placement_ids = {
            str(i)
            for i in session.scalars(
                select(Placement.id).where(Placement.apprentice_id == apprentice_id)
            )
        } | cancelled_at.keys()
        about_placements = session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "placement", AuditEntry.entity_id.in_(placement_ids)
            )
        ).all()
        entries: list[tuple[int, HistoryEntry]] = [
            (r.id, HistoryEntry(r.at, r.username, r.action, json.loads(r.detail))) for r in own
        ]
        for r in about_placements:
            detail = json.loads(r.detail)
            # A reused id may have belonged to another apprentice's placement before.
            if detail.get("apprentice_id", apprentice_id) != apprentice_id:
                continue
            cancelled = r.id < cancelled_at.get(r.entity_id, 0)
            entries.append((r.id, HistoryEntry(r.at, r.username, r.action, detail, cancelled)))
        entries.sort(key=lambda pair: pair[0], reverse=True)
        return [entry for _id, entry in entries]
