"""The Cohorts page (cohort list, planner grid with schedule findings, proposing a
rotation, scheduling, correcting and cancelling a placement, recording notice) and
the host view."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import apprentice_input

from assessor_app.domain.schedule import ScheduleCode
from assessor_app.services.apprentice_queries import cohort_schedule_findings
from assessor_app.services.apprentices import enrol_apprentice
from assessor_app.services.choice_lists import placement_choices
from assessor_app.services.host_queries import host_occupancy
from assessor_app.services.placements import (
    PlacementInput,
    record_notice_sent,
    record_placement_outcome,
    schedule_placement,
)
from assessor_app.services.planner_queries import cohort_rows, placement_details
from assessor_app.services.roles import Actor, Role
from assessor_app.ui import workers
from assessor_app.ui.dialogs.cohort_dialog import CohortDialog
from assessor_app.ui.dialogs.placement_dialog import NoticeDialog, PlacementDialog, RotationDialog
from assessor_app.ui.models.column_table_model import WARNING_COLOURS
from assessor_app.ui.models.planner_model import PlannerModel
from assessor_app.ui.pages.cohorts_page import CohortsPage
from assessor_app.ui.pages.placements_page import PlacementsPage
from assessor_app.ui.qt import QBrush, QDate, QDialog, QInputDialog, QMessageBox, Qt

COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
TUTOR = Actor(None, "tutor", Role.TUTOR)
JAN = date(2026, 1, 5)
MARCH_END = date(2026, 4, 4)


@pytest.fixture(autouse=True)
def _inline_tasks():
    workers.use_pool(workers.InlinePool())
    yield
    workers.use_pool(None)


def enrol(db, world, given: str) -> int:
    return enrol_apprentice(
        db, COORDINATOR, apprentice_input(world, given_name=given, uln="9999999999")
    )


@pytest.fixture
def crowded(db, world):
    """Three apprentices at the council's home (capacity 2) at once, no notice sent."""
    ids = [enrol(db, world, given) for given in ("Amy", "Ben", "Cal")]
    for apprentice_id in ids:
        schedule_placement(
            db, COORDINATOR, PlacementInput(apprentice_id, world["home"], JAN, MARCH_END)
        )
    return ids


def accept_on_exec(monkeypatch, dialog_class, prepare=None):
    """Run a page's dialog as if the person filled it in and pressed Save."""
    seen = []

    def fake_exec(self):
        seen.append(self)
        if prepare is not None:
            prepare(self)
        self.save()
        return QDialog.DialogCode.Accepted if self.result() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(dialog_class, "exec", fake_exec)
    return seen


# The host view


def test_host_occupancy_counts_the_busiest_day_against_capacity(db, world, crowded):
    hosts = {h.name: h for h in host_occupancy(db, COORDINATOR, date(2026, 2, 1))}
    council = hosts["Shire County Council"]
    assert (council.busiest, council.capacity, council.over_capacity) == (3, 2, True)
    assert council.busiest_on == date(2026, 2, 1)
    assert [p.name for s in council.settings for p in s.placed] == [
        "Amy Smith",
        "Ben Smith",
        "Cal Smith",
    ]
    assert hosts["Royal Shire Hospital NHS Trust"].busiest == 0
    # After the placements end nobody is there.
    later = {h.name: h for h in host_occupancy(db, COORDINATOR, date(2026, 5, 1))}
    assert later["Shire County Council"].busiest == 0
    assert not later["Shire County Council"].over_capacity


def test_busiest_day_is_not_the_sum_of_people_who_never_meet(db, world):
    first, second = enrol(db, world, "Amy"), enrol(db, world, "Ben")
    for apprentice_id, start, end in (
        (first, JAN, date(2026, 2, 1)),
        (second, date(2026, 2, 2), MARCH_END),
    ):
        schedule_placement(
            db, COORDINATOR, PlacementInput(apprentice_id, world["ward"], start, end)
        )
    (trust,) = [
        h for h in host_occupancy(db, COORDINATOR, JAN, MARCH_END) if h.name.startswith("Royal")
    ]
    assert sum(len(s.placed) for s in trust.settings) == 2
    assert trust.busiest == 1


def test_placements_page_marks_a_host_over_capacity(qtbot, db, world, crowded):
    page = PlacementsPage(db, COORDINATOR)
    qtbot.addWidget(page)
    page.show_period(date(2026, 2, 1), date(2026, 2, 28))
    hosts = page.hosts.source
    names = [h.name for h in hosts.rows()]
    row = names.index("Shire County Council")
    cell = hosts.index(row, 4)
    assert hosts.data(cell) == "3 of 2 – over capacity"
    assert hosts.data(cell, Qt.ItemDataRole.BackgroundRole) == QBrush(WARNING_COLOURS[0])
    assert "Over capacity: Shire County Council" in page.status_label.text()
    page.hosts.select_where("Shire County Council", lambda h: h.name)
    assert [r.placed.name for r in page.placed.shown()] == ["Amy Smith", "Ben Smith", "Cal Smith"]
    with qtbot.waitSignal(page.open_apprentice_requested) as opened:
        page.placed.activated.emit(page.placed.proxy.index(1, 0))
    assert opened.args == [crowded[1], "Ben Smith"]


def test_placements_page_refuses_a_period_that_ends_before_it_starts(qtbot, db, world):
    page = PlacementsPage(db, COORDINATOR)
    qtbot.addWidget(page)
    page.show_period(date(2026, 3, 1), date(2026, 2, 1))
    assert "before its start" in page.status_label.text()
    assert page.hosts.source.rowCount() == 0


# The planner


@pytest.fixture
def cohorts_page(qtbot, db, world, crowded):
    page = CohortsPage(db, COORDINATOR)
    qtbot.addWidget(page)
    return page


def test_planner_grid_has_a_row_per_apprentice_and_a_column_per_period(cohorts_page):
    model = cohorts_page.planner_model
    assert model.rowCount() == 3 and model.columnCount() == 6  # name + 5 periods of 3 months
    assert [model.data(model.index(r, 0)) for r in range(3)] == [
        "Amy Smith",
        "Ben Smith",
        "Cal Smith",
    ]
    header = model.headerData(1, Qt.Orientation.Horizontal)
    assert header.startswith("Period 1\n5 Jan 2026")
    assert model.data(model.index(0, 1)) == "Shire County Council\nOak Lodge"
    assert model.data(model.index(0, 2)) == "—"


def test_planner_highlights_cells_with_findings_and_lists_them(cohorts_page, db, world):
    model = cohorts_page.planner_model
    cell = model.index(0, 1)
    tip = model.data(cell, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Shire County Council (Oak Lodge): 5 Jan 2026 – 4 Apr 2026")
    assert "Move 1 of them to another host" in tip  # the host is over capacity
    assert model.data(cell, Qt.ItemDataRole.BackgroundRole) == QBrush(WARNING_COLOURS[0])
    assert model.data(model.index(0, 2), Qt.ItemDataRole.BackgroundRole) is None
    shown = [f.message for f in cohorts_page.findings_table.shown()]
    expected = cohort_schedule_findings(db, COORDINATOR, world["cohort"])
    assert sorted(shown) == sorted(f.message for f in expected)
    assert shown and "errors" in cohorts_page.findings_heading.text()
    # Errors are listed before warnings.
    severities = [f.severity.value for f in cohorts_page.findings_table.shown()]
    assert severities == sorted(severities)


def test_double_clicking_a_name_asks_to_open_the_apprentice(qtbot, cohorts_page, crowded):
    with qtbot.waitSignal(cohorts_page.open_apprentice_requested) as opened:
        cohorts_page.planner.activated.emit(cohorts_page.planner_model.index(2, PlannerModel.NAME))
    assert opened.args == [crowded[2], "Cal Smith"]


def test_recording_notice_clears_the_notice_finding(
    qtbot, monkeypatch, cohorts_page, db, world, crowded
):
    placement = placement_choices(db, COORDINATOR, crowded[0])[0]
    assert not cohorts_page.notice_button.isEnabled()  # no cell chosen yet
    cohorts_page.planner.setCurrentIndex(cohorts_page.planner_model.index(0, 1))
    assert cohorts_page.notice_button.isEnabled()
    seen = accept_on_exec(
        monkeypatch, NoticeDialog, lambda d: d.sent_edit.setDate(QDate(2025, 12, 1))
    )
    cohorts_page.record_notice()
    assert seen[0].about.text().startswith("Amy Smith at Shire County Council (Oak Lodge)")
    assert seen[0].result() == QDialog.DialogCode.Accepted
    after = cohort_schedule_findings(db, COORDINATOR, world["cohort"], today=JAN)
    notice_not_sent = {
        p for f in after if f.code is ScheduleCode.NOTICE_NOT_SENT for p in f.placement_ids
    }
    assert placement.id not in notice_not_sent
    others = {placement_choices(db, COORDINATOR, i)[0].id for i in crowded[1:]}
    assert others <= notice_not_sent  # the other apprentices still need theirs


def test_schedule_placement_marks_a_bad_field_and_saves_a_good_one(
    qtbot, monkeypatch, cohorts_page, db, crowded
):
    cohorts_page.planner.setCurrentIndex(cohorts_page.planner_model.index(1, 2))

    def backwards(dialog: PlacementDialog) -> None:
        assert dialog.apprentice_combo.currentData() == crowded[1]
        assert dialog.start_edit.date() == QDate(2026, 4, 5)  # the chosen period
        dialog.end_edit.setDate(QDate(2026, 4, 1))

    seen = accept_on_exec(monkeypatch, PlacementDialog, backwards)
    cohorts_page.schedule_placement()
    assert seen[0].result() == 0
    assert seen[0].field_error("end_date") == "The placement cannot end before it starts."
    assert len(placement_choices(db, COORDINATOR, crowded[1])) == 1  # nothing saved

    def good(dialog: PlacementDialog) -> None:
        dialog.setting_combo.setCurrentIndex(
            dialog.setting_combo.findText("Royal", Qt.MatchFlag.MatchStartsWith)
        )

    accept_on_exec(monkeypatch, PlacementDialog, good)
    cohorts_page.schedule_placement()
    placements = placement_choices(db, COORDINATOR, crowded[1])
    assert [(p.host, p.start) for p in placements][-1] == (
        "Royal Shire Hospital NHS Trust",
        date(2026, 4, 5),
    )
    model = cohorts_page.planner_model
    assert model.data(model.index(1, 2)) == "Royal Shire Hospital NHS Trust\nWard 7 (elderly care)"


def choose_setting(dialog: PlacementDialog, starting: str) -> None:
    dialog.setting_combo.setCurrentIndex(
        dialog.setting_combo.findText(starting, Qt.MatchFlag.MatchStartsWith)
    )


def test_editing_from_the_planner_moves_the_placement_and_updates_the_findings(
    qtbot, monkeypatch, cohorts_page, db, crowded
):
    model = cohorts_page.planner_model
    over_capacity = [f for f in cohorts_page.findings_table.shown() if "Move 1" in f.message]
    assert over_capacity  # three at a home that takes two

    def move(dialog: PlacementDialog) -> None:
        # The form opens with the placement as it is.
        assert dialog.windowTitle() == "Edit placement: Amy Smith"
        assert not dialog.apprentice_combo.isEnabled()
        assert dialog.setting_combo.currentText() == "Shire County Council – Oak Lodge"
        assert dialog.start_edit.date() == QDate(2026, 1, 5)
        assert dialog.end_edit.date() == QDate(2026, 4, 4)
        choose_setting(dialog, "Royal")
        dialog.start_edit.setDate(QDate(2026, 4, 6))
        dialog.end_edit.setDate(QDate(2026, 7, 3))

    seen = accept_on_exec(monkeypatch, PlacementDialog, move)
    cohorts_page.planner.setCurrentIndex(model.index(0, 1))
    cohorts_page.planner.activated.emit(model.index(0, 1))  # a double-click on the cell
    assert seen[0].result() == QDialog.DialogCode.Accepted
    assert model.data(model.index(0, 1)) == "—"
    assert model.data(model.index(0, 2)) == "Royal Shire Hospital NHS Trust\nWard 7 (elderly care)"
    assert cohorts_page.planner.currentIndex() == model.index(0, 2)  # followed it
    assert cohorts_page.status_label.text().startswith(
        "Placement changed: Amy Smith at Royal Shire Hospital NHS Trust (Ward 7 (elderly care))"
    )
    messages = [f.message for f in cohorts_page.findings_table.shown()]
    assert not [m for m in messages if "Move 1" in m]  # the home is no longer over capacity
    assert model.data(model.index(1, 1), Qt.ItemDataRole.BackgroundRole) != QBrush(
        WARNING_COLOURS[0]
    )


def test_a_stale_edit_shows_why_and_keeps_what_was_typed(
    qtbot, monkeypatch, cohorts_page, db, crowded
):
    placement = placement_choices(db, COORDINATOR, crowded[0])[0]

    def someone_else_saves_first(dialog: PlacementDialog) -> None:
        choose_setting(dialog, "Royal")
        dialog.mentor_edit.setText("Jo Khan")
        record_notice_sent(db, Actor(None, "pat", Role.ADMIN), placement.id, date(2025, 12, 1))

    seen = accept_on_exec(monkeypatch, PlacementDialog, someone_else_saves_first)
    cohorts_page.planner.setCurrentIndex(cohorts_page.planner_model.index(0, 1))
    cohorts_page.edit_placement_button.click()
    dialog = seen[0]
    assert dialog.result() == 0  # not closed
    assert dialog.message.isVisibleTo(dialog)
    assert "pat saved this placement at" in dialog.message.text()
    assert "Your changes are kept in the form" in dialog.message.text()
    assert dialog.mentor_edit.text() == "Jo Khan"
    assert dialog.setting_combo.currentText().startswith("Royal")
    saved = placement_details(db, COORDINATOR, placement.id)
    assert (saved.host, saved.mentor_name) == ("Shire County Council", "")


def test_a_cell_with_two_placements_asks_which_to_edit(
    qtbot, monkeypatch, cohorts_page, db, world, crowded
):
    schedule_placement(
        db, COORDINATOR, PlacementInput(crowded[0], world["ward"], date(2026, 2, 2), MARCH_END)
    )
    cohorts_page.load_plan()
    cohorts_page.planner.setCurrentIndex(cohorts_page.planner_model.index(0, 1))
    offered = []

    def pick_second(parent, title, label, items, current, editable):
        offered.extend(items)
        return items[1], True

    monkeypatch.setattr(QInputDialog, "getItem", pick_second)
    seen = accept_on_exec(monkeypatch, PlacementDialog)
    cohorts_page.edit_placement()
    assert len(offered) == 2
    assert offered[1].startswith("Amy Smith at Royal Shire Hospital NHS Trust")
    assert seen[0].setting_combo.currentText().startswith("Royal")
    assert seen[0].start_edit.date() == QDate(2026, 2, 2)


def test_cancelling_a_placement_asks_first_then_removes_it(
    qtbot, monkeypatch, cohorts_page, db, crowded
):
    model = cohorts_page.planner_model
    cohorts_page.planner.setCurrentIndex(model.index(0, 1))
    asked = []

    def answer(reply):
        def question(parent, title, text, *rest):
            asked.append(text)
            return reply

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    cohorts_page.cancel_placement_button.click()
    assert asked[0].startswith("Cancel this placement?\nAmy Smith at Shire County Council")
    assert len(placement_choices(db, COORDINATOR, crowded[0])) == 1  # kept

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    cohorts_page.cancel_placement_button.click()
    assert placement_choices(db, COORDINATOR, crowded[0]) == []
    assert model.data(model.index(0, 1)) == "—"
    assert cohorts_page.status_label.text().startswith("Placement cancelled: Amy Smith")
    messages = [f.message for f in cohorts_page.findings_table.shown()]
    assert not [m for m in messages if "Move 1" in m]  # two left at a home that takes two


def test_a_placement_that_took_place_is_not_cancelled(
    qtbot, monkeypatch, cohorts_page, db, crowded
):
    placement = placement_choices(db, COORDINATOR, crowded[0])[0]
    record_placement_outcome(
        db, COORDINATOR, placement.id, review_meeting_on=None, appraisal_received_on=MARCH_END
    )
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: pytest.fail("asked anyway"))
    cohorts_page.planner.setCurrentIndex(cohorts_page.planner_model.index(0, 1))
    cohorts_page.cancel_placement()
    assert "took place and is kept" in told[0]
    assert len(placement_choices(db, COORDINATOR, crowded[0])) == 1


def test_the_host_view_edits_the_chosen_placement(qtbot, monkeypatch, db, world, crowded):
    page = PlacementsPage(db, COORDINATOR)
    qtbot.addWidget(page)
    page.show_period(date(2026, 2, 1), date(2026, 2, 28))
    page.hosts.select_where("Shire County Council", lambda h: h.name)
    assert not page.edit_button.isEnabled()  # nobody chosen yet
    page.placed.select_where("Ben Smith", lambda r: r.placed.name)
    assert page.edit_button.isEnabled()

    def shorten(dialog: PlacementDialog) -> None:
        assert dialog.apprentice_combo.currentText() == "Ben Smith"
        dialog.end_edit.setDate(QDate(2026, 3, 20))

    accept_on_exec(monkeypatch, PlacementDialog, shorten)
    page.edit_button.click()
    ben = [r for r in page.placed.shown() if r.placed.name == "Ben Smith"]
    assert ben[0].placed.end == date(2026, 3, 20)
    assert page.placed.current_record().placed.name == "Ben Smith"  # still chosen
    assert page.status_label.text().startswith("Placement changed: Ben Smith")


def test_propose_rotation_shows_the_plan_and_schedules_it_on_confirm(qtbot, monkeypatch, db, world):
    ids = [enrol(db, world, given) for given in ("Amy", "Ben")]
    page = CohortsPage(db, COORDINATOR)
    qtbot.addWidget(page)
    assert page.propose_button.isEnabled()
    shown = []

    def discard(self):
        shown.append(self)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(RotationDialog, "exec", discard)
    page.propose_rotation()
    (dialog,) = shown
    slots = dialog.table.shown()
    assert {s.apprentice_id for s in slots} == set(ids)
    assert dialog.table.source.rowCount() == len(dialog.plan.slots) > 0
    assert all(placement_choices(db, COORDINATOR, i) == [] for i in ids)  # discarded: none
    accept_on_exec(monkeypatch, RotationDialog)
    page.propose_rotation()
    scheduled = sum(len(placement_choices(db, COORDINATOR, i)) for i in ids)
    assert scheduled == len(dialog.plan.slots)
    assert f"{scheduled} placements scheduled" in page.status_label.text()
    model = page.planner_model
    assert model.data(model.index(0, 1)) != "—"


def test_cohort_form_marks_a_missing_name_then_creates_the_cohort(
    qtbot, monkeypatch, cohorts_page, db
):
    def blank(dialog: CohortDialog) -> None:
        dialog.name_edit.setText("  ")

    seen = accept_on_exec(monkeypatch, CohortDialog, blank)
    cohorts_page.new_cohort()
    assert seen[0].field_error("name") == "Cohort name is required."
    assert len(cohort_rows(db, COORDINATOR)) == 1

    def named(dialog: CohortDialog) -> None:
        dialog.name_edit.setText("Council 2027")
        dialog.hours_edit.setText("thirty")

    seen = accept_on_exec(monkeypatch, CohortDialog, named)
    cohorts_page.new_cohort()
    assert "must be a number" in seen[0].field_error("contracted_hours_per_week")

    def fixed(dialog: CohortDialog) -> None:
        named(dialog)
        dialog.hours_edit.setText("30")
        dialog.start_edit.setDate(QDate(2027, 1, 4))

    accept_on_exec(monkeypatch, CohortDialog, fixed)
    cohorts_page.new_cohort()
    names = [c.name for c in cohorts_page.table.source.rows()]
    assert names == ["Council 2027", "Council 2026"]
    assert cohorts_page.table.current_record().name == "Council 2027"


def test_a_tutor_sees_the_plan_but_not_the_coordinators_buttons(qtbot, db, world, crowded):
    page = CohortsPage(db, TUTOR)
    qtbot.addWidget(page)
    assert page.planner_model.rowCount() == 3
    for button in (
        page.new_button,
        page.edit_button,
        page.propose_button,
        page.schedule_button,
        page.edit_placement_button,
        page.cancel_placement_button,
        page.notice_button,
    ):
        assert button.isHidden()
    hosts = PlacementsPage(db, TUTOR)
    qtbot.addWidget(hosts)
    assert hosts.edit_button.isHidden() and hosts.cancel_button.isHidden()


def test_nobody_signed_in_sees_no_cohorts(qtbot, db, world):
    page = CohortsPage(db, None)
    qtbot.addWidget(page)
    assert page.table.source.rowCount() == 0
    assert page.status_label.text() == "Sign in to see the cohorts."
    page.set_actor(COORDINATOR)
    assert [c.name for c in page.table.source.rows()] == ["Council 2026"]
