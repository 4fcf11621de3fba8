"""Apprentice records: enrolment, details, status changes and the units they choose."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from assessor_app.domain.credit_rules import Verdict, check_selection
from assessor_app.domain.dates import age_on
from assessor_app.domain.uln import UlnError, parse_uln
from assessor_app.services import audit, validation
from assessor_app.services.errors import FieldError
from assessor_app.services.records import assign, changes, load_for_edit, snapshot
from assessor_app.services.roles import Actor, Permission, Role
from assessor_app.store.catalogue_rows import load_qualification_row, to_domain
from assessor_app.store.database import Database
from assessor_app.store.models import APPRENTICE_STATUSES, Apprentice, ChosenUnit, Cohort, User

MINIMUM_AGE = 16
# Leaving or pausing the programme needs a reason an awarding body or funder can read.
STATUSES_NEEDING_REASON = ("break_in_learning", "withdrawn", "transferred")

_FIELDS = (
    "given_name",
    "family_name",
    "uln",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "cohort_id",
    "assessor_id",
    "start_date",
    "planned_end_date",
)


@dataclass(frozen=True)
class ApprenticeInput:
    given_name: str
    family_name: str
    uln: str
    date_of_birth: date | None
    cohort_id: int
    start_date: date
    planned_end_date: date
    assessor_id: int | None = None
    email: str = ""
    phone: str = ""
    address: str = ""


def _values(session: Session, data: ApprenticeInput, own_id: int | None) -> dict[str, object]:
    try:
        uln = parse_uln(data.uln)
    except UlnError as exc:
        raise FieldError("uln", str(exc)) from None
    if uln is not None:
        clash = session.scalar(select(Apprentice).where(Apprentice.uln == uln))
        if clash is not None and clash.id != own_id:
            raise FieldError("uln", f"ULN {uln} already belongs to {clash.full_name}.")
    if session.get(Cohort, data.cohort_id) is None:
        raise FieldError("cohort_id", "Choose the apprentice's cohort.")
    if data.assessor_id is not None:
        assessor = session.get(User, data.assessor_id)
        if assessor is None or assessor.role != Role.ASSESSOR.value or not assessor.active:
            raise FieldError("assessor_id", "Choose an active user with the assessor role.")
    if data.planned_end_date <= data.start_date:
        raise FieldError("planned_end_date", "The planned end date must be after the start date.")
    if data.date_of_birth is not None:
        age = age_on(data.date_of_birth, data.start_date)
        if age < MINIMUM_AGE:
            raise FieldError(
                "date_of_birth",
                f"With this date of birth the apprentice would be {age} on the start date; "
                f"apprentices must be at least {MINIMUM_AGE}. Check the date.",
            )
    return {
        "given_name": validation.text(data.given_name, "given_name", "Given name", max_length=100),
        "family_name": validation.text(
            data.family_name, "family_name", "Family name", max_length=100
        ),
        "uln": uln,
        "date_of_birth": data.date_of_birth,
        "email": validation.email(data.email),
        "phone": validation.text(data.phone, "phone", "Phone", max_length=50, required=False),
        "address": validation.text(
            data.address, "address", "Address", max_length=1000, required=False
        ),
        "cohort_id": data.cohort_id,
        "assessor_id": data.assessor_id,
        "start_date": data.start_date,
        "planned_end_date": data.planned_end_date,
    }


def enrol_apprentice(db: Database, actor: Actor, data: ApprenticeInput) -> int:
    actor.require(Permission.MANAGE_APPRENTICES)
    with db.transaction() as session:
        return enrol_in_session(session, actor, data)


def enrol_in_session(session: Session, actor: Actor, data: ApprenticeInput) -> int:
    """The enrolment inside a caller's transaction (an import runs many in one);
    the caller has checked the actor's permission."""
    row = Apprentice(**_values(session, data, None), status="active", status_date=data.start_date)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "apprentice.enrol",
        "apprentice",
        row.id,
        after=snapshot(row, _FIELDS),
    )
    return row.id


def update_apprentice(
    db: Database,
    actor: Actor,
    apprentice_id: int,
    data: ApprenticeInput,
    *,
    expected_version: int | None = None,
) -> int:
    actor.require(Permission.MANAGE_APPRENTICES)
    with db.transaction() as session:
        row = load_for_edit(session, Apprentice, apprentice_id, "apprentice", expected_version)
        before = snapshot(row, _FIELDS)
        assign(row, _values(session, data, apprentice_id))
        session.flush()
        audit.record(
            session,
            actor,
            "apprentice.update",
            "apprentice",
            row.id,
            changes=changes(before, snapshot(row, _FIELDS)),
        )
        return row.version


def change_status(
    db: Database,
    actor: Actor,
    apprentice_id: int,
    status: str,
    on: date,
    reason: str = "",
    *,
    expected_version: int | None = None,
) -> int:
    """Active, break in learning, withdrawn, transferred or completed, with date and reason."""
    actor.require(Permission.MANAGE_APPRENTICES)
    validation.choice(status, "status", "Status", APPRENTICE_STATUSES)
    clean_reason = validation.text(
        reason,
        "status_reason",
        "Reason",
        max_length=2000,
        required=status in STATUSES_NEEDING_REASON,
    )
    with db.transaction() as session:
        row = load_for_edit(session, Apprentice, apprentice_id, "apprentice", expected_version)
        if on < row.start_date:
            raise FieldError(
                "status_date", "The date of the change cannot be before the start date."
            )
        before = snapshot(row, ("status", "status_date", "status_reason"))
        row.status, row.status_date, row.status_reason = status, on, clean_reason
        session.flush()
        audit.record(
            session,
            actor,
            "apprentice.change_status",
            "apprentice",
            row.id,
            changes=changes(before, snapshot(row, ("status", "status_date", "status_reason"))),
        )
        return row.version


def record_employment_outcome(
    db: Database,
    actor: Actor,
    apprentice_id: int,
    outcome: str,
    *,
    expected_version: int | None = None,
) -> int:
    """Where the apprentice went after completing, e.g. 'Healthcare assistant, Ward 7'."""
    actor.require(Permission.MANAGE_APPRENTICES)
    clean = validation.text(outcome, "employment_outcome", "Employment outcome", max_length=2000)
    with db.transaction() as session:
        row = load_for_edit(session, Apprentice, apprentice_id, "apprentice", expected_version)
        before = row.employment_outcome
        row.employment_outcome = clean
        session.flush()
        audit.record(
            session,
            actor,
            "apprentice.employment_outcome",
            "apprentice",
            row.id,
            changes={"employment_outcome": [before, clean]},
        )
        return row.version


def choose_units(
    db: Database,
    actor: Actor,
    apprentice_id: int,
    refs: list[str],
    *,
    expected_version: int | None = None,
) -> Verdict:
    """Replace the apprentice's optional units and return the rules engine's verdict.

    An invalid choice is still saved, as a draft the tutor can keep working on;
    the verdict says what is wrong and how to fix it.
    """
    actor.require(Permission.CHOOSE_UNITS)
    with db.transaction() as session:
        row = load_for_edit(session, Apprentice, apprentice_id, "apprentice", expected_version)
        qual_row = load_qualification_row(session, row.cohort.qualification.code)
        assert qual_row is not None
        by_ref = {u.ref: u for u in qual_row.units}
        unknown = [r for r in refs if r not in by_ref]
        if unknown:
            raise FieldError(
                "units",
                f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not in the "
                f"{qual_row.title}; choose from its catalogue.",
            )
        qual = to_domain(qual_row)
        mandatory = [r for r in refs if qual.is_mandatory(r)]
        wanted = list(dict.fromkeys(r for r in refs if r not in mandatory))
        before = sorted(c.unit.ref for c in row.chosen_units)
        kept = [c for c in row.chosen_units if c.unit.ref in wanted]
        have = {c.unit.ref for c in kept}
        row.chosen_units = kept + [ChosenUnit(unit=by_ref[r]) for r in wanted if r not in have]
        # The choice is part of the apprentice's record: another person's stale
        # edit of it must be refused, so the record's version moves on too.
        flag_modified(row, "status")
        session.flush()
        verdict = check_selection(qual, wanted)
        audit.record(
            session,
            actor,
            "apprentice.choose_units",
            "apprentice",
            row.id,
            changes={"units": [before, sorted(wanted)]},
            valid=verdict.valid,
        )
        return verdict
