"""Cohorts: apprentices who start together with one employer and training provider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assessor_app.services import audit, validation
from assessor_app.services.errors import FieldError
from assessor_app.services.records import assign, changes, load_for_edit, snapshot
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import Cohort, Organisation, Qualification

_FIELDS = (
    "name",
    "employer_id",
    "training_provider_id",
    "qualification_id",
    "awarding_body",
    "start_date",
    "contracted_hours_per_week",
    "off_the_job_pattern",
    "placement_count",
    "placement_months",
    "last_placement_pvi",
)


@dataclass(frozen=True)
class CohortInput:
    name: str
    employer_id: int
    training_provider_id: int
    qualification_code: str
    start_date: date
    contracted_hours_per_week: Decimal
    awarding_body: str = ""
    off_the_job_pattern: str = "1 day a week"
    placement_count: int = 5
    placement_months: int = 3
    last_placement_pvi: bool = True


def _values(session: Session, data: CohortInput) -> dict[str, object]:
    employer = session.get(Organisation, data.employer_id)
    if employer is None or not (employer.is_employer or employer.is_training_agency):
        raise FieldError(
            "employer_id", "Choose the employer (an organisation marked as an employer)."
        )
    provider = session.get(Organisation, data.training_provider_id)
    if provider is None or not provider.is_training_provider:
        raise FieldError(
            "training_provider_id",
            "Choose the training provider (an organisation marked as a training provider).",
        )
    qualification = session.scalar(
        select(Qualification).where(Qualification.code == data.qualification_code)
    )
    if qualification is None:
        raise FieldError(
            "qualification",
            f"There is no qualification {data.qualification_code} in the catalogue.",
        )
    count = validation.whole_number(
        data.placement_count, "placement_count", "Number of placements", minimum=1, maximum=12
    )
    months = validation.whole_number(
        data.placement_months, "placement_months", "Months per placement", minimum=1, maximum=24
    )
    return {
        "name": validation.text(data.name, "name", "Cohort name", max_length=120),
        "employer_id": employer.id,
        "training_provider_id": provider.id,
        "qualification_id": qualification.id,
        "awarding_body": validation.text(
            data.awarding_body or qualification.awarding_body,
            "awarding_body",
            "Awarding body",
            max_length=200,
            required=False,
        ),
        "start_date": data.start_date,
        "contracted_hours_per_week": validation.hours(
            data.contracted_hours_per_week,
            "contracted_hours_per_week",
            "Contracted hours per week",
            maximum=Decimal(48),
        ),
        "off_the_job_pattern": validation.text(
            data.off_the_job_pattern, "off_the_job_pattern", "Off-the-job pattern", max_length=120
        ),
        "placement_count": count,
        "placement_months": months,
        "last_placement_pvi": data.last_placement_pvi,
    }


def _refuse_duplicate_name(session: Session, name: str, own_id: int | None) -> None:
    clash = session.scalar(select(Cohort.id).where(func.lower(Cohort.name) == name.lower()))
    if clash is not None and clash != own_id:
        raise FieldError("name", f"There is already a cohort called '{name}'.")


def create_cohort(db: Database, actor: Actor, data: CohortInput) -> int:
    actor.require(Permission.MANAGE_COHORTS)
    with db.transaction() as session:
        values = _values(session, data)
        _refuse_duplicate_name(session, str(values["name"]), None)
        row = Cohort(**values)
        session.add(row)
        session.flush()
        audit.record(
            session, actor, "cohort.create", "cohort", row.id, after=snapshot(row, _FIELDS)
        )
        return row.id


def update_cohort(
    db: Database,
    actor: Actor,
    cohort_id: int,
    data: CohortInput,
    *,
    expected_version: int | None = None,
) -> int:
    actor.require(Permission.MANAGE_COHORTS)
    with db.transaction() as session:
        row = load_for_edit(session, Cohort, cohort_id, "cohort", expected_version)
        values = _values(session, data)
        _refuse_duplicate_name(session, str(values["name"]), cohort_id)
        before = snapshot(row, _FIELDS)
        assign(row, values)
        session.flush()
        audit.record(
            session,
            actor,
            "cohort.update",
            "cohort",
            row.id,
            changes=changes(before, snapshot(row, _FIELDS)),
        )
        return row.version
