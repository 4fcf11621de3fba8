"""Off-the-job training: the log of hours and the pace against the target."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from assessor_app.domain.dates import format_date
from assessor_app.domain.off_the_job import Pace
from assessor_app.services.apprentice_record_queries import (
    OffTheJobLine,
    OffTheJobView,
    off_the_job_view,
)
from assessor_app.services.progress_records import OFF_THE_JOB_ACTIVITIES, log_off_the_job
from assessor_app.services.roles import Actor, Permission
from assessor_app.ui.models.record_model import RecordTableModel
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SORT_ROLE
from assessor_app.ui.pages.record_tab import (
    FieldMarks,
    RecordTab,
    date_edit,
    from_qdate,
    table_view,
)
from assessor_app.ui.qt import (
    AnyIndex,
    QComboBox,
    QDoubleSpinBox,
    QFont,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QObject,
    QProgressBar,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    tr,
)

if TYPE_CHECKING:
    from assessor_app.store.database import Database

PACE_SYMBOLS = {Pace.AHEAD: "▲", Pace.ON_TRACK: "●", Pace.BEHIND: "▼"}
PACE_COLOURS = {Pace.AHEAD: "#1e5a28", Pace.ON_TRACK: "#1e5a28", Pace.BEHIND: "#8a1f24"}


class OffTheJobTableModel(RecordTableModel):
    DATE, HOURS, ACTIVITY, NOTES, RECORDED_BY = range(5)
    COLUMN_COUNT = 5

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[OffTheJobLine] = []
        self._headers = {
            self.DATE: tr("Date"),
            self.HOURS: tr("Hours"),
            self.ACTIVITY: tr("Activity"),
            self.NOTES: tr("Notes"),
            self.RECORDED_BY: tr("Recorded by"),
        }

    def set_rows(self, rows: Sequence[OffTheJobLine]) -> None:
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
            return (
                (line.on_date, line.id),
                line.hours,
                line.activity,
                line.notes.casefold() or None,
                line.recorded_by.casefold() or None,
            )[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                format_date(line.on_date),
                f"{line.hours.normalize():f}",
                tr(line.activity.capitalize()),
                line.notes,
                line.recorded_by,
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NOTES and line.notes:
            return line.notes
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.HOURS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class OffTheJobTab(RecordTab):
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
        self.setObjectName("offTheJobTab")
        self.view: OffTheJobView | None = None
        self.pace_label = QLabel()
        self.pace_label.setObjectName("offTheJobPace")
        self.pace_label.setWordWrap(True)
        font = QFont(self.pace_label.font())
        font.setBold(True)
        self.pace_label.setFont(font)
        self.pace_bar = QProgressBar()
        self.pace_bar.setObjectName("offTheJobBar")
        self.pace_bar.setRange(0, 100)
        self.figures_label = QLabel()
        self.figures_label.setObjectName("offTheJobFigures")
        self.figures_label.setWordWrap(True)
        self.model = OffTheJobTableModel(self)
        self.table = table_view(self.model, "offTheJobTable", (2, 3))
        self.table.sortByColumn(OffTheJobTableModel.DATE, Qt.SortOrder.DescendingOrder)

        self.marks = FieldMarks()
        self.date_edit = date_edit(self.today, "offTheJobDate")
        self.hours_spin = QDoubleSpinBox()
        self.hours_spin.setObjectName("offTheJobHours")
        self.hours_spin.setRange(0, 12)
        self.hours_spin.setDecimals(2)
        self.hours_spin.setSingleStep(0.5)
        self.hours_spin.setValue(7.5)
        self.hours_spin.setSuffix(tr(" h"))
        self.activity_combo = QComboBox()
        self.activity_combo.setObjectName("offTheJobActivity")
        for activity in OFF_THE_JOB_ACTIVITIES:
            self.activity_combo.addItem(tr(activity.capitalize()), activity)
        self.notes_edit = QLineEdit()
        self.notes_edit.setObjectName("offTheJobNotes")
        self.notes_edit.setPlaceholderText(tr("What was covered, e.g. moving and handling theory"))
        self.add_button = QPushButton(tr("&Add entry"))
        self.add_button.setObjectName("addOffTheJob")
        self.add_button.setToolTip(tr("Log these hours (Ctrl+S)"))
        self.add_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.add_button.clicked.connect(self.add_entry)
        self.form_box = QGroupBox(tr("Log off-the-job training"))
        form = QFormLayout(self.form_box)
        for label, field, widget in (
            (tr("&Date:"), "on_date", self.date_edit),
            (tr("&Hours:"), "hours", self.hours_spin),
            (tr("Acti&vity:"), "activity", self.activity_combo),
            (tr("&Notes:"), "notes", self.notes_edit),
        ):
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(widget)
            column.addWidget(self.marks.add(field, widget))
            form.addRow(label, holder)
        form.addRow("", self.add_button)

        pace_row = QVBoxLayout()
        pace_row.addWidget(self.pace_label)
        pace_row.addWidget(self.pace_bar)
        pace_row.addWidget(self.figures_label)
        pace_row.addWidget(self.table, 1)
        columns = QHBoxLayout()
        columns.addLayout(pace_row, 3)
        columns.addWidget(self.form_box, 2, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addLayout(columns, 1)
        self.form_box.setVisible(actor.can(Permission.LOG_OFF_THE_JOB))
        self.reload()

    def load(self) -> OffTheJobView:
        return off_the_job_view(self._db, self._actor, self.apprentice_id, today=self._today)

    def show_data(self, data: OffTheJobView) -> None:
        self.view = data
        pace = data.pace
        # The symbol repeats the verdict the message ends with, so it is not colour alone.
        self.pace_label.setText(f"{PACE_SYMBOLS[pace.pace]} {pace.message}")
        self.pace_label.setStyleSheet(f"color: {PACE_COLOURS[pace.pace]};")
        percent = pace.percent_of_expected
        self.pace_bar.setValue(min(int(percent), 100) if percent is not None else 0)
        self.pace_bar.setFormat(
            tr("{percent}% of the hours expected by today").format(percent=percent)
            if percent is not None
            else tr("No hours expected yet")
        )
        self.figures_label.setText(
            tr(
                "{logged:.1f} hours logged of the {total:.1f} for the whole programme "
                "({hours} contracted hours a week); {expected:.1f} expected by today."
            ).format(
                logged=pace.logged,
                total=pace.programme_total,
                hours=f"{data.contracted_hours_per_week.normalize():f}",
                expected=pace.expected,
            )
        )
        self.model.set_rows(data.entries)
        self.table.resizeColumnsToContents()

    def set_actor(self, actor: Actor) -> None:
        self.form_box.setVisible(actor.can(Permission.LOG_OFF_THE_JOB))
        super().set_actor(actor)

    def add_entry(self) -> None:
        if not self._actor.can(Permission.LOG_OFF_THE_JOB):
            return
        db, actor, apprentice_id, today = self._db, self._actor, self.apprentice_id, self._today
        on = from_qdate(self.date_edit.date())
        hours = Decimal(str(round(self.hours_spin.value(), 2)))
        activity = str(self.activity_combo.currentData())
        notes = self.notes_edit.text()

        def done(_id: int) -> None:
            self.notes_edit.clear()
            self.show_message(
                tr("{hours} hours on {on} logged.").format(hours=f"{hours:f}", on=format_date(on))
            )

        self.save(
            lambda: log_off_the_job(
                db, actor, apprentice_id, on, hours, activity, notes, today=today
            ),
            done,
            self.marks,
        )
