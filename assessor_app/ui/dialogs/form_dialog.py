"""The frame every form dialog shares: labelled fields, each with a line under it for
the service's message about it (FieldMarks), a message line for refusals that are not
about one field, and a Save button (Ctrl+S) beside Cancel.

A form saves in one of two ways. `submit()` may call the service and return what it
returned (an id, a version, a count): the dialog closes with it in `result_value`.
Or, for work that may take a while, `submit()` hands the service call to `run()`,
which calls it off the window's thread and closes once it is done. Either way a
refusal changes nothing: it is shown at its field or on the message line, and the
values stay as typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assessor_app.services.errors import ServiceError
from assessor_app.services.roles import PermissionDenied
from assessor_app.ui.pages.record_tab import (
    FieldMarks,
    message_label,
    show_message,
    with_error_line,
)
from assessor_app.ui.qt import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QShortcut,
    Qt,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.workers import run_task


class FormDialog(QDialog):
    """`intro` goes above the form (text, or a widget of its own); `save_text` names
    the Save button when the form does something more particular than saving."""

    def __init__(
        self,
        title: str,
        parent: QWidget | None = None,
        *,
        intro: str | QWidget = "",
        save_text: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self.result_value: Any = None
        self.running = False  # a service call is under way on a worker thread
        self.marks = FieldMarks()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.message = message_label("formMessage")
        kind = (
            QDialogButtonBox.StandardButton.Save
            if save_text is None
            else QDialogButtonBox.StandardButton.Ok
        )
        self.buttons = QDialogButtonBox(kind | QDialogButtonBox.StandardButton.Cancel)
        self.save_button: QPushButton = self.buttons.button(kind)
        if save_text is None:
            self.save_button.setToolTip(tr("Save (Ctrl+S)"))
        else:
            self.save_button.setText(save_text)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self._save_pressed)
        layout = QVBoxLayout(self)
        if isinstance(intro, QWidget):
            layout.addWidget(intro)
        elif intro:
            intro_label = QLabel(intro)
            intro_label.setWordWrap(True)
            layout.addWidget(intro_label)
            layout.addSpacing(6)
        # The form takes the height a taller dialog gives: a field that can use it
        # (a text box) grows, and the other rows stay at the top.
        layout.addLayout(self.form, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    # Building the form

    def add_field(self, field: str, label: str, widget: QWidget) -> QWidget:
        """A labelled row for the value a service's FieldError calls `field`, with the
        line for its message under it; the label's &-key moves to the widget."""
        if not widget.objectName():
            widget.setObjectName(field)
        self.form.addRow(label, with_error_line(widget, self.marks.add(field, widget)))
        return widget

    def line(self, field: str, label: str, *, secret: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setMinimumWidth(280)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field(field, label, edit)
        return edit

    # What the form shows

    def field_error(self, field: str) -> str:
        """The message shown under a field ('' when none)."""
        return self.marks.message(field)

    def clear_errors(self) -> None:
        self.marks.clear()
        show_message(self.message, "")

    def show_error(self, exc: Exception) -> None:
        """A refusal at its field, or on the message line; the dialog grows to show
        a message of several lines whole."""
        field = self.field_for(exc) if isinstance(exc, ServiceError) else None
        self.marks.show_refusal(exc, self.message, field)
        self._grow_to_fit()

    def field_for(self, exc: ServiceError) -> str | None:
        """The field a refusal is about when the service does not say (FieldError does)."""
        return None

    def _grow_to_fit(self) -> None:
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        wanted = (
            layout.totalHeightForWidth(self.width())
            if layout.hasHeightForWidth()
            else self.sizeHint().height()
        )
        if wanted > self.height():
            self.resize(self.width(), wanted)

    # Saving

    def submit(self) -> Any:
        """Save what the form holds. Return what the service returned and the dialog
        closes with it; or pass the service call to `run()` and return None. Raise
        FieldError (or let the service raise) to refuse; nothing is saved then."""
        raise NotImplementedError

    def save(self) -> None:
        if self.running:
            return
        self.clear_errors()
        try:
            result = self.submit()
        except (ServiceError, PermissionDenied) as exc:
            self.show_error(exc)
            return
        if result is not None:
            self.result_value = result
            self.accept()

    def run(self, work: Callable[[], Any]) -> None:
        """Call a service off the window's thread; close when it is done, with its
        answer in `result_value`, or show its refusal."""
        self.set_running(True)
        run_task(work, self._ran, self._failed, owner=self)

    def _ran(self, value: Any) -> None:
        self.set_running(False)
        self.result_value = value
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.set_running(False)
        self.show_error(self.refusal(exc))

    def refusal(self, exc: Exception) -> Exception:
        """What to show for work that failed: a service's refusal as it is. A form
        whose work also reads or writes files says more; anything else is a
        programming error, for the crash handler."""
        if isinstance(exc, ServiceError | PermissionDenied):
            return exc
        raise exc

    def set_running(self, running: bool) -> None:
        """While the work runs, the buttons wait and the pointer says so."""
        self.running = running
        self.buttons.setEnabled(not running)
        if running:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()

    @property
    def saved_id(self) -> int | None:
        """The saved record's id (or version, or count) when the service returned one."""
        value = self.result_value
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def _save_pressed(self) -> None:
        # Ctrl+S does what the button does, and nothing while the button may not.
        if self.save_button.isEnabled():
            self.save_button.click()

    def reject(self) -> None:
        # Work under way finishes whatever the person presses: stay open to say how it
        # went rather than leave them guessing.
        if not self.running:
            super().reject()
