"""Quality assurance sampling on the evidence tab (demo database): the internal quality
assurer samples assessed evidence and signed-off units through a small dialog; the
lists, the dialogs and the history show the samples; bad input is marked at its field
and keeps what was typed; only those who sample are offered it, and only for decisions
an assessor has made."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import click, open_in_window, open_record_tab, queue_dialogs, sign_in

from assessor_app.domain.dates import format_date
from assessor_app.services.apprentice_queries import apprentice_history
from assessor_app.services.evidence import revoke_sign_off
from assessor_app.services.evidence_queries import evidence_book
from assessor_app.ui.dialogs.iqa_dialog import SampleDialog
from assessor_app.ui.models.evidence_table_model import EvidenceTableModel, UnitSignOffModel
from assessor_app.ui.models.history_table_model import HistoryTableModel
from assessor_app.ui.pages import evidence_tab
from assessor_app.ui.pages.evidence_tab import EvidenceTab
from assessor_app.ui.pages.record_tab import to_qdate
from assessor_app.ui.qt import QDialog, Qt

E = EvidenceTableModel
U = UnitSignOffModel
TODAY = date.today()  # the demo's dates are relative to today
TOOLTIP = Qt.ItemDataRole.ToolTipRole


pytestmark = pytest.mark.usefixtures("inline_tasks")


@pytest.fixture
def dialogs(monkeypatch):
    """Dialogs the tab opens are handed, in turn, to the functions queued here."""
    return queue_dialogs(monkeypatch, evidence_tab)


def open_tab(qtbot, db, username, name="Grace Adeyemi"):
    return open_record_tab(qtbot, EvidenceTab, db, username, name, today=TODAY)


def evidence_cell(tab, evidence_id, column, role=Qt.ItemDataRole.DisplayRole):
    row = next(i for i, e in enumerate(tab.model.rows()) if e.id == evidence_id)
    return tab.model.data(tab.model.index(row, column), role)


def unit_cell(tab, ref, column, role=Qt.ItemDataRole.DisplayRole):
    row = next(i for i, u in enumerate(tab.unit_model.rows()) if u.ref == ref)
    return tab.unit_model.data(tab.unit_model.index(row, column), role)


def history_lines(db, actor, apprentice):
    model = HistoryTableModel()
    model.set_rows(apprentice_history(db, actor, apprentice))
    return [model.data(model.index(r, HistoryTableModel.WHAT)) for r in range(model.rowCount())]


def test_iqa_agrees_with_accepted_evidence_and_the_list_dialog_and_history_show_it(
    qtbot, demo, dialogs
):
    tab = open_tab(qtbot, demo, "iqa")
    piece = next(e for e in tab.model.rows() if e.status == "accepted")
    assert evidence_cell(tab, piece.id, E.IQA) is None  # not sampled yet
    tab.select_evidence(piece.id)
    assert tab.sample_button.isVisibleTo(tab) and tab.sample_button.isEnabled()
    sampled_on = TODAY - timedelta(days=1)

    def agree(dialog):
        assert isinstance(dialog, SampleDialog)
        assert piece.title in dialog.windowTitle()
        assert dialog.earlier.toPlainText() == "Not sampled before."
        dialog.agreed_radio.setChecked(True)
        dialog.date_edit.setDate(to_qdate(sampled_on))
        qtbot.keyClicks(dialog.comments_edit, "Clear observation, criteria well referenced.")
        click(qtbot, dialog.save_button)

    dialogs.append(agree)
    tab.sample_button.click()
    assert tab.message_label.text() == f"Sample of “{piece.title}” saved."
    assert evidence_cell(tab, piece.id, E.IQA) == f"Agreed {format_date(sampled_on)}"
    tooltip = evidence_cell(tab, piece.id, E.IQA, TOOLTIP)
    assert "Indira Shah" in tooltip and "Clear observation" in tooltip
    assert tab.selected_evidence().id == piece.id  # the choice survives the reload
    lines = history_lines(demo, tab._actor, tab.apprentice_id)
    assert (
        "Sampled by the internal quality assurer: agreed, "
        "Clear observation, criteria well referenced."
    ) in lines

    # The next sample shows this one as earlier, and the opened piece lists it.
    def look(dialog):
        assert "Clear observation, criteria well referenced." in dialog.earlier.toPlainText()
        dialog.reject()

    dialogs.append(look)
    tab.sample_button.click()

    def opened(dialog):
        assert "Clear observation, criteria well referenced." in dialog.status_label.text()
        dialog.reject()

    dialogs.append(opened)
    tab.open_evidence()
    assert dialogs == []


def test_action_required_without_comments_is_marked_at_comments_and_nothing_is_saved(
    qtbot, demo, dialogs
):
    tab = open_tab(qtbot, demo, "iqa")
    piece = next(e for e in tab.model.rows() if e.status == "accepted")
    tab.select_evidence(piece.id)

    def act(dialog):
        click(qtbot, dialog.save_button)  # no decision yet
        assert dialog.marks.message("decision") == "Choose Agreed or Action required."
        dialog.action_radio.setChecked(True)
        click(qtbot, dialog.save_button)
        assert dialog.marks.message("comments") == "Comments is required."
        assert dialog.marks.message("decision") == ""
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert evidence_book(demo, tab._actor, tab.apprentice_id).evidence[0].samples == ()
        qtbot.keyClicks(dialog.comments_edit, "Witness statement missing; add it by Friday.")
        click(qtbot, dialog.save_button)

    dialogs.append(act)
    tab.sample_button.click()
    assert evidence_cell(tab, piece.id, E.IQA) == f"Action required {format_date(TODAY)}"
    assert "Witness statement missing" in evidence_cell(tab, piece.id, E.IQA, TOOLTIP)


def test_a_unit_is_sampled_only_once_signed_off_and_earlier_samples_are_shown(qtbot, demo, dialogs):
    tab = open_tab(qtbot, demo, "iqa")
    open_unit = next(u for u in tab.unit_model.rows() if u.signed_off_on is None)
    tab.select_unit(open_unit.ref)
    assert tab.sample_unit_button.isVisibleTo(tab)
    assert not tab.sample_unit_button.isEnabled()
    assert tab.sample_unit_button.toolTip() == "Only a signed-off unit can be sampled"
    tab.sample_unit_selected()  # nothing opens (the dialogs queue is empty)

    # The demo's quality assurer agreed with A1 when it was signed off.
    assert unit_cell(tab, "A1", U.IQA).startswith("Agreed ")
    assert "Judgements sound" in unit_cell(tab, "A1", U.IQA, TOOLTIP)
    tab.select_unit("A1")
    assert tab.sample_unit_button.isEnabled()

    def sample(dialog):
        assert dialog.windowTitle() == "Sample unit A1"
        assert "Judgements sound and well evidenced." in dialog.earlier.toPlainText()
        dialog.action_radio.setChecked(True)
        qtbot.keyClicks(dialog.comments_edit, "Judgement too brief for LO3.")
        click(qtbot, dialog.save_button)

    dialogs.append(sample)
    tab.sample_unit_button.click()
    assert tab.message_label.text() == "Sample of unit A1 saved."
    assert unit_cell(tab, "A1", U.IQA) == f"Action required {format_date(TODAY)}"
    tooltip = unit_cell(tab, "A1", U.IQA, TOOLTIP)
    assert tooltip.index("Judgement too brief") < tooltip.index("Judgements sound")
    assert tab.selected_unit().ref == "A1"


def test_evidence_not_yet_assessed_is_not_offered(qtbot, demo):
    tab = open_tab(qtbot, demo, "iqa", "Harvey Singh")
    waiting = next(e for e in tab.model.rows() if e.status == "submitted")
    tab.select_evidence(waiting.id)
    assert not tab.sample_button.isEnabled()
    assert "accepted or referred" in tab.sample_button.toolTip()
    tab.sample_selected()  # nothing opens
    assert evidence_book(demo, tab._actor, tab.apprentice_id).evidence[0].samples == ()


def test_a_refusal_is_shown_in_the_dialog_and_what_was_typed_stays(qtbot, demo, dialogs):
    tab = open_tab(qtbot, demo, "iqa")
    tab.select_unit("B4")
    assessor = sign_in(demo, "assessor")

    def sample(dialog):
        dialog.agreed_radio.setChecked(True)
        qtbot.keyClicks(dialog.comments_edit, "Sound.")
        # Meanwhile the assessor withdraws the sign-off.
        revoke_sign_off(demo, assessor, tab.apprentice_id, "B4", "Wrong unit signed.")
        click(qtbot, dialog.save_button)
        assert dialog.message.isVisibleTo(dialog)
        assert dialog.message.text() == "Unit B4 has not been assessed (signed off)."
        assert dialog.comments_edit.toPlainText() == "Sound."
        assert dialog.agreed_radio.isChecked()
        assert dialog.result() != QDialog.DialogCode.Accepted
        dialog.reject()

    dialogs.append(sample)
    tab.sample_unit_button.click()
    assert unit_cell(tab, "B4", U.IQA) is None


@pytest.mark.parametrize(
    ("username", "samples"),
    [
        ("iqa", True),
        ("assessor", False),
        ("tutor", False),
        ("coordinator", False),
        ("admin", False),
    ],
)
def test_only_quality_assurers_are_offered_sampling(qtbot, demo, username, samples):
    tab = open_tab(qtbot, demo, username)
    assert tab.sample_button.isVisibleTo(tab) is samples
    assert tab.sample_unit_button.isVisibleTo(tab) is samples
    # Everyone who may look sees the samples taken.
    assert unit_cell(tab, "A1", U.IQA).startswith("Agreed ")


def test_a_quality_assurer_reaches_the_evidence_tab_from_the_window(qtbot, demo, tmp_path):
    _window, page, titles = open_in_window(qtbot, demo, "iqa", tmp_path)
    index = titles.index("Evidence")
    assert page.tabs.isTabVisible(index) and page.tabs.isTabEnabled(index)
    tab = page.evidence_tab
    assert tab.model.rowCount() > 0
    assert tab.sample_button.isVisibleTo(tab) and tab.sample_unit_button.isVisibleTo(tab)
    assert not tab.new_button.isVisibleTo(tab) and not tab.assess_button.isVisibleTo(tab)
