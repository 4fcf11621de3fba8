"""Start the desktop app: the application object, the crash handler, the database, the window."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import cast

from assessor_app import __version__
from assessor_app.paths import AppPaths
from assessor_app.services.backups import DamagedDatabaseError, daily_backup_if_due, sqlite_file
from assessor_app.services.roles import Actor
from assessor_app.startup import open_app_database
from assessor_app.store.database import Database, DatabaseError
from assessor_app.ui.crash import install_crash_handler
from assessor_app.ui.dialogs.damaged_database import offer_latest_backup
from assessor_app.ui.dialogs.sign_in import ask_for_actor
from assessor_app.ui.main_window import MainWindow
from assessor_app.ui.qt import (
    QApplication,
    QMessageBox,
    QObject,
    QSettings,
    Qt,
    QThreadPool,
    tr,
)
from assessor_app.ui.workers import run_task

log = logging.getLogger(__name__)

APP_NAME = "Assessor"
ORGANISATION = "Assessor"
EXIT_CANNOT_OPEN = 2  # the command line's "bad input" code: the database named cannot be used
LAST_DATABASE_KEY = "database/last"
DEMO_FILE = "demo.sqlite3"


def remembered_target(settings: QSettings) -> str | None:
    """The database used last time, when it can still be tried: a file that still
    exists, or a server address."""
    value = settings.value(LAST_DATABASE_KEY)
    if not isinstance(value, str) or not value:
        return None
    if "://" in value or Path(value).is_file():
        return value
    return None


def remember_target(settings: QSettings, target: str) -> None:
    # Never keep a server password in the settings file: it is not protected.
    settings.setValue(LAST_DATABASE_KEY, re.sub(r"(://[^:/@]+):[^@]*@", r"\1@", target))
    settings.sync()


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationVersion(__version__)
    return cast(QApplication, app)


def open_for_window(paths: AppPaths, db_target: str | None) -> Database:
    """Open the database as the window does: a damaged file offers the latest good
    backup, and the day's first backup follows on a worker thread."""
    # Opening may migrate (backing up first): show that something is happening.
    existed = sqlite_file(db_target or str(paths.database)) is not None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        try:
            db = open_app_database(paths, db_target, daily_backup=False)
        except DamagedDatabaseError as exc:
            QApplication.restoreOverrideCursor()
            if not offer_latest_backup(exc):
                raise
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            db = open_app_database(paths, db_target, daily_backup=False)
    finally:
        QApplication.restoreOverrideCursor()
    if existed:  # a new file has nothing worth a backup yet
        start_daily_backup(db, paths)
    return db


def start_daily_backup(db: Database, paths: AppPaths) -> None:
    """The first start of each day's backup, on a worker thread: copying a large file
    takes seconds, and the person signs in meanwhile. It is written under a temporary
    name and renamed when whole; a failure is logged and never stops the app."""

    def failed(exc: Exception) -> None:
        log.warning("the daily backup could not be made: %s", exc)

    run_task(lambda: daily_backup_if_due(db, paths.backups), lambda _made: None, failed)


class Shell(QObject):
    """The window on the database in use; replaces both when another database is chosen."""

    def __init__(self, paths: AppPaths, settings: QSettings) -> None:
        super().__init__()
        self.paths = paths
        self.settings = settings
        self.db: Database | None = None
        self.window: MainWindow | None = None

    def show(self, db: Database, actor: Actor) -> MainWindow:
        window = MainWindow(db, self.settings, actor=actor)
        window.database_chosen.connect(self.switch_database)
        window.demo_requested.connect(self.open_demo)
        old_window, old_db = self.window, self.db
        self.db, self.window = db, window
        window.show()
        if old_window is not None:
            old_window.close()
            old_window.deleteLater()
        if old_db is not None and old_db is not db:
            old_db.dispose()
        return window

    def switch_database(self, target: str) -> bool:
        """Open `target`, ask who signs in there, then show it in a new window.
        Nothing changes when it cannot be opened or sign-in is cancelled."""
        parent = self.window
        try:
            db = open_for_window(self.paths, target)
        except DatabaseError as exc:
            log.error("cannot open the database %s: %s", target, exc)
            QMessageBox.warning(parent, tr("Assessor cannot open that database"), str(exc))
            return False
        actor = ask_for_actor(db, parent)
        if actor is None:
            db.dispose()
            return False
        remember_target(self.settings, target)
        self.show(db, actor)
        return True

    def open_demo(self) -> None:
        """The demo database in the data folder, built the first time (a few seconds)."""
        target = self.paths.data_dir / DEMO_FILE
        if target.exists():
            self.switch_database(str(target))
            return
        if self.window is not None:
            self.window.statusBar().showMessage(tr("Building the demo database…"))
            self.window.open_demo_action.setEnabled(False)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        paths = self.paths

        def build() -> None:
            from assessor_app.services.demo import build_demo

            db = open_app_database(paths, str(target))
            try:
                build_demo(db)
            except BaseException:
                db.dispose()
                for leftover in target.parent.glob(target.name + "*"):
                    leftover.unlink()  # no half-built demo left behind
                raise
            db.dispose()

        def finished() -> None:
            QApplication.restoreOverrideCursor()
            if self.window is not None:
                self.window.statusBar().clearMessage()
                self.window.open_demo_action.setEnabled(True)

        def built(_result: object) -> None:
            finished()
            self.switch_database(str(target))

        def failed(exc: Exception) -> None:
            finished()
            if not isinstance(exc, DatabaseError | OSError):
                raise exc
            QMessageBox.warning(self.window, tr("The demo database could not be built"), str(exc))

        run_task(build, built, failed, owner=self)


def run_app(
    paths: AppPaths,
    db_target: str | None,
    *,
    settings: QSettings | None = None,
    actor: Actor | None = None,
) -> int:
    """Ask who is using the app, then show the main window until it closes;
    returns the process exit code (0 also when sign-in is cancelled).

    `settings` holds the window's remembered size and place (default: the
    platform's per-user settings for Assessor). `actor` skips signing in (tests).
    """
    app = _application()
    install_crash_handler(paths.log_file)
    if settings is None:
        settings = QSettings()
    remembered = remembered_target(settings) if db_target is None else None
    try:
        try:
            db = open_for_window(paths, db_target or remembered)
        except DatabaseError as exc:
            if remembered is None:
                raise
            # Last time's database is gone or broken: start on the usual one instead.
            log.warning("cannot open last database %s (%s); opening the default", remembered, exc)
            remembered = None
            db = open_for_window(paths, None)
    except DatabaseError as exc:
        log.error("cannot open the database: %s", exc)
        if not isinstance(exc, DamagedDatabaseError):  # that dialog has said it already
            QMessageBox.critical(None, tr("Assessor cannot open its database"), str(exc))
        return EXIT_CANNOT_OPEN
    shell: Shell | None = None
    try:
        if actor is None:
            actor = ask_for_actor(db)
            if actor is None:
                log.info("sign-in cancelled; closing")
                return 0
        remember_target(settings, db_target or remembered or str(paths.database))
        shell = Shell(paths, settings)
        shell.show(db, actor)
        return app.exec()
    finally:
        # Loads and the daily backup still under way finish before the database closes.
        QThreadPool.globalInstance().waitForDone()
        if shell is not None and shell.db is not None:
            shell.db.dispose()
        else:
            db.dispose()
