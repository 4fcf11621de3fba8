"""Enrolling a new apprentice from the Apprentices page: the form's choices and
suggested dates, the new apprentice chosen in the list, a refused ULN or date of
birth marked at its field with nothing saved, and the button only for those who
may manage apprentice records; Ctrl+F and Ctrl+N from the page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import accept_on_exec, apprentice_id, sign_in

from assessor_app.domain.dates import add_months
from assessor_app.services.apprentice_queries import list_apprentices
from assessor_app.services.apprentice_record_queries import apprentice_profile
from assessor_app.ui.dialogs.apprentice_dialog import ApprenticeDialog
from assessor_app.ui.pages.apprentices_page import ApprenticesPage
from assessor_app.ui.pages.record_tab import from_qdate, to_qdate
from assessor_app.ui.qt import QApplication, QDialog, Qt

NEW_ULN = "4273849118"  # passes the check digit; no demo apprentice has it


pytestmark = pytest.mark.usefixtures("inline_tasks")


def page_for(qtbot, db, username):
    page = ApprenticesPage(db, sign_in(db, username))
    qtbot.addWidget(page)
    return page


def priya(dialog: ApprenticeDialog) -> None:
    dialog.given_edit.setText("Priya")
    dialog.family_edit.setText("Shah")
    dialog.uln_edit.setText(NEW_ULN)
    dialog.email_edit.setText("priya.shah@example.org")
    dialog.cohort_combo.setCurrentIndex(dialog.cohort_combo.findText("Council cohort"))
    dialog.assessor_combo.setCurrentIndex(dialog.assessor_combo.findText("Sam Okafor"))


def test_a_new_apprentice_is_enrolled_and_chosen_in_the_list(qtbot, demo, monkeypatch):
    page = page_for(qtbot, demo, "coordinator")
    qtbot.keyClicks(page.search_edit, "Harvey")  # the new apprentice would be hidden
    seen = accept_on_exec(monkeypatch, ApprenticeDialog, priya)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)

    dialog = seen[0]
    choices = [dialog.cohort_combo.itemText(i) for i in range(dialog.cohort_combo.count())]
    assert choices == ["Council cohort", "NHS Trust cohort"]
    assessors = [dialog.assessor_combo.itemText(i) for i in range(dialog.assessor_combo.count())]
    assert assessors == ["None assigned", "Ash Williams", "Sam Okafor"]
    # The programme's dates follow the chosen cohort: its start, and its 5 × 3 months.
    start = from_qdate(dialog.start_edit.date())
    assert start == add_months(date.today().replace(day=1), -16)
    assert from_qdate(dialog.end_edit.date()) == add_months(start, 15) - timedelta(days=1)

    assert page.model.rowCount() == 9
    assert page.search_edit.text() == ""
    assert page.count_label.text() == "Showing 9 of 9 apprentices"
    chosen = page.selected_row()
    assert chosen is not None and (chosen.name, chosen.uln) == ("Priya Shah", NEW_ULN)
    assert (chosen.cohort, chosen.assessor) == ("Council cohort", "Sam Okafor")
    coordinator = sign_in(demo, "coordinator")
    saved = apprentice_profile(demo, coordinator, chosen.id)
    assert (saved.email, saved.date_of_birth, saved.status) == (
        "priya.shah@example.org",
        None,
        "active",
    )


def test_dates_typed_by_the_user_no_longer_follow_the_cohort(qtbot, demo, monkeypatch):
    page = page_for(qtbot, demo, "admin")

    def own_dates(dialog: ApprenticeDialog) -> None:
        priya(dialog)
        start = date.today() - timedelta(days=10)
        dialog.start_edit.setDate(to_qdate(start))
        assert from_qdate(dialog.end_edit.date()) == add_months(start, 15) - timedelta(days=1)
        dialog.end_edit.setDate(to_qdate(start + timedelta(days=400)))
        dialog.cohort_combo.setCurrentIndex(dialog.cohort_combo.findText("NHS Trust cohort"))

    accept_on_exec(monkeypatch, ApprenticeDialog, own_dates)
    page.new_apprentice()
    chosen = page.selected_row()
    assert chosen is not None and chosen.cohort == "NHS Trust cohort"
    start = date.today() - timedelta(days=10)
    assert (chosen.start_date, chosen.planned_end_date) == (start, start + timedelta(days=400))


def test_a_bad_uln_is_marked_at_its_field_and_nothing_is_saved(qtbot, demo, monkeypatch):
    page = page_for(qtbot, demo, "coordinator")
    coordinator = sign_in(demo, "coordinator")

    def mistyped(dialog: ApprenticeDialog) -> None:
        priya(dialog)
        dialog.uln_edit.setText("4273849119")

    seen = accept_on_exec(monkeypatch, ApprenticeDialog, mistyped)
    page.new_apprentice()
    dialog = seen[0]
    assert dialog.result() != QDialog.DialogCode.Accepted  # still open for a correction
    assert dialog.field_error("uln") == (
        "The ULN 4273849119 fails the check-digit test, so a digit is probably wrong: copy it "
        "again from the Learner Record, or enter 9999999999 if it is not yet known."
    )
    assert "border" in dialog.uln_edit.styleSheet()
    assert dialog.uln_edit.text() == "4273849119"  # kept for the user to correct
    assert len(list_apprentices(demo, coordinator)) == 8
    assert page.model.rowCount() == 8

    # 9999999999: not yet known; a date of birth making them 15 is refused at that field.
    def too_young(dialog: ApprenticeDialog) -> None:
        priya(dialog)
        dialog.uln_edit.setText("9999999999")
        start = from_qdate(dialog.start_edit.date())
        dialog.dob.known_box.setChecked(True)
        dialog.dob.edit.setDate(to_qdate(add_months(start, -12 * 15)))

    seen = accept_on_exec(monkeypatch, ApprenticeDialog, too_young)
    page.new_apprentice()
    dialog = seen[0]
    assert dialog.field_error("uln") == ""
    assert "would be 15 on the start date" in dialog.field_error("date_of_birth")
    assert "border" in dialog.dob.edit.styleSheet()
    assert "border" not in dialog.dob.known_box.styleSheet()
    assert len(list_apprentices(demo, coordinator)) == 8

    def not_yet_known(dialog: ApprenticeDialog) -> None:
        too_young(dialog)
        dialog.dob.known_box.setChecked(False)

    accept_on_exec(monkeypatch, ApprenticeDialog, not_yet_known)
    page.new_apprentice()
    chosen = page.selected_row()
    assert chosen is not None and (chosen.name, chosen.uln) == ("Priya Shah", None)


def test_a_duplicate_uln_names_who_has_it(qtbot, demo, monkeypatch):
    page = page_for(qtbot, demo, "coordinator")
    coordinator = sign_in(demo, "coordinator")
    grace = apprentice_profile(demo, coordinator, apprentice_id(demo, coordinator, "Grace Adeyemi"))

    def duplicate(dialog: ApprenticeDialog) -> None:
        priya(dialog)
        dialog.uln_edit.setText(grace.uln or "")

    seen = accept_on_exec(monkeypatch, ApprenticeDialog, duplicate)
    page.new_apprentice()
    assert seen[0].field_error("uln") == f"ULN {grace.uln} already belongs to Grace Adeyemi."
    assert page.model.rowCount() == 8


@pytest.mark.parametrize("username", ["tutor", "assessor", "iqa"])
def test_a_role_that_may_not_enrol_has_no_button(qtbot, demo, monkeypatch, username):
    page = page_for(qtbot, demo, username)
    assert page.model.rowCount() == 8  # the list itself is there
    assert not page.new_button.isVisibleTo(page)
    seen = accept_on_exec(monkeypatch, ApprenticeDialog, priya)
    page.new_apprentice()  # as Ctrl+N would
    assert seen == []


def test_the_button_follows_whoever_signs_in(qtbot, demo):
    page = page_for(qtbot, demo, "coordinator")
    assert page.new_button.isVisibleTo(page)
    page.set_actor(sign_in(demo, "tutor"))
    assert not page.new_button.isVisibleTo(page)
    page.set_actor(None)
    assert not page.new_button.isVisibleTo(page)


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, on showing
def test_ctrl_f_finds_and_ctrl_n_enrols(qtbot, demo, monkeypatch):
    page = page_for(qtbot, demo, "coordinator")
    page.show()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search_edit.hasFocus()

    seen = accept_on_exec(monkeypatch, ApprenticeDialog, priya)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(seen) == 1
    chosen = page.selected_row()
    assert chosen is not None and chosen.name == "Priya Shah"
