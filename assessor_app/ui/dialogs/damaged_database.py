"""Shown on start when the database file fails its check: says what is wrong and offers
to put the latest good backup in its place (the damaged file is kept, renamed)."""

from __future__ import annotations

from typing import Any

from assessor_app.services.backups import DamagedDatabaseError, replace_damaged_database
from assessor_app.services.errors import ServiceError
from assessor_app.ui.colours import Tone, tone_style
from assessor_app.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.workers import run_task


class DamagedDatabaseDialog(QDialog):
    """Accepted once the backup is in place; rejected if the user closes it instead."""

    def __init__(self, error: DamagedDatabaseError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._error = error
        self._busy = False
        self.setWindowTitle(tr("Assessor cannot open its database"))
        layout = QVBoxLayout(self)
        heading = QLabel(tr("The database file is damaged or cannot be read."))
        heading.setStyleSheet("font-weight: bold")
        layout.addWidget(heading)
        self.message = QLabel(str(error))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        backup = error.backup
        if backup is None:
            offer = tr(
                "There is no good backup of it on this PC. Close Assessor and restore it "
                "from a copy kept elsewhere, or ask your IT support for help."
            )
        else:
            offer = tr(
                "Restore the latest good backup, taken {when}? Changes made since then are not "
                "in it. The damaged file is kept beside it, renamed."
            ).format(when=backup.taken_at.strftime("%d %b %Y %H:%M"))
        self.offer = QLabel(offer)
        self.offer.setWordWrap(True)
        layout.addWidget(self.offer)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(tone_style(Tone.BAD))
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox()
        self.restore_button: QPushButton | None = None
        if backup is not None:
            self.restore_button = QPushButton(tr("Restore the backup"))
            buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
            self.restore_button.clicked.connect(self._restore)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _restore(self) -> None:
        backup = self._error.backup
        if backup is None or self.restore_button is None or self._busy:
            return
        self._busy = True
        self.restore_button.setEnabled(False)
        self.close_button.setEnabled(False)
        self.problem.hide()
        run_task(
            lambda: replace_damaged_database(self._error.path, backup.path),
            self._restored,
            self._failed,
            owner=self,
        )

    def _restored(self, _kept: Any) -> None:
        self._busy = False
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        if self.restore_button is not None:
            self.restore_button.setEnabled(True)
        self.close_button.setEnabled(True)
        if not isinstance(exc, ServiceError):
            raise exc
        self.problem.setText(str(exc))
        self.problem.show()

    def reject(self) -> None:
        if not self._busy:  # the restore must report back to a dialog that is still open
            super().reject()


def offer_latest_backup(error: DamagedDatabaseError, parent: QWidget | None = None) -> bool:
    """True once the latest good backup has replaced the damaged file."""
    return DamagedDatabaseDialog(error, parent).exec() == QDialog.DialogCode.Accepted
