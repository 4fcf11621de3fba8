"""Placements: where and when an apprentice works, notice, handover and appraisal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assessor_app.services import audit, validation
from assessor_app.services.errors import FieldError, ServiceError
from assessor_app.services.records import (
    assign,
    changes,
    ensure_processing_allowed,
    load_for_edit,
    snapshot,
)
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import Apprentice, Evidence, Placement, Setting, Unit, UnitPlan

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


def _values(
    session: Session, data: PlacementInput, current: Placement | None = None
) -> dict[str, object]:
    """The row's values from the form; `current` is the placement being edited."""
    if current is not None and data.apprentice_id != current.apprentice_id:
        raise FieldError(
            "apprentice_id",
            "A placement stays with its apprentice: cancel it and schedule one for the other "
            "apprentice instead.",
        )
    apprentice = session.get(Apprentice, data.apprentice_id)
    if apprentice is None:
        raise FieldError("apprentice_id", "Choose the apprentice for this placement.")
    ensure_processing_allowed(apprentice)
    setting = session.get(Setting, data.setting_id)
    # Correcting the dates of a placement at a setting (or host) that has since
    # stopped taking placements keeps it there; only a new choice must be open.
    kept = current is not None and setting is not None and setting.id == current.setting_id
    if setting is None or not (setting.active or kept):
        raise FieldError("setting_id", "Choose the setting (ward, home or unit) of the placement.")
    if not setting.organisation.is_host and not kept:
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
    """Correct a scheduled placement (where, when, days, hours, contacts); the new
    schedule's findings show with it, as when it was scheduled."""
    actor.require(Permission.SCHEDULE_PLACEMENTS)
    with db.transaction() as session:
        row = load_for_edit(session, Placement, placement_id, "placement", expected_version)
        before = snapshot(row, _FIELDS)
        assign(row, _values(session, data, row))
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


def cancel_refusal(evidence_count: int, outcome_recorded: bool) -> str | None:
    """Why a placement cannot be cancelled, or None when it can: one that has
    evidence or an outcome recorded took place, and the record of it is kept."""
    if evidence_count:
        return (
            f"Evidence is recorded on this placement ({evidence_count} in all), so it is kept "
            "with the evidence. Correct its dates or host instead, or first choose another "
            "placement on that evidence."
        )
    if outcome_recorded:
        return (
            "A review meeting or appraisal is recorded for this placement, so it took place "
            "and is kept. Correct its dates or host instead."
        )
    return None


def outcome_recorded(row: Placement) -> bool:
    return bool(row.review_meeting_on or row.appraisal_received_on or row.appraisal_summary.strip())


def cancel_placement(
    db: Database,
    actor: Actor,
    placement_id: int,
    *,
    expected_version: int | None = None,
) -> tuple[str, ...]:
    """Remove a placement that will not take place. Units planned in it become
    unplanned; the refs of those units are returned. The audit entry keeps every
    value the placement had."""
    actor.require(Permission.SCHEDULE_PLACEMENTS)
    with db.transaction() as session:
        row = load_for_edit(session, Placement, placement_id, "placement", expected_version)
        evidence = session.scalar(
            select(func.count(Evidence.id)).where(Evidence.placement_id == row.id)
        )
        refusal = cancel_refusal(int(evidence or 0), outcome_recorded(row))
        if refusal is not None:
            raise ServiceError(refusal)
        plans = session.execute(
            select(UnitPlan, Unit.ref)
            .join(Unit, Unit.id == UnitPlan.unit_id)
            .where(UnitPlan.placement_id == row.id)
            .order_by(Unit.position, Unit.ref)
        ).all()
        for plan, _ref in plans:
            session.delete(plan)
        session.flush()  # the plans point at the placement: they go first
        before = snapshot(row, _FIELDS + _OUTCOME_FIELDS)
        apprentice_id = row.apprentice_id
        session.delete(row)
        session.flush()
        unplanned = tuple(ref for _plan, ref in plans)
        # Filed under the apprentice: the placement's own id no longer leads anywhere,
        # and the apprentice's history should still say what happened to it.
        audit.record(
            session,
            actor,
            "placement.cancel",
            "apprentice",
            apprentice_id,
            placement=placement_id,
            before=before,
            unplanned_units=list(unplanned),
        )
        return unplanned


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
