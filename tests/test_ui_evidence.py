"""The evidence tab and its dialogs on the demo database: evidence is recorded (with a
file dropped on the dialog), submitted, assessed and units signed off and revoked
through the dialogs; bad input is marked at its field; roles see only what they may do."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QUrl

from assessor_app.paths import AppPaths
from assessor_app.services import catalogue, passwords, users
from assessor_app.services.apprentice_queries import list_apprentices
from assessor_app.services.demo import ACCOUNTS, build_demo
from assessor_app.services.evidence_queries import evidence_book
from assessor_app.startup import open_app_database
from assessor_app.ui import workers
from assessor_app.ui.dialogs.evidence_dialog import AssessDialog, EvidenceDialog, NoteDialog
from assessor_app.ui.models.evidence_table_model import EvidenceTableModel, UnitSignOffModel
from assessor_app.ui.pages import evidence_tab
from assessor_app.ui.pages.evidence_tab import EvidenceTab
from assessor_app.ui.qt import QDialog, QDragEnterEvent, QDropEvent, Qt

FAST = passwords.ScryptParams(log2_n=10, r=8, p=1)
ACCOUNT = {account.username: account for account in ACCOUNTS}
E = EvidenceTableModel
U = UnitSignOffModel


@pytest.fixture(autouse=True)
def _inline_tasks(monkeypatch):
    workers.use_pool(workers.InlinePool())
    # Signing in would otherwise re-hash the demo's quick passwords at full strength.
    monkeypatch.setattr(passwords, "CURRENT", FAST)
    yield
    workers.use_pool(None)


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    """The demo database built once; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "CURRENT", FAST)
        database = open_app_database(AppPaths(folder))
        build_demo(database)
        database.dispose()
    return folder


@pytest.fixture
def demo(demo_folder, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(demo_folder, copy)
    database = open_app_database(AppPaths(copy))
    yield database
    database.dispose()


def sign_in(db, username):
    return users.sign_in(db, username, ACCOUNT[username].password)


def apprentice_id(db, actor, name):
    return next(r.id for r in list_apprentices(db, actor) if r.name == name)


@pytest.fixture
def dialogs(monkeypatch):
    """Dialogs the tab opens are handed, in turn, to the functions queued here,
    which fill them in as a person would; the dialog's own result is returned."""
    queue: list[Callable[[QDialog], None]] = []

    def run(dialog: QDialog) -> bool:
        assert queue, f"an unexpected {type(dialog).__name__} was opened"
        queue.pop(0)(dialog)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(evidence_tab, "run_dialog", run)
    return queue


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

    # Files can still be added to a draft from the opened dialog.
    notes = tmp_path / "shift notes.txt"
    notes.write_text("Notes written after the shift.", encoding="utf-8")

    def attach(dialog):
        assert dialog.title_edit.isReadOnly()
        assert dialog.add_files_button.isEnabled()
        dialog.add_files([notes])
        qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)

    dialogs.append(attach)
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
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
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    dialogs.append(accept)
    qtbot.mouseClick(tab.assess_button, Qt.MouseButton.LeftButton)
    accepted = next(e for e in tab.model.rows() if e.id == waiting.id)
    assert accepted.status == "accepted"
    assert tab.message_label.text() == "Assessment saved."
    assert unit_cell(tab, "A1", U.SIGNED_OFF) == "Ready to sign off"

    # A1 has no criteria in the demo catalogue: the sign-off needs a judgement.
    def judge(dialog):
        assert isinstance(dialog, NoteDialog)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert "record your judgement" in dialog.marks.message("judgement")
        assert dialog.result() != QDialog.DialogCode.Accepted
        dialog.text_edit.setPlainText("The observation shows A1 in full.")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert tab.select_unit("A1")
    assert tab.sign_off_button.isEnabled() and not tab.revoke_button.isEnabled()
    dialogs.append(judge)
    qtbot.mouseClick(tab.sign_off_button, Qt.MouseButton.LeftButton)
    assert unit_cell(tab, "A1", U.SIGNED_OFF).startswith("✓ Signed off")
    assert "1 of 17 units signed off" in tab.summary_label.text()

    def revoke(dialog):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.marks.message("reason") == "Reason is required."
        dialog.text_edit.setPlainText("Signed off against the wrong apprentice's record.")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

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
    ("username", "records", "assesses", "signs_off"),
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
    assert tab.submit_button.isVisibleTo(tab) is records
    assert tab.assess_button.isVisibleTo(tab) is assesses
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
