"""What the admin dialogs share: a form whose fields can show a service's message
under them, a message line for the rest, and OK/Cancel around a service call
that runs off the window's thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assessor_app.services.errors import FieldError, ServiceError
from assessor_app.services.roles import PermissionDenied
from assessor_app.ui.pages.record_tab import FieldMarks, message_label, show_message
from assessor_app.ui.qt import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from assessor_app.ui.workers import run_task


class FormDialog(QDialog):
    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self.result_value: Any = None
        self._busy = False
        self.marks = FieldMarks()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.message_label = message_label("dialogMessage")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if intro:
            intro_label = QLabel(intro)
            intro_label.setWordWrap(True)
            layout.addWidget(intro_label)
            layout.addSpacing(6)
        layout.addLayout(self.form)
        layout.addWidget(self.message_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def add_field(self, field: str, label: str, widget: QWidget) -> QWidget:
        """A row of the form, known to FieldMarks as `field`, with its error line under it."""
        widget.setObjectName(field)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(self.marks.add(field, widget))
        holder.setFocusProxy(widget)  # the label's mnemonic lands in the field
        self.form.addRow(label, holder)
        return widget

    def line(self, field: str, label: str, *, secret: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setMinimumWidth(280)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field(field, label, edit)
        return edit

    def field_error(self, field: str, message: str) -> None:
        self.marks.mark(FieldError(field, message))

    def field_message(self, field: str) -> str:
        return self.marks.message(field)

    def general_message(self) -> str:
        return self.message_label.text() if self.message_label.isVisibleTo(self) else ""

    def submit(self) -> None:
        raise NotImplementedError

    def field_for(self, exc: ServiceError) -> str | None:
        """The field a refusal is about when the service does not say (FieldError does)."""
        return None

    def run(self, work: Callable[[], Any]) -> None:
        """Call a service off the window's thread; accept on success, show a refusal."""
        self.marks.clear()
        show_message(self.message_label, "")
        self._set_busy(True)

        def done(value: Any) -> None:
            self._set_busy(False)
            self.result_value = value
            self.accept()

        def failed(exc: Exception) -> None:
            self._set_busy(False)
            if not isinstance(exc, ServiceError | PermissionDenied):
                raise exc  # a programming error: the crash handler explains it
            field = exc.field if isinstance(exc, FieldError) else None
            if field is None and isinstance(exc, ServiceError):
                field = self.field_for(exc)
            if field is not None and self.marks.mark(FieldError(field, str(exc))):
                return
            show_message(self.message_label, str(exc), error=True)

        run_task(work, done, failed, owner=self)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.buttons.setEnabled(not busy)
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()

    def reject(self) -> None:
        if not self._busy:
            super().reject()
