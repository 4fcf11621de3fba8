"""Schedule a placement, correct or cancel one already scheduled, record that its
notice was sent, and review a proposed rotation for a whole cohort before
scheduling it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from assessor_app.domain.dates import format_date
from assessor_app.domain.rotation import ProposedSlot, RotationPlan
from assessor_app.services.errors import FieldError, ServiceError
from assessor_app.services.host_queries import SettingChoice, setting_choices
from assessor_app.services.placements import (
    PlacementInput,
    cancel_placement,
    cancel_refusal,
    record_notice_sent,
    schedule_placement,
    update_placement,
)
from assessor_app.services.planner_queries import PlacementDetails, placement_details
from assessor_app.services.roles import PermissionDenied
from assessor_app.services.rotation_planning import schedule_rotation
from assessor_app.ui.colours import Tone, tone_style
from assessor_app.ui.dialogs.cohort_dialog import chosen_date, date_edit
from assessor_app.ui.dialogs.form_dialog import FormDialog
from assessor_app.ui.models.column_table_model import Column
from assessor_app.ui.qt import (
    QComboBox,
    QDate,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
    tr,
)
from assessor_app.ui.widgets.record_table import RecordTable
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.services.choice_lists import ApprenticeChoice
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def describe_placement(person: str, host: str, setting: str, start: date, end: date) -> str:
    return tr("{person} at {host} ({setting}), {start} – {end}").format(
        person=person,
        host=host,
        setting=setting,
        start=format_date(start),
        end=format_date(end),
    )


class PlacementDialog(FormDialog):
    """A new placement, or with `placement` the correction of one already
    scheduled (saved only if nobody else changed it since it was read)."""

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
        placement: PlacementDetails | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            tr("Schedule a placement")
            if placement is None
            else tr("Edit placement: {person}").format(person=placement.apprentice),
            parent,
        )
        self._db, self._actor, self.placement = db, actor, placement
        self.apprentice_combo = QComboBox()
        if placement is None:
            for a in apprentices:
                self.apprentice_combo.addItem(a.name, a.id)
        else:
            self.apprentice_combo.addItem(placement.apprentice, placement.apprentice_id)
            self.apprentice_combo.setEnabled(False)
            self.apprentice_combo.setToolTip(
                tr(
                    "A placement stays with its apprentice: cancel it and schedule one for "
                    "the other apprentice instead."
                )
            )
            apprentice_id = placement.apprentice_id
        if apprentice_id is not None:
            self.apprentice_combo.setCurrentIndex(
                max(self.apprentice_combo.findData(apprentice_id), 0)
            )
        self.setting_combo = QComboBox()
        self.setting_combo.setObjectName("placementSetting")
        self._places = {s.id: (s.host, s.name) for s in settings}
        for s in settings:
            self.setting_combo.addItem(s.label, s.id)
        self.start_edit = date_edit()
        self.end_edit = date_edit()
        if placement is not None:
            start, end = placement.start_date, placement.end_date
        if start is not None:
            self.start_edit.setDate(qdate(start))
        if end is not None:
            self.end_edit.setDate(qdate(end))
        self.days_edit = QLineEdit(tr("Monday to Friday"))
        self.hours_edit = QLineEdit()
        self.hours_edit.setPlaceholderText(tr("as contracted"))
        self.mentor_edit = QLineEdit()
        self.manager_edit = QLineEdit()
        if placement is not None:
            self._fill(placement)
        self.add_field("apprentice_id", tr("&Apprentice:"), self.apprentice_combo)
        self.add_field("setting_id", tr("&Where:"), self.setting_combo)
        self.add_field("start_date", tr("&From:"), self.start_edit)
        self.add_field("end_date", tr("&To (last day):"), self.end_edit)
        self.add_field("working_days", tr("Working &days:"), self.days_edit)
        self.add_field("hours_per_week", tr("&Hours a week:"), self.hours_edit)
        self.add_field("mentor_name", tr("&Mentor:"), self.mentor_edit)
        self.add_field("line_manager_name", tr("&Line manager:"), self.manager_edit)
        self.notice_note: QLabel | None = None
        if placement is not None and placement.notice_sent_on is not None:
            self.notice_note = QLabel(
                tr(
                    "Notice was sent on {date}. If you change where, when, the days or the "
                    "hours, send a new notice and record it."
                ).format(date=format_date(placement.notice_sent_on))
            )
            self.notice_note.setObjectName("placementNoticeNote")
            self.notice_note.setWordWrap(True)
            self.form.addRow(self.notice_note)
        self.setMinimumWidth(520)

    def _fill(self, placement: PlacementDetails) -> None:
        self._places.setdefault(placement.setting_id, (placement.host, placement.setting))
        index = self.setting_combo.findData(placement.setting_id)
        if index < 0:
            # No longer taking placements, so not offered for new ones; kept here so
            # correcting the dates does not silently move the placement.
            self.setting_combo.insertItem(
                0,
                tr("{host} – {setting} (no longer taking placements)").format(
                    host=placement.host, setting=placement.setting
                ),
                placement.setting_id,
            )
            index = 0
        self.setting_combo.setCurrentIndex(index)
        self.days_edit.setText(placement.working_days)
        if placement.hours_per_week is not None:
            self.hours_edit.setText(f"{placement.hours_per_week.normalize():f}")
        self.mentor_edit.setText(placement.mentor_name)
        self.manager_edit.setText(placement.line_manager_name)

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
            notice_sent_on=self.placement.notice_sent_on if self.placement else None,
        )

    def submit(self) -> int:
        if self.placement is None:
            return schedule_placement(self._db, self._actor, self.value())
        update_placement(
            self._db,
            self._actor,
            self.placement.id,
            self.value(),
            expected_version=self.placement.version,
        )
        return self.placement.id

    def description(self) -> str:
        """The placement as saved, in words for a status line."""
        host, setting = self._places.get(self.setting_combo.currentData(), ("", ""))
        return describe_placement(
            self.apprentice_combo.currentText(),
            host,
            setting,
            chosen_date(self.start_edit),
            chosen_date(self.end_edit),
        )


class PlacementEditing:
    """Correct or cancel one placement from a page that lists placements: its
    details are read off the window's thread, then the form or the question is
    shown; `changed` gets a line for the page's status after a save."""

    def __init__(
        self,
        page: QWidget,
        db: Database,
        changed: Callable[[str], None],
        title: str,
    ) -> None:
        self._page, self._db, self._changed, self._title = page, db, changed, title
        self.dialog: PlacementDialog | None = None  # the last form shown, for tests

    def _report(self, exc: Exception) -> None:
        if not isinstance(exc, ServiceError | PermissionDenied):
            raise exc  # a programming error: the crash handler reports it
        QMessageBox.warning(self._page, self._title, str(exc))

    def edit(self, actor: Actor, placement_id: int) -> None:
        db = self._db
        run_task(
            lambda: (placement_details(db, actor, placement_id), setting_choices(db, actor)),
            lambda found: self._open_form(actor, found[0], found[1]),
            self._report,
            owner=self._page,
        )

    def _open_form(
        self, actor: Actor, placement: PlacementDetails, settings: list[SettingChoice]
    ) -> None:
        dialog = PlacementDialog(
            self._db, actor, [], settings, placement=placement, parent=self._page
        )
        self.dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._changed(
                tr("Placement changed: {placement}.").format(placement=dialog.description())
            )

    def cancel(self, actor: Actor, placement_id: int) -> None:
        db = self._db
        run_task(
            lambda: placement_details(db, actor, placement_id),
            lambda placement: self._ask_to_cancel(actor, placement),
            self._report,
            owner=self._page,
        )

    def _ask_to_cancel(self, actor: Actor, placement: PlacementDetails) -> None:
        described = describe_placement(
            placement.apprentice,
            placement.host,
            placement.setting,
            placement.start_date,
            placement.end_date,
        )
        refusal = cancel_refusal(placement.evidence_count, placement.outcome_recorded)
        if refusal is not None:
            QMessageBox.information(self._page, tr("Cancel placement"), f"{described}\n\n{refusal}")
            return
        paragraphs = [
            tr("Cancel this placement?\n{placement}").format(placement=described),
            tr("It is removed from the plan; the audit trail keeps a record of it."),
        ]
        if placement.planned_units:
            paragraphs.append(
                tr(
                    "Units planned to be evidenced in it become unplanned ({units}): plan "
                    "them in another placement on the apprentice's Map tab."
                ).format(units=", ".join(placement.planned_units))
            )
        if placement.notice_sent_on is not None:
            paragraphs.append(
                tr("Its notice was sent on {date}: tell the apprentice and the host.").format(
                    date=format_date(placement.notice_sent_on)
                )
            )
        answer = QMessageBox.question(
            self._page,
            tr("Cancel placement"),
            "\n\n".join(paragraphs),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            cancel_placement(self._db, actor, placement.id, expected_version=placement.version)
        except (ServiceError, PermissionDenied) as exc:
            self._report(exc)
            return
        self._changed(tr("Placement cancelled: {placement}.").format(placement=described))


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
            warning.setStyleSheet(tone_style(Tone.CAUTION))
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
