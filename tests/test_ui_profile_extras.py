"""The Profile tab's employment outcome and English and maths: recorded through the
services, a refusal marked at its field, someone else's newer change refused
rather than overwritten, details typed but not saved kept while these are
saved, and read only for roles that may not manage apprentice records."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import click, open_record_tab, sign_in

from assessor_app.domain.dates import format_date
from assessor_app.services import apprentices
from assessor_app.services.apprentice_form_queries import FunctionalSkillLine, functional_skills
from assessor_app.services.apprentice_record_queries import apprentice_profile
from assessor_app.services.unit_plans import record_functional_skill
from assessor_app.ui.pages.profile_tab import ProfileTab
from assessor_app.ui.pages.record_tab import to_qdate
from assessor_app.ui.qt import Qt

TODAY = date.today()
AMIRA = "Amira Hussain"  # completed, with an outcome and English and maths at Level 2
GRACE = "Grace Adeyemi"  # active, with no outcome and no English or maths yet
AMIRA_OUTCOME = "Healthcare assistant, Royal Shire Hospitals NHS Trust"


pytestmark = pytest.mark.usefixtures("inline_tasks")


def make(qtbot, db, username, name):
    return open_record_tab(qtbot, ProfileTab, db, username, name, today=TODAY)


# Employment outcome


def test_a_completed_apprentices_outcome_is_changed(qtbot, demo):
    tab = make(qtbot, demo, "coordinator", AMIRA)
    assert tab.outcome_box.isVisibleTo(tab)
    assert tab.outcome_label.text() == AMIRA_OUTCOME
    assert not tab.outcome_hint.isVisibleTo(tab)  # no "usually when they complete" now
    version = tab.version

    click(qtbot, tab.outcome_button)
    assert tab.outcome_marks.message("employment_outcome") == "Employment outcome is required."
    assert tab.outcome_label.text() == AMIRA_OUTCOME

    qtbot.keyClicks(tab.outcome_edit, "Senior healthcare assistant, Ward 7")
    click(qtbot, tab.outcome_button)
    assert tab.outcome_marks.message("employment_outcome") == ""
    assert tab.message_label.text() == "Employment outcome saved."
    assert tab.outcome_label.text() == "Senior healthcare assistant, Ward 7"
    assert tab.outcome_edit.text() == ""
    assert tab.version == version + 1
    coordinator = sign_in(demo, "coordinator")
    saved = apprentice_profile(demo, coordinator, tab.apprentice_id)
    assert saved.employment_outcome == "Senior healthcare assistant, Ward 7"


def test_an_outcome_can_be_recorded_before_completion(qtbot, demo):
    tab = make(qtbot, demo, "admin", GRACE)
    assert tab.outcome_label.text() == "Not recorded"
    assert tab.outcome_hint.isVisibleTo(tab)
    tab.outcome_edit.setText("Staying on as a healthcare assistant")
    qtbot.keyClick(tab.outcome_edit, Qt.Key.Key_Return)
    assert tab.outcome_label.text() == "Staying on as a healthcare assistant"


def test_a_stale_outcome_is_refused_and_the_typing_kept(qtbot, demo):
    tab = make(qtbot, demo, "coordinator", AMIRA)
    coordinator = sign_in(demo, "coordinator")
    apprentices.record_employment_outcome(
        demo, coordinator, tab.apprentice_id, "Nurse associate", expected_version=tab.version
    )
    tab.outcome_edit.setText("Senior healthcare assistant")
    click(qtbot, tab.outcome_button)
    assert "after you opened it" in tab.message_label.text()
    assert tab.outcome_edit.text() == "Senior healthcare assistant"
    saved = apprentice_profile(demo, coordinator, tab.apprentice_id)
    assert saved.employment_outcome == "Nurse associate"


def test_saving_an_outcome_keeps_details_typed_but_not_saved(qtbot, demo):
    tab = make(qtbot, demo, "coordinator", AMIRA)
    tab.phone_edit.setText("07700 900123")
    tab.outcome_edit.setText("Senior healthcare assistant")
    click(qtbot, tab.outcome_button)
    assert tab.outcome_label.text() == "Senior healthcare assistant"
    assert tab.phone_edit.text() == "07700 900123"
    assert tab.has_unsaved_changes()

    click(qtbot, tab.save_button)  # the outcome's new version is the one saved against
    assert tab.message_label.text() == "Details saved."
    coordinator = sign_in(demo, "coordinator")
    saved = apprentice_profile(demo, coordinator, tab.apprentice_id)
    assert (saved.phone, saved.employment_outcome) == (
        "07700 900123",
        "Senior healthcare assistant",
    )


def test_details_typed_before_someone_elses_change_are_still_refused(qtbot, demo):
    tab = make(qtbot, demo, "coordinator", GRACE)
    tab.phone_edit.setText("07700 900123")
    coordinator = sign_in(demo, "coordinator")
    apprentices.change_status(
        demo, coordinator, tab.apprentice_id, "active", TODAY, "", expected_version=tab.version
    )
    # Recording English reloads the tab; the typing stays, based on what it was typed on.
    tab.level_combo.setEditText("Level 1")
    click(qtbot, tab.skill_button)
    assert tab.phone_edit.text() == "07700 900123"
    click(qtbot, tab.save_button)
    assert "Your changes are still in the form" in tab.message_label.text()
    assert apprentice_profile(demo, coordinator, tab.apprentice_id).phone == ""


# English and maths


def test_english_and_maths_are_shown_and_recorded(qtbot, demo):
    tab = make(qtbot, demo, "coordinator", GRACE)
    assert tab.skill_labels["english"].text() == "Not recorded: needed for gateway"
    assert tab.skill_labels["maths"].text() == "Not recorded: needed for gateway"

    tab.subject_combo.setCurrentIndex(tab.subject_combo.findData("maths"))
    click(qtbot, tab.skill_button)
    assert tab.skill_marks.message("level") == "Level is required."

    tab.level_combo.setCurrentIndex(tab.level_combo.findText("Level 1"))
    tab.achieved_edit.setDate(to_qdate(TODAY + timedelta(days=1)))
    click(qtbot, tab.skill_button)
    assert tab.skill_marks.message("level") == ""
    assert tab.skill_marks.message("achieved_on") == "The date achieved cannot be in the future."
    coordinator = sign_in(demo, "coordinator")
    assert functional_skills(demo, coordinator, tab.apprentice_id) == ()

    achieved = TODAY - timedelta(days=3)
    tab.achieved_edit.setDate(to_qdate(achieved))
    click(qtbot, tab.skill_button)
    assert tab.skill_marks.message("achieved_on") == ""
    assert tab.skill_labels["maths"].text() == f"Level 1, achieved {format_date(achieved)}"
    assert tab.skill_labels["english"].text() == "Not recorded: needed for gateway"
    assert tab.message_label.text() == f"Maths recorded: Level 1, achieved {format_date(achieved)}."
    assert tab.level_combo.currentText() == ""
    assert functional_skills(demo, coordinator, tab.apprentice_id) == (
        FunctionalSkillLine("maths", "Level 1", achieved),
    )


def test_a_level_can_be_typed_and_replaces_the_one_recorded(qtbot, demo):
    tab = make(qtbot, demo, "coordinator", AMIRA)
    english = tab.skill_labels["english"].text()
    assert english.startswith("Level 2, achieved ")
    tab.level_combo.setEditText("GCSE grade 5")
    click(qtbot, tab.skill_button)
    assert tab.skill_labels["english"].text() == f"GCSE grade 5, achieved {format_date(TODAY)}"
    assert tab.skill_labels["maths"].text().startswith("Level 2, achieved ")


def test_someone_elses_newer_english_is_not_overwritten(qtbot, demo):
    tab = make(qtbot, demo, "coordinator", GRACE)
    coordinator = sign_in(demo, "coordinator")
    other_day = TODAY - timedelta(days=30)
    record_functional_skill(demo, coordinator, tab.apprentice_id, "english", "Level 2", other_day)
    tab.level_combo.setEditText("Level 1")
    click(qtbot, tab.skill_button)
    assert tab.message_label.text().startswith(
        f"Someone else changed English for {GRACE} after you opened the record: it is now "
        f"Level 2, achieved on {format_date(other_day)}."
    )
    assert tab.skill_labels["english"].text() == f"Level 2, achieved {format_date(other_day)}"
    assert functional_skills(demo, coordinator, tab.apprentice_id) == (
        FunctionalSkillLine("english", "Level 2", other_day),
    )


# Roles


@pytest.mark.parametrize("username", ["tutor", "iqa"])
def test_roles_that_may_not_manage_records_only_read_them(qtbot, demo, username):
    done = make(qtbot, demo, username, AMIRA)
    assert done.outcome_box.isVisibleTo(done)
    assert done.outcome_label.text() == AMIRA_OUTCOME
    assert not done.outcome_edit.isVisibleTo(done)
    assert not done.outcome_button.isVisibleTo(done)
    assert done.skill_labels["maths"].text().startswith("Level 2, achieved ")
    assert not done.skill_button.isVisibleTo(done)
    assert not done.level_combo.isVisibleTo(done)
    active = make(qtbot, demo, username, GRACE)
    assert not active.outcome_box.isVisibleTo(active)  # nothing to show, nothing to do
    assert active.skills_box.isVisibleTo(active)
