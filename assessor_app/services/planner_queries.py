"""Read-only lists for the Cohorts page: each cohort with the values its form edits,
the organisations a cohort can name as employer or training provider, one
placement with the values its form edits, and the cohort's unit template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from assessor_app.domain.rotation import periods
from assessor_app.services.errors import NotFound
from assessor_app.services.evidence import units_in_scope
from assessor_app.services.placements import outcome_recorded
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import (
    Apprentice,
    Cohort,
    CohortUnitPlan,
    Evidence,
    Organisation,
    Placement,
    Setting,
    Unit,
    UnitGroup,
    UnitPlan,
)


@dataclass(frozen=True)
class CohortRow:
    id: int
    name: str
    employer_id: int
    employer: str
    training_provider_id: int
    training_provider: str
    qualification_code: str
    awarding_body: str
    start_date: date
    contracted_hours_per_week: Decimal
    off_the_job_pattern: str
    placement_count: int
    placement_months: int
    last_placement_pvi: bool
    apprentices: int
    version: int


@dataclass(frozen=True)
class OrganisationChoice:
    id: int
    name: str


@dataclass(frozen=True)
class CohortFormChoices:
    employers: tuple[OrganisationChoice, ...]
    providers: tuple[OrganisationChoice, ...]


@dataclass(frozen=True)
class PlacementDetails:
    id: int
    apprentice_id: int
    apprentice: str
    setting_id: int
    host: str
    setting: str
    setting_open: bool  # the setting and its host still take placements
    start_date: date
    end_date: date
    working_days: str
    hours_per_week: Decimal | None
    mentor_name: str
    line_manager_name: str
    notice_sent_on: date | None
    outcome_recorded: bool  # a review meeting or appraisal: it took place
    evidence_count: int
    planned_units: tuple[str, ...]  # refs of units planned to be evidenced in it
    version: int


def cohort_rows(db: Database, actor: Actor) -> list[CohortRow]:
    """Every cohort by start date (newest first), then name."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        counts = dict(
            session.execute(
                select(Apprentice.cohort_id, func.count(Apprentice.id)).group_by(
                    Apprentice.cohort_id
                )
            ).all()
        )
        rows = session.scalars(
            select(Cohort)
            .options(
                selectinload(Cohort.employer),
                selectinload(Cohort.training_provider),
                selectinload(Cohort.qualification),
            )
            .order_by(Cohort.start_date.desc(), Cohort.name)
        ).all()
        return [
            CohortRow(
                id=c.id,
                name=c.name,
                employer_id=c.employer_id,
                employer=c.employer.name,
                training_provider_id=c.training_provider_id,
                training_provider=c.training_provider.name,
                qualification_code=c.qualification.code,
                awarding_body=c.awarding_body,
                start_date=c.start_date,
                contracted_hours_per_week=c.contracted_hours_per_week,
                off_the_job_pattern=c.off_the_job_pattern,
                placement_count=c.placement_count,
                placement_months=c.placement_months,
                last_placement_pvi=c.last_placement_pvi,
                apprentices=int(counts.get(c.id, 0)),
                version=c.version,
            )
            for c in rows
        ]


def cohort_form_choices(db: Database, actor: Actor) -> CohortFormChoices:
    """Employers (and training agencies, which employ too) and training providers."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        orgs = session.scalars(
            select(Organisation).where(Organisation.active).order_by(Organisation.name)
        ).all()
        return CohortFormChoices(
            tuple(
                OrganisationChoice(o.id, o.name)
                for o in orgs
                if o.is_employer or o.is_training_agency
            ),
            tuple(OrganisationChoice(o.id, o.name) for o in orgs if o.is_training_provider),
        )


def placement_details(db: Database, actor: Actor, placement_id: int) -> PlacementDetails:
    """One placement as its edit form and the cancel question need it."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        p = session.scalars(
            select(Placement)
            .where(Placement.id == placement_id)
            .options(
                selectinload(Placement.apprentice),
                selectinload(Placement.setting).selectinload(Setting.organisation),
            )
        ).first()
        if p is None:
            raise NotFound("That placement no longer exists; it may have been cancelled.")
        evidence = session.scalar(
            select(func.count(Evidence.id)).where(Evidence.placement_id == p.id)
        )
        planned = session.scalars(
            select(Unit.ref)
            .join(UnitPlan, UnitPlan.unit_id == Unit.id)
            .where(UnitPlan.placement_id == p.id)
            .order_by(Unit.position, Unit.ref)
        ).all()
        org = p.setting.organisation
        return PlacementDetails(
            id=p.id,
            apprentice_id=p.apprentice_id,
            apprentice=p.apprentice.full_name,
            setting_id=p.setting_id,
            host=org.name,
            setting=p.setting.name,
            setting_open=p.setting.active and org.active and org.is_host,
            start_date=p.start_date,
            end_date=p.end_date,
            working_days=p.working_days,
            hours_per_week=p.hours_per_week,
            mentor_name=p.mentor_name,
            line_manager_name=p.line_manager_name,
            notice_sent_on=p.notice_sent_on,
            outcome_recorded=outcome_recorded(p),
            evidence_count=int(evidence or 0),
            planned_units=tuple(planned),
            version=p.version,
        )


@dataclass(frozen=True)
class TemplatePeriod:
    number: int  # 1 for the first
    start: date
    end: date


@dataclass(frozen=True)
class TemplateUnit:
    ref: str
    title: str
    group: str  # the group's name
    mandatory: bool
    credits: int | None  # None while the unit has no credit value
    period: int | None  # the template's placement period; None: not in the template
    order: int  # catalogue order, for sorting


@dataclass(frozen=True)
class CohortTemplate:
    cohort_id: int
    cohort: str
    qualification: str
    periods: tuple[TemplatePeriod, ...]  # the cohort's placement pattern
    units: tuple[TemplateUnit, ...]  # every unit of the qualification, in catalogue order


@dataclass(frozen=True)
class TemplateReach:
    """What applying the template would do now."""

    plans: int  # unit plans it would make
    apprentices: int  # how many apprentices they are for


def cohort_template(db: Database, actor: Actor, cohort_id: int) -> CohortTemplate:
    """The cohort's unit template: each unit of its qualification with the placement
    period (if any) in which the cohort usually evidences it, and the periods."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        cohort = session.scalars(
            select(Cohort).where(Cohort.id == cohort_id).options(selectinload(Cohort.qualification))
        ).first()
        if cohort is None:
            raise NotFound("That cohort no longer exists; it may have been removed.")
        chosen = dict(
            session.execute(
                select(CohortUnitPlan.unit_id, CohortUnitPlan.period).where(
                    CohortUnitPlan.cohort_id == cohort_id
                )
            ).all()
        )
        units = session.scalars(
            select(Unit)
            .join(UnitGroup, UnitGroup.id == Unit.group_id)
            .where(Unit.qualification_id == cohort.qualification_id)
            .options(selectinload(Unit.group))
            .order_by(UnitGroup.position, Unit.position, Unit.id)
        ).all()
        spans = periods(cohort.start_date, cohort.placement_count, cohort.placement_months)
        return CohortTemplate(
            cohort_id=cohort.id,
            cohort=cohort.name,
            qualification=cohort.qualification.title,
            periods=tuple(
                TemplatePeriod(number, start, end)
                for number, (start, end) in enumerate(spans, start=1)
            ),
            units=tuple(
                TemplateUnit(
                    ref=u.ref,
                    title=u.title,
                    group=u.group.name,
                    mandatory=u.group.mandatory,
                    credits=u.credits,
                    period=chosen.get(u.id),
                    order=order,
                )
                for order, u in enumerate(units)
            ),
        )


def cohort_template_reach(db: Database, actor: Actor, cohort_id: int) -> TemplateReach:
    """How many unit plans applying the template would make, and for how many
    apprentices: the same choices unit_plans.apply_cohort_template makes, so the
    question asked before applying tells the truth."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        if session.get(Cohort, cohort_id) is None:
            raise NotFound("That cohort no longer exists; it may have been removed.")
        template = dict(
            session.execute(
                select(CohortUnitPlan.unit_id, CohortUnitPlan.period).where(
                    CohortUnitPlan.cohort_id == cohort_id
                )
            ).all()
        )
        if not template:
            return TemplateReach(0, 0)
        plans = people = 0
        for apprentice in session.scalars(
            select(Apprentice).where(Apprentice.cohort_id == cohort_id)
        ):
            if apprentice.processing_restricted or apprentice.erased_on is not None:
                continue  # applying leaves their record alone
            placements = int(
                session.scalar(
                    select(func.count(Placement.id)).where(Placement.apprentice_id == apprentice.id)
                )
                or 0
            )
            planned = set(
                session.scalars(
                    select(UnitPlan.unit_id).where(UnitPlan.apprentice_id == apprentice.id)
                )
            )
            theirs = sum(
                1
                for unit in units_in_scope(session, apprentice).values()
                if unit.id in template
                and unit.id not in planned
                and template[unit.id] <= placements
            )
            plans += theirs
            people += bool(theirs)
        return TemplateReach(plans, people)
