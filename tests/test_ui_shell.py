"""The window's shell: pages by role, the inactivity lock, the remembered layout,
opening another database (and the demo), changing one's own password."""

from __future__ import annotations

import pytest

from assessor_app.paths import AppPaths
from assessor_app.services import app_settings, users
from assessor_app.services.roles import Role
from assessor_app.startup import open_app_database
from assessor_app.ui import app as app_module
from assessor_app.ui import main_window as main_window_module
from assessor_app.ui.dialogs import sign_in as sign_in_module
from assessor_app.ui.dialogs.open_database_dialog import OpenDatabaseDialog, check_target
from assessor_app.ui.dialogs.password_dialog import ChangePasswordDialog
from assessor_app.ui.dialogs.settings_dialog import SettingsDialog
from assessor_app.ui.lock import LockCover
from assessor_app.ui.main_window import MainWindow
from assessor_app.ui.qt import QApplication, QLineEdit, QMessageBox, QSettings

GOOD = "kettle on at half past"


pytestmark = pytest.mark.usefixtures("inline_tasks")


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def people(db):
    admin = users.create_first_admin(db, "jsmith", "Jo Smith", GOOD)
    for username, name, role in (
        ("tbrooks", "Taylor Brooks", Role.TUTOR),
        ("indira", "Indira Shah", Role.IQA),
    ):
        users.create_user(db, admin, username, name, role, GOOD)
    return {
        "admin": admin,
        "tutor": users.sign_in(db, "tbrooks", GOOD),
        "iqa": users.sign_in(db, "indira", GOOD),
    }


@pytest.fixture
def window(qtbot, db, settings, people):
    w = MainWindow(db, settings, actor=people["admin"])
    qtbot.addWidget(w)
    return w


def visible_tabs(window):
    tabs = window.tabs
    return {tabs.tabText(i).replace("&", "") for i in range(tabs.count()) if tabs.isTabVisible(i)}


# Pages by role


def test_users_and_audit_appear_only_for_roles_that_may_see_them(window, people):
    assert {"Users", "Audit"} <= visible_tabs(window)
    assert window.users_page.table.source.rows()  # loaded for the admin

    window.tabs.setCurrentWidget(window.users_page)
    window.set_actor(people["tutor"])
    assert not {"Users", "Audit"} & visible_tabs(window)
    assert window.tabs.currentWidget() is not window.users_page
    assert window.users_page.table.source.rows() == []  # nothing left from the admin

    window.set_actor(people["iqa"])
    assert "Audit" in visible_tabs(window) and "Users" not in visible_tabs(window)
    assert window.audit_page.table.shown()


def test_switch_user_from_the_menu_updates_the_pages(window, people, monkeypatch):
    monkeypatch.setattr(sign_in_module, "ask_for_actor", lambda db, parent: people["tutor"])
    window.sign_out_action.trigger()
    assert window.actor == people["tutor"]
    assert "Taylor Brooks (tutor)" in window.user_label.text()
    assert "Users" not in visible_tabs(window)
    assert window.catalogue_page.edit_row.isHidden()


# The inactivity lock


def test_lock_minutes_come_from_the_setting(window, db, people):
    assert window.lock.timer.interval() == 10 * 60_000
    assert window.lock.timer.isActive()
    app_settings.change_setting(db, people["admin"], "lock_after_minutes", 3)
    window.set_actor(people["admin"])
    assert window.lock.timer.interval() == 3 * 60_000
    window.set_actor(None)
    assert not window.lock.timer.isActive()  # nobody signed in: nothing to lock


def test_an_administrator_sets_the_lock_to_never_in_the_settings(window, people, monkeypatch):
    assert window.settings_action.isVisible()
    shown = []

    def never(dialog):
        shown.append(dialog)
        spin = dialog.spins["lock_after_minutes"]
        assert spin.value() == 10
        spin.setValue(0)
        assert spin.text() == "Never"
        dialog.save()
        return dialog.result() == 1

    monkeypatch.setattr(main_window_module, "run_dialog", never)
    window.settings_action.trigger()
    assert isinstance(shown[0], SettingsDialog)
    assert app_settings.get_settings(window._db)["lock_after_minutes"] == 0
    assert not window.lock.timer.isActive()  # never locks now
    assert "saved" in window.statusBar().currentMessage()
    window.set_actor(people["tutor"])
    assert not window.settings_action.isVisible()


def test_input_restarts_the_countdown(qtbot, window):
    edit = window.catalogue_page.search_edit
    # Long enough that a busy machine cannot let it run out during the test.
    window.lock.timer.start(4000)
    # A coarse timer may be set up to 5% (200 ms) late to share a wake-up with other
    # timers (a status bar message's, say): wait long enough that it still shows.
    qtbot.wait(800)
    assert window.lock.timer.remainingTime() < 3700
    qtbot.keyClick(edit, "a")
    assert window.lock.timer.remainingTime() > 3700


def test_a_closed_window_stops_counting_and_never_locks(qtbot, window):
    window.lock.timer.start(4000)
    window.close()
    assert not window.lock.timer.isActive()
    qtbot.keyClick(window.catalogue_page.search_edit, "a")  # input no longer restarts it
    assert not window.lock.timer.isActive()
    window.lock.lock()
    assert not window.lock.locked


def test_running_out_covers_the_window_keeps_input_and_needs_the_password(qtbot, window):
    search = window.catalogue_page.search_edit
    qtbot.keyClicks(search, "dementia")
    window.lock.timer.timeout.emit()
    assert window.lock.locked
    form = window.lock.form
    assert form is not None and form.parentWidget() is window
    assert form.geometry() == window.rect()  # nothing of the data shows
    assert "Jo Smith (administrator)" in form.who_label.text()

    qtbot.keyClicks(search, " more")  # typing at the covered page does nothing
    assert search.text() == "dementia"

    form.password_edit.setText("not the password")
    form.unlock_button.click()
    assert window.lock.locked
    assert users.NOT_RIGHT in form.message_label.text()
    assert form.password_edit.text() == ""

    form.password_edit.setText(GOOD)
    form.unlock_button.click()
    assert not window.lock.locked
    assert all(c.isHidden() for c in window.findChildren(LockCover))
    assert search.text() == "dementia"  # unsaved input kept
    assert window.lock.timer.isActive()


def test_a_wrong_or_empty_password_keeps_it_locked(window, people):
    window.lock.lock()
    form = window.lock.form
    form.password_edit.setText("wrong")
    form.unlock_button.click()
    assert window.lock.locked
    form.password_edit.setText("")
    form.unlock_button.click()
    assert "Type your password" in form.message_label.text()


def test_switch_user_on_the_lock_asks_first_then_signs_out(window, people, monkeypatch):
    window.lock.lock()
    answers = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(QMessageBox, "question", lambda *a: answers.pop(0))
    window.lock.form.switch_button.click()
    assert window.lock.locked and window.actor == people["admin"]

    answers.append(QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(sign_in_module, "ask_for_actor", lambda db, parent: people["tutor"])
    window.lock.form.switch_button.click()
    assert not window.lock.locked
    assert window.actor == people["tutor"]


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_an_open_dialog_is_covered_too_and_takes_the_password(qtbot, window, db, people):
    dialog = ChangePasswordDialog(db, people["admin"], window)
    qtbot.addWidget(dialog)
    dialog.setModal(True)
    dialog.show()
    dialog.current_edit.setText("typed before the lock")
    window.lock.lock()
    covered = {c.parentWidget() for c in window.findChildren(LockCover)}
    assert {window, dialog} <= covered
    assert window.lock.form.parentWidget() is dialog  # input goes to the modal dialog
    window.lock.form.password_edit.setText(GOOD)
    window.lock.form.unlock_button.click()
    assert not window.lock.locked
    assert dialog.current_edit.text() == "typed before the lock"
    dialog.hide()


# The layout


def test_page_and_splitter_are_remembered(qtbot, db, settings, people):
    first = MainWindow(db, settings, actor=people["admin"])
    qtbot.addWidget(first)
    first.tabs.setCurrentWidget(first.audit_page)
    first.audit_page.splitter.setSizes([300, 150])
    sizes = first.audit_page.splitter.sizes()
    header = first.audit_page.table.horizontalHeader()
    header.resizeSection(2, 333)
    first.close()

    second = MainWindow(db, settings, actor=people["admin"])
    qtbot.addWidget(second)
    qtbot.wait(10)  # the table's columns are restored once it is filled
    assert second.tabs.currentWidget() is second.audit_page
    assert second.audit_page.splitter.sizes() == sizes
    assert second.audit_page.table.horizontalHeader().sectionSize(2) == 333


def test_a_page_the_next_person_may_not_see_is_not_reopened(qtbot, db, settings, people):
    first = MainWindow(db, settings, actor=people["admin"])
    qtbot.addWidget(first)
    first.tabs.setCurrentWidget(first.users_page)
    first.close()
    second = MainWindow(db, settings, actor=people["tutor"])
    qtbot.addWidget(second)
    assert second.tabs.currentWidget() is not second.users_page


# Another database


def test_open_database_checks_what_was_typed(qtbot, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    assert "is a folder" in check_target(str(folder))
    assert "does not exist" in check_target(str(tmp_path / "nowhere" / "x.sqlite3"))
    assert "postgresql://" in check_target("mysql://server/db")
    assert check_target("") is not None
    assert check_target(str(tmp_path / "new.sqlite3")) is None
    assert check_target("postgresql://assessor@server/assessor") is None

    dialog = OpenDatabaseDialog("here")
    qtbot.addWidget(dialog)
    dialog.location_edit.setText(str(folder))
    dialog.save_button.click()
    assert "is a folder" in dialog.field_error("location")
    assert dialog.result() != 1


def test_choosing_a_database_in_the_menu_hands_it_to_the_application(
    qtbot, window, tmp_path, monkeypatch
):
    target = str(tmp_path / "other.sqlite3")

    def fill(dialog):
        dialog.location_edit.setText(target)
        dialog.save_button.click()
        return dialog.result() == 1

    monkeypatch.setattr(main_window_module, "run_dialog", fill)
    with qtbot.waitSignal(window.database_chosen) as chosen:
        window.open_database_action.trigger()
    assert chosen.args == [target]


@pytest.fixture
def shell(qtbot, db, settings, people, tmp_path):
    shell = app_module.Shell(AppPaths(tmp_path / "data"), settings)
    shell.show(db, people["admin"])
    qtbot.addWidget(shell.window)
    yield shell
    if shell.window is not None:
        shell.window.close()
    if shell.db is not None and shell.db is not db:
        shell.db.dispose()


def test_switching_database_signs_in_there_and_remembers_it(
    qtbot, shell, db, settings, tmp_path, monkeypatch
):
    other_path = tmp_path / "other" / "assessor.sqlite3"
    other_path.parent.mkdir()
    other = open_app_database(AppPaths(other_path.parent), str(other_path))
    users.create_first_admin(other, "kit", "Kit Lane", GOOD)
    other.dispose()
    old_window = shell.window

    monkeypatch.setattr(app_module, "ask_for_actor", lambda db, parent=None: None)
    assert not shell.switch_database(str(other_path))  # sign-in cancelled: stay
    assert shell.window is old_window and shell.db is db

    monkeypatch.setattr(
        app_module, "ask_for_actor", lambda db, parent=None: users.sign_in(db, "kit", GOOD)
    )
    assert shell.switch_database(str(other_path))
    qtbot.addWidget(shell.window)
    assert shell.window is not old_window and not old_window.isVisible()
    assert str(other_path) in shell.window.database_label.text()
    assert "Kit Lane" in shell.window.user_label.text()
    assert app_module.remembered_target(settings) == str(other_path)


def test_a_database_that_cannot_be_opened_is_explained_and_nothing_changes(
    shell, db, tmp_path, monkeypatch
):
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database" * 600)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a))
    # No backup to offer in a fresh data folder; never wait on a dialog in a test.
    monkeypatch.setattr(app_module, "offer_latest_backup", lambda *a, **k: False, raising=False)
    assert not shell.switch_database(str(damaged))
    assert shell.db is db
    assert str(damaged) in shown[0][2] and "Traceback" not in shown[0][2]


def test_the_demo_database_is_built_once_then_opened(qtbot, shell, tmp_path, monkeypatch):
    from assessor_app.services.demo import ACCOUNTS

    admin = next(a for a in ACCOUNTS if a.username == "admin")
    monkeypatch.setattr(
        app_module,
        "ask_for_actor",
        lambda db, parent=None: users.sign_in(db, admin.username, admin.password),
    )
    shell.window.open_demo_action.trigger()
    qtbot.addWidget(shell.window)
    demo_file = tmp_path / "data" / app_module.DEMO_FILE
    assert demo_file.exists()
    assert str(demo_file) in shell.window.database_label.text()
    assert shell.window.apprentices_page is not None
    assert "Alex Morgan" in shell.window.user_label.text()


def test_the_last_database_is_used_when_none_is_given(qapp, tmp_path, settings, monkeypatch):
    other = tmp_path / "other.sqlite3"
    open_app_database(AppPaths(tmp_path / "o"), str(other)).dispose()
    app_module.remember_target(settings, str(other))
    seen = []

    def fake_exec(_app):
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.extend(w.database_label.text() for w in windows if w.isVisible())
        for w in windows:
            w.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    admin = users.Actor(None, "admin", Role.ADMIN)
    assert (
        app_module.run_app(AppPaths(tmp_path / "data"), None, settings=settings, actor=admin) == 0
    )
    assert str(other) in seen[0]

    other.unlink()  # gone: start on the usual database instead
    seen.clear()
    assert (
        app_module.run_app(AppPaths(tmp_path / "data"), None, settings=settings, actor=admin) == 0
    )
    assert str(tmp_path / "data") in seen[0]


def test_a_server_password_is_never_remembered(settings):
    app_module.remember_target(settings, "postgresql://kit:s3cret@server/assessor")
    assert app_module.remembered_target(settings) == "postgresql://kit@server/assessor"


# My password


def test_change_my_password_marks_a_wrong_current_password(qtbot, db, people):
    dialog = ChangePasswordDialog(db, people["admin"])
    qtbot.addWidget(dialog)
    dialog.current_edit.setText("not it")
    dialog.new_edit.setText("a whole new phrase")
    dialog.repeat_edit.setText("a whole new phrase")
    dialog.save_button.click()
    assert "current password is not right" in dialog.field_error("current")
    dialog.current_edit.setText(GOOD)
    dialog.save_button.click()
    assert dialog.result() == 1
    assert users.sign_in(db, "jsmith", "a whole new phrase").role is Role.ADMIN


def test_change_my_password_is_in_the_menu(window, monkeypatch):
    opened = []
    monkeypatch.setattr(main_window_module, "run_dialog", lambda d: opened.append(d) or False)
    window.change_password_action.trigger()
    assert isinstance(opened[0], ChangePasswordDialog)
    assert isinstance(opened[0].current_edit, QLineEdit)


# The daily backup, off the window's thread


class HeldPool:
    """Keeps tasks until `run_all`, to see what the window's thread did without them."""

    def __init__(self) -> None:
        self.tasks: list = []

    def start(self, runnable) -> None:
        self.tasks.append(runnable)

    def run_all(self) -> None:
        while self.tasks:
            self.tasks.pop(0).run()


def test_the_window_opens_before_the_daily_backup_which_follows_on_a_worker(tmp_path):
    from assessor_app.store.backups import automatic_backups
    from assessor_app.ui import workers

    paths = AppPaths(tmp_path / "data")
    open_app_database(paths).dispose()  # the file exists, with no backup yet
    held = HeldPool()
    workers.use_pool(held)
    try:
        db = app_module.open_for_window(paths, None)
        assert automatic_backups(paths.backups, paths.database) == []  # not on this thread
        assert len(held.tasks) == 1
        held.run_all()
        [made] = automatic_backups(paths.backups, paths.database)
        assert made.reason == "daily"
        assert [p.name for p in paths.backups.iterdir()] == [made.path.name]  # no .part left
        db.dispose()

        db = app_module.open_for_window(paths, None)  # the same day: nothing more to do
        held.run_all()
        assert len(automatic_backups(paths.backups, paths.database)) == 1
        db.dispose()
    finally:
        workers.use_pool(None)


def test_a_new_database_file_starts_no_backup(tmp_path):
    from assessor_app.ui import workers

    held = HeldPool()
    workers.use_pool(held)
    try:
        app_module.open_for_window(AppPaths(tmp_path / "data"), None).dispose()
        assert held.tasks == []
    finally:
        workers.use_pool(None)


def test_a_backup_cut_short_is_never_listed(tmp_path):
    from assessor_app.store.backups import automatic_backups

    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / ".assessor-20261203-080000-daily.sqlite3.part").write_bytes(b"SQLite format 3")
    assert automatic_backups(folder, tmp_path / "assessor.sqlite3") == []
