"""File > Back up now…: every record and evidence file in one portable .zip, written
off the window's thread while the status bar shows that it is working; then where
it was saved and how big it is, or why it could not be written.

For the roles that may back up (the same right as changing the provider's
settings, checked again by services/backups.export_backup).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from assessor_app.domain.wording import plural
from assessor_app.services.backups import export_backup
from assessor_app.services.roles import Permission
from assessor_app.ui.qt import QAction, QMainWindow, QMessageBox, QObject, QWidget, tr
from assessor_app.ui.widgets.file_task import (
    BusyIndicator,
    ask_zip_path,
    run_file_task,
    size_text,
)

if TYPE_CHECKING:
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database


def default_backup_path(today: date | None = None) -> Path:
    """assessor-backup-YYYY-MM-DD.zip in the person's documents folder (their home
    folder when there is none)."""
    folder = Path(platformdirs.user_documents_dir())
    if not folder.is_dir():
        folder = Path.home()
    return folder / f"assessor-backup-{(today or date.today()).isoformat()}.zip"


def ask_backup_path(parent: QWidget | None, suggested: Path) -> Path | None:
    """Where to save the backup, or None if the person cancels; tests replace this."""
    return ask_zip_path(parent, tr("Back up now"), suggested, tr("Portable backups (*.zip)"))


@dataclass(frozen=True, slots=True)
class BackupMade:
    path: Path
    size: int  # bytes
    apprentices: int
    evidence_files: int


def write_backup(db: Database, actor: Actor, out: Path) -> BackupMade:
    """Runs on a worker thread: plain data in and out, no widgets."""
    summary = export_backup(db, actor, out)
    return BackupMade(
        summary.path,
        summary.path.stat().st_size,
        summary.rows.get("apprentice", 0),
        summary.evidence_files,
    )


class BackUpNow(QObject):
    """The menu action, with a working indicator in the window's status bar."""

    def __init__(self, window: QMainWindow, db: Database) -> None:
        super().__init__(window)
        self._window = window
        self._db = db
        self._actor: Actor | None = None
        self.running = False
        self.action = QAction(tr("&Back up now…"), window)
        self.action.setToolTip(
            tr("Save every record and evidence file in one .zip, to keep somewhere safe")
        )
        self.action.triggered.connect(self.start)
        self.busy = BusyIndicator("backupBusy", tr("Backing up…"))
        self.busy_label = self.busy.label
        # Beside the signed-in name; the status bar's own messages replace it, and
        # there are none while a backup runs.
        window.statusBar().addWidget(self.busy)
        self.set_actor(None)

    def set_actor(self, actor: Actor | None) -> None:
        """Offered only to those who may back up: hidden, not just disabled."""
        self._actor = actor
        self.action.setVisible(actor is not None and actor.can(Permission.CHANGE_SETTINGS))
        self.action.setEnabled(not self.running)

    def start(self) -> None:
        actor = self._actor
        if actor is None or self.running or not actor.can(Permission.CHANGE_SETTINGS):
            return
        out = ask_backup_path(self._window, default_backup_path())
        if out is None:
            return
        db = self._db
        self.busy.set_text(tr("Backing up to {path}…").format(path=out.name))
        run_file_task(
            self,
            out,
            lambda: write_backup(db, actor, out),
            self._done,
            self._failed,
            running=self._set_running,
        )

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.action.setEnabled(not running)
        self.busy.setVisible(running)

    def _done(self, made: BackupMade) -> None:
        message = tr(
            "The backup was saved as\n{path}\n\n{size}: every record in the database "
            "({apprentices}) and {files}.\n\nKeep it somewhere safe, away from this PC: "
            "it holds personal data."
        ).format(
            path=made.path,
            size=size_text(made.size),
            apprentices=plural(made.apprentices, tr("apprentice")),
            files=plural(made.evidence_files, tr("evidence file")),
        )
        self._window.statusBar().showMessage(
            tr("Backup saved as {path} ({size})").format(path=made.path, size=size_text(made.size)),
            15000,
        )
        QMessageBox.information(self._window, tr("Backup saved"), message)

    def _failed(self, reason: str) -> None:
        self._window.statusBar().showMessage(tr("The backup was not made."), 15000)
        QMessageBox.warning(
            self._window,
            tr("Backup not made"),
            tr("The backup was not made.\n\n{reason}").format(reason=reason),
        )
