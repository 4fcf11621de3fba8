"""Start the desktop app: the application object, the crash handler, the database, the window."""

from __future__ import annotations

import logging
import sys
from typing import cast

from assessor_app import __version__
from assessor_app.paths import AppPaths
from assessor_app.services.roles import Actor
from assessor_app.startup import open_app_database
from assessor_app.store.database import Database, DatabaseError
from assessor_app.ui.crash import install_crash_handler
from assessor_app.ui.dialogs.sign_in import ask_for_actor
from assessor_app.ui.main_window import MainWindow
from assessor_app.ui.qt import QApplication, QMessageBox, QSettings, Qt, tr

log = logging.getLogger(__name__)

APP_NAME = "Assessor"
ORGANISATION = "Assessor"
EXIT_CANNOT_OPEN = 2  # the command line's "bad input" code: the database named cannot be used


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationVersion(__version__)
    return cast(QApplication, app)


def _open_database(paths: AppPaths, db_target: str | None) -> Database:
    # Opening may migrate and back up first: show that something is happening.
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return open_app_database(paths, db_target)
    finally:
        QApplication.restoreOverrideCursor()


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
    try:
        db = _open_database(paths, db_target)
    except DatabaseError as exc:
        log.error("cannot open the database: %s", exc)
        QMessageBox.critical(None, tr("Assessor cannot open its database"), str(exc))
        return EXIT_CANNOT_OPEN
    try:
        if actor is None:
            actor = ask_for_actor(db)
            if actor is None:
                log.info("sign-in cancelled; closing")
                return 0
        window = MainWindow(db, settings, actor=actor)
        window.show()
        return app.exec()
    finally:
        db.dispose()
