"""A date that may not be known yet, such as a date of birth or the day a meeting
was held."""

from __future__ import annotations

from datetime import date

from assessor_app.ui.pages.record_tab import date_edit, from_qdate, to_qdate
from assessor_app.ui.qt import QCheckBox, QHBoxLayout, QWidget, tr


class OptionalDateEdit(QWidget):
    """A date that may not be known yet: a 'Known' box switches the date on.

    A refusal's red frame goes on the date itself, not on the box beside it.
    """

    def __init__(self, day: date, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.known_box = QCheckBox(tr("Known:"))
        self.known_box.setObjectName(f"{name}Known")
        self.edit = date_edit(day, name)
        self.edit.setEnabled(False)
        self.known_box.toggled.connect(self.edit.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.known_box)
        row.addWidget(self.edit, 1)
        self.setFocusProxy(self.known_box)

    def value(self) -> date | None:
        return from_qdate(self.edit.date()) if self.known_box.isChecked() else None

    def set_value(self, day: date | None) -> None:
        self.known_box.setChecked(day is not None)
        if day is not None:
            self.edit.setDate(to_qdate(day))

    def setStyleSheet(self, styleSheet: str) -> None:  # noqa: N802, N803
        self.edit.setStyleSheet(styleSheet)
