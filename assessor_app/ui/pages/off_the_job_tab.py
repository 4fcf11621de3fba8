"""Off-the-job training: the log of hours and the pace against the target."""

from __future__ import annotations

from decimal import Decimal

from assessor_app.domain.dates import format_date
from assessor_app.domain.off_the_job import Pace
from assessor_app.services.apprentice_record_queries import (
    OffTheJobLine,
    OffTheJobView,
    off_the_job_view,
)
from assessor_app.services.progress_records import OFF_THE_JOB_ACTIVITIES, log_off_the_job
from assessor_app.services.roles import Permission
from assessor_app.ui.colours import Tone, tone_style
from assessor_app.ui.models.column_table_model import Column, ColumnTableModel
from assessor_app.ui.pages.record_tab import (
    FormField,
    ListFormTab,
    bold_label,
    date_edit,
    from_qdate,
    save_button,
    table_view,
)
from assessor_app.ui.qt import (
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QObject,
    QProgressBar,
    Qt,
    QWidget,
    tr,
)

PACE_SYMBOLS = {Pace.AHEAD: "▲", Pace.ON_TRACK: "●", Pace.BEHIND: "▼"}
PACE_TONES = {Pace.AHEAD: Tone.GOOD, Pace.ON_TRACK: Tone.GOOD, Pace.BEHIND: Tone.BAD}


class OffTheJobTableModel(ColumnTableModel[OffTheJobLine]):
    DATE, HOURS, ACTIVITY, NOTES, RECORDED_BY = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(
                    tr("Date"), lambda e: format_date(e.on_date), sort=lambda e: (e.on_date, e.id)
                ),
                Column(
                    tr("Hours"),
                    lambda e: f"{e.hours.normalize():f}",
                    sort=lambda e: e.hours,
                    right=True,
                ),
                Column(
                    tr("Activity"), lambda e: tr(e.activity.capitalize()), sort=lambda e: e.activity
                ),
                Column(
                    tr("Notes"),
                    lambda e: e.notes,
                    sort=lambda e: e.notes.casefold() or None,
                    cell_tip=lambda e: e.notes,
                ),
                Column(
                    tr("Recorded by"),
                    lambda e: e.recorded_by,
                    sort=lambda e: e.recorded_by.casefold() or None,
                ),
            ],
            parent,
        )


class OffTheJobTab(ListFormTab):
    form_permission = Permission.LOG_OFF_THE_JOB

    def build(self) -> QWidget:
        self.setObjectName("offTheJobTab")
        self.view: OffTheJobView | None = None
        self.pace_label = bold_label("offTheJobPace")
        self.pace_bar = QProgressBar()
        self.pace_bar.setObjectName("offTheJobBar")
        self.pace_bar.setRange(0, 100)
        self.figures_label = QLabel()
        self.figures_label.setObjectName("offTheJobFigures")
        self.figures_label.setWordWrap(True)
        self.model = OffTheJobTableModel(self)
        self.table = table_view(self.model, "offTheJobTable", (2, 3))
        self.table.sortByColumn(OffTheJobTableModel.DATE, Qt.SortOrder.DescendingOrder)

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
        self.add_button = save_button(
            tr("&Add entry"), "addOffTheJob", tr("Log these hours (Ctrl+S)"), self.add_entry
        )
        form = self.form_box(
            tr("Log off-the-job training"),
            [
                FormField(tr("&Date:"), "on_date", self.date_edit),
                FormField(tr("&Hours:"), "hours", self.hours_spin),
                FormField(tr("Acti&vity:"), "activity", self.activity_combo),
                FormField(tr("&Notes:"), "notes", self.notes_edit),
            ],
            self.add_button,
        )
        self.lay_out_beside_form(
            [self.pace_label, self.pace_bar, self.figures_label],
            self.table,
            form,
            form_alignment=Qt.AlignmentFlag.AlignTop,
        )
        return form

    def load(self) -> OffTheJobView:
        return off_the_job_view(self._db, self._actor, self.apprentice_id, today=self._today)

    def show_data(self, data: OffTheJobView) -> None:
        self.view = data
        pace = data.pace
        # The symbol repeats the verdict the message ends with, so it is not colour alone.
        self.pace_label.setText(f"{PACE_SYMBOLS[pace.pace]} {pace.message}")
        self.pace_label.setStyleSheet(tone_style(PACE_TONES[pace.pace]))
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
        self.columns.fit(self.table)

    def add_entry(self) -> None:
        on = from_qdate(self.date_edit.date())
        hours = Decimal(str(round(self.hours_spin.value(), 2)))
        activity = str(self.activity_combo.currentData())
        notes = self.notes_edit.text()

        def done(_id: int) -> None:
            self.notes_edit.clear()
            self.show_message(
                tr("{hours} hours on {on} logged.").format(hours=f"{hours:f}", on=format_date(on))
            )

        self.save_form(done, log_off_the_job, on, hours, activity, notes, today=self._today)
