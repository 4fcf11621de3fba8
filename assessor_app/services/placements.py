"""Placements: where and when an apprentice works, notice, handover and appraisal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from assessor_app.services import audit, validation
from assessor_app.services.errors import FieldError
from assessor_app.services.records import (
    assign,
    changes,
    ensure_processing_allowed,
    load_for_edit,
    snapshot,
)
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import Apprentice, Placement, Setting

_FIELDS = (
    "apprentice_id",
    "setting_id",
    "start_date",
    "end_date",
    "working_days",
    "hours_per_week",
    "mentor_name",
    "line_manager_name",
    "notice_sent_on",
)
_OUTCOME_FIELDS = ("review_meeting_on", "appraisal_received_on", "appraisal_summary")


@dataclass(frozen=True)
class PlacementInput:
    apprentice_id: int
    setting_id: int
    start_date: date
    end_date: date
    working_days: str = "Monday to Friday"
    hours_per_week: Decimal | None = None
    mentor_name: str = ""
    line_manager_name: str = ""
    notice_sent_on: date | None = None


def _values(session: Session, data: PlacementInput) -> dict[str, object]:
    apprentice = session.get(Apprentice, data.apprentice_id)
    if apprentice is None:
        raise FieldError("apprentice_id", "Choose the apprentice for this placement.")
    ensure_processing_allowed(apprentice)
    setting = session.get(Setting, data.setting_id)
    if setting is None or not setting.active:
        raise FieldError("setting_id", "Choose the setting (ward, home or unit) of the placement.")
    if not setting.organisation.is_host:
        raise FieldError(
            "setting_id",
            f"{setting.organisation.name} is not marked as a placement host; mark it as a host "
            "first or choose another setting.",
        )
    if data.end_date < data.start_date:
        raise FieldError("end_date", "The placement cannot end before it starts.")
    return {
        "apprentice_id": data.apprentice_id,
        "setting_id": setting.id,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "working_days": validation.text(
            data.working_days, "working_days", "Working days", max_length=120, required=False
        ),
        "hours_per_week": (
            validation.hours(
                data.hours_per_week, "hours_per_week", "Hours per week", maximum=Decimal(48)
            )
            if data.hours_per_week is not None
            else None
        ),
        "mentor_name": validation.text(
            data.mentor_name, "mentor_name", "Mentor", max_length=200, required=False
        ),
        "line_manager_name": validation.text(
            data.line_manager_name,
            "line_manager_name",
            "Line manager",
            max_length=200,
            required=False,
        ),
        "notice_sent_on": data.notice_sent_on,
    }


def schedule_placement(db: Database, actor: Actor, data: PlacementInput) -> int:
    """Save a placement; schedule problems are findings shown with it, not refusals,
    so a coordinator can sketch a rotation and then resolve them."""
    actor.require(Permission.SCHEDULE_PLACEMENTS)
    with db.transaction() as session:
        return schedule_in_session(session, actor, data)


def schedule_in_session(session: Session, actor: Actor, data: PlacementInput) -> int:
    """The scheduling inside a caller's transaction (an import runs many in one);
    the caller has checked the actor's permission."""
    row = Placement(**_values(session, data))
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "placement.schedule",
        "placement",
        row.id,
        apprentice_id=row.apprentice_id,
        after=snapshot(row, _FIELDS),
    )
    return row.id


def update_placement(
    db: Database,
    actor: Actor,
    placement_id: int,
    data: PlacementInput,
    *,
    expected_version: int | None = None,
) -> int:
    actor.require(Permission.SCHEDULE_PLACEMENTS)
    with db.transaction() as session:
        row = load_for_edit(session, Placement, placement_id, "placement", expected_version)
        before = snapshot(row, _FIELDS)
        assign(row, _values(session, data))
        session.flush()
        audit.record(
            session,
            actor,
            "placement.update",
            "placement",
            row.id,
            apprentice_id=row.apprentice_id,
            changes=changes(before, snapshot(row, _FIELDS)),
        )
        return row.version


def record_notice_sent(
    db: Database,
    actor: Actor,
    placement_id: int,
    sent_on: date,
    *,
    expected_version: int | None = None,
) -> int:
    """The apprentice and the host were told the dates, place, days and hours."""
    actor.require(Permission.SCHEDULE_PLACEMENTS)
    with db.transaction() as session:
        row = load_for_edit(session, Placement, placement_id, "placement", expected_version)
        before = row.notice_sent_on
        row.notice_sent_on = sent_on
        session.flush()
        audit.record(
            session,
            actor,
            "placement.notice_sent",
            "placement",
            row.id,
            apprentice_id=row.apprentice_id,
            changes={"notice_sent_on": [before and before.isoformat(), sent_on.isoformat()]},
        )
        return row.version


def record_placement_outcome(
    db: Database,
    actor: Actor,
    placement_id: int,
    *,
    review_meeting_on: date | None,
    appraisal_received_on: date | None,
    appraisal_summary: str = "",
    expected_version: int | None = None,
) -> int:
    """The handover/review meeting and the written appraisal at the end."""
    actor.require(Permission.SCHEDULE_PLACEMENTS)
    summary = validation.text(
        appraisal_summary,
        "appraisal_summary",
        "Appraisal summary",
        max_length=5000,
        required=False,
    )
    with db.transaction() as session:
        row = load_for_edit(session, Placement, placement_id, "placement", expected_version)
        for field, when in (
            ("review_meeting_on", review_meeting_on),
            ("appraisal_received_on", appraisal_received_on),
        ):
            if when is not None and when < row.start_date:
                raise FieldError(field, "This date cannot be before the placement starts.")
        before = snapshot(row, _OUTCOME_FIELDS)
        row.review_meeting_on = review_meeting_on
        row.appraisal_received_on = appraisal_received_on
        row.appraisal_summary = summary
        session.flush()
        audit.record(
            session,
            actor,
            "placement.outcome",
            "placement",
            row.id,
            apprentice_id=row.apprentice_id,
            changes=changes(before, snapshot(row, _OUTCOME_FIELDS)),
        )
        return row.version


def record_placement_contacts(
    db: Database,
    actor: Actor,
    placement_id: int,
    *,
    mentor_name: str,
    line_manager_name: str = "",
    expected_version: int | None = None,
) -> int:
    """The mentor (buddy) and line manager the host has named for the placement."""
    actor.require(Permission.SCHEDULE_PLACEMENTS)
    mentor = validation.text(mentor_name, "mentor_name", "Mentor", max_length=200)
    manager = validation.text(
        line_manager_name, "line_manager_name", "Line manager", max_length=200, required=False
    )
    with db.transaction() as session:
        row = load_for_edit(session, Placement, placement_id, "placement", expected_version)
        before = snapshot(row, ("mentor_name", "line_manager_name"))
        row.mentor_name, row.line_manager_name = mentor, manager
        session.flush()
        audit.record(
            session,
            actor,
            "placement.contacts",
            "placement",
            row.id,
            apprentice_id=row.apprentice_id,
            changes=changes(before, snapshot(row, ("mentor_name", "line_manager_name"))),
        )
        return row.version
