"""Read-only lists the apprentice forms need: what a new apprentice can be enrolled
on (cohorts and assessors), and an apprentice's English and maths."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from assessor_app.services.apprentice_record_queries import AssessorChoice
from assessor_app.services.errors import NotFound
from assessor_app.services.roles import Actor, Permission, Role
from assessor_app.store.database import Database
from assessor_app.store.models import Apprentice, Cohort, FunctionalSkill, User

FUNCTIONAL_SKILL_SUBJECTS = ("english", "maths")


@dataclass(frozen=True, slots=True)
class EnrolmentCohort:
    id: int
    name: str
    start_date: date
    programme_months: int  # the placements' months end to end: a first guess at the length


@dataclass(frozen=True, slots=True)
class EnrolmentChoices:
    cohorts: tuple[EnrolmentCohort, ...]  # by name
    assessors: tuple[AssessorChoice, ...]  # active assessors, by name


@dataclass(frozen=True, slots=True)
class FunctionalSkillLine:
    subject: str  # "english" or "maths"
    level: str
    achieved_on: date


def enrolment_choices(db: Database, actor: Actor) -> EnrolmentChoices:
    """The cohorts and active assessors a new apprentice can be given."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        cohorts = tuple(
            EnrolmentCohort(c.id, c.name, c.start_date, c.placement_count * c.placement_months)
            for c in session.scalars(select(Cohort).order_by(Cohort.name))
        )
        assessors = tuple(
            AssessorChoice(u.id, u.display_name or u.username)
            for u in session.scalars(
                select(User)
                .where(User.role == Role.ASSESSOR.value, User.active.is_(True))
                .order_by(User.display_name, User.username)
            )
        )
    return EnrolmentChoices(cohorts, assessors)


def functional_skills(
    db: Database, actor: Actor, apprentice_id: int
) -> tuple[FunctionalSkillLine, ...]:
    """The English and maths recorded for the apprentice, English first; a subject
    with nothing recorded is left out."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        if session.get(Apprentice, apprentice_id) is None:
            raise NotFound("That apprentice no longer exists.")
        rows = session.scalars(
            select(FunctionalSkill).where(FunctionalSkill.apprentice_id == apprentice_id)
        ).all()
        found = {r.subject: FunctionalSkillLine(r.subject, r.level, r.achieved_on) for r in rows}
    return tuple(found[s] for s in FUNCTIONAL_SKILL_SUBJECTS if s in found)
