"""The Care Certificate: the 15 standards with when each was completed and who
signed it, the due date and whether it is overdue; a standard is marked complete
with a date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from assessor_app.domain.dates import format_date
from assessor_app.services.apprentice_record_queries import (
    CareCertificateView,
    StandardLine,
    care_certificate_view,
)
from assessor_app.services.progress_records import complete_care_certificate_standard
from assessor_app.services.roles import Actor, Permission
from assessor_app.ui.models.record_model import RecordTableModel
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SORT_ROLE
from assessor_app.ui.pages.record_tab import (
    FieldMarks,
    RecordTab,
    ask_to_confirm,
    date_edit,
    from_qdate,
    selected_record,
    table_view,
)
from assessor_app.ui.qt import (
    AnyIndex,
    QBrush,
    QColor,
    QFont,
    QHBoxLayout,
    QLabel,
    QObject,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    tr,
)

if TYPE_CHECKING:
    from assessor_app.store.database import Database

_DONE = ("#dff3e1", "#1e5a28")


class StandardTableModel(RecordTableModel):
    NUMBER, TITLE, COMPLETED, SIGNED_BY = range(4)
    COLUMN_COUNT = 4

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[StandardLine] = []
        self._headers = {
            self.NUMBER: tr("No."),
            self.TITLE: tr("Standard"),
            self.COMPLETED: tr("Completed"),
            self.SIGNED_BY: tr("Signed off by"),
        }

    def set_rows(self, rows: Sequence[StandardLine]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        line, column = self._rows[index.row()], index.column()
        if role == ROW_ROLE:
            return line
        if role == SORT_ROLE:
            return (line.number, line.title.casefold(), line.completed_on, line.signed_off_by)[
                column
            ] or None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NUMBER:
                return str(line.number)
            if column == self.TITLE:
                return line.title
            if column == self.COMPLETED:
                if line.completed_on is None:
                    return tr("○ Not yet")
                return tr("✓ {on}").format(on=format_date(line.completed_on))
            return line.signed_off_by
        if column == self.COMPLETED and line.completed_on is not None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(_DONE[0]))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(_DONE[1]))
        return None


class CareCertificateTab(RecordTab):
    def __init__(
        self,
        db: Database,
        actor: Actor,
        apprentice_id: int,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(db, actor, apprentice_id, parent, today=today)
        self.setObjectName("careCertificateTab")
        self.view: CareCertificateView | None = None
        self.status_label = QLabel()
        self.status_label.setObjectName("careCertificateStatus")
        self.status_label.setWordWrap(True)
        font = QFont(self.status_label.font())
        font.setBold(True)
        self.status_label.setFont(font)
        self.model = StandardTableModel(self)
        self.table = table_view(self.model, "standardsTable")
        self.table.sortByColumn(StandardTableModel.NUMBER, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.marks = FieldMarks()
        self.date_edit = date_edit(self.today, "completedOn")
        self.complete_button = QPushButton(tr("&Mark complete"))
        self.complete_button.setObjectName("markStandardComplete")
        self.complete_button.setToolTip(
            tr("Record that the chosen standard was completed on the date given; you sign it off")
        )
        self.complete_button.clicked.connect(self.complete_selected)
        self.form = QWidget()
        row = QHBoxLayout(self.form)
        row.setContentsMargins(0, 0, 0, 0)
        date_label = QLabel(tr("Completed &on:"))
        date_label.setBuddy(self.date_edit)
        row.addWidget(date_label)
        row.addWidget(self.date_edit)
        row.addWidget(self.complete_button)
        row.addStretch(1)
        error = self.marks.add("completed_on", self.date_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.form)
        layout.addWidget(error)
        self.form.setVisible(actor.can(Permission.RECORD_CARE_CERTIFICATE))
        self.reload()

    def load(self) -> CareCertificateView:
        return care_certificate_view(self._db, self._actor, self.apprentice_id, today=self._today)

    def show_data(self, data: CareCertificateView) -> None:
        self.view = data
        status = data.status
        # The message names the due date itself.
        self.status_label.setText(status.message)
        colour = "#8a1f24" if status.overdue else ("#1e5a28" if status.complete else "")
        self.status_label.setStyleSheet(f"color: {colour};" if colour else "")
        self.model.set_rows(data.standards)
        self.table.resizeColumnsToContents()
        self._update_buttons()

    def set_actor(self, actor: Actor) -> None:
        self.form.setVisible(actor.can(Permission.RECORD_CARE_CERTIFICATE))
        super().set_actor(actor)

    def selected_standard(self) -> StandardLine | None:
        line = selected_record(self.table)
        return line if isinstance(line, StandardLine) else None

    def select_standard(self, number: int) -> None:
        proxy = self.table.model()
        for r in range(proxy.rowCount()):
            if proxy.data(proxy.index(r, 0), ROW_ROLE).number == number:
                self.table.selectRow(r)
                return

    def _update_buttons(self) -> None:
        self.complete_button.setEnabled(self.selected_standard() is not None)

    def complete_selected(self) -> None:
        line = self.selected_standard()
        if line is None or not self._actor.can(Permission.RECORD_CARE_CERTIFICATE):
            return
        on = from_qdate(self.date_edit.date())
        if line.completed_on is not None and not ask_to_confirm(
            self,
            tr("Change the completion date"),
            tr(
                "Standard {number} was already recorded as completed on {before}. "
                "Change it to {after}?"
            ).format(
                number=line.number, before=format_date(line.completed_on), after=format_date(on)
            ),
            tr("Change date"),
        ):
            return
        db, actor, apprentice_id, today = self._db, self._actor, self.apprentice_id, self._today
        self.save(
            lambda: complete_care_certificate_standard(
                db, actor, apprentice_id, line.number, on, today=today
            ),
            lambda _none: self.show_message(
                tr("Standard {number} recorded as completed on {on}.").format(
                    number=line.number, on=format_date(on)
                )
            ),
            self.marks,
        )
