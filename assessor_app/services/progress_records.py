"""Care Certificate standards, off-the-job hours and reviews, recorded per apprentice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from assessor_app.services import audit, validation
from assessor_app.services.errors import FieldError
from assessor_app.services.records import load_for_edit
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import (
    Apprentice,
    CareCertificateCompletion,
    CareCertificateStandard,
    OffTheJobEntry,
    Review,
)

OFF_THE_JOB_ACTIVITIES = (
    "taught session",
    "e-learning",
    "shadowing",
    "mentoring",
    "workshop",
    "simulation",
    "industry visit",
    "assignment",
    "other",
)
REVIEW_KINDS = ("progress_review", "supervision")


def _check_date_in_programme(apprentice: Apprentice, on: date, field: str, today: date) -> None:
    if on < apprentice.start_date:
        raise FieldError(field, "The date cannot be before the apprentice started.")
    if on > today:
        raise FieldError(field, "The date cannot be in the future.")


def complete_care_certificate_standard(
    db: Database,
    actor: Actor,
    apprentice_id: int,
    standard_number: int,
    completed_on: date,
    *,
    today: date | None = None,
) -> None:
    """Record that a standard was met; the acting user is who signed it off."""
    actor.require(Permission.RECORD_CARE_CERTIFICATE)
    with db.transaction() as session:
        apprentice = load_for_edit(session, Apprentice, apprentice_id, "apprentice")
        _check_date_in_programme(apprentice, completed_on, "completed_on", today or date.today())
        standard = session.scalar(
            select(CareCertificateStandard).where(CareCertificateStandard.number == standard_number)
        )
        if standard is None:
            raise FieldError(
                "standard", f"There is no Care Certificate standard {standard_number}."
            )
        row = session.scalar(
            select(CareCertificateCompletion).where(
                CareCertificateCompletion.apprentice_id == apprentice_id,
                CareCertificateCompletion.standard_id == standard.id,
            )
        )
        before = row.completed_on.isoformat() if row is not None else None
        if row is None:
            row = CareCertificateCompletion(apprentice_id=apprentice_id, standard=standard)
            session.add(row)
        row.completed_on = completed_on
        row.signed_off_by_id = actor.user_id
        session.flush()
        audit.record(
            session,
            actor,
            "care_certificate.complete",
            "apprentice",
            apprentice_id,
            standard=f"{standard.number} {standard.title}",
            changes={"completed_on": [before, completed_on.isoformat()]},
        )


def log_off_the_job(
    db: Database,
    actor: Actor,
    apprentice_id: int,
    on: date,
    hours: Decimal,
    activity: str,
    notes: str = "",
    *,
    today: date | None = None,
) -> int:
    actor.require(Permission.LOG_OFF_THE_JOB)
    clean_hours = validation.hours(hours, "hours", "Hours", maximum=Decimal(12))
    clean_activity = validation.choice(activity, "activity", "Activity", OFF_THE_JOB_ACTIVITIES)
    clean_notes = validation.text(notes, "notes", "Notes", max_length=5000, required=False)
    with db.transaction() as session:
        apprentice = load_for_edit(session, Apprentice, apprentice_id, "apprentice")
        _check_date_in_programme(apprentice, on, "on_date", today or date.today())
        row = OffTheJobEntry(
            apprentice_id=apprentice_id,
            on_date=on,
            hours=clean_hours,
            activity=clean_activity,
            notes=clean_notes,
            recorded_by_id=actor.user_id,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor,
            "off_the_job.log",
            "apprentice",
            apprentice_id,
            entry=row.id,
            on=on.isoformat(),
            hours=str(clean_hours),
            activity=clean_activity,
        )
        return row.id


def record_review(
    db: Database,
    actor: Actor,
    apprentice_id: int,
    kind: str,
    held_on: date,
    conducted_by: str,
    summary: str,
    actions: str = "",
    next_due_on: date | None = None,
    *,
    today: date | None = None,
) -> int:
    """A progress review (about every 12 weeks) or a supervision note."""
    actor.require(Permission.RECORD_REVIEWS)
    validation.choice(kind, "kind", "Kind of review", REVIEW_KINDS)
    who = validation.text(conducted_by, "conducted_by", "Conducted by", max_length=200)
    clean_summary = validation.text(summary, "summary", "Summary", max_length=10000)
    clean_actions = validation.text(actions, "actions", "Actions", max_length=10000, required=False)
    if next_due_on is not None and next_due_on <= held_on:
        raise FieldError("next_due_on", "The next review must be due after this one.")
    with db.transaction() as session:
        apprentice = load_for_edit(session, Apprentice, apprentice_id, "apprentice")
        _check_date_in_programme(apprentice, held_on, "held_on", today or date.today())
        row = Review(
            apprentice_id=apprentice_id,
            kind=kind,
            held_on=held_on,
            conducted_by=who,
            summary=clean_summary,
            actions=clean_actions,
            next_due_on=next_due_on,
            recorded_by_id=actor.user_id,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor,
            "review.record",
            "apprentice",
            apprentice_id,
            review=row.id,
            kind=kind,
            held_on=held_on.isoformat(),
        )
        return row.id
