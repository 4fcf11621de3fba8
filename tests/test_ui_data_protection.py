"""An apprentice's Data protection tab, for administrators: the retention date and
why the record is kept, a legal hold placed and lifted (audited), an erasure request
that restricts processing and its lifting, the subject access zip written off the
window's thread, erasure only once the surname is typed, and the list of everyone
past retention. Other roles never see the tab. No real file dialog or modal dialog
opens: the functions that ask are replaced."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from conftest import apprentice_input, click
from sqlalchemy import select

from assessor_app.services.apprentice_record_queries import apprentice_profile
from assessor_app.services.apprentices import change_status, enrol_apprentice, update_apprentice
from assessor_app.services.cohorts import CohortInput, create_cohort
from assessor_app.services.evidence import EvidenceInput, record_evidence
from assessor_app.services.organisations import OrganisationInput, create_organisation
from assessor_app.services.records import ProcessingRestricted
from assessor_app.services.retention import retention_state, set_legal_hold
from assessor_app.services.roles import Actor, Role
from assessor_app.store import models
from assessor_app.ui.dialogs.retention_due_dialog import RetentionDueDialog, RetentionDueModel
from assessor_app.ui.main_window import MainWindow
from assessor_app.ui.pages import data_protection_tab
from assessor_app.ui.pages.apprentice_page import ApprenticePage
from assessor_app.ui.pages.data_protection_tab import DataProtectionTab, EraseDialog
from assessor_app.ui.qt import QLabel, QSettings, Qt

ADMIN = Actor(None, "admin", Role.ADMIN)
COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
TUTOR = Actor(None, "tutor", Role.TUTOR)
COMPLETED = date(2027, 4, 1)
INSIDE = date(2030, 6, 1)  # within the six years
AFTER = date(2033, 4, 2)  # six years and a day after completing
NOTES = b"%PDF-1.4\n% Sam Smith's reflective account\n"


pytestmark = pytest.mark.usefixtures("inline_tasks")


@pytest.fixture
def sam(db, world, tmp_path):
    """Sam Smith, who completed on 1 April 2027, with a piece of evidence and its file."""
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    (tmp_path / "account.pdf").write_bytes(NOTES)
    record_evidence(
        db,
        TUTOR,
        EvidenceInput(
            apprentice_id=apprentice,
            on_date=date(2026, 2, 10),
            method="reflective_account",
            context="college",
            title="Sam Smith's account of a breakfast shift",
            coverage=[("A4", None)],
        ),
        [tmp_path / "account.pdf"],
        today=date(2026, 11, 23),
    )
    change_status(db, COORDINATOR, apprentice, "completed", COMPLETED, "Finished the programme")
    return apprentice


def make(qtbot, db, apprentice, today, actor=ADMIN):
    tab = DataProtectionTab(db, actor, apprentice, today=today)
    qtbot.addWidget(tab)
    assert tab.loaded
    return tab


def actions(db, apprentice):
    """The audit trail of the apprentice's record, oldest first, as (action, detail)."""
    with db.reading() as session:
        return [
            (e.action, json.loads(e.detail))
            for e in session.scalars(
                select(models.AuditEntry)
                .where(models.AuditEntry.entity == "apprentice")
                .where(models.AuditEntry.entity_id == str(apprentice))
                .order_by(models.AuditEntry.id)
            )
        ]


def tab_titles(page):
    return [page.tabs.tabText(i) for i in range(page.tabs.count())]


# Who sees it


def test_an_administrator_has_the_tab_before_history(qtbot, db, sam):
    page = ApprenticePage(db, ADMIN, sam, today=INSIDE)
    qtbot.addWidget(page)
    page.add_record_tabs()
    titles = tab_titles(page)
    assert titles[-2:] == ["Data pro&tection", "&History"]
    assert page.data_protection_tab is page.tabs.widget(titles.index("Data pro&tection"))
    tab = page.data_protection_tab
    for control in (tab.hold_button, tab.export_button, tab.erase_button, tab.due_button):
        assert control.isVisibleTo(tab)


@pytest.mark.parametrize("role", [Role.TUTOR, Role.ASSESSOR, Role.COORDINATOR, Role.IQA])
def test_other_roles_never_see_the_tab(qtbot, db, sam, role):
    page = ApprenticePage(db, Actor(None, role.value, role), sam, today=INSIDE)
    qtbot.addWidget(page)
    page.add_record_tabs()
    assert "Data pro&tection" not in tab_titles(page)
    assert page.data_protection_tab is None
    assert page.findChild(DataProtectionTab) is None


# Retention and legal hold


def test_the_retention_date_and_why_the_record_is_kept_are_shown(qtbot, db, sam):
    tab = make(qtbot, db, sam, INSIDE)
    assert tab.headline_label.text() == "Kept until 1 Apr 2033."
    assert tab.status_label.text() == "Completed on 1 Apr 2027"
    assert tab.keep_until_label.text().startswith("1 Apr 2033 (6 years after they left")
    assert tab.why_label.text() == "The records must be kept until 1 Apr 2033."
    assert not tab.erase_button.isEnabled()
    assert tab.erase_label.text() == "Not yet. The records must be kept until 1 Apr 2033."


def test_an_apprentice_still_on_the_programme_has_no_date_yet(qtbot, db, world):
    apprentice = enrol_apprentice(
        db, COORDINATOR, apprentice_input(world, given_name="Ali", uln="1000000019")
    )
    tab = make(qtbot, db, apprentice, INSIDE)
    assert tab.headline_label.text() == "Kept: still on the programme."
    assert tab.keep_until_label.text().startswith("Not set yet: 6 years from the day")
    assert "retention period has not started" in tab.why_label.text()


def test_a_legal_hold_needs_a_reason_then_is_placed_and_lifted_and_audited(qtbot, db, sam):
    tab = make(qtbot, db, sam, AFTER)
    assert tab.erase_button.isEnabled()  # past the date with nothing keeping it
    assert tab.hold_label.text() == "Off"
    before = actions(db, sam)

    click(qtbot, tab.hold_button)
    assert tab.hold_marks.message("reason") == "Reason is required."
    assert tab.hold_label.text() == "Off"
    assert not retention_state(db, ADMIN, sam).legal_hold
    assert actions(db, sam) == before

    qtbot.keyClicks(tab.hold_reason_edit, "Funding audit 2033")
    click(qtbot, tab.hold_button)
    assert tab.hold_marks.message("reason") == ""
    assert tab.message_label.text().startswith("Legal hold placed")
    assert tab.hold_label.text() == "On: Funding audit 2033"
    assert tab.hold_button.text() == "Lift legal &hold"
    assert tab.hold_reason_edit.text() == ""
    assert tab.headline_label.text() == "Kept: under a legal hold."
    assert "legal hold (Funding audit 2033)" in tab.why_label.text()
    assert not tab.erase_button.isEnabled()
    assert retention_state(db, ADMIN, sam).legal_hold
    action, detail = actions(db, sam)[-1]
    assert action == "apprentice.legal_hold"
    assert detail["reason"] == "Funding audit 2033"

    click(qtbot, tab.hold_button)  # lifting needs no reason
    assert tab.hold_label.text() == "Off"
    assert tab.message_label.text().startswith("Legal hold lifted")
    assert tab.erase_button.isEnabled()
    assert not retention_state(db, ADMIN, sam).legal_hold
    assert actions(db, sam)[-1][0] == "apprentice.legal_hold_lifted"


def test_a_hold_placed_elsewhere_shows_on_reload(qtbot, db, sam):
    tab = make(qtbot, db, sam, INSIDE)
    set_legal_hold(db, ADMIN, sam, hold=True, reason="Employment tribunal claim")
    tab.reload()
    assert tab.hold_label.text() == "On: Employment tribunal claim"


# Restriction


def test_an_erasure_request_restricts_processing_until_lifted_with_a_reason(qtbot, db, world, sam):
    tab = make(qtbot, db, sam, INSIDE)
    assert tab.restriction_label.text().startswith("Not restricted")
    qtbot.keyClicks(tab.restriction_reason_edit, "Asked by letter")
    click(qtbot, tab.restriction_button)
    assert tab.message_label.text().startswith("The erasure request was recorded.")
    shown = tab.restriction_label.text()
    assert shown.startswith("Restricted since 1 Jun 2030. Erasure requested.")
    assert "kept until 1 Apr 2033" in shown
    assert "Processing is restricted." in tab.headline_label.text()
    assert tab.restriction_button.text() == "&Lift restriction"
    with pytest.raises(ProcessingRestricted):
        update_apprentice(db, COORDINATOR, sam, apprentice_input(world, family_name="Jones"))

    click(qtbot, tab.restriction_button)
    assert tab.restriction_marks.message("reason") == "Reason is required."
    assert retention_state(db, ADMIN, sam).processing_restricted

    qtbot.keyClicks(tab.restriction_reason_edit, "Request withdrawn")
    click(qtbot, tab.restriction_button)
    assert tab.restriction_label.text().startswith("Not restricted")
    assert not retention_state(db, ADMIN, sam).processing_restricted
    assert actions(db, sam)[-1] == (
        "apprentice.restriction_lifted",
        {"reason": "Request withdrawn"},
    )


def test_a_request_is_not_offered_once_the_record_may_be_erased(qtbot, db, sam):
    tab = make(qtbot, db, sam, AFTER)
    assert not tab.restriction_button.isVisibleTo(tab)
    assert tab.erase_button.isEnabled()


# Subject access


def choose_path(monkeypatch, answer):
    asked = []

    def ask(_parent, suggested):
        asked.append(suggested)
        return answer

    monkeypatch.setattr(data_protection_tab, "ask_export_path", ask)
    return asked


def test_the_export_writes_everything_held_to_a_zip(qtbot, db, sam, tmp_path, monkeypatch):
    tab = make(qtbot, db, sam, INSIDE)
    out = tmp_path / "out" / "sam.zip"
    out.parent.mkdir()
    asked = choose_path(monkeypatch, out)
    click(qtbot, tab.export_button)

    assert asked[0].name == "subject-access-sam-smith-2030-06-01.zip"
    assert tab.message_label.text().startswith(
        f"Everything held about Sam Smith was saved as {out}"
    )
    assert not tab.export_busy.isVisibleTo(tab)
    assert tab.export_button.isEnabled()
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
        record = json.loads(package.read("record.json"))
        attachments = [n for n in names if n.startswith("attachments/")]
        assert {"record.json", "progress-report.pdf", "record.xlsx"} <= set(names)
        assert package.read("progress-report.pdf").startswith(b"%PDF")
        assert len(attachments) == 1
        assert package.read(attachments[0]) == NOTES
    assert record["apprentice"]["family_name"] == "Smith"
    assert [e["title"] for e in record["evidence"]] == ["Sam Smith's account of a breakfast shift"]
    assert actions(db, sam)[-1][0] == "apprentice.subject_access_export"
    assert list(out.parent.iterdir()) == [out]  # no half-written file left beside it


def test_a_cancelled_export_writes_nothing(qtbot, db, sam, tmp_path, monkeypatch):
    tab = make(qtbot, db, sam, INSIDE)
    choose_path(monkeypatch, None)
    before = actions(db, sam)
    click(qtbot, tab.export_button)
    assert tab.message_label.text() == ""
    assert actions(db, sam) == before


def test_an_export_that_cannot_be_written_is_explained(qtbot, db, sam, tmp_path, monkeypatch):
    tab = make(qtbot, db, sam, INSIDE)
    out = tmp_path / "no such folder" / "sam.zip"
    choose_path(monkeypatch, out)
    click(qtbot, tab.export_button)
    message = tab.message_label.text()
    assert message.startswith(f"Nothing was exported. {out} could not be written")
    assert message.endswith("Choose another folder.")
    assert "bold" in tab.message_label.styleSheet()  # shown as a refusal
    assert tab.export_button.isEnabled()
    assert not out.exists()


# Erasure


def erase_with(monkeypatch, typed, *, press_anyway=False):
    """Replace run_dialog: type into the surname box, then press Erase (or Cancel)."""
    seen: list[EraseDialog] = []

    def run(dialog):
        seen.append(dialog)
        dialog.surname_edit.setText(typed)
        if dialog.save_button.isEnabled():
            dialog.save_button.click()
        elif press_anyway:
            dialog.save()  # Enter pressed in the box: the check still holds
        else:
            dialog.reject()
        return dialog.result() == EraseDialog.DialogCode.Accepted

    monkeypatch.setattr(data_protection_tab, "run_dialog", run)
    return seen


def test_erasure_waits_for_the_surname_then_the_record_shows_erased(qtbot, db, sam, monkeypatch):
    tab = make(qtbot, db, sam, AFTER)
    assert tab.headline_label.text() == (
        "Past retention since 1 Apr 2033: the personal data may now be erased."
    )

    seen = erase_with(monkeypatch, "Smyth", press_anyway=True)
    click(qtbot, tab.erase_button)
    dialog = seen[0]
    assert any("type their surname, Smith, below" in x.text() for x in dialog.findChildren(QLabel))
    assert not dialog.save_button.isEnabled()
    assert dialog.field_error("surname") == "Type the surname Smith exactly as shown, to confirm."
    assert retention_state(db, ADMIN, sam).erased_on is None
    assert apprentice_profile(db, ADMIN, sam).family_name == "Smith"
    assert tab.headline_label.text().startswith("Past retention since")

    erase_with(monkeypatch, " smith ")
    click(qtbot, tab.erase_button)
    assert retention_state(db, ADMIN, sam).erased_on == AFTER
    profile = apprentice_profile(db, ADMIN, sam)
    assert (profile.given_name, profile.family_name, profile.uln) == (
        "Erased",
        f"apprentice {sam}",
        None,
    )
    assert tab.message_label.text().startswith(
        "Their personal data was erased, from the record and from "
    )
    assert "; 1 evidence file removed." in tab.message_label.text()
    assert "Sam" not in tab.message_label.text()
    assert tab.headline_label.text() == "Personal data erased on 2 Apr 2033."
    assert tab.why_label.text() == "Their personal data was already erased on 2 Apr 2033."
    assert not tab.erase_button.isEnabled()
    assert not tab.hold_box.isVisibleTo(tab)  # nothing left to hold or restrict
    assert not tab.restriction_box.isVisibleTo(tab)
    assert actions(db, sam)[-1][0] == "apprentice.erase"


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, on showing
def test_ctrl_s_erases_only_once_the_surname_matches(qtbot, db, sam):
    dialog = EraseDialog(db, ADMIN, sam, "Sam Smith", "Smith", AFTER)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    ctrl_s = (Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    qtbot.keyClicks(dialog.surname_edit, "Smyth")
    qtbot.keyClick(dialog.surname_edit, *ctrl_s)  # does what the greyed button does: nothing
    assert dialog.isVisible()
    assert retention_state(db, ADMIN, sam).erased_on is None

    dialog.surname_edit.clear()
    qtbot.keyClicks(dialog.surname_edit, "Smith")
    qtbot.keyClick(dialog.surname_edit, *ctrl_s)
    assert dialog.result() == EraseDialog.DialogCode.Accepted
    assert retention_state(db, ADMIN, sam).erased_on == AFTER


def test_a_cancelled_erasure_changes_nothing(qtbot, db, sam, monkeypatch):
    tab = make(qtbot, db, sam, AFTER)
    erase_with(monkeypatch, "")
    before = actions(db, sam)
    click(qtbot, tab.erase_button)
    assert retention_state(db, ADMIN, sam).erased_on is None
    assert actions(db, sam) == before
    assert tab.erase_button.isEnabled()


def test_the_page_shows_the_erased_name_after_erasure(qtbot, db, sam, monkeypatch):
    page = ApprenticePage(db, ADMIN, sam, "Sam Smith", today=AFTER)
    qtbot.addWidget(page)
    page.add_record_tabs()
    erase_with(monkeypatch, "Smith")
    click(qtbot, page.data_protection_tab.erase_button)
    assert page.name_label.text() == f"Erased apprentice {sam}"


# Everyone past retention


def test_the_due_list_shows_who_is_past_retention(qtbot, db, world, sam):
    held = enrol_apprentice(
        db, COORDINATOR, apprentice_input(world, given_name="Ali", uln="1000000019")
    )
    change_status(db, COORDINATOR, held, "withdrawn", date(2026, 3, 1), "Moved away")
    set_legal_hold(db, ADMIN, held, hold=True, reason="Complaint")
    enrol_apprentice(db, COORDINATOR, apprentice_input(world, given_name="Bea", uln="1000000027"))

    dialog = RetentionDueDialog(db, ADMIN, AFTER)
    qtbot.addWidget(dialog)
    assert [s.name for s in dialog.rows()] == ["Sam Smith"]
    model = dialog.model
    cells = [
        model.data(model.index(0, column)) for column in range(RetentionDueModel.PROCESSING + 1)
    ]
    assert cells == [str(sam), "Sam Smith", "Completed", "1 Apr 2027", "1 Apr 2033", "1 day", ""]
    assert "6 years" in dialog.intro_label.text()
    assert not dialog.open_button.isVisibleTo(dialog)  # nowhere to open it

    empty = RetentionDueDialog(db, ADMIN, INSIDE)
    qtbot.addWidget(empty)
    assert empty.rows() == []
    assert empty.empty_label.text() == "No apprentice is past their retention date on 1 Jun 2030."
    assert not empty.table.isVisibleTo(empty)


@pytest.fixture
def long_gone(db, world):
    """Two apprentices who left in 2016 (past retention whatever today is) and one
    current apprentice, in the window's ordinary today."""
    college = create_organisation(
        db, COORDINATOR, OrganisationInput("Old College", "social_care", is_training_provider=True)
    )
    old = create_cohort(
        db,
        COORDINATOR,
        CohortInput(
            "Council 2015", world["council"], college, "L2-CARE", date(2015, 1, 5), Decimal("37")
        ),
    )
    ids = {}
    for given, uln, left in (
        ("Dee", "1000000035", date(2016, 4, 1)),
        ("Eve", "1000000043", date(2016, 5, 1)),
    ):
        ids[given] = enrol_apprentice(
            db,
            COORDINATOR,
            apprentice_input(
                world,
                given_name=given,
                uln=uln,
                date_of_birth=date(1990, 3, 1),
                cohort_id=old,
                start_date=date(2015, 1, 5),
                planned_end_date=date(2016, 4, 4),
            ),
        )
        change_status(db, COORDINATOR, ids[given], "completed", left, "")
    ids["Sam"] = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    return ids


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, on showing
def test_double_clicking_someone_past_retention_opens_their_record(
    qtbot, db, long_gone, tmp_path, monkeypatch
):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(db, settings, actor=ADMIN)
    qtbot.addWidget(window)
    window.open_apprentice(long_gone["Sam"], "Sam Smith")
    tab = window.apprentices.apprentice_page.data_protection_tab

    def run(dialog):
        dialog.show()
        assert [s.name for s in dialog.rows()] == ["Dee Smith", "Eve Smith"]
        assert dialog.open_button.isVisibleTo(dialog)
        assert "Double-click one to open their record" in dialog.intro_label.text()
        view = dialog.table
        index = view.model().index(1, RetentionDueModel.NAME)
        centre = view.visualRect(index).center()
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
        return dialog.result() == RetentionDueDialog.DialogCode.Accepted

    monkeypatch.setattr(data_protection_tab, "run_dialog", run)
    click(qtbot, tab.due_button)
    page = window.apprentices.apprentice_page
    assert page.apprentice_id == long_gone["Eve"]
    assert page.name_label.text() == "Eve Smith"
