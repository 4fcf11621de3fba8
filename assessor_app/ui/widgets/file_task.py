"""Work on a file the person chose, off the window's thread: ask where to save a .zip,
show that the work is going on, then say how it went.

A service's refusal is told as it is; a file the system could not write or read is
told with its path and what to do; anything else is a programming error and goes to
the crash handler, so no traceback reaches the person.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from assessor_app.services.errors import ServiceError
from assessor_app.services.roles import PermissionDenied
from assessor_app.ui.qt import QFileDialog, QHBoxLayout, QLabel, QObject, QProgressBar, QWidget, tr
from assessor_app.ui.workers import run_task

T = TypeVar("T")


def ask_zip_path(parent: QWidget | None, title: str, suggested: Path, filters: str) -> Path | None:
    """Where to save a .zip, or None if the person cancels; '.zip' is added to a name
    typed without it (the dialog asks before replacing a file of that name)."""
    dialog = QFileDialog(parent, title, str(suggested), filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("zip")
    chosen = dialog.selectedFiles() if dialog.exec() else []
    dialog.deleteLater()
    if not chosen or not chosen[0]:
        return None
    out = Path(chosen[0])
    return out if out.suffix.lower() == ".zip" else out.with_name(f"{out.name}.zip")


def size_text(size: int) -> str:
    """'3.4 MB', '12 KB': as file managers show sizes."""
    if size >= 1024 * 1024:
        return tr("{n:.1f} MB").format(n=size / (1024 * 1024))
    return tr("{n} KB").format(n=max(1, round(size / 1024)))


class BusyIndicator(QWidget):
    """A moving bar, with what is going on beside it when there are words for it;
    hidden until the work starts."""

    def __init__(self, name: str, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(text)
        self.label.setVisible(bool(text))
        bar = QProgressBar()
        bar.setRange(0, 0)  # no measure of progress: it moves while the work runs
        bar.setTextVisible(False)
        bar.setMaximumWidth(120)
        row.addWidget(self.label)
        row.addWidget(bar)
        self.hide()

    def set_text(self, text: str) -> None:
        self.label.setText(text)
        self.label.setVisible(bool(text))


def file_problem(exc: Exception, path: Path, *, reading: bool = False) -> str:
    """Why work on `path` failed, in words for the person; a programming error is
    raised again for the crash handler."""
    if isinstance(exc, ServiceError | PermissionDenied):
        return str(exc)
    if isinstance(exc, OSError):
        if reading:
            return tr(
                "{path} could not be read: {reason}. Copy it somewhere else and try again."
            ).format(path=path, reason=exc.strerror or exc)
        return tr("{path} could not be written: {reason}. Choose another folder.").format(
            path=path, reason=exc.strerror or exc
        )
    raise exc


def run_file_task(
    owner: QObject,
    path: Path,
    work: Callable[[], T],
    done: Callable[[T], None],
    failed: Callable[[str], None],
    *,
    running: Callable[[bool], None],
    reading: bool = False,
) -> None:
    """Run `work` (which writes or, with `reading`, reads `path`) on a worker thread.
    `running(True)` shows it is going on and `running(False)` that it is over; then
    `done` gets its result, or `failed` the reason in words (see file_problem)."""
    running(True)

    def finished(result: T) -> None:
        running(False)
        done(result)

    def refused(exc: Exception) -> None:
        running(False)
        failed(file_problem(exc, path, reading=reading))

    run_task(work, finished, refused, owner=owner)
