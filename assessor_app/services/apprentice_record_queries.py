"""Read-only views for the apprentice page's record tabs: the Care Certificate
standards, the off-the-job log, reviews and the apprentice's profile. Review lines,
loading the apprentice and who recorded what are shared with the printed reports
(report_queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from assessor_app.domain.care_certificate import CareCertificateStatus
from assessor_app.domain.off_the_job import OffTheJobPace
from assessor_app.services.apprentice_queries import programme_standing
from assessor_app.services.report_queries import (
    ReviewLine,
    load_apprentice,
    review_actions,
    user_names,
)
from assessor_app.services.roles import Actor, Permission, Role
from assessor_app.store.database import Database
from assessor_app.store.models import (
    CareCertificateCompletion,
    CareCertificateStandard,
    OffTheJobEntry,
    User,
)


@dataclass(frozen=True, slots=True)
class StandardLine:
    number: int
    title: str
    completed_on: date | None
    signed_off_by: str


@dataclass(frozen=True, slots=True)
class CareCertificateView:
    start_date: date
    standards: tuple[StandardLine, ...]
    status: CareCertificateStatus


@dataclass(frozen=True, slots=True)
class OffTheJobLine:
    id: int
    on_date: date
    hours: Decimal
    activity: str
    notes: str
    recorded_by: str


@dataclass(frozen=True, slots=True)
class OffTheJobView:
    start_date: date
    contracted_hours_per_week: Decimal
    entries: tuple[OffTheJobLine, ...]  # newest first
    pace: OffTheJobPace


@dataclass(frozen=True, slots=True)
class ReviewsView:
    start_date: date
    reviews: tuple[ReviewLine, ...]  # newest first
    next_review_due: date


@dataclass(frozen=True, slots=True)
class AssessorChoice:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class ApprenticeProfile:
    id: int
    given_name: str
    family_name: str
    uln: str | None
    date_of_birth: date | None
    email: str
    phone: str
    address: str
    cohort_id: int
    cohort: str
    employer: str
    training_provider: str
    assessor_id: int | None
    start_date: date
    planned_end_date: date
    status: str
    status_date: date | None
    status_reason: str
    employment_outcome: str
    version: int
    assessors: tuple[AssessorChoice, ...]  # active assessors, by name, to choose from


def care_certificate_view(
    db: Database, actor: Actor, apprentice_id: int, *, today: date | None = None
) -> CareCertificateView:
    overview = programme_standing(db, actor, apprentice_id, today=today)
    with db.reading() as session:
        done = {
            c.standard_id: c
            for c in session.scalars(
                select(CareCertificateCompletion).where(
                    CareCertificateCompletion.apprentice_id == apprentice_id
                )
            )
        }
        names = user_names(session, (c.signed_off_by_id for c in done.values()))
        lines = tuple(
            StandardLine(
                number=s.number,
                title=s.title,
                completed_on=done[s.id].completed_on if s.id in done else None,
                signed_off_by=(
                    names.get(done[s.id].signed_off_by_id or 0, "") if s.id in done else ""
                ),
            )
            for s in session.scalars(
                select(CareCertificateStandard).order_by(CareCertificateStandard.number)
            )
        )
    return CareCertificateView(overview.start_date, lines, overview.care_certificate)


def off_the_job_view(
    db: Database, actor: Actor, apprentice_id: int, *, today: date | None = None
) -> OffTheJobView:
    overview = programme_standing(db, actor, apprentice_id, today=today)
    with db.reading() as session:
        hours = load_apprentice(session, apprentice_id).cohort.contracted_hours_per_week
        logged = list(
            session.scalars(
                select(OffTheJobEntry)
                .where(OffTheJobEntry.apprentice_id == apprentice_id)
                .order_by(OffTheJobEntry.on_date.desc(), OffTheJobEntry.id.desc())
            )
        )
        names = user_names(session, (e.recorded_by_id for e in logged))
        entries = tuple(
            OffTheJobLine(
                e.id, e.on_date, e.hours, e.activity, e.notes, names.get(e.recorded_by_id or 0, "")
            )
            for e in logged
        )
    return OffTheJobView(overview.start_date, hours, entries, overview.off_the_job)


def reviews_view(
    db: Database, actor: Actor, apprentice_id: int, *, today: date | None = None
) -> ReviewsView:
    overview = programme_standing(db, actor, apprentice_id, today=today)
    reviews = review_actions(db, actor, apprentice_id)
    return ReviewsView(overview.start_date, reviews, overview.next_review_due)


def apprentice_profile(db: Database, actor: Actor, apprentice_id: int) -> ApprenticeProfile:
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        a = load_apprentice(session, apprentice_id)
        assessors = tuple(
            AssessorChoice(u.id, u.display_name or u.username)
            for u in session.scalars(
                select(User)
                .where(User.role == Role.ASSESSOR.value, User.active.is_(True))
                .order_by(User.display_name)
            )
        )
        return ApprenticeProfile(
            id=a.id,
            given_name=a.given_name,
            family_name=a.family_name,
            uln=a.uln,
            date_of_birth=a.date_of_birth,
            email=a.email,
            phone=a.phone,
            address=a.address,
            cohort_id=a.cohort_id,
            cohort=a.cohort.name,
            employer=a.cohort.employer.name,
            training_provider=a.cohort.training_provider.name,
            assessor_id=a.assessor_id,
            start_date=a.start_date,
            planned_end_date=a.planned_end_date,
            status=a.status,
            status_date=a.status_date,
            status_reason=a.status_reason,
            employment_outcome=a.employment_outcome,
            version=a.version,
            assessors=assessors,
        )
