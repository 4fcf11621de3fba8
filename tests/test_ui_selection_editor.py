"""The unit choice editor as a tutor uses it: ticks, the live verdict, one-click
repairs, saving (drafts included), someone else's save in between, what-if."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import apprentice_input

from assessor_app.services.apprentice_queries import apprentice_overview
from assessor_app.services.apprentices import choose_units, enrol_apprentice
from assessor_app.services.evidence import (
    EvidenceInput,
    assess_evidence,
    record_evidence,
    sign_off_unit,
    submit_evidence,
)
from assessor_app.services.placements import PlacementInput, schedule_placement
from assessor_app.services.roles import Actor, Role
from assessor_app.ui.models.unit_choice_model import UnitChoiceModel
from assessor_app.ui.qt import Qt
from assessor_app.ui.widgets.selection_editor import SelectionEditor

COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
TUTOR = Actor(None, "tutor", Role.TUTOR)
ASSESSOR = Actor(None, "ash", Role.ASSESSOR)
VALID = ["B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13"]
DRAFT = ["B1", "B2", "B4", "B8", "B9", "C12", "C13"]  # group B has 12 of 14 credits


pytestmark = pytest.mark.usefixtures("inline_tasks")


@pytest.fixture
def apprentice(db, world):
    apprentice_id = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    choose_units(db, TUTOR, apprentice_id, DRAFT)
    return apprentice_id


def editor_for(qtbot, db, apprentice_id, actor=TUTOR):
    editor = SelectionEditor(db, actor, apprentice_id)
    qtbot.addWidget(editor)
    return editor


def line(editor, start):
    return next(text for text in editor.credit_texts() if text.startswith(start))


def check_state(editor, ref):
    return editor.model.index_of(ref).data(Qt.ItemDataRole.CheckStateRole)


def test_mandatory_units_are_ticked_and_cannot_be_changed(qtbot, db, apprentice):
    editor = editor_for(qtbot, db, apprentice)
    index = editor.model.index_of("A1")
    assert check_state(editor, "A1") == Qt.CheckState.Checked
    assert not index.flags() & Qt.ItemFlag.ItemIsEnabled
    editor.set_ticked("A1", False)
    assert check_state(editor, "A1") == Qt.CheckState.Checked
    assert editor.model.index_of("A1", UnitChoiceModel.NOTE).data() == "Mandatory"
    assert editor.model.index_of("B3", UnitChoiceModel.CREDITS).data() == "3 (indicative)"
    assert editor.model.index_of("B6", UnitChoiceModel.CREDITS).data() == "not confirmed"


def test_ticks_update_the_credit_lines_and_findings_at_once(qtbot, db, apprentice):
    editor = editor_for(qtbot, db, apprentice)
    assert line(editor, "Group B ") == "Group B 12 / at least 14 ✗ 2 short"
    editor.set_ticked("B1", False)
    assert line(editor, "Group B ") == "Group B 9 / at least 14 ✗ 5 short"
    assert "Group B has 9 credits; at least 14 are needed" in editor.findings_text()
    assert editor.verdict_label.text().startswith("✗ Not valid yet")
    editor.set_ticked("B1", True)
    editor.set_ticked("B5", True)
    assert line(editor, "Group B ") == "Group B 14 / at least 14 ✓ met"
    assert editor.verdict().valid
    assert editor.verdict_label.text().startswith("✓")
    assert "Group B has" not in editor.findings_text()


def test_errors_come_before_warnings(qtbot, db, apprentice):
    editor = editor_for(qtbot, db, apprentice)
    editor.set_ticked("C1", True)  # indicative value: a warning, and group C over 8
    lines = editor.findings_text().splitlines()
    marks = [text[0] for text in lines]
    assert "!" in marks and "✗" in marks
    assert marks.index("!") > max(i for i, m in enumerate(marks) if m == "✗")


def test_applying_a_suggestion_makes_the_choice_valid(qtbot, db, apprentice):
    editor = editor_for(qtbot, db, apprentice)
    assert not editor.verdict().valid
    buttons = editor.suggestion_buttons()
    assert buttons
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert editor.verdict().valid
    assert editor.save_button.isEnabled()


def test_save_persists_the_choice(qtbot, db, apprentice):
    editor = editor_for(qtbot, db, apprentice)
    assert not editor.save_button.isEnabled()  # nothing changed yet
    editor.set_ticked("B5", True)
    with qtbot.waitSignal(editor.saved, timeout=1000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert apprentice_overview(db, TUTOR, apprentice).chosen_units == tuple(VALID)
    assert editor.message() == "Saved. The choice meets the rules of combination."
    assert not editor.save_button.isEnabled()


def test_an_invalid_choice_is_saved_as_a_draft(qtbot, db, apprentice):
    editor = editor_for(qtbot, db, apprentice)
    editor.set_ticked("B9", False)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "Saved as a draft: the choice does not yet meet the rules" in editor.message()
    saved = apprentice_overview(db, TUTOR, apprentice).chosen_units
    assert saved == tuple(r for r in DRAFT if r != "B9")


def test_revert_restores_the_saved_choice(qtbot, db, apprentice):
    editor = editor_for(qtbot, db, apprentice)
    editor.set_ticked("B5", True)
    editor.set_ticked("C12", False)
    qtbot.mouseClick(editor.revert_button, Qt.MouseButton.LeftButton)
    assert editor.working_choice() == tuple(DRAFT)
    assert not editor.revert_button.isEnabled()


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, on showing
def test_undo_steps_back_through_ticks_suggestions_and_revert(qtbot, db, apprentice):
    editor = editor_for(qtbot, db, apprentice)
    with qtbot.waitActive(editor):  # Ctrl+Z reaches the shortcut of an active window
        editor.show()
        editor.activateWindow()
    assert not editor.undo_button.isEnabled()  # nothing to undo yet
    editor.set_ticked("C12", False)
    qtbot.mouseClick(editor.suggestion_buttons()[0], Qt.MouseButton.LeftButton)
    suggested = editor.working_choice()
    assert editor.verdict().valid
    qtbot.mouseClick(editor.revert_button, Qt.MouseButton.LeftButton)
    assert editor.working_choice() == tuple(DRAFT)

    editor.save_button.setFocus()
    qtbot.keyClick(editor.save_button, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.working_choice() == suggested
    assert editor.message() == "Undone: the choice is as it was before your last change."
    editor.undo_button.click()  # the suggestion
    assert editor.working_choice() == tuple(r for r in DRAFT if r != "C12")
    assert not editor.verdict().valid
    editor.undo_button.click()  # the tick
    assert editor.working_choice() == tuple(DRAFT)
    assert check_state(editor, "C12") == Qt.CheckState.Checked
    assert not editor.undo_button.isEnabled()


def test_a_save_starts_the_undo_history_afresh(qtbot, db, apprentice):
    editor = editor_for(qtbot, db, apprentice)
    editor.set_ticked("B5", True)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.undo_button.isEnabled()  # the saved choice is not undone here


def test_a_stale_save_names_who_saved_and_keeps_the_working_choice(qtbot, db, apprentice):
    editor = editor_for(qtbot, db, apprentice)
    editor.set_ticked("B5", True)
    choose_units(db, Actor(None, "pat", Role.TUTOR), apprentice, ["B1", "B2"])
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "pat saved this apprentice" in editor.message()
    assert editor.working_choice() == tuple(VALID)
    assert apprentice_overview(db, TUTOR, apprentice).chosen_units == ("B1", "B2")
    # Reload takes the newest version and keeps the ticks, so saving again works.
    qtbot.mouseClick(editor.reload_button, Qt.MouseButton.LeftButton)
    assert editor.saved_choice() == ("B1", "B2")
    assert editor.working_choice() == tuple(VALID)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert apprentice_overview(db, TUTOR, apprentice).chosen_units == tuple(VALID)


def test_a_viewer_is_told_they_may_not_save(qtbot, db, apprentice):
    editor = editor_for(qtbot, db, apprentice, Actor(None, "vic", Role.VIEWER))
    editor.set_ticked("B5", True)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "may not choose an apprentice's units" in editor.message()
    assert apprentice_overview(db, TUTOR, apprentice).chosen_units == tuple(DRAFT)


@pytest.fixture
def signed_off_b4(db, world, apprentice):
    placement = schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(
            apprentice, world["home"], date(2026, 1, 5), date(2026, 4, 4), mentor_name="Jo Khan"
        ),
    )
    piece = record_evidence(
        db,
        TUTOR,
        EvidenceInput(
            apprentice,
            date(2026, 3, 2),
            "observation",
            "Observed practice",
            placement_id=placement,
            coverage=[("B4", None)],
        ),
        today=date(2026, 6, 1),
    )
    submit_evidence(db, TUTOR, piece)
    assess_evidence(db, ASSESSOR, piece, accept=True, on=date(2026, 3, 3))
    sign_off_unit(db, ASSESSOR, apprentice, "B4", on=date(2026, 3, 4), judgement="Meets it.")
    return apprentice


def test_a_signed_off_unit_cannot_be_removed(qtbot, db, signed_off_b4):
    editor = editor_for(qtbot, db, signed_off_b4)
    assert editor.model.index_of("B4", UnitChoiceModel.NOTE).data() == "Signed off"
    editor.set_ticked("B4", False)
    assert "B4" in editor.working_choice()


def test_what_if_shows_dropped_sign_offs_and_saves_nothing(qtbot, db, signed_off_b4):
    editor = editor_for(qtbot, db, signed_off_b4)
    qtbot.mouseClick(editor.what_if_button, Qt.MouseButton.LeftButton)
    assert editor.in_what_if()
    editor.set_ticked("B4", False)
    assert editor.working_choice() == tuple(r for r in DRAFT if r != "B4")
    assert editor.what_if_result().dropped_signed_off == ("B4",)
    assert "Signed-off units that would be dropped: B4 'Awareness of Dementia'" in (
        editor.what_if_text()
    )
    assert "would stop counting" in editor.what_if_text()
    assert not editor.save_button.isEnabled()
    editor.save()
    assert apprentice_overview(db, TUTOR, signed_off_b4).chosen_units == tuple(DRAFT)
    qtbot.mouseClick(editor.what_if_button, Qt.MouseButton.LeftButton)
    assert not editor.in_what_if()
    assert editor.working_choice() == tuple(DRAFT)
    assert editor.what_if_text() == ""
