"""The apprentice page's record tabs on the demo database: the unit map, the Care
Certificate, off-the-job hours, reviews and the profile, each with its form's bad
input marked at the field, and what a role may not do hidden."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import apprentice_id, open_in_window, open_record_tab, sign_in

from assessor_app.domain.dates import format_date
from assessor_app.services import apprentices
from assessor_app.services.apprentice_record_queries import apprentice_profile
from assessor_app.ui.models.unit_map_model import UnitMapModel
from assessor_app.ui.pages import profile_tab
from assessor_app.ui.pages.apprentice_page import ApprenticePage
from assessor_app.ui.pages.care_certificate_tab import CareCertificateTab, StandardTableModel
from assessor_app.ui.pages.map_tab import MapTab
from assessor_app.ui.pages.off_the_job_tab import OffTheJobTab
from assessor_app.ui.pages.profile_tab import ProfileTab
from assessor_app.ui.pages.record_tab import to_qdate
from assessor_app.ui.pages.reviews_tab import ReviewsTab
from assessor_app.ui.qt import Qt

TODAY = date.today()  # the demo's dates are relative to today


pytestmark = pytest.mark.usefixtures("inline_tasks")


def make(qtbot, cls, db, username, name="Grace Adeyemi"):
    return open_record_tab(qtbot, cls, db, username, name, today=TODAY)


def texts(model, column):
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


# The page as a whole


def test_the_window_shows_every_tab_in_order(qtbot, demo, tmp_path):
    _window, _page, titles = open_in_window(qtbot, demo, "admin", tmp_path)
    assert titles == [
        "Overview",
        "Placements",
        "Units",
        "Map",
        "Evidence",
        "Care Certificate",
        "Off-the-job",
        "Reviews",
        "Profile",
        "Data protection",
        "History",
    ]


def test_saving_on_a_tab_refreshes_the_overview_and_history(qtbot, demo):
    assessor = sign_in(demo, "assessor")
    page = ApprenticePage(demo, assessor, apprentice_id(demo, assessor, "Grace Adeyemi"))
    qtbot.addWidget(page)
    page.add_record_tabs()
    assert "11 of 15 standards" in page.figure_labels["care_certificate"].text()
    history_rows = page.history_model.rowCount()
    tab = page.care_certificate_tab
    tab.select_standard(12)
    tab.date_edit.setDate(to_qdate(TODAY))
    qtbot.mouseClick(tab.complete_button, Qt.MouseButton.LeftButton)
    assert "12 of 15 standards" in page.figure_labels["care_certificate"].text()
    assert page.history_model.rowCount() == history_rows + 1


# The map


def test_the_map_says_planned_evidenced_and_signed_off_in_words(qtbot, demo):
    tab = make(qtbot, MapTab, demo, "iqa")
    model = tab.model
    assert model.rowCount() == 15
    assert model.placement_count == 5
    assert model.headerData(1, Qt.Orientation.Horizontal).startswith("Ward 7 (elderly care)")
    a1 = texts(model, UnitMapModel.UNIT).index("A1  Safeguarding and protection in care settings")
    assert model.data(model.index(a1, 1)) == "◉ Planned, evidenced"
    assert model.data(model.index(a1, model.signed_column)).startswith("✓ ")
    a3 = texts(model, UnitMapModel.UNIT).index("A3  Communication in care settings")
    row = [model.data(model.index(a3, c)) for c in range(1, 1 + model.placement_count)]
    assert row.count("○ Planned") == 1 and row.count("") == 4
    assert model.data(model.index(a3, 1), Qt.ItemDataRole.BackgroundRole) is None
    planned = row.index("○ Planned") + 1
    assert model.data(model.index(a3, planned), Qt.ItemDataRole.BackgroundRole) is not None
    assert any("C13" in tab.findings_list.item(i).text() for i in range(tab.findings_list.count()))


# The Care Certificate


def test_care_certificate_lists_the_standards_and_the_overdue_state(qtbot, demo):
    tab = make(qtbot, CareCertificateTab, demo, "tutor")
    model = tab.model
    assert texts(model, StandardTableModel.NUMBER) == [str(n) for n in range(1, 16)]
    done = texts(model, StandardTableModel.COMPLETED)
    assert sum(text.startswith("✓ ") for text in done) == 11
    assert done[11] == "○ Not yet"
    assert texts(model, StandardTableModel.SIGNED_BY)[0] == "Ash Williams"
    assert "overdue" in tab.status_label.text()
    assert "#8a1f24" in tab.status_label.styleSheet()


def test_a_standard_is_marked_complete_and_a_future_date_is_refused(qtbot, demo):
    tab = make(qtbot, CareCertificateTab, demo, "tutor")
    tab.select_standard(12)
    tab.date_edit.setDate(to_qdate(TODAY + timedelta(days=3)))
    qtbot.mouseClick(tab.complete_button, Qt.MouseButton.LeftButton)
    assert tab.marks.message("completed_on") == "The date cannot be in the future."
    assert texts(tab.model, StandardTableModel.COMPLETED)[11] == "○ Not yet"

    tab.select_standard(12)
    tab.date_edit.setDate(to_qdate(TODAY))
    qtbot.mouseClick(tab.complete_button, Qt.MouseButton.LeftButton)
    assert tab.marks.message("completed_on") == ""
    assert texts(tab.model, StandardTableModel.COMPLETED)[11] == f"✓ {format_date(TODAY)}"
    assert texts(tab.model, StandardTableModel.SIGNED_BY)[11] == "Taylor Brooks"
    assert "12 of 15 standards" in tab.status_label.text()


# Off-the-job hours


def test_off_the_job_entry_is_logged_and_the_pace_moves(qtbot, demo):
    tab = make(qtbot, OffTheJobTab, demo, "coordinator")
    logged = tab.view.pace.logged
    rows = tab.model.rowCount()
    tab.hours_spin.setValue(0)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert "Hours must be more than 0" in tab.marks.message("hours")
    assert tab.model.rowCount() == rows

    tab.hours_spin.setValue(3.5)
    tab.activity_combo.setCurrentIndex(tab.activity_combo.findData("e-learning"))
    qtbot.keyClicks(tab.notes_edit, "Infection control module")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert tab.model.rowCount() == rows + 1
    now = logged + Decimal("3.5")
    assert tab.view.pace.logged == now
    assert f"{now:.1f} hours logged" in tab.pace_label.text()
    newest = [tab.model.data(tab.model.index(0, c)) for c in range(3)]
    assert newest == [format_date(TODAY), "3.5", "E-learning"]
    assert tab.notes_edit.text() == ""


# Reviews


def test_a_review_is_recorded_and_the_next_one_is_due_later(qtbot, demo):
    tab = make(qtbot, ReviewsTab, demo, "tutor")
    rows = tab.model.rowCount()
    before = tab.view.next_review_due
    tab.summary_edit.setPlainText("On track with the Care Certificate.")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert tab.marks.message("conducted_by") == "Conducted by is required."
    assert tab.model.rowCount() == rows

    qtbot.keyClicks(tab.by_edit, "Taylor Brooks")
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert tab.model.rowCount() == rows + 1
    assert tab.view.next_review_due > before
    assert format_date(tab.view.next_review_due) in tab.next_label.text()


# The profile


def test_profile_details_are_saved_and_bad_input_is_marked(qtbot, demo):
    tab = make(qtbot, ProfileTab, demo, "coordinator")
    assert tab.given_edit.text() == "Grace"
    tab.uln_edit.setText("1234567890")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "check-digit test" in tab.marks.message("uln")
    assert tab.uln_edit.text() == "1234567890"  # kept for the user to correct

    tab.uln_edit.setText("9999999999")  # not yet known
    tab.phone_edit.setText("07700 900123")
    version = tab.version
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.marks.message("uln") == ""
    assert tab.message_label.text() == "Details saved."
    assert tab.version == version + 1
    coordinator = sign_in(demo, "coordinator")
    saved = apprentice_profile(demo, coordinator, tab.apprentice_id)
    assert (saved.phone, saved.uln) == ("07700 900123", None)


def test_profile_follows_other_tabs_unless_it_holds_unsaved_typing(qtbot, demo):
    tab = make(qtbot, ProfileTab, demo, "coordinator")
    assert tab.follows_changes
    tab.phone_edit.setText("01632 960000")
    assert tab.has_unsaved_changes() and not tab.follows_changes
    tab.phone_edit.setText("")
    assert tab.follows_changes


def test_a_stale_edit_keeps_the_users_typing(qtbot, demo):
    tab = make(qtbot, ProfileTab, demo, "coordinator")
    coordinator = sign_in(demo, "coordinator")
    apprentices.change_status(
        demo, coordinator, tab.apprentice_id, "active", TODAY, "", expected_version=tab.version
    )
    tab.email_edit.setText("grace.new@example.org")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "Your changes are still in the form" in tab.message_label.text()
    assert tab.email_edit.text() == "grace.new@example.org"
    assert apprentice_profile(demo, coordinator, tab.apprentice_id).email != "grace.new@example.org"
    qtbot.mouseClick(tab.discard_button, Qt.MouseButton.LeftButton)
    assert tab.email_edit.text() == "grace.adeyemi@example.org"


def test_status_change_is_confirmed_and_needs_a_reason(qtbot, demo, monkeypatch):
    tab = make(qtbot, ProfileTab, demo, "coordinator")
    answers = [False, True, True]
    monkeypatch.setattr(profile_tab, "ask_to_confirm", lambda *args: answers.pop(0))
    tab.status_combo.setCurrentIndex(tab.status_combo.findData("withdrawn"))
    tab.status_date_edit.setDate(to_qdate(TODAY))
    qtbot.mouseClick(tab.status_button, Qt.MouseButton.LeftButton)  # cancelled
    assert tab.status_label.text().startswith("Active")

    qtbot.mouseClick(tab.status_button, Qt.MouseButton.LeftButton)
    assert tab.status_marks.message("status_reason") == "Reason is required."
    assert tab.status_label.text().startswith("Active")

    tab.reason_edit.setText("Left to study nursing")
    qtbot.mouseClick(tab.status_button, Qt.MouseButton.LeftButton)
    assert tab.status_label.text() == (
        f"Withdrawn since {format_date(TODAY)}: Left to study nursing"
    )
    assert answers == []


# Roles


def test_a_viewer_sees_the_records_but_no_forms(qtbot, demo):
    username = "iqa"
    care = make(qtbot, CareCertificateTab, demo, username)
    assert care.model.rowCount() == 15 and not care.form.isVisibleTo(care)
    hours = make(qtbot, OffTheJobTab, demo, username)
    assert hours.model.rowCount() > 0 and not hours.form.isVisibleTo(hours)
    reviews = make(qtbot, ReviewsTab, demo, username)
    assert reviews.model.rowCount() > 0 and not reviews.form.isVisibleTo(reviews)
    profile = make(qtbot, ProfileTab, demo, username)
    assert profile.given_edit.text() == "Grace" and profile.given_edit.isReadOnly()
    assert not profile.save_button.isVisibleTo(profile)
    assert not profile.status_button.isVisibleTo(profile)
    assert not profile.cohort_combo.isEnabled()


def test_a_tutor_records_progress_but_does_not_edit_the_profile(qtbot, demo):
    care = make(qtbot, CareCertificateTab, demo, "tutor")
    assert care.form.isVisibleTo(care)
    hours = make(qtbot, OffTheJobTab, demo, "tutor")
    assert hours.form.isVisibleTo(hours)
    profile = make(qtbot, ProfileTab, demo, "tutor")
    assert not profile.save_button.isVisibleTo(profile)
    coordinator_care = make(qtbot, CareCertificateTab, demo, "coordinator")
    assert not coordinator_care.form.isVisibleTo(coordinator_care)
