"""The unit-to-placement map: where each unit is planned to be evidenced, per
apprentice and as a cohort template; and English and maths for the gateway."""

from __future__ import annotations

from datetime import date
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessor_app.domain.dates import format_date, format_period
from assessor_app.services import audit, validation
from assessor_app.services.errors import FieldError, StaleEdit
from assessor_app.services.evidence import units_in_scope
from assessor_app.services.records import load_for_edit
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import (
    Apprentice,
    Cohort,
    CohortUnitPlan,
    FunctionalSkill,
    Placement,
    Unit,
    UnitPlan,
)


class _Unchecked(Enum):
    UNCHECKED = "unchecked"


UNCHECKED = _Unchecked.UNCHECKED


def plan_unit(
    db: Database,
    actor: Actor,
    apprentice_id: int,
    unit_ref: str,
    placement_id: int | None,
    *,
    expected_placement: int | _Unchecked | None = UNCHECKED,
) -> None:
    """Plan (or, with no placement, unplan) where a unit is to be evidenced.

    `expected_placement` is where the unit was planned (None: nowhere) when the
    user looked; if someone has re-planned it since, the change is refused with
    StaleEdit rather than silently replacing their plan.
    """
    actor.require(Permission.CHOOSE_UNITS)
    with db.transaction() as session:
        apprentice = load_for_edit(session, Apprentice, apprentice_id, "apprentice")
        unit = units_in_scope(session, apprentice).get(unit_ref)
        if unit is None:
            raise FieldError(
                "unit", f"Unit {unit_ref} is not one of {apprentice.full_name}'s units."
            )
        if placement_id is not None:
            placement = session.get(Placement, placement_id)
            if placement is None or placement.apprentice_id != apprentice_id:
                raise FieldError(
                    "placement_id", f"Choose one of {apprentice.full_name}'s placements."
                )
        row = session.scalar(
            select(UnitPlan).where(
                UnitPlan.apprentice_id == apprentice_id, UnitPlan.unit_id == unit.id
            )
        )
        before = row.placement_id if row is not None else None
        if expected_placement is not UNCHECKED and before != expected_placement:
            raise StaleEdit(
                f"Someone else changed where {unit_ref} is planned after you opened the map: "
                f"it is now {_planned_where(session, before)}. The map shows the plan as it "
                "is now; check it, then plan the unit again."
            )
        if placement_id is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(
                UnitPlan(apprentice_id=apprentice_id, unit_id=unit.id, placement_id=placement_id)
            )
        else:
            row.placement_id = placement_id
        session.flush()
        audit.record(
            session,
            actor,
            "unit.plan",
            "apprentice",
            apprentice_id,
            unit=unit_ref,
            changes={"placement_id": [before, placement_id]},
        )


def _planned_where(session: Session, placement_id: int | None) -> str:
    placement = session.get(Placement, placement_id) if placement_id is not None else None
    if placement is None:
        return "not planned for any placement"
    period = format_period(placement.start_date, placement.end_date)
    return f"planned for {placement.setting.name} ({period})"


def set_cohort_template(
    db: Database,
    actor: Actor,
    cohort_id: int,
    unit_ref: str,
    period: int | None,
    *,
    expected_period: int | _Unchecked | None = UNCHECKED,
) -> None:
    """The cohort's template: the placement period (1 = first) in which a unit is
    usually evidenced; None removes it from the template.

    `expected_period` is the unit's period when the user looked (None: not in the
    template); if someone has changed it since, StaleEdit refuses the change."""
    actor.require(Permission.CHOOSE_UNITS)
    with db.transaction() as session:
        cohort = load_for_edit(session, Cohort, cohort_id, "cohort")
        if period is not None:
            validation.whole_number(
                period, "period", "Placement period", minimum=1, maximum=cohort.placement_count
            )
        unit = session.scalar(
            select(Unit).where(
                Unit.qualification_id == cohort.qualification_id, Unit.ref == unit_ref
            )
        )
        if unit is None:
            raise FieldError("unit", f"There is no unit {unit_ref} in the cohort's qualification.")
        row = session.scalar(
            select(CohortUnitPlan).where(
                CohortUnitPlan.cohort_id == cohort_id, CohortUnitPlan.unit_id == unit.id
            )
        )
        before = row.period if row is not None else None
        if expected_period is not UNCHECKED and before != expected_period:
            where = "not in the template" if before is None else f"in period {before}"
            raise StaleEdit(
                f"Someone else changed the template for {unit_ref} after you opened it: "
                f"it is now {where}. The template shows it as it is now; check it, then "
                "choose again."
            )
        if period is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(CohortUnitPlan(cohort_id=cohort_id, unit_id=unit.id, period=period))
        else:
            row.period = period
        session.flush()
        audit.record(
            session,
            actor,
            "cohort.unit_template",
            "cohort",
            cohort_id,
            unit=unit_ref,
            changes={"period": [before, period]},
        )


def apply_cohort_template(db: Database, actor: Actor, cohort_id: int) -> int:
    """Plan each apprentice's units from the cohort template, in their placement of
    that period (by date order); units already planned are left alone. Returns how
    many plans were made."""
    actor.require(Permission.CHOOSE_UNITS)
    made = 0
    with db.transaction() as session:
        load_for_edit(session, Cohort, cohort_id, "cohort")
        template = {
            row.unit_id: row.period
            for row in session.scalars(
                select(CohortUnitPlan).where(CohortUnitPlan.cohort_id == cohort_id)
            )
        }
        for apprentice in session.scalars(
            select(Apprentice).where(Apprentice.cohort_id == cohort_id)
        ):
            if apprentice.processing_restricted or apprentice.erased_on is not None:
                continue  # their record may be viewed, not changed
            placements = list(
                session.scalars(
                    select(Placement)
                    .where(Placement.apprentice_id == apprentice.id)
                    .order_by(Placement.start_date)
                )
            )
            planned = set(
                session.scalars(
                    select(UnitPlan.unit_id).where(UnitPlan.apprentice_id == apprentice.id)
                )
            )
            for unit in units_in_scope(session, apprentice).values():
                period = template.get(unit.id)
                if period is None or unit.id in planned or period > len(placements):
                    continue
                session.add(
                    UnitPlan(
                        apprentice_id=apprentice.id,
                        unit_id=unit.id,
                        placement_id=placements[period - 1].id,
                    )
                )
                made += 1
        audit.record(
            session, actor, "cohort.apply_unit_template", "cohort", cohort_id, plans_made=made
        )
    return made


def record_functional_skill(
    db: Database,
    actor: Actor,
    apprentice_id: int,
    subject: str,
    level: str,
    achieved_on: date,
    *,
    expected: tuple[str, date] | _Unchecked | None = UNCHECKED,
) -> None:
    """English or maths achieved: level and date, checked at the gateway.

    `expected` is the (level, date) recorded for the subject when the user looked
    (None: nothing); if someone has recorded it since, the change is refused with
    StaleEdit rather than silently replacing their record.
    """
    actor.require(Permission.MANAGE_APPRENTICES)
    validation.choice(subject, "subject", "Subject", ("english", "maths"))
    clean_level = validation.text(level, "level", "Level", max_length=40)
    if achieved_on > date.today():
        raise FieldError("achieved_on", "The date achieved cannot be in the future.")
    with db.transaction() as session:
        apprentice = load_for_edit(session, Apprentice, apprentice_id, "apprentice")
        row = session.scalar(
            select(FunctionalSkill).where(
                FunctionalSkill.apprentice_id == apprentice_id, FunctionalSkill.subject == subject
            )
        )
        before = (row.level, row.achieved_on) if row is not None else None
        if expected is not UNCHECKED and before != expected:
            name = "English" if subject == "english" else "Maths"
            now = (
                f"{before[0]}, achieved on {format_date(before[1])}"
                if before is not None
                else "not recorded"
            )
            raise StaleEdit(
                f"Someone else changed {name} for {apprentice.full_name} after you opened the "
                f"record: it is now {now}. The record shows it as it is now; check it, then "
                "record it again if it is still needed."
            )
        if row is None:
            row = FunctionalSkill(apprentice_id=apprentice_id, subject=subject)
            session.add(row)
        row.level, row.achieved_on = clean_level, achieved_on
        session.flush()
        audit.record(
            session,
            actor,
            "apprentice.functional_skill",
            "apprentice",
            apprentice_id,
            subject=subject,
            level=clean_level,
            achieved_on=achieved_on.isoformat(),
        )
