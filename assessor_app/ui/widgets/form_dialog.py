"""The frame every record form shares: labelled fields, a message under a field the
service refused (red frame and the service's words), a message bar for refusals
that are not about one field, and Save (Ctrl+S) / Cancel. A form only closes once
the service has saved; a refusal changes nothing and leaves the values as typed."""

from __future__ import annotations

from assessor_app.services.errors import FieldError, ServiceError
from assessor_app.services.roles import PermissionDenied
from assessor_app.ui.colours import Tone, tone_style
from assessor_app.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QKeySequence,
    QLabel,
    QShortcut,
    QVBoxLayout,
    QWidget,
    tr,
)

FIELD_ERROR_STYLE = "border: 2px solid #c0392b; border-radius: 3px;"


class FormDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(tone_style(Tone.BAD))
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip(tr("Save (Ctrl+S)"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.saved_id: int | None = None

    def add_field(self, field: str, label: str, widget: QWidget) -> None:
        """A labelled row; `field` is the name the service's FieldError uses."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = QLabel()
        error.setObjectName(f"error_{field}")
        error.setWordWrap(True)
        error.setStyleSheet(tone_style(Tone.BAD))
        error.hide()
        column.addWidget(error)
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.form.addRow(caption, holder)
        self._fields[field] = (widget, error)

    def alias(self, field: str, shown_at: str) -> None:
        """Show a service field name's errors at another field of the form."""
        self._fields[field] = self._fields[shown_at]

    def field_error(self, field: str) -> str:
        """The message shown under a field ('' when none)."""
        entry = self._fields.get(field)
        return entry[1].text() if entry is not None and not entry[1].isHidden() else ""

    def clear_errors(self) -> None:
        for widget, error in self._fields.values():
            widget.setStyleSheet("")
            error.clear()
            error.hide()
        self.message.clear()
        self.message.hide()

    def show_error(self, exc: Exception) -> None:
        if isinstance(exc, FieldError) and exc.field in self._fields:
            widget, error = self._fields[exc.field]
            widget.setStyleSheet(FIELD_ERROR_STYLE)
            error.setText(str(exc))
            error.show()
            widget.setFocus()
            return
        self.message.setText(str(exc))
        self.message.show()

    def submit(self) -> int:
        """Ask the service to save; return the saved record's id (or version)."""
        raise NotImplementedError

    def save(self) -> None:
        self.clear_errors()
        try:
            self.saved_id = self.submit()
        except (ServiceError, PermissionDenied) as exc:
            self.show_error(exc)
            return
        self.accept()
