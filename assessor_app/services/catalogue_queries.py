"""Read-only catalogue questions for the window and the command line."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from assessor_app.domain import catalogue as domain
from assessor_app.services.errors import NotFound
from assessor_app.store import models
from assessor_app.store.catalogue_files import DEFAULT_QUALIFICATION
from assessor_app.store.catalogue_rows import load_qualification_row, to_domain, to_domain_unit
from assessor_app.store.database import Database


@dataclass(frozen=True, slots=True)
class QualificationSummary:
    code: str
    title: str
    awarding_body: str
    units: int


def list_qualifications(db: Database) -> list[QualificationSummary]:
    with db.reading() as session:
        rows = session.execute(
            select(
                models.Qualification.code,
                models.Qualification.title,
                models.Qualification.awarding_body,
                func.count(models.Unit.id),
            )
            .outerjoin(models.Unit)
            .group_by(models.Qualification.id)
            .order_by(models.Qualification.code)
        ).all()
    return [QualificationSummary(*row) for row in rows]


def load_qualification(db: Database, code: str | None = None) -> domain.Qualification:
    """One qualification; with no code, the default Diploma (or the first one)."""
    if code is None:
        available = [q.code for q in list_qualifications(db)]
        if not available:
            raise NotFound("The catalogue is empty: no qualification has been installed.")
        code = DEFAULT_QUALIFICATION if DEFAULT_QUALIFICATION in available else available[0]
    with db.reading() as session:
        row = load_qualification_row(session, code)
        if row is None:
            codes = ", ".join(q.code for q in list_qualifications(db)) or "none"
            raise NotFound(
                f"There is no qualification {code} in the catalogue (available: {codes})."
            )
        return to_domain(row)


def units_outside(db: Database, code: str) -> list[tuple[str, domain.Unit]]:
    """(qualification code, unit) for every other qualification's units, to
    recognise a unit chosen from the wrong qualification."""
    with db.reading() as session:
        rows = session.scalars(
            select(models.Unit)
            .join(models.Qualification)
            .options(selectinload(models.Unit.group), selectinload(models.Unit.qualification))
            .where(models.Qualification.code != code)
            .order_by(models.Qualification.code, models.Unit.position)
        ).all()
        return [(row.qualification.code, to_domain_unit(row)) for row in rows]


def care_certificate_standards(db: Database) -> list[tuple[int, str]]:
    with db.reading() as session:
        rows = session.execute(
            select(
                models.CareCertificateStandard.number, models.CareCertificateStandard.title
            ).order_by(models.CareCertificateStandard.number)
        ).all()
    return [(number, title) for number, title in rows]


def unit_affinities(db: Database, code: str, ref: str) -> dict[str, str]:
    """How often each setting type offers the chance to evidence one unit, by setting
    type; a type with no judgement recorded is absent."""
    with db.reading() as session:
        rows = session.execute(
            select(models.UnitSettingAffinity.setting_type, models.UnitSettingAffinity.affinity)
            .join(models.Unit, models.Unit.id == models.UnitSettingAffinity.unit_id)
            .join(models.Qualification)
            .where(models.Qualification.code == code, models.Unit.ref == ref)
        ).all()
    return {setting_type: level for setting_type, level in rows}


@dataclass(frozen=True, slots=True)
class OutcomeView:
    number: str
    text: str
    criteria: tuple[tuple[str, str], ...]  # (number, text), in the specification's order


def unit_outcomes(db: Database, code: str, ref: str) -> list[OutcomeView]:
    """One unit's learning outcomes with their assessment criteria, in order."""
    with db.reading() as session:
        rows = session.scalars(
            select(models.LearningOutcome)
            .join(models.Unit, models.Unit.id == models.LearningOutcome.unit_id)
            .join(models.Qualification)
            .where(models.Qualification.code == code, models.Unit.ref == ref)
            .options(selectinload(models.LearningOutcome.criteria))
            .order_by(models.LearningOutcome.position, models.LearningOutcome.id)
        ).all()
        return [
            OutcomeView(
                o.number,
                o.text,
                tuple((c.number, c.text) for c in o.criteria),  # in position order
            )
            for o in rows
        ]
