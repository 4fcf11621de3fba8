"""Signing in (and the first run's administrator account), the signed-in window,
and the reports page: preview, export, and errors shown as messages."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import FAST
from pypdf import PdfReader

from assessor_app.paths import AppPaths
from assessor_app.reports.pdf_render import page_count
from assessor_app.services import passwords, users
from assessor_app.services.choice_lists import apprentice_choices, cohort_choices
from assessor_app.services.demo import ACCOUNTS, build_demo
from assessor_app.services.report_queries import cohort_details
from assessor_app.services.roles import Actor, Role
from assessor_app.startup import open_app_database
from assessor_app.ui import app as app_module
from assessor_app.ui.dialogs import sign_in as sign_in_module
from assessor_app.ui.dialogs.print_preview import PrintPreviewDialog
from assessor_app.ui.dialogs.sign_in import FirstAdminDialog, SignInDialog, ask_for_actor
from assessor_app.ui.main_window import MainWindow
from assessor_app.ui.pages.reports_page import ReportKind, ReportsPage
from assessor_app.ui.qt import QApplication, QDialog, QFileDialog, QMessageBox, QSettings, Qt

GOOD_PASSWORD = "kettle on at half past"
ACCOUNT = {account.username: account for account in ACCOUNTS}


pytestmark = pytest.mark.usefixtures("inline_tasks")


@pytest.fixture
def fresh_db(tmp_path):
    database = open_app_database(AppPaths(tmp_path / "fresh"))
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo database for the module: these tests only read it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "CURRENT", FAST)
        database = open_app_database(AppPaths(tmp_path_factory.mktemp("demo")))
        build_demo(database)
    yield database
    database.dispose()


@pytest.fixture
def admin(demo):
    return users.sign_in(demo, "admin", ACCOUNT["admin"].password)


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def fill(qtbot, edit, text):
    edit.clear()
    qtbot.keyClicks(edit, text)


def error_shown(dialog):
    return dialog.error_label.isVisibleTo(dialog) and dialog.error_label.text()


# First run


def test_first_run_refuses_bad_input_inline_then_creates_the_administrator(qtbot, fresh_db):
    dialog = FirstAdminDialog(fresh_db)
    qtbot.addWidget(dialog)
    fill(qtbot, dialog.username_edit, "jsmith")
    fill(qtbot, dialog.name_edit, "Jo Smith")

    fill(qtbot, dialog.password_edit, GOOD_PASSWORD)
    fill(qtbot, dialog.repeat_edit, GOOD_PASSWORD + "!")
    dialog.ok_button.click()
    assert "not the same" in error_shown(dialog)
    assert dialog.password_edit.text() == dialog.repeat_edit.text() == ""
    assert users.needs_first_admin(fresh_db)

    fill(qtbot, dialog.password_edit, "short")
    fill(qtbot, dialog.repeat_edit, "short")
    dialog.ok_button.click()
    assert f"at least {passwords.MIN_LENGTH} characters" in error_shown(dialog)
    assert users.needs_first_admin(fresh_db)
    assert dialog.actor is None

    fill(qtbot, dialog.username_edit, "j smith")
    fill(qtbot, dialog.password_edit, GOOD_PASSWORD)
    fill(qtbot, dialog.repeat_edit, GOOD_PASSWORD)
    dialog.ok_button.click()
    assert "no spaces" in error_shown(dialog)
    assert users.needs_first_admin(fresh_db)

    fill(qtbot, dialog.username_edit, "jsmith")
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor == Actor(dialog.actor.user_id, "jsmith", Role.ADMIN)
    assert not users.needs_first_admin(fresh_db)
    assert users.sign_in(fresh_db, "jsmith", GOOD_PASSWORD).role is Role.ADMIN


def test_ask_for_actor_chooses_first_run_or_sign_in_and_cancel_gives_none(
    qtbot, fresh_db, monkeypatch
):
    shown = []
    monkeypatch.setattr(QDialog, "exec", lambda self: shown.append(type(self)) or 0)
    assert ask_for_actor(fresh_db) is None
    users.create_first_admin(fresh_db, "jsmith", "Jo Smith", GOOD_PASSWORD)
    assert ask_for_actor(fresh_db) is None
    assert shown == [FirstAdminDialog, SignInDialog]


# Signing in


@pytest.fixture
def sign_in_dialog(qtbot, fresh_db):
    admin = users.create_first_admin(fresh_db, "jsmith", "Jo Smith", GOOD_PASSWORD)
    users.create_user(fresh_db, admin, "tbrooks", "Taylor Brooks", Role.TUTOR, GOOD_PASSWORD)
    dialog = SignInDialog(fresh_db)
    qtbot.addWidget(dialog)
    return dialog


def test_a_wrong_password_is_refused_inline_and_the_field_cleared(qtbot, sign_in_dialog):
    dialog = sign_in_dialog
    fill(qtbot, dialog.username_edit, "tbrooks")
    fill(qtbot, dialog.password_edit, "not the password")
    dialog.ok_button.click()
    assert error_shown(dialog) == users.NOT_RIGHT
    assert dialog.password_edit.text() == ""
    assert dialog.username_edit.text() == "tbrooks"
    assert dialog.actor is None
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_the_right_password_returns_the_actor_with_its_role(qtbot, sign_in_dialog):
    dialog = sign_in_dialog
    fill(qtbot, dialog.username_edit, "TBrooks")  # usernames ignore capitals
    fill(qtbot, dialog.password_edit, GOOD_PASSWORD)
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor.username == "tbrooks"
    assert dialog.actor.role is Role.TUTOR


def test_too_many_failures_show_the_wait_and_hold_the_button(qtbot, sign_in_dialog):
    dialog = sign_in_dialog
    fill(qtbot, dialog.username_edit, "tbrooks")
    for _attempt in range(users.FREE_ATTEMPTS + 1):
        fill(qtbot, dialog.password_edit, "not the password")
        dialog.ok_button.click()
    assert "Wait 5 seconds" in error_shown(dialog)
    assert not dialog.ok_button.isEnabled()
    assert dialog.cancel_button.isEnabled()


def test_an_empty_form_asks_for_both_fields(qtbot, sign_in_dialog):
    sign_in_dialog.ok_button.click()
    assert "username and your password" in error_shown(sign_in_dialog)


# The window


def test_status_bar_names_who_is_signed_in_and_both_pages_are_there(qtbot, demo, admin, settings):
    window = MainWindow(demo, settings, actor=admin)
    qtbot.addWidget(window)
    assert window.user_label.text() == "Signed in as Alex Morgan (administrator)"
    tabs = [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())]
    assert {"Apprentices", "Catalogue", "Reports", "Users", "Audit"} <= set(tabs)
    assert window.tabs.widget(tabs.index("Catalogue")) is window.catalogue_page


def test_sign_out_asks_again_and_cancel_closes_the_window(
    qtbot, demo, admin, settings, monkeypatch
):
    window = MainWindow(demo, settings, actor=admin)
    qtbot.addWidget(window)
    tutor = users.sign_in(demo, "tutor", ACCOUNT["tutor"].password)
    asked = []

    def next_person(db, parent):
        asked.append(window.user_label.text())  # the last person is gone while asking
        return tutor

    monkeypatch.setattr(sign_in_module, "ask_for_actor", next_person)
    window.sign_out_action.trigger()
    assert asked == ["Not signed in"]
    assert window.user_label.text() == "Signed in as Taylor Brooks (tutor)"
    assert window.reports_page.cohort_combo.count() == 2

    closed = []
    monkeypatch.setattr(sign_in_module, "ask_for_actor", lambda db, parent: None)
    monkeypatch.setattr(window, "close", lambda: closed.append(True))
    window.sign_out_action.trigger()
    assert closed == [True]
    assert window.user_label.text() == "Not signed in"
    assert not window.reports_page.preview_button.isEnabled()


@pytest.fixture
def no_lasting_excepthook(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


def test_cancelling_sign_in_at_start_exits_cleanly(
    qapp, tmp_path, monkeypatch, settings, no_lasting_excepthook
):
    monkeypatch.setattr(QDialog, "exec", lambda self: 0)
    loop = []
    monkeypatch.setattr(QApplication, "exec", lambda _app: loop.append(True) or 0)
    code = app_module.run_app(AppPaths(tmp_path / "data"), None, settings=settings)
    assert code == 0
    assert loop == []  # no window, no event loop
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]


# Reports


@pytest.fixture
def page(qtbot, demo, admin):
    reports = ReportsPage(demo, admin)
    qtbot.addWidget(reports)
    return reports


@pytest.fixture
def previews(monkeypatch):
    """Preview dialogs opened, without showing them."""
    opened = []
    monkeypatch.setattr(PrintPreviewDialog, "open", lambda self: opened.append(self))
    return opened


@pytest.fixture
def messages(monkeypatch):
    shown = []
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(
            QMessageBox, kind, lambda *args, kind=kind: shown.append((kind, *args[1:]))
        )
    return shown


def choose(combo, text):
    row = combo.findText(text, Qt.MatchFlag.MatchStartsWith)  # names may carry a status
    assert row >= 0, f"{text!r} not among {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setCurrentIndex(row)


def test_apprentices_are_those_of_the_chosen_cohort(page, demo, admin):
    page.choose(ReportKind.PROGRESS)
    for cohort in cohort_choices(demo, admin):
        choose(page.cohort_combo, cohort.name)
        shown = {page.apprentice_combo.itemData(i) for i in range(page.apprentice_combo.count())}
        assert shown == {a.id for a in apprentice_choices(demo, admin, cohort.id)}
    assert not page.form.isRowVisible(page.placement_combo)
    page.choose(ReportKind.COHORT)
    assert not page.form.isRowVisible(page.apprentice_combo)


def test_progress_report_preview_shows_the_pdf_pages(page, demo, admin, previews, messages):
    page.choose(ReportKind.PROGRESS)
    choose(page.cohort_combo, "Council cohort")
    choose(page.apprentice_combo, "Amira Hussain")
    assert page.preview_button.isVisibleTo(page) and not page.export_button.isVisibleTo(page)
    page.preview_button.click()

    assert messages == []
    assert len(previews) == 1
    dialog = previews[0]
    assert dialog.windowTitle() == "Progress report: Amira Hussain"
    pages = page_count(dialog.pdf)
    assert pages > 0
    assert len(dialog.page_labels) == pages
    provider = cohort_details(demo, admin, page.cohort_combo.currentData()).provider
    assert provider in PdfReader(dialog.pdf).pages[0].extract_text()
    assert page.preview_button.isEnabled() and not page.busy_bar.isVisibleTo(page)

    folder = dialog.pdf.parent
    dialog.reject()  # the temporary copy goes with the preview
    assert not folder.exists()


@pytest.mark.parametrize("kind", [ReportKind.COHORT, ReportKind.SCHEDULE, ReportKind.NOTICE])
def test_every_printed_report_can_be_previewed(page, previews, messages, kind):
    page.choose(kind)
    choose(page.cohort_combo, "NHS Trust cohort")
    if kind is ReportKind.NOTICE:
        assert page.form.isRowVisible(page.placement_combo)
        assert page.placement_combo.count() > 1
        page.placement_combo.setCurrentIndex(1)
    page.preview_button.click()
    assert messages == []
    assert len(previews) == 1
    assert len(previews[0].page_labels) == page_count(previews[0].pdf) > 0


def test_an_apprentice_without_placements_has_no_notice_to_preview(page, demo, admin):
    page.choose(ReportKind.NOTICE)
    transferred = next(
        a
        for c in cohort_choices(demo, admin)
        for a in apprentice_choices(demo, admin, c.id)
        if a.status == "transferred"
    )
    page.cohort_combo.setCurrentIndex(page.cohort_combo.findData(transferred.cohort_id))
    page.apprentice_combo.setCurrentIndex(page.apprentice_combo.findData(transferred.id))
    assert page.placement_combo.currentText() == "No placements scheduled"
    assert not page.placement_combo.isEnabled()
    assert not page.preview_button.isEnabled()


def test_tracker_export_writes_the_file_chosen(page, tmp_path, monkeypatch, messages):
    chosen = tmp_path / "council tracker"  # no extension typed
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(chosen), ""))
    page.choose(ReportKind.TRACKER)
    choose(page.cohort_combo, "Council cohort")
    assert page.export_button.isVisibleTo(page) and not page.preview_button.isVisibleTo(page)
    page.export_button.click()

    written = chosen.with_name("council tracker.xlsx")
    workbook = openpyxl.load_workbook(written)
    assert len(workbook.sheetnames) >= 4
    assert len(messages) == 1
    kind, _title, text = messages[0]
    assert kind == "information"
    assert str(written) in text
    assert str(written) in page.status_label.text()


def test_cancelling_the_file_chooser_exports_nothing(page, tmp_path, monkeypatch, messages):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    page.choose(ReportKind.TRACKER)
    page.export_button.click()
    assert messages == []
    assert list(tmp_path.glob("*.xlsx")) == []


def test_a_service_error_is_shown_as_its_message(page, tmp_path, monkeypatch, messages):
    missing = tmp_path / "no such folder" / "tracker.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(missing), ""))
    page.choose(ReportKind.TRACKER)
    page.export_button.click()

    assert len(messages) == 1
    kind, title, text = messages[0]
    assert kind == "warning"
    assert title == "Cohort tracker (Excel) not written"
    assert text == f"The tracker cannot be saved: there is no folder {missing.parent}."
    assert "Traceback" not in text
    assert page.export_button.isEnabled() and not page.busy_bar.isVisibleTo(page)


def test_nobody_signed_in_means_nothing_to_choose(qtbot, demo):
    reports = ReportsPage(demo, None)
    qtbot.addWidget(reports)
    assert reports.cohort_combo.currentText() == "Sign in to choose a cohort"
    assert not reports.preview_button.isEnabled()
    assert not reports.report_combo.isEnabled()


def test_temporary_reports_live_in_a_private_folder(page, previews, messages):
    page.choose(ReportKind.COHORT)
    page.preview_button.click()
    pdf = previews[0].pdf
    assert Path(page._scratch.name) in pdf.parents
    assert pdf.name == "cohort-report-council-cohort.pdf"
