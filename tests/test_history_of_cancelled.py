"""An apprentice's history keeps what was scheduled and changed for a placement
after it is cancelled, marked as cancelled since, and never shows entries of
another apprentice's placement that happens to get the same id afterwards."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import apprentice_input

from assessor_app.services.apprentice_queries import apprentice_history, apprentice_overview
from assessor_app.services.apprentices import enrol_apprentice
from assessor_app.services.placements import (
    PlacementInput,
    cancel_placement,
    record_placement_contacts,
    schedule_placement,
    update_placement,
)
from assessor_app.services.roles import Actor, Role
from assessor_app.ui.models.history_table_model import what_text

COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
JAN = date(2026, 1, 5)
MARCH_END = date(2026, 4, 4)


@pytest.fixture
def sam(db, world) -> int:
    return enrol_apprentice(db, COORDINATOR, apprentice_input(world))


def schedule(db, world, apprentice: int, start: date = JAN, end: date = MARCH_END) -> int:
    return schedule_placement(
        db, COORDINATOR, PlacementInput(apprentice, world["home"], start, end)
    )


def test_a_cancelled_placements_entries_stay_marked_cancelled_since(db, world, sam):
    placement = schedule(db, world, sam)
    version = update_placement(
        db, COORDINATOR, placement, PlacementInput(sam, world["home"], JAN, date(2026, 3, 20))
    )
    record_placement_contacts(
        db, COORDINATOR, placement, mentor_name="Jo Khan", expected_version=version
    )
    cancel_placement(db, COORDINATOR, placement)

    history = apprentice_history(db, COORDINATOR, sam)
    assert [(h.action, h.placement_cancelled) for h in history] == [
        ("placement.cancel", False),
        ("placement.contacts", True),
        ("placement.update", True),
        ("placement.schedule", True),
        ("apprentice.enrol", False),
    ]
    assert [what_text(h) for h in history[:4]] == [
        "Placement cancelled",
        "Placement contacts changed (cancelled since)",
        "Placement changed (cancelled since)",
        "Placement scheduled (cancelled since)",
    ]


def test_a_placement_still_planned_is_not_marked(db, world, sam):
    kept = schedule(db, world, sam)
    dropped = schedule(db, world, sam, date(2026, 4, 6), date(2026, 6, 30))
    cancel_placement(db, COORDINATOR, dropped)
    history = apprentice_history(db, COORDINATOR, sam)
    scheduled = [h for h in history if h.action == "placement.schedule"]
    assert len(scheduled) == 2
    # Newest first: the cancelled one was scheduled second.
    assert [(h.detail["after"]["start_date"], h.placement_cancelled) for h in scheduled] == [
        ("2026-04-06", True),
        ("2026-01-05", False),
    ]
    assert kept in {p.id for p in apprentice_overview(db, COORDINATOR, sam).placements}


def test_a_placement_scheduled_again_under_a_reused_id_is_not_marked(db, world, sam, backend):
    first = schedule(db, world, sam)
    cancel_placement(db, COORDINATOR, first)
    second = schedule(db, world, sam, date(2026, 2, 2), MARCH_END)
    if backend == "sqlite":
        assert second == first  # the case this is about: the id is given out again
    history = apprentice_history(db, COORDINATOR, sam)
    assert [(h.action, h.placement_cancelled) for h in history] == [
        ("placement.schedule", False),
        ("placement.cancel", False),
        ("placement.schedule", True),
        ("apprentice.enrol", False),
    ]


def test_a_reused_id_keeps_each_apprentices_history_their_own(db, world, sam, backend):
    placement = schedule(db, world, sam)
    cancel_placement(db, COORDINATOR, placement)
    amy = enrol_apprentice(
        db, COORDINATOR, apprentice_input(world, given_name="Amy", uln="9999999999")
    )
    # SQLite gives the next placement the cancelled one's id; PostgreSQL does not.
    amys = schedule(db, world, amy)
    if backend == "sqlite":
        assert amys == placement  # the case this is about: the id is given out again
    schedule(db, world, sam, date(2026, 4, 6), date(2026, 6, 30))

    amy_history = apprentice_history(db, COORDINATOR, amy)
    assert [(h.action, h.placement_cancelled) for h in amy_history] == [
        ("placement.schedule", False),
        ("apprentice.enrol", False),
    ]
    assert amy_history[0].detail["apprentice_id"] == amy

    sam_history = apprentice_history(db, COORDINATOR, sam)
    assert [(h.action, h.placement_cancelled) for h in sam_history] == [
        ("placement.schedule", False),  # the new placement
        ("placement.cancel", False),
        ("placement.schedule", True),
        ("apprentice.enrol", False),
    ]
