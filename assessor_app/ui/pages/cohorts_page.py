"""Cohorts and the placement planner: the list of cohorts (create and edit), and for
the chosen cohort a grid of apprentices by placement period with the host and
setting in each cell, cells with schedule findings coloured, and the findings
listed below. Coordinators propose a rotation for the whole cohort, schedule a
placement, correct or cancel one, and record that a placement's notice was sent.
Those who choose units set the cohort's unit template and apply it to everyone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assessor_app.domain.credit_rules import Severity
from assessor_app.domain.dates import format_date
from assessor_app.domain.rotation import RotationPlan
from assessor_app.domain.schedule import ScheduleFinding
from assessor_app.domain.wording import plural
from assessor_app.services.apprentice_queries import cohort_schedule_findings
from assessor_app.services.catalogue_queries import QualificationSummary, list_qualifications
from assessor_app.services.choice_lists import ApprenticeChoice, apprentice_choices
from assessor_app.services.errors import ServiceError
from assessor_app.services.host_queries import SettingChoice, setting_choices
from assessor_app.services.planner_queries import (
    CohortFormChoices,
    CohortRow,
    cohort_form_choices,
    cohort_rows,
)
from assessor_app.services.report_queries import CohortSchedule, ScheduleCell, cohort_schedule
from assessor_app.services.roles import Actor, Permission, PermissionDenied
from assessor_app.services.rotation_planning import propose_cohort_rotation
from assessor_app.ui.dialogs.cohort_dialog import CohortDialog
from assessor_app.ui.dialogs.cohort_template_dialog import CohortTemplateDialog
from assessor_app.ui.dialogs.placement_dialog import (
    NoticeDialog,
    PlacementDialog,
    PlacementEditing,
    RotationDialog,
    describe_placement,
)
from assessor_app.ui.models.column_table_model import CAUTION_COLOURS, WARNING_COLOURS, Column
from assessor_app.ui.models.planner_model import PlannerModel
from assessor_app.ui.pages.organisations_page import heading_label
from assessor_app.ui.qt import (
    AnyIndex,
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QKeySequence,
    QLabel,
    QMessageBox,
    QPushButton,
    QShortcut,
    QShowEvent,
    QSplitter,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
    tr,
)
from assessor_app.ui.widgets.record_table import RecordTable
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database


@dataclass(frozen=True)
class _FormChoices:
    cohorts: CohortFormChoices
    qualifications: list[QualificationSummary]
    settings: list[SettingChoice]


@dataclass(frozen=True)
class _Plan:
    schedule: CohortSchedule
    findings: list[ScheduleFinding]
    apprentices: list[ApprenticeChoice]


COHORT_COLUMNS: list[Column[CohortRow]] = [
    Column(tr("Cohort"), lambda c: c.name),
    Column(tr("Employer"), lambda c: c.employer),
    Column(tr("Training provider"), lambda c: c.training_provider),
    Column(tr("Starts"), lambda c: format_date(c.start_date), sort=lambda c: c.start_date),
    Column(
        tr("Pattern"),
        lambda c: tr("{count} × {months} months").format(
            count=c.placement_count, months=c.placement_months
        ),
        tip=tr("Placements, and months in each"),
    ),
    Column(
        tr("Apprentices"), lambda c: str(c.apprentices), sort=lambda c: c.apprentices, right=True
    ),
]


FINDING_COLUMNS: list[Column[ScheduleFinding]] = [
    Column(
        tr("Severity"),
        lambda f: tr("Error") if f.severity is Severity.ERROR else tr("Warning"),
        sort=lambda f: f.severity is not Severity.ERROR,
        colours=lambda f: WARNING_COLOURS if f.severity is Severity.ERROR else CAUTION_COLOURS,
    ),
    Column(tr("Finding"), lambda f: f.message, cell_tip=lambda f: f.message),
]


class CohortsPage(QWidget):
    open_apprentice_requested = Signal(int, str)

    def __init__(
        self, db: Database, actor: Actor | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._actor: Actor | None = None
        self._loading = 0
        self._shown_before = False
        self._plan_loading = 0
        self._choices: _FormChoices | None = None
        self.plan: _Plan | None = None

        self.new_button = QPushButton(tr("Ne&w cohort…"))
        self.new_button.setToolTip(tr("Add a cohort (Ctrl+N)"))
        self.edit_button = QPushButton(tr("&Edit…"))
        self.edit_button.setToolTip(tr("Change the chosen cohort"))
        self.template_button = QPushButton(tr("Unit tem&plate…"))
        self.template_button.setToolTip(
            tr(
                "The placement period in which the chosen cohort usually evidences each "
                "unit, and planning every apprentice's units from it"
            )
        )
        self.table: RecordTable[CohortRow] = RecordTable(COHORT_COLUMNS)
        self.table.setObjectName("cohortTable")
        self.table.setToolTip(tr("Choose a cohort to plan its placements"))
        self.table.setMinimumHeight(130)  # room for four cohorts before scrolling

        self.plan_heading = heading_label("", 1.2)
        self.propose_button = QPushButton(tr("Propose ro&tation…"))
        self.propose_button.setToolTip(
            tr("Propose placements for the whole cohort, to review before scheduling")
        )
        self.schedule_button = QPushButton(tr("Sched&ule placement…"))
        self.schedule_button.setToolTip(tr("Schedule one placement for an apprentice"))
        self.notice_button = QPushButton(tr("Record notice &sent…"))
        self.notice_button.setToolTip(tr("Record the day the chosen placement's notice was sent"))
        self.edit_placement_button = QPushButton(tr("Edit place&ment…"))
        self.edit_placement_button.setToolTip(
            tr("Correct the chosen placement: where, when, days, hours, contacts (Ctrl+E)")
        )
        self.cancel_placement_button = QPushButton(tr("C&ancel placement…"))
        self.cancel_placement_button.setToolTip(
            tr("Remove the chosen placement from the plan, after asking (Delete)")
        )
        self.placement_editing = PlacementEditing(self, db, self._placement_changed, tr("Cohorts"))
        self._keep_cell: tuple[int, frozenset[int], int] | None = None
        self.planner_model = PlannerModel(self)
        self.planner = QTableView()
        self.planner.setModel(self.planner_model)
        self.planner.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.planner.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.planner.verticalHeader().hide()
        self.planner.setWordWrap(True)
        self.planner.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.planner.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.findings_heading = QLabel()
        self.findings_table: RecordTable[ScheduleFinding] = RecordTable(FINDING_COLUMNS, stretch=1)
        self.findings_table.setObjectName("findingsTable")
        self.findings_table.setMinimumHeight(110)  # three findings before scrolling
        self.status_label = QLabel()
        self.status_label.setObjectName("cohortStatus")
        self.status_label.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(heading_label(tr("Cohorts")))
        top.addStretch(1)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.template_button)
        plan_bar = QHBoxLayout()
        plan_bar.addWidget(self.plan_heading)
        plan_bar.addStretch(1)
        plan_bar.addWidget(self.propose_button)
        plan_bar.addWidget(self.schedule_button)
        plan_bar.addWidget(self.edit_placement_button)
        plan_bar.addWidget(self.cancel_placement_button)
        plan_bar.addWidget(self.notice_button)
        plan_area = QWidget()
        plan_layout = QVBoxLayout(plan_area)
        plan_layout.setContentsMargins(0, 0, 0, 0)
        plan_layout.addLayout(plan_bar)
        plan_layout.addWidget(self.planner, 3)
        plan_layout.addWidget(self.findings_heading)
        plan_layout.addWidget(self.findings_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(plan_area)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)

        self.new_button.clicked.connect(self.new_cohort)
        self.edit_button.clicked.connect(self.edit_cohort)
        self.template_button.clicked.connect(self.unit_template)
        self.propose_button.clicked.connect(self.propose_rotation)
        self.schedule_button.clicked.connect(self.schedule_placement)
        self.notice_button.clicked.connect(self.record_notice)
        self.edit_placement_button.clicked.connect(self.edit_placement)
        self.cancel_placement_button.clicked.connect(self.cancel_placement)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.load_plan())
        self.table.activated.connect(lambda _index: self.edit_cohort())
        self.planner.activated.connect(self._planner_activated)
        self.planner.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        QShortcut(QKeySequence.StandardKey.New, self, self.new_cohort)
        QShortcut(QKeySequence("Ctrl+E"), self, self.edit_placement)
        QShortcut(
            QKeySequence.StandardKey.Delete,
            self.planner,
            self.cancel_placement,
            Qt.ShortcutContext.WidgetShortcut,
        )
        self.set_actor(actor)

    # Who may do what

    def _can(self, permission: Permission) -> bool:
        return self._actor is not None and self._actor.can(permission)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        # Another page may have changed what this one shows since it was read.
        if self._shown_before and not event.spontaneous():
            self.reload()
        self._shown_before = True

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        manage = self._can(Permission.MANAGE_COHORTS)
        schedule = self._can(Permission.SCHEDULE_PLACEMENTS)
        self.new_button.setVisible(manage)
        self.edit_button.setVisible(manage)
        self.template_button.setVisible(self._can(Permission.CHOOSE_UNITS))
        for button in (
            self.propose_button,
            self.schedule_button,
            self.edit_placement_button,
            self.cancel_placement_button,
            self.notice_button,
        ):
            button.setVisible(schedule)
        self.planner.setToolTip(
            tr(
                "Coloured cells have schedule findings. Double-click a name to open the "
                "apprentice, a placement to edit it, or an empty period to schedule one."
            )
            if schedule
            else tr(
                "Coloured cells have schedule findings; double-click a name to open the apprentice"
            )
        )
        self.reload()

    def _update_buttons(self) -> None:
        cohort = self.table.current_record()
        self.edit_button.setEnabled(cohort is not None)
        self.template_button.setEnabled(cohort is not None)
        self.propose_button.setEnabled(cohort is not None and self.plan is not None)
        self.schedule_button.setEnabled(cohort is not None and self._choices is not None)
        placed = bool(self.placements_here())
        for button in (
            self.notice_button,
            self.edit_placement_button,
            self.cancel_placement_button,
        ):
            button.setEnabled(placed)

    # Loading

    def reload(self, select_id: int | None = None) -> None:
        self._loading += 1
        ticket = self._loading
        if self._actor is None:
            self._show([], None, None)
            self.status_label.setText(tr("Sign in to see the cohorts."))
            return
        self.status_label.setText(tr("Loading…"))
        db, actor = self._db, self._actor
        wants_choices = actor.can(Permission.MANAGE_COHORTS) or actor.can(
            Permission.SCHEDULE_PLACEMENTS
        )

        def load() -> tuple[list[CohortRow], _FormChoices | None]:
            choices = (
                _FormChoices(
                    cohort_form_choices(db, actor),
                    list_qualifications(db),
                    setting_choices(db, actor),
                )
                if wants_choices
                else None
            )
            return cohort_rows(db, actor), choices

        run_task(
            load,
            lambda result: self._loaded(ticket, result[0], result[1], select_id),
            lambda exc: self._failed(ticket, exc),
            owner=self,
        )

    def _loaded(
        self,
        ticket: int,
        rows: list[CohortRow],
        choices: _FormChoices | None,
        select_id: int | None,
    ) -> None:
        if ticket == self._loading:
            self._show(rows, choices, select_id)

    def _failed(self, ticket: int, exc: Exception) -> None:
        if ticket != self._loading:
            return
        self._check(exc)
        self._show([], None, None)
        self.status_label.setText(str(exc))

    @staticmethod
    def _check(exc: Exception) -> None:
        if not isinstance(exc, ServiceError | PermissionDenied):
            raise exc  # a programming error: the crash handler reports it

    def _show(
        self, rows: list[CohortRow], choices: _FormChoices | None, select_id: int | None
    ) -> None:
        self._choices = choices
        current = self.table.current_record()
        wanted = select_id if select_id is not None else (current.id if current else None)
        self.table.blockSignals(True)
        self.table.set_rows(rows)
        self.table.blockSignals(False)
        if wanted is None or not self.table.select_where(wanted, lambda r: r.id):
            self.table.selectRow(0)
        self.status_label.setText(
            tr("{count} cohorts").format(count=len(rows)) if rows else tr("No cohorts yet.")
        )
        self.load_plan()

    def load_plan(self) -> None:
        self._plan_loading += 1
        ticket = self._plan_loading
        cohort = self.table.current_record()
        self._remember_cell()
        self._show_plan(None, cohort)
        if cohort is None or self._actor is None:
            return
        self.plan_heading.setText(tr("Loading the plan for {name}…").format(name=cohort.name))
        db, actor, cohort_id = self._db, self._actor, cohort.id
        run_task(
            lambda: _Plan(
                cohort_schedule(db, actor, cohort_id),
                cohort_schedule_findings(db, actor, cohort_id),
                apprentice_choices(db, actor, cohort_id),
            ),
            lambda plan: self._plan_loaded(ticket, plan, cohort),
            lambda exc: self._plan_failed(ticket, exc),
            owner=self,
        )

    def _plan_loaded(self, ticket: int, plan: _Plan, cohort: CohortRow) -> None:
        if ticket == self._plan_loading:
            self._show_plan(plan, cohort)
            self._restore_cell()

    def _plan_failed(self, ticket: int, exc: Exception) -> None:
        if ticket != self._plan_loading:
            return
        self._check(exc)
        self.plan_heading.setText(str(exc))

    def _show_plan(self, plan: _Plan | None, cohort: CohortRow | None) -> None:
        self.plan = plan
        self.planner_model.set_schedule(
            plan.schedule if plan else None, plan.findings if plan else []
        )
        self.planner.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        findings = sorted(
            plan.findings if plan else [], key=lambda f: f.severity is not Severity.ERROR
        )
        self.findings_table.set_rows(findings)
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        self.findings_heading.setText(
            tr("Schedule findings: {errors} errors, {warnings} warnings").format(
                errors=errors, warnings=len(findings) - errors
            )
            if findings
            else tr("No schedule findings.")
        )
        self.plan_heading.setText(
            tr("Placement plan: {name}").format(name=cohort.name)
            if cohort
            else tr("Choose a cohort to see its placement plan.")
        )
        self._update_buttons()

    # The planner

    def placements_here(self) -> tuple[ScheduleCell, ...]:
        """The placements in the chosen planner cell (usually one; more overlap)."""
        index = self.planner.currentIndex()
        if not index.isValid():
            return ()
        return self.planner_model.cells_at(index.row(), index.column())

    def _described(self, cell: ScheduleCell) -> str:
        person = self.planner_model.row_at(self.planner.currentIndex().row()).name
        return describe_placement(person, cell.host, cell.setting, cell.start, cell.end)

    def current_placement(self) -> tuple[int, str] | None:
        """The placement in the chosen planner cell, with words describing it; when
        the cell holds overlapping placements, the person is asked which."""
        cells = self.placements_here()
        if not cells:
            return None
        described = [self._described(cell) for cell in cells]
        if len(cells) == 1:
            return cells[0].placement_id, described[0]
        chosen, ok = QInputDialog.getItem(
            self,
            tr("Choose a placement"),
            tr("This period has {count} placements; which one?").format(count=len(cells)),
            described,
            0,
            False,
        )
        if not ok or chosen not in described:
            return None
        return cells[described.index(chosen)].placement_id, chosen

    def _remember_cell(self) -> None:
        """Note the chosen cell so the same placement is chosen after a reload."""
        index = self.planner.currentIndex()
        if not index.isValid() or self.planner_model.schedule is None:
            return
        row = self.planner_model.row_at(index.row())
        ids = frozenset(c.placement_id for c in self.placements_here())
        self._keep_cell = (row.apprentice_id, ids, index.column())

    def _restore_cell(self) -> None:
        kept, self._keep_cell = self._keep_cell, None
        schedule = self.planner_model.schedule
        if kept is None or schedule is None:
            return
        apprentice_id, ids, column = kept
        for r, row in enumerate(schedule.rows):
            if row.apprentice_id != apprentice_id:
                continue
            # The placement may have moved to another period: follow it there.
            for c, cells in enumerate(row.cells, start=1):
                if ids & {cell.placement_id for cell in cells}:
                    column = c
                    break
            if column < self.planner_model.columnCount():
                self.planner.setCurrentIndex(self.planner_model.index(r, column))
            return

    def _planner_activated(self, index: AnyIndex) -> None:
        if not index.isValid():
            return
        if index.column() == PlannerModel.NAME:
            row = self.planner_model.row_at(index.row())
            self.open_apprentice_requested.emit(row.apprentice_id, row.name)
        elif self.planner_model.cells_at(index.row(), index.column()):
            self.edit_placement()
        else:
            self.schedule_placement()

    # Actions

    def _report(self, exc: Exception) -> None:
        self._check(exc)
        QMessageBox.warning(self, tr("Cohorts"), str(exc))

    def new_cohort(self) -> None:
        if not self._can(Permission.MANAGE_COHORTS) or self._actor is None or not self._choices:
            return
        dialog = CohortDialog(
            self._db, self._actor, self._choices.cohorts, self._choices.qualifications, None, self
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload(dialog.saved_id)

    def edit_cohort(self) -> None:
        cohort = self.table.current_record()
        if not self._can(Permission.MANAGE_COHORTS) or self._actor is None:
            return
        if cohort is None or self._choices is None:
            return
        dialog = CohortDialog(
            self._db,
            self._actor,
            self._choices.cohorts,
            self._choices.qualifications,
            cohort,
            self,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload(cohort.id)

    def unit_template(self) -> None:
        cohort = self.table.current_record()
        if not self._can(Permission.CHOOSE_UNITS) or self._actor is None or cohort is None:
            return
        dialog = CohortTemplateDialog(self._db, self._actor, cohort.id, cohort.name, self)
        dialog.exec()
        if dialog.plans_made:
            self.status_label.setText(
                tr("{plans} made from the unit template of {name}.").format(
                    plans=plural(dialog.plans_made, tr("unit plan")), name=cohort.name
                )
            )

    def propose_rotation(self) -> None:
        cohort = self.table.current_record()
        if not self._can(Permission.SCHEDULE_PLACEMENTS) or self._actor is None:
            return
        if cohort is None:
            return
        self.status_label.setText(tr("Proposing a rotation for {name}…").format(name=cohort.name))
        db, actor = self._db, self._actor
        run_task(
            lambda: propose_cohort_rotation(db, actor, cohort.id),
            lambda plan: self._review_rotation(cohort, plan),
            self._report,
            owner=self,
        )

    def _review_rotation(self, cohort: CohortRow, proposal: RotationPlan) -> None:
        self.status_label.clear()
        if self._actor is None:
            return
        placed = {
            row.apprentice_id
            for row in (self.plan.schedule.rows if self.plan else ())
            if any(row.cells)
        }
        already = len(placed & {s.apprentice_id for s in proposal.slots})
        dialog = RotationDialog(
            self._db, self._actor, cohort.id, cohort.name, proposal, already, self
        )
        self.rotation_dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.status_label.setText(
                tr("{count} placements scheduled.").format(count=dialog.saved_id)
            )
            self.load_plan()

    def schedule_placement(self) -> None:
        cohort = self.table.current_record()
        if not self._can(Permission.SCHEDULE_PLACEMENTS) or self._actor is None:
            return
        if cohort is None or self._choices is None:
            return
        index = self.planner.currentIndex()
        apprentice_id = start = end = None
        if index.isValid() and self.plan is not None:
            apprentice_id = self.planner_model.row_at(index.row()).apprentice_id
            if index.column() >= 1:
                period = self.plan.schedule.periods[index.column() - 1]
                start, end = period.start, period.end
        dialog = PlacementDialog(
            self._db,
            self._actor,
            self.plan.apprentices if self.plan else [],
            self._choices.settings,
            apprentice_id=apprentice_id,
            start=start,
            end=end,
            parent=self,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.load_plan()

    def record_notice(self) -> None:
        if not self._can(Permission.SCHEDULE_PLACEMENTS) or self._actor is None:
            return
        chosen = self.current_placement()
        if chosen is None:
            return
        placement_id, description = chosen
        dialog = NoticeDialog(self._db, self._actor, placement_id, description, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.load_plan()

    def edit_placement(self) -> None:
        if not self._can(Permission.SCHEDULE_PLACEMENTS) or self._actor is None:
            return
        chosen = self.current_placement()
        if chosen is not None:
            self.placement_editing.edit(self._actor, chosen[0])

    def cancel_placement(self) -> None:
        if not self._can(Permission.SCHEDULE_PLACEMENTS) or self._actor is None:
            return
        chosen = self.current_placement()
        if chosen is not None:
            self.placement_editing.cancel(self._actor, chosen[0])

    def _placement_changed(self, message: str) -> None:
        self.status_label.setText(message)
        self.load_plan()
