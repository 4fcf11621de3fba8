"""Read-only questions the printed reports ask that the pages' queries do not:
programme details, placement contacts, recent evidence, review actions, a
cohort's members and outcome totals, the cohort's schedule by period, and
looking an apprentice up by ULN or a cohort by name (for the command line).
The apprentice page's record tabs share its review lines, its loading of an
apprentice with their programme, and its lookup of who recorded what."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from assessor_app.domain.catalogue import Qualification
from assessor_app.domain.credit_rules import check_selection
from assessor_app.domain.rag import Rag
from assessor_app.domain.rotation import periods
from assessor_app.services.apprentice_queries import as_of_date
from assessor_app.services.errors import NotFound
from assessor_app.services.progress_queries import progress_summaries
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.catalogue_rows import load_qualification_row, to_domain
from assessor_app.store.database import Database
from assessor_app.store.models import (
    Apprentice,
    CareCertificateCompletion,
    CareCertificateStandard,
    Cohort,
    Evidence,
    EvidenceCoverage,
    Placement,
    Review,
    Setting,
    Unit,
    UnitPlan,
    User,
)


@dataclass(frozen=True)
class ProgrammeDetails:
    """Who the apprentice is and the programme they are on."""

    apprentice_id: int
    name: str
    uln: str | None
    date_of_birth: date | None
    cohort_id: int
    cohort: str
    employer: str
    provider: str
    qualification_code: str
    qualification: str
    awarding_body: str
    start_date: date
    planned_end_date: date
    status: str
    status_date: date | None
    status_reason: str
    assessor: str
    employment_outcome: str
    contracted_hours_per_week: Decimal
    off_the_job_pattern: str


@dataclass(frozen=True)
class EvidenceLine:
    on_date: date
    title: str
    method: str
    context: str
    status: str
    units: tuple[str, ...]  # unit refs the evidence covers, in catalogue order
    assessed_by: str
    assessed_on: date | None


@dataclass(frozen=True)
class ReviewLine:
    id: int
    held_on: date
    kind: str
    conducted_by: str
    summary: str
    actions: str
    next_due_on: date | None


@dataclass(frozen=True)
class PlannedUnit:
    ref: str
    title: str
    group: str
    credits: int | None


@dataclass(frozen=True)
class PlacementNotice:
    """What an apprentice and a host need to know before a placement starts."""

    placement_id: int
    apprentice: str
    uln: str | None
    apprentice_email: str
    apprentice_phone: str
    cohort: str
    employer: str
    provider: str
    host: str
    host_contact: str
    host_email: str
    host_phone: str
    host_address: str
    setting: str
    setting_type: str
    location: str
    start: date
    end: date
    working_days: str
    hours_per_week: Decimal | None
    mentor: str
    line_manager: str
    assessor: str
    notice_sent_on: date | None
    units: tuple[PlannedUnit, ...]


@dataclass(frozen=True)
class CohortDetails:
    id: int
    name: str
    employer: str
    provider: str
    qualification_code: str
    qualification: str
    awarding_body: str
    start_date: date
    contracted_hours_per_week: Decimal
    off_the_job_pattern: str
    placement_count: int
    placement_months: int


@dataclass(frozen=True)
class CohortMember:
    apprentice_id: int
    name: str
    uln: str | None
    status: str
    status_date: date | None
    status_reason: str
    credits_achieved: int
    credits_planned: int
    percent_complete: int
    rag: Rag
    rag_reasons: tuple[str, ...]
    care_certificate_complete: bool
    diploma_achieved: bool  # completed, with every unit signed off and the rules met
    employment_outcome: str


@dataclass(frozen=True)
class CohortTotals:
    starts: int
    in_learning: int
    breaks_in_learning: int
    withdrawals: int
    transfers: int
    completions: int
    care_certificates: int
    diplomas: int
    employment_outcomes: int


@dataclass(frozen=True)
class CohortSummary:
    cohort: CohortDetails
    members: tuple[CohortMember, ...]  # by family name, then given name
    totals: CohortTotals


@dataclass(frozen=True)
class ScheduleCell:
    placement_id: int
    host: str
    setting: str
    start: date
    end: date


@dataclass(frozen=True)
class ScheduleRow:
    apprentice_id: int
    name: str
    status: str
    cells: tuple[tuple[ScheduleCell, ...], ...]  # per period; usually one placement each
    optional_units: tuple[str, ...]  # chosen optional unit refs, in catalogue order
    optional_credits: int
    total_credits: int  # mandatory and chosen units with a credit value
    selection_valid: bool
    selection_problems: tuple[str, ...]  # the rules engine's errors for the choice


@dataclass(frozen=True)
class PeriodUnit:
    unit: PlannedUnit
    mandatory: bool
    apprentices: tuple[str, ...]  # names of those planned to evidence it in the period


@dataclass(frozen=True)
class SchedulePeriod:
    number: int  # 1 for the first
    start: date
    end: date
    units: tuple[PeriodUnit, ...]  # in catalogue order


@dataclass(frozen=True)
class CohortSchedule:
    cohort: CohortDetails
    periods: tuple[SchedulePeriod, ...]
    rows: tuple[ScheduleRow, ...]
    unplanned: tuple[tuple[str, tuple[str, ...]], ...]  # (apprentice, unit refs not planned)


def find_apprentice_by_uln(db: Database, actor: Actor, uln: str) -> int:
    actor.require(Permission.VIEW_RECORDS)
    wanted = uln.strip()
    with db.reading() as session:
        found = session.scalar(select(Apprentice.id).where(Apprentice.uln == wanted))
    if found is None:
        raise NotFound(f"No apprentice has the ULN {wanted}.")
    return found


def find_cohort_by_name(db: Database, actor: Actor, name: str) -> int:
    actor.require(Permission.VIEW_RECORDS)
    wanted = " ".join(name.split())  # stray spaces from a script or a paste do not matter
    with db.reading() as session:
        found = session.scalar(select(Cohort.id).where(Cohort.name == wanted))
        if found is None:
            found = session.scalar(
                select(Cohort.id).where(func.lower(Cohort.name) == wanted.lower())
            )
        if found is None:
            known = ", ".join(session.scalars(select(Cohort.name).order_by(Cohort.name)))
            raise NotFound(f"There is no cohort called '{wanted}' (cohorts: {known or 'none'}).")
    return found


def _cohort_details(cohort: Cohort) -> CohortDetails:
    return CohortDetails(
        id=cohort.id,
        name=cohort.name,
        employer=cohort.employer.name,
        provider=cohort.training_provider.name,
        qualification_code=cohort.qualification.code,
        qualification=cohort.qualification.title,
        awarding_body=cohort.awarding_body or cohort.qualification.awarding_body,
        start_date=cohort.start_date,
        contracted_hours_per_week=cohort.contracted_hours_per_week,
        off_the_job_pattern=cohort.off_the_job_pattern,
        placement_count=cohort.placement_count,
        placement_months=cohort.placement_months,
    )


_COHORT_OPTIONS = (
    selectinload(Cohort.employer),
    selectinload(Cohort.training_provider),
    selectinload(Cohort.qualification),
)


def _load_cohort(db: Database, cohort_id: int) -> CohortDetails:
    with db.reading() as session:
        cohort = session.scalar(
            select(Cohort).where(Cohort.id == cohort_id).options(*_COHORT_OPTIONS)
        )
        if cohort is None:
            raise NotFound("That cohort no longer exists.")
        return _cohort_details(cohort)


def cohort_details(db: Database, actor: Actor, cohort_id: int) -> CohortDetails:
    actor.require(Permission.VIEW_RECORDS)
    return _load_cohort(db, cohort_id)


def load_apprentice(session: Session, apprentice_id: int) -> Apprentice:
    """The apprentice with their cohort (employer, provider, qualification) and
    assessor loaded, for reading once the session has closed."""
    a = session.scalar(
        select(Apprentice)
        .where(Apprentice.id == apprentice_id)
        .options(
            selectinload(Apprentice.cohort).options(*_COHORT_OPTIONS),
            selectinload(Apprentice.assessor),
        )
    )
    if a is None:
        raise NotFound("That apprentice no longer exists.")
    return a


def user_names(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """The display names of the users with these ids (None, for nobody, is skipped)."""
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    return {
        user_id: name
        for user_id, name in session.execute(
            select(User.id, User.display_name).where(User.id.in_(wanted))
        )
    }


def programme_details(db: Database, actor: Actor, apprentice_id: int) -> ProgrammeDetails:
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        a = load_apprentice(session, apprentice_id)
        cohort = _cohort_details(a.cohort)
        return ProgrammeDetails(
            apprentice_id=a.id,
            name=a.full_name,
            uln=a.uln,
            date_of_birth=a.date_of_birth,
            cohort_id=cohort.id,
            cohort=cohort.name,
            employer=cohort.employer,
            provider=cohort.provider,
            qualification_code=cohort.qualification_code,
            qualification=cohort.qualification,
            awarding_body=cohort.awarding_body,
            start_date=a.start_date,
            planned_end_date=a.planned_end_date,
            status=a.status,
            status_date=a.status_date,
            status_reason=a.status_reason,
            assessor=a.assessor.display_name if a.assessor else "",
            employment_outcome=a.employment_outcome,
            contracted_hours_per_week=cohort.contracted_hours_per_week,
            off_the_job_pattern=cohort.off_the_job_pattern,
        )


def recent_evidence(
    db: Database, actor: Actor, apprentice_id: int, *, limit: int = 10
) -> tuple[EvidenceLine, ...]:
    """The latest pieces of evidence, newest first, with the units each covers."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        pieces = list(
            session.scalars(
                select(Evidence)
                .where(Evidence.apprentice_id == apprentice_id)
                .options(selectinload(Evidence.coverage).selectinload(EvidenceCoverage.unit))
                .order_by(Evidence.on_date.desc(), Evidence.id.desc())
                .limit(limit)
            )
        )
        names = user_names(session, (e.assessed_by_id for e in pieces))
        lines = []
        for e in pieces:
            units = sorted({c.unit for c in e.coverage}, key=lambda u: (u.position, u.ref))
            lines.append(
                EvidenceLine(
                    on_date=e.on_date,
                    title=e.title,
                    method=e.method,
                    context=e.context,
                    status=e.status,
                    units=tuple(u.ref for u in units),
                    assessed_by=names.get(e.assessed_by_id, "") if e.assessed_by_id else "",
                    assessed_on=e.assessed_on,
                )
            )
        return tuple(lines)


def review_actions(
    db: Database, actor: Actor, apprentice_id: int, *, limit: int | None = None
) -> tuple[ReviewLine, ...]:
    """Reviews and supervision notes, newest first."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        query = (
            select(Review)
            .where(Review.apprentice_id == apprentice_id)
            .order_by(Review.held_on.desc(), Review.id.desc())
        )
        if limit is not None:
            query = query.limit(limit)
        return tuple(
            ReviewLine(r.id, r.held_on, r.kind, r.conducted_by, r.summary, r.actions, r.next_due_on)
            for r in session.scalars(query)
        )


def _planned_unit(unit: Unit) -> PlannedUnit:
    credits = unit.credits if unit.value_status != "missing" else None
    return PlannedUnit(unit.ref, unit.title, unit.group.code, credits)


def placement_notice(db: Database, actor: Actor, placement_id: int) -> PlacementNotice:
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        p = session.scalar(
            select(Placement)
            .where(Placement.id == placement_id)
            .options(
                selectinload(Placement.setting).selectinload(Setting.organisation),
                selectinload(Placement.apprentice).options(
                    selectinload(Apprentice.cohort).options(*_COHORT_OPTIONS),
                    selectinload(Apprentice.assessor),
                ),
            )
        )
        if p is None:
            raise NotFound("That placement no longer exists.")
        units = session.scalars(
            select(Unit)
            .join(UnitPlan, UnitPlan.unit_id == Unit.id)
            .where(UnitPlan.placement_id == p.id)
            .options(selectinload(Unit.group))
            .order_by(Unit.position, Unit.ref)
        ).all()
        a = p.apprentice
        host = p.setting.organisation
        return PlacementNotice(
            placement_id=p.id,
            apprentice=a.full_name,
            uln=a.uln,
            apprentice_email=a.email,
            apprentice_phone=a.phone,
            cohort=a.cohort.name,
            employer=a.cohort.employer.name,
            provider=a.cohort.training_provider.name,
            host=host.name,
            host_contact=host.contact_name,
            host_email=host.contact_email,
            host_phone=host.contact_phone,
            host_address=host.address,
            setting=p.setting.name,
            setting_type=p.setting.setting_type,
            location=p.setting.location,
            start=p.start_date,
            end=p.end_date,
            working_days=p.working_days,
            hours_per_week=p.hours_per_week,
            mentor=p.mentor_name,
            line_manager=p.line_manager_name,
            assessor=a.assessor.display_name if a.assessor else "",
            notice_sent_on=p.notice_sent_on,
            units=tuple(_planned_unit(u) for u in units),
        )


def _members(db: Database, cohort_id: int) -> list[Apprentice]:
    with db.reading() as session:
        return list(
            session.scalars(
                select(Apprentice)
                .where(Apprentice.cohort_id == cohort_id)
                .order_by(Apprentice.family_name, Apprentice.given_name, Apprentice.id)
            )
        )


def cohort_summary(
    db: Database, actor: Actor, cohort_id: int, *, today: date | None = None
) -> CohortSummary:
    """Every apprentice who started in the cohort, whatever their status, with their
    progress and RAG status, and the outcome totals funders ask for."""
    actor.require(Permission.VIEW_RECORDS)
    today = today or date.today()
    details = _load_cohort(db, cohort_id)
    members = _members(db, cohort_id)
    with db.reading() as session:
        standards = session.scalar(select(func.count(CareCertificateStandard.id))) or 0
        completions: dict[int, list[date]] = defaultdict(list)
        for apprentice_id, completed_on in session.execute(
            select(CareCertificateCompletion.apprentice_id, CareCertificateCompletion.completed_on)
            .join(Apprentice)
            .where(Apprentice.cohort_id == cohort_id)
        ):
            completions[apprentice_id].append(completed_on)
    summaries = progress_summaries(db, actor, [a.id for a in members], today=today)
    rows: list[CohortMember] = []
    for a in members:
        as_of = as_of_date(a.status, a.status_date, today)
        result = summaries.get(a.id)
        if result is None:  # removed while the report was being read
            continue
        done = [d for d in completions[a.id] if d <= as_of]
        rows.append(
            CohortMember(
                apprentice_id=a.id,
                name=a.full_name,
                uln=a.uln,
                status=a.status,
                status_date=a.status_date,
                status_reason=a.status_reason,
                credits_achieved=result.credits_achieved,
                credits_planned=result.selection_credits,
                percent_complete=result.percent_complete,
                rag=result.rag.colour,
                rag_reasons=result.rag.reasons,
                care_certificate_complete=standards > 0 and len(done) >= standards,
                diploma_achieved=a.status == "completed" and result.complete,
                employment_outcome=a.employment_outcome,
            )
        )

    def count(status: str) -> int:
        return sum(1 for m in rows if m.status == status)

    totals = CohortTotals(
        starts=len(rows),
        in_learning=count("active"),
        breaks_in_learning=count("break_in_learning"),
        withdrawals=count("withdrawn"),
        transfers=count("transferred"),
        completions=count("completed"),
        care_certificates=sum(1 for m in rows if m.care_certificate_complete),
        diplomas=sum(1 for m in rows if m.diploma_achieved),
        employment_outcomes=sum(1 for m in rows if m.employment_outcome.strip()),
    )
    return CohortSummary(details, tuple(rows), totals)


def _period_of(start: date, spans: list[tuple[date, date]]) -> int:
    """The index of the period a placement starting on `start` belongs to: the one it
    starts in, or the nearest one when it starts outside them all."""
    for index, (first, last) in enumerate(spans):
        if first <= start <= last:
            return index
    if start < spans[0][0]:
        return 0
    return len(spans) - 1


def cohort_schedule(db: Database, actor: Actor, cohort_id: int) -> CohortSchedule:
    """The cohort's training schedule: each apprentice's placement in each period,
    the units planned to be evidenced in each period, and the units each chose."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        cohort = session.scalar(
            select(Cohort).where(Cohort.id == cohort_id).options(*_COHORT_OPTIONS)
        )
        if cohort is None:
            raise NotFound("That cohort no longer exists.")
        details = _cohort_details(cohort)
        qual_row = load_qualification_row(session, cohort.qualification.code)
        assert qual_row is not None
        qual: Qualification = to_domain(qual_row)
        units_by_id = {u.id: u for u in qual_row.units}
        members = list(
            session.scalars(
                select(Apprentice)
                .where(Apprentice.cohort_id == cohort_id)
                .options(selectinload(Apprentice.chosen_units))
                .order_by(Apprentice.family_name, Apprentice.given_name, Apprentice.id)
            )
        )
        ids = [a.id for a in members]
        placements = list(
            session.scalars(
                select(Placement)
                .where(Placement.apprentice_id.in_(ids))
                .options(selectinload(Placement.setting).selectinload(Setting.organisation))
                .order_by(Placement.start_date, Placement.id)
            )
        )
        plans = list(session.scalars(select(UnitPlan).where(UnitPlan.apprentice_id.in_(ids))))
        spans = periods(cohort.start_date, cohort.placement_count, cohort.placement_months)
        # A placement rescheduled beyond the pattern gets a period of its own.
        last_start = max((p.start_date for p in placements), default=cohort.start_date)
        while last_start > spans[-1][1]:
            spans = periods(cohort.start_date, len(spans) + 1, cohort.placement_months)
        period_of = {p.id: _period_of(p.start_date, spans) for p in placements}
        cells: dict[int, list[list[ScheduleCell]]] = {a.id: [[] for _ in spans] for a in members}
        for p in placements:
            cells[p.apprentice_id][period_of[p.id]].append(
                ScheduleCell(
                    p.id, p.setting.organisation.name, p.setting.name, p.start_date, p.end_date
                )
            )
        order = {u.ref: i for i, u in enumerate(qual.units)}
        names = {a.id: a.full_name for a in members}
        planned_in: dict[tuple[int, str], list[str]] = defaultdict(list)
        planned_refs: dict[int, set[str]] = defaultdict(set)
        for plan in plans:
            unit_row = units_by_id.get(plan.unit_id)
            if unit_row is None or plan.placement_id not in period_of:
                continue
            planned_in[(period_of[plan.placement_id], unit_row.ref)].append(
                names[plan.apprentice_id]
            )
            planned_refs[plan.apprentice_id].add(unit_row.ref)
        rows: list[ScheduleRow] = []
        unplanned: list[tuple[str, tuple[str, ...]]] = []
        for a in members:
            chosen = sorted(
                (units_by_id[c.unit_id].ref for c in a.chosen_units if c.unit_id in units_by_id),
                key=lambda ref: order.get(ref, len(order)),
            )
            verdict = check_selection(qual, chosen, suggest=False)
            rows.append(
                ScheduleRow(
                    apprentice_id=a.id,
                    name=a.full_name,
                    status=a.status,
                    cells=tuple(tuple(c) for c in cells[a.id]),
                    optional_units=tuple(chosen),
                    optional_credits=verdict.credits.optional,
                    total_credits=verdict.credits.total,
                    selection_valid=verdict.valid,
                    selection_problems=tuple(f.message for f in verdict.errors),
                )
            )
            in_scope = [u.ref for u in qual.units if qual.is_mandatory(u.ref) or u.ref in chosen]
            missing = tuple(ref for ref in in_scope if ref not in planned_refs[a.id])
            if missing and a.status in ("active", "break_in_learning"):
                unplanned.append((a.full_name, missing))
        by_ref = {u.ref: u for u in qual_row.units}
        schedule_periods = []
        for index, (first, last) in enumerate(spans):
            refs = sorted(
                {ref for (i, ref) in planned_in if i == index},
                key=lambda ref: order.get(ref, len(order)),
            )
            schedule_periods.append(
                SchedulePeriod(
                    number=index + 1,
                    start=first,
                    end=last,
                    units=tuple(
                        PeriodUnit(
                            _planned_unit(by_ref[ref]),
                            qual.is_mandatory(ref),
                            tuple(sorted(planned_in[(index, ref)])),
                        )
                        for ref in refs
                    ),
                )
            )
        return CohortSchedule(details, tuple(schedule_periods), tuple(rows), tuple(unplanned))
