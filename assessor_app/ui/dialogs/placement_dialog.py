"""Schedule a placement, record that its notice was sent, and review a proposed
rotation for a whole cohort before scheduling it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from assessor_app.domain.dates import format_date
from assessor_app.domain.rotation import ProposedSlot, RotationPlan
from assessor_app.services.errors import FieldError
from assessor_app.services.placements import (
    PlacementInput,
    record_notice_sent,
    schedule_placement,
)
from assessor_app.services.rotation_planning import schedule_rotation
from assessor_app.ui.dialogs.cohort_dialog import chosen_date, date_edit
from assessor_app.ui.models.column_table_model import Column
from assessor_app.ui.qt import QComboBox, QDate, QDialogButtonBox, QLabel, QLineEdit, QWidget, tr
from assessor_app.ui.widgets.form_dialog import FormDialog
from assessor_app.ui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from assessor_app.services.choice_lists import ApprenticeChoice
    from assessor_app.services.host_queries import SettingChoice
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class PlacementDialog(FormDialog):
    def __init__(
        self,
        db: Database,
        actor: Actor,
        apprentices: list[ApprenticeChoice],
        settings: list[SettingChoice],
        *,
        apprentice_id: int | None = None,
        start: date | None = None,
        end: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("Schedule a placement"), parent)
        self._db, self._actor = db, actor
        self.apprentice_combo = QComboBox()
        for a in apprentices:
            self.apprentice_combo.addItem(a.name, a.id)
        if apprentice_id is not None:
            self.apprentice_combo.setCurrentIndex(
                max(self.apprentice_combo.findData(apprentice_id), 0)
            )
        self.setting_combo = QComboBox()
        self.setting_combo.setObjectName("placementSetting")
        for s in settings:
            self.setting_combo.addItem(s.label, s.id)
        self.start_edit = date_edit()
        self.end_edit = date_edit()
        if start is not None:
            self.start_edit.setDate(qdate(start))
        if end is not None:
            self.end_edit.setDate(qdate(end))
        self.days_edit = QLineEdit(tr("Monday to Friday"))
        self.hours_edit = QLineEdit()
        self.hours_edit.setPlaceholderText(tr("as contracted"))
        self.mentor_edit = QLineEdit()
        self.manager_edit = QLineEdit()
        self.add_field("apprentice_id", tr("&Apprentice:"), self.apprentice_combo)
        self.add_field("setting_id", tr("&Where:"), self.setting_combo)
        self.add_field("start_date", tr("&From:"), self.start_edit)
        self.add_field("end_date", tr("&To (last day):"), self.end_edit)
        self.add_field("working_days", tr("Working &days:"), self.days_edit)
        self.add_field("hours_per_week", tr("&Hours a week:"), self.hours_edit)
        self.add_field("mentor_name", tr("&Mentor:"), self.mentor_edit)
        self.add_field("line_manager_name", tr("&Line manager:"), self.manager_edit)
        self.setMinimumWidth(520)

    def value(self) -> PlacementInput:
        if self.apprentice_combo.currentData() is None:
            raise FieldError("apprentice_id", tr("This cohort has no apprentices to place yet."))
        if self.setting_combo.currentData() is None:
            raise FieldError(
                "setting_id",
                tr("There is no host setting yet: add one on the Organisations page."),
            )
        hours_text = self.hours_edit.text().strip()
        try:
            hours = Decimal(hours_text) if hours_text else None
        except InvalidOperation:
            raise FieldError(
                "hours_per_week", tr("Hours a week must be a number, such as 37.5, or blank.")
            ) from None
        return PlacementInput(
            apprentice_id=int(self.apprentice_combo.currentData()),
            setting_id=int(self.setting_combo.currentData()),
            start_date=chosen_date(self.start_edit),
            end_date=chosen_date(self.end_edit),
            working_days=self.days_edit.text(),
            hours_per_week=hours,
            mentor_name=self.mentor_edit.text(),
            line_manager_name=self.manager_edit.text(),
        )

    def submit(self) -> int:
        return schedule_placement(self._db, self._actor, self.value())


class NoticeDialog(FormDialog):
    """The day the apprentice and host were sent the placement's details."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        placement_id: int,
        description: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("Record notice sent"), parent)
        self._db, self._actor, self._placement_id = db, actor, placement_id
        self.about = QLabel(description)
        self.about.setWordWrap(True)
        self.form.addRow(self.about)
        self.sent_edit = date_edit()
        self.add_field("sent_on", tr("Notice &sent on:"), self.sent_edit)
        self.setMinimumWidth(420)

    def submit(self) -> int:
        return record_notice_sent(
            self._db, self._actor, self._placement_id, chosen_date(self.sent_edit)
        )


SLOT_COLUMNS: list[Column[ProposedSlot]] = [
    Column(tr("Apprentice"), lambda s: s.apprentice_name),
    Column(tr("Period"), lambda s: str(s.period), sort=lambda s: s.period, right=True),
    Column(tr("Host"), lambda s: s.host_name),
    Column(tr("Setting"), lambda s: s.setting_name),
    Column(tr("From"), lambda s: format_date(s.start), sort=lambda s: s.start),
    Column(tr("To"), lambda s: format_date(s.end), sort=lambda s: s.end),
]


class RotationDialog(FormDialog):
    """The proposal, every requirement it could not meet, and one button to
    schedule every placement in it (all or none)."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        cohort_id: int,
        cohort_name: str,
        plan: RotationPlan,
        already_placed: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("Proposed rotation for {name}").format(name=cohort_name), parent)
        self._db, self._actor, self._cohort_id, self.plan = db, actor, cohort_id, plan
        self.save_button.setText(tr("&Schedule all"))
        self.save_button.setToolTip(tr("Schedule every placement in the proposal (Ctrl+S)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("&Discard"))
        self.summary = QLabel(
            tr("{slots} placements in {periods} periods for {people} apprentices.").format(
                slots=len(plan.slots),
                periods=len(plan.periods),
                people=len({s.apprentice_id for s in plan.slots}),
            )
        )
        self.form.addRow(self.summary)
        if already_placed:
            warning = QLabel(
                tr(
                    "{count} of these apprentices already have placements: scheduling adds "
                    "these alongside them, and the planner will show any overlaps."
                ).format(count=already_placed)
            )
            warning.setWordWrap(True)
            warning.setStyleSheet("color: #5a4300;")
            self.form.addRow(warning)
        self.table: RecordTable[ProposedSlot] = RecordTable(SLOT_COLUMNS, stretch=2)
        self.table.set_rows(list(plan.slots))
        self.table.setMinimumHeight(260)
        self.form.addRow(self.table)
        self.problems = QLabel(
            "\n".join(f"• {p.message}" for p in plan.problems)
            if plan.problems
            else tr("Every requirement of the pattern is met.")
        )
        self.problems.setObjectName("rotationProblems")
        self.problems.setWordWrap(True)
        self.form.addRow(self.problems)
        self.save_button.setEnabled(bool(plan.slots))
        self.resize(820, 560)

    def submit(self) -> int:
        return len(schedule_rotation(self._db, self._actor, self._cohort_id, self.plan))
