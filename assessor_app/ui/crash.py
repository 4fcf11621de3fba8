"""What happens when the program itself goes wrong.

Errors a user can cause are shown where they happen, with a message for a
person; only programming errors reach here. The handler logs the details at
CRITICAL and shows a dialog that explains what happened in plain words, with
the technical report (version, system, traceback) behind a button and a Copy
button for sending it on. A bare traceback is never the first thing shown.
"""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from pathlib import Path
from types import TracebackType

from assessor_app import __version__
from assessor_app.ui.qt import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGuiApplication,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSize,
    QVBoxLayout,
    QWidget,
    qt_versions,
    tr,
)

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def crash_report(exc_info: ExcInfo) -> str:
    """The text a person copies into an e-mail to whoever supports Assessor."""
    details = "".join(traceback.format_exception(*exc_info))
    return (
        f"Assessor {__version__}\n"
        f"System: {platform.platform()}\n"
        f"Python {platform.python_version()}, {qt_versions()}\n\n"
        f"{details}"
    )


class CrashDialog(QDialog):
    def __init__(
        self, exc_info: ExcInfo, log_file: Path | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Assessor: something went wrong"))
        self.report = crash_report(exc_info)

        intro = QLabel(
            tr(
                "Assessor met a problem it was not built to handle, so what you were "
                "just doing may not have finished. Work saved before this is not affected."
            )
        )
        intro.setWordWrap(True)
        if log_file is not None:
            where = tr(
                "The details have been written to the log file {log_file}. Please copy "
                "them and send them to the person who looks after Assessor for you."
            ).format(log_file=log_file)
        else:
            where = tr(
                "Please copy the details and send them to the person who looks after "
                "Assessor for you."
            )
        self.where_label = QLabel(where)
        self.where_label.setWordWrap(True)
        self.version_label = QLabel(
            tr("Assessor {version} on {system}").format(
                version=__version__, system=platform.platform(terse=True)
            )
        )

        self.details = QPlainTextEdit(self.report)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setVisible(False)

        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(tr("&Copy details"))
        self.details_button = QPushButton(tr("Show &details"))
        self.details_button.setCheckable(True)
        self.quit_button = QPushButton(tr("&Quit Assessor"))
        self.continue_button = QPushButton(tr("&Keep working"))
        self.continue_button.setDefault(True)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.continue_button, QDialogButtonBox.ButtonRole.AcceptRole)

        self.copy_button.clicked.connect(self.copy_report)
        self.details_button.toggled.connect(self._show_details)
        self.quit_button.clicked.connect(self._quit)
        self.continue_button.clicked.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.where_label)
        layout.addWidget(self.version_label)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        # Fixed once, so showing the details grows the window without changing its limits.
        self.setMinimumSize(self.minimumSizeHint())

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(560, 200)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText(tr("Copied"))

    def _show_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText(tr("Hide &details") if shown else tr("Show &details"))
        self.resize(self.width(), 480 if shown else self.sizeHint().height())

    def _quit(self) -> None:
        self.done(QDialog.DialogCode.Rejected)
        QApplication.quit()


class CrashHandler:
    """sys.excepthook: log, then tell the person at the keyboard."""

    def __init__(self, log_file: Path | None) -> None:
        self.log_file = log_file
        self._showing = False

    def __call__(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("unexpected error", exc_info=(exc_type, exc, tb))
        # One dialog at a time: an error raised while it is open is logged only.
        if self._showing or QApplication.instance() is None:
            return
        self._showing = True
        try:
            dialog = CrashDialog((exc_type, exc, tb), self.log_file, QApplication.activeWindow())
            dialog.exec()
        finally:
            self._showing = False


def install_crash_handler(log_file: Path | None) -> CrashHandler:
    handler = CrashHandler(log_file)
    sys.excepthook = handler
    return handler
