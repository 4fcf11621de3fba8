"""The apprentice page's Placements tab: recording the contacts the host named and
the outcome at the end, correcting and cancelling a placement, a stale save, and
what roles without the right to schedule placements see."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import accept_on_exec, apprentice_input

from assessor_app.services.apprentice_queries import apprentice_overview
from assessor_app.services.apprentices import enrol_apprentice
from assessor_app.services.placements import (
    PlacementInput,
    cancel_placement,
    record_notice_sent,
    schedule_placement,
)
from assessor_app.services.planner_queries import placement_details
from assessor_app.services.roles import Actor, Role
from assessor_app.ui.dialogs.placement_dialog import PlacementDialog
from assessor_app.ui.dialogs.placement_record_dialogs import ContactsDialog, OutcomeDialog
from assessor_app.ui.models.history_table_model import HistoryTableModel
from assessor_app.ui.models.placement_table_model import PlacementTableModel
from assessor_app.ui.pages.apprentice_page import ApprenticePage
from assessor_app.ui.qt import QDate, QDialog, QMessageBox, Qt

COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
JAN = date(2026, 1, 5)
MARCH_END = date(2026, 4, 4)
TODAY = date(2026, 1, 1)


pytestmark = pytest.mark.usefixtures("inline_tasks")


@pytest.fixture
def placed(db, world):
    """Sam Smith with one placement at the council's home, no mentor named yet."""
    sam = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    placement = schedule_placement(
        db, COORDINATOR, PlacementInput(sam, world["home"], JAN, MARCH_END)
    )
    return sam, placement


def open_page(qtbot, db, actor, apprentice: int) -> ApprenticePage:
    page = ApprenticePage(db, actor, apprentice, today=TODAY)
    qtbot.addWidget(page)
    page.tabs.setCurrentWidget(page.placements_tab)
    return page


@pytest.fixture
def page(qtbot, db, placed):
    page = open_page(qtbot, db, COORDINATOR, placed[0])
    assert page.select_placement(placed[1])
    return page


def cell(page: ApprenticePage, column: int, role=Qt.ItemDataRole.DisplayRole):
    model = page.placement_model
    return model.data(model.index(0, column), role)


def findings(page: ApprenticePage) -> list[str]:
    return [label.text() for label in page.finding_labels]


def history(page: ApprenticePage) -> list[str]:
    model = page.history_model
    return [model.data(model.index(r, HistoryTableModel.WHAT)) for r in range(model.rowCount())]


def test_buttons_wait_for_a_placement_to_be_chosen(qtbot, db, placed):
    page = open_page(qtbot, db, COORDINATOR, placed[0])
    assert page.placement_table.selectionModel().selectedRows() == []
    assert not page.contacts_button.isEnabled()
    assert not page.cancel_placement_button.isEnabled()
    page.select_placement(placed[1])
    assert page.contacts_button.isEnabled() and page.outcome_button.isEnabled()


def test_naming_a_mentor_saves_the_contacts_and_the_finding_goes(monkeypatch, page, db, placed):
    assert any("No mentor is named" in text for text in findings(page))
    assert cell(page, PlacementTableModel.MENTOR) == "not recorded"

    def name_them(dialog: ContactsDialog) -> None:
        assert dialog.mentor_edit.text() == ""
        dialog.mentor_edit.setText("Jo Khan")
        dialog.manager_edit.setText("Priya Shah")

    seen = accept_on_exec(monkeypatch, ContactsDialog, name_them)
    page.contacts_button.click()
    assert seen[0].result() == QDialog.DialogCode.Accepted
    assert cell(page, PlacementTableModel.MENTOR) == "Jo Khan"
    assert cell(page, PlacementTableModel.LINE_MANAGER) == "Priya Shah"
    assert not any("No mentor" in text for text in findings(page))
    assert page.placement_status.text().startswith(
        "Contacts recorded: Sam Smith at Shire County Council (Oak Lodge)"
    )
    assert history(page)[0] == "Placement contacts changed"
    assert page.current_placement().id == placed[1]  # still chosen after the reload


def test_a_blank_mentor_is_marked_at_the_field_and_nothing_changes(monkeypatch, page, db, placed):
    def blank(dialog: ContactsDialog) -> None:
        dialog.manager_edit.setText("Priya Shah")

    seen = accept_on_exec(monkeypatch, ContactsDialog, blank)
    page.record_contacts()
    dialog = seen[0]
    assert dialog.result() == 0  # still open
    assert dialog.field_error("mentor_name") == "Mentor is required."
    assert dialog.manager_edit.text() == "Priya Shah"
    assert placement_details(db, COORDINATOR, placed[1]).line_manager_name == ""


def test_recording_the_outcome_shows_it_in_the_table(monkeypatch, page, db, placed):
    def held(dialog: OutcomeDialog) -> None:
        assert dialog.review_edit.value() is None  # nothing recorded yet
        dialog.review_edit.known_box.setChecked(True)
        dialog.review_edit.edit.setDate(QDate(2026, 4, 2))
        dialog.appraisal_edit.known_box.setChecked(True)
        dialog.appraisal_edit.edit.setDate(QDate(2026, 4, 10))
        dialog.summary_edit.setPlainText("Kind and reliable; build confidence with hoists.")

    accept_on_exec(monkeypatch, OutcomeDialog, held)
    page.outcome_button.click()
    assert cell(page, PlacementTableModel.REVIEW) == "2 Apr 2026"
    assert cell(page, PlacementTableModel.APPRAISAL) == "10 Apr 2026"
    assert cell(page, PlacementTableModel.APPRAISAL, Qt.ItemDataRole.ToolTipRole) == (
        "Kind and reliable; build confidence with hoists."
    )
    assert page.placement_status.text().startswith("Outcome recorded: Sam Smith")
    assert history(page)[0] == "Placement outcome recorded"

    # Opened again, the form shows what was recorded.
    again = accept_on_exec(monkeypatch, OutcomeDialog)
    page.record_outcome()
    assert again[0].review_edit.value() == date(2026, 4, 2)
    assert again[0].summary_edit.toPlainText().startswith("Kind and reliable")


def test_an_outcome_before_the_placement_starts_is_marked_and_not_saved(
    monkeypatch, page, db, placed
):
    def too_early(dialog: OutcomeDialog) -> None:
        dialog.review_edit.known_box.setChecked(True)
        dialog.review_edit.edit.setDate(QDate(2025, 12, 1))
        dialog.summary_edit.setPlainText("Typed summary")

    seen = accept_on_exec(monkeypatch, OutcomeDialog, too_early)
    page.record_outcome()
    dialog = seen[0]
    assert dialog.result() == 0
    assert "cannot be before the placement starts" in dialog.field_error("review_meeting_on")
    assert dialog.summary_edit.toPlainText() == "Typed summary"
    assert cell(page, PlacementTableModel.REVIEW) == "not recorded"
    assert not placement_details(db, COORDINATOR, placed[1]).outcome_recorded


def test_editing_from_the_tab_changes_the_placement(monkeypatch, page, db, placed):
    def shorten(dialog: PlacementDialog) -> None:
        assert dialog.apprentice_combo.currentText() == "Sam Smith"
        dialog.end_edit.setDate(QDate(2026, 3, 20))

    accept_on_exec(monkeypatch, PlacementDialog, shorten)
    page.placement_table.activated.emit(page.placement_table.model().index(0, 0))  # double-click
    assert cell(page, PlacementTableModel.END) == "20 Mar 2026"
    assert page.placement_status.text().startswith("Placement changed: Sam Smith")
    assert placement_details(db, COORDINATOR, placed[1]).end_date == date(2026, 3, 20)


def test_cancelling_from_the_tab_asks_then_removes_it_and_keeps_its_history(
    monkeypatch, page, db, placed
):
    asked = []

    def answer(reply):
        def question(parent, title, text, *rest):
            asked.append(text)
            return reply

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    page.cancel_placement_button.click()
    assert asked[0].startswith("Cancel this placement?\nSam Smith at Shire County Council")
    assert page.placement_model.rowCount() == 1

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    page.cancel_placement_button.click()
    assert page.placement_model.rowCount() == 0
    assert apprentice_overview(db, COORDINATOR, placed[0], today=TODAY).placements == ()
    assert page.placement_status.text().startswith("Placement cancelled: Sam Smith")
    assert not page.cancel_placement_button.isEnabled()  # nothing left to choose
    assert history(page)[:2] == ["Placement cancelled", "Placement scheduled (cancelled since)"]


def type_mentor(dialog: ContactsDialog, text: str) -> None:
    dialog.mentor_edit.setText(text)


def type_summary(dialog: OutcomeDialog, text: str) -> None:
    dialog.summary_edit.setPlainText(text)


@pytest.mark.parametrize(
    ("form", "opens", "type_in", "typed"),
    [
        (
            ContactsDialog,
            ApprenticePage.record_contacts,
            type_mentor,
            lambda d: d.mentor_edit.text(),
        ),
        (
            OutcomeDialog,
            ApprenticePage.record_outcome,
            type_summary,
            lambda d: d.summary_edit.toPlainText(),
        ),
    ],
)
def test_a_stale_save_says_who_saved_first_and_keeps_the_typing(
    monkeypatch, page, db, placed, form, opens, type_in, typed
):
    def someone_else_saves_first(dialog) -> None:
        type_in(dialog, "Jo Khan, reliable")
        record_notice_sent(db, Actor(None, "pat", Role.ADMIN), placed[1], date(2025, 12, 1))

    seen = accept_on_exec(monkeypatch, form, someone_else_saves_first)
    opens(page)
    dialog = seen[0]
    assert dialog.result() == 0  # not closed
    assert "pat saved this placement at" in dialog.message.text()
    assert "Your changes are kept in the form" in dialog.message.text()
    assert typed(dialog) == "Jo Khan, reliable"
    saved = placement_details(db, COORDINATOR, placed[1])
    assert (saved.mentor_name, saved.outcome_recorded) == ("", False)


def test_a_placement_cancelled_meanwhile_is_explained_and_leaves_the_table(
    monkeypatch, page, db, placed
):
    cancel_placement(db, Actor(None, "pat", Role.ADMIN), placed[1])
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    monkeypatch.setattr(ContactsDialog, "exec", lambda self: pytest.fail("form opened"))
    page.record_contacts()
    assert warned == ["That placement no longer exists; it may have been cancelled."]
    assert page.placement_model.rowCount() == 0


@pytest.mark.parametrize("role", [Role.TUTOR, Role.IQA])
def test_roles_that_do_not_schedule_placements_cannot_change_them(
    qtbot, monkeypatch, db, placed, role
):
    page = open_page(qtbot, db, Actor(None, "someone", role), placed[0])
    page.select_placement(placed[1])
    for button in (
        page.edit_placement_button,
        page.contacts_button,
        page.outcome_button,
        page.cancel_placement_button,
    ):
        assert button.isHidden()
    assert "Those who schedule placements" in page.placement_table.toolTip()
    for dialog_class in (PlacementDialog, ContactsDialog, OutcomeDialog):
        monkeypatch.setattr(dialog_class, "exec", lambda self: pytest.fail("form opened"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: pytest.fail("asked to cancel"))
    page.placement_table.activated.emit(page.placement_table.model().index(0, 0))
    page.record_contacts()
    page.record_outcome()
    page.cancel_placement()
    assert cell(page, PlacementTableModel.MENTOR) == "not recorded"  # they can still see it
    assert placement_details(db, COORDINATOR, placed[1]).mentor_name == ""
