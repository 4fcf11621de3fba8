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
from assessor_app.services.errors import ServiceError
from assessor_app.services.roles import Permission, PermissionDenied
from assessor_app.ui.qt import (
    QAction,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QObject,
    QProgressBar,
    QWidget,
    tr,
)
from assessor_app.ui.workers import run_task

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


def ask_backup_path(parent: QWidget, suggested: Path) -> Path | None:
    """Where to save the backup, or None if the person cancels; tests replace this."""
    dialog = QFileDialog(parent, tr("Back up now"), str(suggested), tr("Portable backups (*.zip)"))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("zip")  # and the dialog asks before replacing that file
    chosen = dialog.selectedFiles() if dialog.exec() else []
    dialog.deleteLater()
    if not chosen or not chosen[0]:
        return None
    out = Path(chosen[0])
    return out if out.suffix.lower() == ".zip" else out.with_name(f"{out.name}.zip")


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


def size_text(size: int) -> str:
    """'3.4 MB', '12 KB': as file managers show sizes."""
    if size >= 1024 * 1024:
        return tr("{n:.1f} MB").format(n=size / (1024 * 1024))
    return tr("{n} KB").format(n=max(1, round(size / 1024)))


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
        self.busy = QWidget()
        self.busy.setObjectName("backupBusy")
        row = QHBoxLayout(self.busy)
        row.setContentsMargins(0, 0, 0, 0)
        self.busy_label = QLabel(tr("Backing up…"))
        bar = QProgressBar()
        bar.setRange(0, 0)  # no measure of progress: it moves while the work runs
        bar.setTextVisible(False)
        bar.setMaximumWidth(100)
        row.addWidget(self.busy_label)
        row.addWidget(bar)
        self.busy.hide()
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
        self._set_running(True, out)
        run_task(
            lambda: write_backup(db, actor, out),
            self._done,
            lambda exc: self._failed(exc, out),
            owner=self,
        )

    def _set_running(self, running: bool, out: Path | None = None) -> None:
        self.running = running
        self.action.setEnabled(not running)
        if out is not None:
            self.busy_label.setText(tr("Backing up to {path}…").format(path=out.name))
        self.busy.setVisible(running)

    def _done(self, made: BackupMade) -> None:
        self._set_running(False)
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

    def _failed(self, exc: Exception, out: Path) -> None:
        self._set_running(False)
        if isinstance(exc, ServiceError | PermissionDenied):
            reason = str(exc)
        elif isinstance(exc, OSError):
            reason = tr("{path} could not be written: {reason}. Choose another folder.").format(
                path=out, reason=exc.strerror or exc
            )
        else:
            raise exc  # a programming error: the crash handler reports it
        self._window.statusBar().showMessage(tr("The backup was not made."), 15000)
        QMessageBox.warning(
            self._window,
            tr("Backup not made"),
            tr("The backup was not made.\n\n{reason}").format(reason=reason),
        )
