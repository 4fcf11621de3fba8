"""The evidence tab and its dialogs on the demo database: evidence is recorded (with a
file dropped on the dialog), corrected until accepted, submitted, assessed, returned,
and units signed off and revoked through the dialogs; bad input and stale edits are
shown in the form; roles see only what they may do."""

from __future__ import annotations

import warnings
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import apprentice_id, queue_dialogs, sign_in
from PySide6.QtCore import QMimeData, QPoint, QPointF, QUrl

from assessor_app.services import catalogue
from assessor_app.services.apprentices import choose_units
from assessor_app.services.evidence import EvidenceInput, record_evidence, update_evidence
from assessor_app.services.evidence_queries import evidence_book
from assessor_app.ui.dialogs.evidence_dialog import (
    COVERAGE_ROLE,
    AssessDialog,
    EvidenceDialog,
    NoteDialog,
)
from assessor_app.ui.models.evidence_table_model import EvidenceTableModel, UnitSignOffModel
from assessor_app.ui.pages import evidence_tab
from assessor_app.ui.pages.evidence_tab import EvidenceTab
from assessor_app.ui.pages.record_tab import to_qdate
from assessor_app.ui.qt import QDialog, QDragEnterEvent, QDropEvent, Qt

E = EvidenceTableModel
U = UnitSignOffModel


pytestmark = pytest.mark.usefixtures("inline_tasks")


@pytest.fixture
def dialogs(monkeypatch):
    """Dialogs the tab opens are handed, in turn, to the functions queued here,
    which fill them in as a person would; the dialog's own result is returned."""
    return queue_dialogs(monkeypatch, evidence_tab)


def open_tab(qtbot, db, actor, name):
    tab = EvidenceTab(db, actor, apprentice_id(db, actor, name))
    qtbot.addWidget(tab)
    assert tab.loaded
    return tab


def cell(tab, row, column):
    return tab.model.data(tab.model.index(row, column))


def unit_cell(tab, ref, column):
    row = next(i for i, u in enumerate(tab.unit_model.rows()) if u.ref == ref)
    return tab.unit_model.data(tab.unit_model.index(row, column))


def drop_files(dialog, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    with warnings.catch_warnings():
        # PySide marks the only constructor there is as deprecated.
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            QPoint(20, 20),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    dialog.dragEnterEvent(enter)
    accepted = enter.isAccepted()
    drop = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    dialog.dropEvent(drop)
    return accepted


def test_tutor_records_evidence_with_a_dropped_file_and_submits_it(qtbot, demo, dialogs, tmp_path):
    tutor = sign_in(demo, "tutor")
    tab = open_tab(qtbot, demo, tutor, "Grace Adeyemi")
    before = tab.model.rowCount()
    statement = tmp_path / "witness statement.txt"
    statement.write_text("Grace helped Mr B to move safely from bed to chair.", encoding="utf-8")

    def fill(dialog):
        assert isinstance(dialog, EvidenceDialog)
        qtbot.keyClicks(dialog.title_edit, "Moving and handling observed")
        dialog.description_edit.setPlainText("Observed on the early shift.")
        dialog.check("A3")
        dialog.check("A6")
        assert drop_files(dialog, [statement])
        assert dialog.files_list.count() == 1
        assert "witness statement.txt" in dialog.files_list.item(0).text()
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)

    dialogs.append(fill)
    with qtbot.waitSignal(tab.changed):
        qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)

    assert tab.model.rowCount() == before + 1
    row = next(i for i, e in enumerate(tab.model.rows()) if e.title.startswith("Moving"))
    assert cell(tab, row, E.STATUS) == "→ Submitted"
    assert cell(tab, row, E.COVERS) == "A3; A6"
    assert cell(tab, row, E.FILES) == "1"
    assert tab.message_label.text() == "Evidence saved."

    # The file opens from a checked copy, not from the store itself.
    opened: list[Path] = []
    tab.select_evidence(tab.model.rows()[row].id)
    assert tab.files_list.count() == 1
    tab.files_list.setCurrentRow(0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(evidence_tab, "show_file", lambda path: opened.append(path) or True)
        qtbot.mouseClick(tab.open_file_button, Qt.MouseButton.LeftButton)
    assert opened and opened[0].name == "witness statement.txt"
    assert opened[0].read_text(encoding="utf-8") == statement.read_text(encoding="utf-8")


def test_a_draft_is_kept_and_submitted_later_from_the_list(qtbot, demo, dialogs, tmp_path):
    tutor = sign_in(demo, "tutor")
    tab = open_tab(qtbot, demo, tutor, "Grace Adeyemi")

    def fill(dialog):
        qtbot.keyClicks(dialog.title_edit, "Reflective account of a difficult shift")
        dialog.method_combo.setCurrentIndex(dialog.method_combo.findData("reflective_account"))
        dialog.check("A7")
        qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)

    dialogs.append(fill)
    assert tab.new_button.shortcut().toString() == "Ctrl+N"
    tab.new_evidence()
    draft = next(e for e in tab.model.rows() if e.title.startswith("Reflective"))
    assert draft.status == "draft"
    assert tab.select_evidence(draft.id)

    # Files can still be added to a draft by editing it.
    notes = tmp_path / "shift notes.txt"
    notes.write_text("Notes written after the shift.", encoding="utf-8")

    def attach(dialog):
        assert dialog.editing
        assert dialog.add_files_button.isEnabled()
        dialog.add_files([notes])
        qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)

    dialogs.append(attach)
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    draft = next(e for e in tab.model.rows() if e.id == draft.id)
    assert [a.name for a in draft.attachments] == ["shift notes.txt"]
    assert draft.status == "draft"
    assert tab.select_evidence(draft.id)
    assert tab.submit_button.isEnabled()
    assert not tab.assess_button.isVisibleTo(tab)  # a tutor does not assess
    qtbot.mouseClick(tab.submit_button, Qt.MouseButton.LeftButton)
    again = next(e for e in tab.model.rows() if e.id == draft.id)
    assert again.status == "submitted"
    assert "sent for assessment" in tab.message_label.text()


def test_bad_input_is_marked_at_its_field_and_nothing_is_saved(qtbot, demo, tmp_path):
    tutor = sign_in(demo, "tutor")
    grace = apprentice_id(demo, tutor, "Grace Adeyemi")
    book = evidence_book(demo, tutor, grace)
    dialog = EvidenceDialog(demo, tutor, book, [])
    qtbot.addWidget(dialog)
    dialog.context_combo.setCurrentIndex(dialog.context_combo.findData("college"))

    qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)
    assert dialog.marks.message("title") == "Title is required."
    assert dialog.result() != QDialog.DialogCode.Accepted

    qtbot.keyClicks(dialog.title_edit, "Assignment on dementia awareness")
    qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)
    assert dialog.marks.message("title") == ""
    assert "Choose the units or criteria" in dialog.marks.message("coverage")

    dialog.method_combo.setCurrentIndex(dialog.method_combo.findData("witness_testimony"))
    dialog.check("B4")
    qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)
    assert "witness's name" in dialog.marks.message("witness_name")
    assert evidence_book(demo, tutor, grace).evidence == book.evidence

    # A folder dropped on the dialog is refused with a message, not attached.
    assert drop_files(dialog, [tmp_path])
    assert dialog.files_list.count() == 0
    assert "not a file" in dialog.error_label.text()


def test_criteria_are_picked_in_a_tree_under_their_unit(qtbot, demo):
    admin = sign_in(demo, "admin")
    catalogue.add_learning_outcome(
        demo,
        admin,
        "L2-CARE",
        "A3",
        "1",
        "Understand why communication is important",
        [("1.1", "Identify reasons for communicating"), ("1.2", "Explain how it affects work")],
    )
    tutor = sign_in(demo, "tutor")
    grace = apprentice_id(demo, tutor, "Grace Adeyemi")
    dialog = EvidenceDialog(demo, tutor, evidence_book(demo, tutor, grace), [])
    qtbot.addWidget(dialog)
    a3 = next(
        dialog.criteria_tree.topLevelItem(i)
        for i in range(dialog.criteria_tree.topLevelItemCount())
        if dialog.criteria_tree.topLevelItem(i).text(0).startswith("A3 ")
    )
    assert [a3.child(i).text(0)[:3] for i in range(a3.childCount())] == ["1.1", "1.2"]
    dialog.check("A3", "1.2")
    assert a3.checkState(0) == Qt.CheckState.PartiallyChecked
    a3.setCheckState(0, Qt.CheckState.Checked)  # the unit ticks all its criteria
    assert dialog.coverage() == [("A3", "1.1"), ("A3", "1.2")]
    with pytest.raises(KeyError):
        dialog.check("A3")  # a unit with criteria is not covered as a whole


def test_assessor_accepts_signs_off_and_revokes_with_a_reason(qtbot, demo, dialogs):
    assessor = sign_in(demo, "assessor")
    tab = open_tab(qtbot, demo, assessor, "Harvey Singh")
    waiting = next(e for e in tab.model.rows() if e.status == "submitted")
    assert tab.select_evidence(waiting.id)
    assert tab.assess_button.isEnabled()

    def accept(dialog):
        assert isinstance(dialog, AssessDialog)
        dialog.text_edit.setPlainText("Clear, well-observed practice.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    dialogs.append(accept)
    qtbot.mouseClick(tab.assess_button, Qt.MouseButton.LeftButton)
    accepted = next(e for e in tab.model.rows() if e.id == waiting.id)
    assert accepted.status == "accepted"
    assert tab.message_label.text() == "Assessment saved."
    assert unit_cell(tab, "A1", U.SIGNED_OFF) == "Ready to sign off"

    # A1 has no criteria in the demo catalogue: the sign-off needs a judgement.
    def judge(dialog):
        assert isinstance(dialog, NoteDialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert "record your judgement" in dialog.marks.message("judgement")
        assert dialog.result() != QDialog.DialogCode.Accepted
        dialog.text_edit.setPlainText("The observation shows A1 in full.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert tab.select_unit("A1")
    assert tab.sign_off_button.isEnabled() and not tab.revoke_button.isEnabled()
    dialogs.append(judge)
    qtbot.mouseClick(tab.sign_off_button, Qt.MouseButton.LeftButton)
    assert unit_cell(tab, "A1", U.SIGNED_OFF).startswith("✓ Signed off")
    assert "1 of 17 units signed off" in tab.summary_label.text()

    def revoke(dialog):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.marks.message("reason") == "Reason is required."
        dialog.text_edit.setPlainText("Signed off against the wrong apprentice's record.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert tab.select_unit("A1")
    assert tab.revoke_button.isEnabled()
    dialogs.append(revoke)
    qtbot.mouseClick(tab.revoke_button, Qt.MouseButton.LeftButton)
    assert unit_cell(tab, "A1", U.SIGNED_OFF) == "Ready to sign off"
    assert "revoked" in tab.message_label.text()


def test_cancelling_a_revoke_keeps_the_sign_off(qtbot, demo, dialogs):
    assessor = sign_in(demo, "assessor")
    tab = open_tab(qtbot, demo, assessor, "Grace Adeyemi")
    assert tab.select_unit("B4")
    dialogs.append(lambda dialog: dialog.reject())
    qtbot.mouseClick(tab.revoke_button, Qt.MouseButton.LeftButton)
    assert unit_cell(tab, "B4", U.SIGNED_OFF).startswith("✓ Signed off")


def test_referring_back_needs_feedback(qtbot, demo, dialogs):
    assessor = sign_in(demo, "assessor")
    tab = open_tab(qtbot, demo, assessor, "Harvey Singh")
    waiting = next(e for e in tab.model.rows() if e.status == "submitted")
    tab.select_evidence(waiting.id)

    def refer(dialog):
        qtbot.mouseClick(dialog.refer_button, Qt.MouseButton.LeftButton)
        assert dialog.marks.message("feedback") == "Feedback is required."
        dialog.text_edit.setPlainText("Add the mentor's witness statement.")
        qtbot.mouseClick(dialog.refer_button, Qt.MouseButton.LeftButton)

    dialogs.append(refer)
    tab.assess_selected()
    row = next(i for i, e in enumerate(tab.model.rows()) if e.id == waiting.id)
    assert cell(tab, row, E.STATUS) == "✗ Referred"
    tooltip = tab.model.data(tab.model.index(row, E.STATUS), Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "Feedback: Add the mentor's witness statement."


@pytest.mark.parametrize(
    ("username", "records", "assesses", "signs_off"),  # records: New, Edit, Submit
    [
        ("tutor", True, False, False),
        ("assessor", True, True, True),
        ("coordinator", False, False, False),
        ("iqa", False, False, False),
        ("admin", True, False, False),
    ],
)
def test_each_role_is_offered_only_what_it_may_do(
    qtbot, demo, username, records, assesses, signs_off
):
    actor = sign_in(demo, username)
    tab = open_tab(qtbot, demo, actor, "Grace Adeyemi")
    assert tab.model.rowCount() > 0  # everyone may look
    assert tab.new_button.isVisibleTo(tab) is records
    assert tab.edit_button.isVisibleTo(tab) is records
    assert tab.submit_button.isVisibleTo(tab) is records
    assert tab.assess_button.isVisibleTo(tab) is assesses
    assert tab.return_button.isVisibleTo(tab) is assesses
    assert tab.sign_off_button.isVisibleTo(tab) is signs_off
    assert tab.revoke_button.isVisibleTo(tab) is signs_off


def test_an_opened_piece_is_read_only_once_assessed(qtbot, demo, dialogs):
    assessor = sign_in(demo, "assessor")
    tab = open_tab(qtbot, demo, assessor, "Grace Adeyemi")
    accepted = next(e for e in tab.model.rows() if e.status == "accepted")
    tab.select_evidence(accepted.id)
    seen: list[EvidenceDialog] = []

    def look(dialog):
        seen.append(dialog)
        assert dialog.title_edit.isReadOnly()
        assert not dialog.add_files_button.isEnabled()
        assert not dialog.submit_button.isVisibleTo(dialog)
        assert "Accepted" in dialog.status_label.text()
        assert set(dialog.coverage()) == set(accepted.coverage)
        dialog.reject()

    dialogs.append(look)
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    assert seen


def untick(dialog, ref, number=None):
    item = next(i for i in dialog.coverage_items() if i.data(0, COVERAGE_ROLE) == (ref, number))
    item.setCheckState(0, Qt.CheckState.Unchecked)


def piece_input(row, apprentice):
    """The service's input for a piece as listed, to change a field of it."""
    return EvidenceInput(
        apprentice_id=apprentice,
        on_date=row.on_date,
        method=row.method,
        title=row.title,
        context=row.context,
        placement_id=row.placement_id,
        description=row.description,
        coverage=row.coverage,
    )


def test_submitted_evidence_is_corrected_in_the_dialog_and_the_list_shows_it(qtbot, demo, dialogs):
    tutor = sign_in(demo, "tutor")
    tab = open_tab(qtbot, demo, tutor, "Harvey Singh")
    waiting = next(e for e in tab.model.rows() if e.status == "submitted")
    assert tab.select_evidence(waiting.id)
    assert tab.edit_button.isEnabled()
    new_day = waiting.on_date - timedelta(days=3)

    def correct(dialog):
        assert dialog.editing
        assert dialog.windowTitle() == f"Edit evidence: {waiting.title}"
        # Everything as saved, ready to change.
        assert dialog.title_edit.text() == waiting.title
        assert not dialog.title_edit.isReadOnly()
        assert dialog.date_edit.isEnabled()
        assert dialog.date_edit.date() == to_qdate(waiting.on_date)
        assert dialog.method_combo.currentData() == waiting.method
        assert dialog.placement_combo.currentData() == waiting.placement_id
        assert dialog.placement_combo.isEnabled()
        assert set(dialog.coverage()) == set(waiting.coverage)
        assert "Submitted" in dialog.status_label.text()
        assert not dialog.submit_button.isVisibleTo(dialog)  # it is submitted already
        dialog.title_edit.clear()
        qtbot.keyClicks(dialog.title_edit, "Observed a safe transfer on Ward 12")
        dialog.date_edit.setDate(to_qdate(new_day))
        untick(dialog, "B5")
        dialog.check("A3")
        qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)

    dialogs.append(correct)
    with qtbot.waitSignal(tab.changed):
        qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)

    row = next(i for i, e in enumerate(tab.model.rows()) if e.id == waiting.id)
    assert cell(tab, row, E.TITLE) == "Observed a safe transfer on Ward 12"
    assert tab.model.rows()[row].on_date == new_day
    assert cell(tab, row, E.COVERS) == "A1; A2; A3; A4; A5; B4"
    assert cell(tab, row, E.STATUS) == "→ Submitted"
    assert tab.message_label.text() == "Changes saved."


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, on showing
def test_a_double_click_edits_a_draft_once_and_its_files_are_listed(qtbot, demo, dialogs, tmp_path):
    tutor = sign_in(demo, "tutor")
    harvey = apprentice_id(demo, tutor, "Harvey Singh")
    listed = evidence_book(demo, tutor, harvey).evidence[0]
    first = tmp_path / "observation notes.txt"
    first.write_text("Observed on the ward.", encoding="utf-8")
    draft = record_evidence(
        demo, tutor, replace(piece_input(listed, harvey), title="Draft with notes"), [first]
    )
    tab = open_tab(qtbot, demo, tutor, "Harvey Singh")
    second = tmp_path / "mentor statement.txt"
    second.write_text("Harvey worked safely.", encoding="utf-8")

    def add_a_file(dialog):
        assert dialog.editing
        assert dialog.files_list.count() == 1
        assert dialog.files_list.item(0).text().startswith("observation notes.txt")
        assert drop_files(dialog, [second])
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)

    dialogs.append(add_a_file)  # a second dialog would fail the test
    tab.resize(1000, 600)
    tab.show()
    qtbot.waitExposed(tab)
    assert tab.select_evidence(draft)
    middle = tab.table.visualRect(tab.table.currentIndex()).center()
    # A real double-click: a press and release, then the second press.
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    saved = next(e for e in tab.model.rows() if e.id == draft)
    assert [a.name for a in saved.attachments] == ["observation notes.txt", "mentor statement.txt"]
    assert saved.status == "submitted"
    assert not dialogs


def test_accepted_evidence_cannot_be_edited_and_the_button_says_why(qtbot, demo, dialogs):
    tutor = sign_in(demo, "tutor")
    tab = open_tab(qtbot, demo, tutor, "Grace Adeyemi")
    accepted = next(e for e in tab.model.rows() if e.status == "accepted")
    assert tab.select_evidence(accepted.id)
    assert not tab.edit_button.isEnabled()
    assert "sign-off of units A1, A2, A4, A5 and B4" in tab.edit_button.toolTip()
    assert "revoked" in tab.edit_button.toolTip()

    def look(dialog):
        assert not dialog.editing
        assert dialog.title_edit.isReadOnly()
        assert not dialog.draft_button.isVisibleTo(dialog)
        dialog.reject()

    dialogs.append(look)  # a double-click on it only shows it
    tab.activate_evidence()
    assert not dialogs
    assert next(e for e in tab.model.rows() if e.id == accepted.id) == accepted


def test_an_assessor_returns_accepted_evidence_so_it_can_be_corrected(qtbot, demo, dialogs):
    assessor = sign_in(demo, "assessor")
    tab = open_tab(qtbot, demo, assessor, "Harvey Singh")
    waiting = next(e for e in tab.model.rows() if e.status == "submitted")
    tab.select_evidence(waiting.id)
    dialogs.append(lambda dialog: qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton))
    tab.assess_selected()
    assert tab.select_evidence(waiting.id)
    assert not tab.edit_button.isEnabled()
    assert "an assessor must return it" in tab.edit_button.toolTip()
    assert tab.return_button.isEnabled()

    def give_reason(dialog):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.marks.message("reason") == "Reason is required."
        dialog.text_edit.setPlainText("The date is a day out.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    dialogs.append(give_reason)
    qtbot.mouseClick(tab.return_button, Qt.MouseButton.LeftButton)
    row = next(i for i, e in enumerate(tab.model.rows()) if e.id == waiting.id)
    assert cell(tab, row, E.STATUS) == "✗ Referred"
    assert "returned for correction" in tab.message_label.text()
    assert tab.select_evidence(waiting.id)
    assert tab.edit_button.isEnabled()


def test_the_return_button_waits_for_a_sign_off_to_be_revoked(qtbot, demo):
    assessor = sign_in(demo, "assessor")
    tab = open_tab(qtbot, demo, assessor, "Grace Adeyemi")
    accepted = next(e for e in tab.model.rows() if e.status == "accepted")
    assert tab.select_evidence(accepted.id)
    assert not tab.return_button.isEnabled()
    assert "revoke the sign-off first" in tab.return_button.toolTip()


def test_a_stale_edit_is_refused_in_the_dialog_and_the_form_is_kept(qtbot, demo, dialogs):
    tutor = sign_in(demo, "tutor")
    assessor = sign_in(demo, "assessor")
    tab = open_tab(qtbot, demo, tutor, "Harvey Singh")
    waiting = next(e for e in tab.model.rows() if e.status == "submitted")
    tab.select_evidence(waiting.id)
    seen = []

    def edit_meanwhile(dialog):
        seen.append(dialog)
        update_evidence(
            demo,
            assessor,
            waiting.id,
            replace(piece_input(waiting, tab.apprentice_id), title="The assessor's correction"),
            expected_version=waiting.version,
        )
        dialog.title_edit.clear()
        qtbot.keyClicks(dialog.title_edit, "My correction")
        qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)

    dialogs.append(edit_meanwhile)
    tab.edit_selected()
    [dialog] = seen
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "saved this piece of evidence" in dialog.error_label.text()
    assert "Your changes are kept in the form" in dialog.error_label.text()
    assert dialog.title_edit.text() == "My correction"
    assert evidence_book(demo, tutor, tab.apprentice_id).evidence[0].title == (
        "The assessor's correction"
    )


def test_a_bad_correction_is_marked_at_its_field_and_nothing_changes(qtbot, demo):
    tutor = sign_in(demo, "tutor")
    harvey = apprentice_id(demo, tutor, "Harvey Singh")
    book = evidence_book(demo, tutor, harvey)
    waiting = next(e for e in book.evidence if e.status == "submitted")
    dialog = EvidenceDialog(demo, tutor, book, [], waiting, edit=True)
    qtbot.addWidget(dialog)
    for ref, number in waiting.coverage:
        untick(dialog, ref, number)
    dialog.title_edit.clear()
    qtbot.keyClicks(dialog.title_edit, "Changed title")
    qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)
    assert "Choose the units or criteria" in dialog.marks.message("coverage")
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.title_edit.text() == "Changed title"
    assert evidence_book(demo, tutor, harvey).evidence == book.evidence


def test_a_unit_no_longer_chosen_is_shown_ticked_until_taken_off(qtbot, demo, dialogs):
    tutor = sign_in(demo, "tutor")
    harvey = apprentice_id(demo, tutor, "Harvey Singh")
    book = evidence_book(demo, tutor, harvey)
    listed = book.evidence[0]
    optional = [u.ref for u in book.units if not u.mandatory]
    draft = record_evidence(
        demo,
        tutor,
        replace(
            piece_input(listed, harvey), title="Covers B1", coverage=[("A1", None), ("B1", None)]
        ),
    )
    choose_units(demo, tutor, harvey, [ref for ref in optional if ref != "B1"])
    tab = open_tab(qtbot, demo, tutor, "Harvey Singh")
    tab.select_evidence(draft)

    def take_it_off(dialog):
        [gone] = [i for i in dialog.coverage_items() if i.data(0, COVERAGE_ROLE) == ("B1", None)]
        assert gone.text(0) == "B1 (no longer one of Harvey Singh's units)"
        assert gone.checkState(0) == Qt.CheckState.Checked
        qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)
        assert "Unit B1 is not one of Harvey Singh's units" in dialog.marks.message("coverage")
        untick(dialog, "B1")
        qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)

    dialogs.append(take_it_off)
    tab.edit_selected()
    assert next(e for e in tab.model.rows() if e.id == draft).coverage == (("A1", None),)
