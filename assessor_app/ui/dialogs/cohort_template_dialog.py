"""The cohort's unit template: for each unit of the cohort's qualification, the
placement period in which the cohort usually evidences it, and one button that plans
every apprentice's units from it.

Each period chosen is saved at once, as on an apprentice's Map tab: the template is a
list of separate decisions, there is nothing to half-finish, and "Apply to apprentices"
then always uses what the table shows."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from assessor_app.domain.dates import format_date
from assessor_app.domain.wording import plural
from assessor_app.services.errors import ServiceError
from assessor_app.services.planner_queries import (
    CohortTemplate,
    TemplatePeriod,
    TemplateReach,
    TemplateUnit,
    cohort_template,
    cohort_template_reach,
)
from assessor_app.services.roles import Actor, Permission, PermissionDenied
from assessor_app.services.unit_plans import apply_cohort_template, set_cohort_template
from assessor_app.ui.colours import Tone, tone_style
from assessor_app.ui.dialogs.sign_in import role_name
from assessor_app.ui.models.column_table_model import Column, ColumnTableModel
from assessor_app.ui.models.sort_proxy import SortFilterProxy
from assessor_app.ui.qt import (
    AnyIndex,
    QAbstractItemModel,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QObject,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    tr,
)
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database

NOT_IN_TEMPLATE = "—"


def period_label(period: TemplatePeriod) -> str:
    """'Period 1 (1 Aug – 31 Oct 2026)'; both years are given when they differ."""
    end = format_date(period.end)
    start = format_date(period.start)
    if period.start.year == period.end.year:
        start = start.rsplit(" ", 1)[0]  # the year is said once, after the end
    return tr("Period {number} ({start} – {end})").format(
        number=period.number, start=start, end=end
    )


class TemplateModel(ColumnTableModel[TemplateUnit]):
    """The template's units; the Period column is edited through PeriodDelegate. A
    choice is not kept here but reported by `period_chosen`, so the table shows a
    period only once the service has saved it."""

    REF, TITLE, GROUP, CREDITS, PERIOD = range(5)
    period_chosen = Signal(str, object)  # unit ref, period (None: out of the template)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(tr("Unit"), lambda u: u.ref, sort=lambda u: u.order),
                Column(tr("Title"), lambda u: u.title, cell_tip=lambda u: u.title),
                Column(tr("Group"), lambda u: u.group),
                Column(
                    tr("Credits"),
                    lambda u: str(u.credits) if u.credits is not None else tr("not confirmed"),
                    sort=lambda u: u.credits,
                    right=True,
                ),
                Column(
                    tr("Period"),
                    self.period_text,
                    sort=lambda u: u.period,
                    tip=tr("The placement period in which the cohort usually evidences the unit"),
                ),
            ],
            parent,
        )
        self.periods: tuple[TemplatePeriod, ...] = ()
        self.editable = False

    def set_template(self, template: CohortTemplate) -> None:
        self.periods = template.periods
        self.set_rows(template.units)

    def period_text(self, unit: TemplateUnit) -> str:
        if unit.period is None:
            return NOT_IN_TEMPLATE
        if unit.period <= len(self.periods):
            return period_label(self.periods[unit.period - 1])
        return tr("Period {number} (beyond the cohort's {count} placements)").format(
            number=unit.period, count=len(self.periods)
        )

    def set_period(self, ref: str, period: int | None) -> None:
        """Show a period the service has saved."""
        for row, unit in enumerate(self._rows):
            if unit.ref == ref:
                self._rows[row] = replace(unit, period=period)
                index = self.index(row, self.PERIOD)
                self.dataChanged.emit(index, index)
                return

    def unit(self, ref: str) -> TemplateUnit | None:
        return next((u for u in self._rows if u.ref == ref), None)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.editable and index.isValid() and index.column() == self.PERIOD:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.EditRole
            and index.isValid()
            and index.column() == self.PERIOD
            and 0 <= index.row() < len(self._rows)
        ):
            return self._rows[index.row()].period
        return super().data(index, role)

    def setData(  # noqa: N802
        self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not self.editable
            or not index.isValid()
            or index.column() != self.PERIOD
            or not 0 <= index.row() < len(self._rows)
        ):
            return False
        unit = self._rows[index.row()]
        period = int(value) if value is not None else None
        if period != unit.period:
            self.period_chosen.emit(unit.ref, period)
        return True


class PeriodDelegate(QStyledItemDelegate):
    """A list of "—" and the cohort's periods; picking one saves it at once."""

    def __init__(self, model: TemplateModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("periodChoice")
        combo.addItem(tr("— (not in the template)"), None)
        for period in self._model.periods:
            combo.addItem(period_label(period), period.number)
        combo.activated.connect(lambda _row: self._picked(combo))
        # Open the list straight away: the double-click was the request to choose.
        QTimer.singleShot(0, combo, combo.showPopup)
        return combo

    def _picked(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))

    def setModelData(  # noqa: N802
        self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class CohortTemplateDialog(QDialog):
    def __init__(
        self,
        db: Database,
        actor: Actor,
        cohort_id: int,
        cohort_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db, self._actor, self._cohort_id = db, actor, cohort_id
        self._busy = False
        self._loading = 0
        self.plans_made = 0
        self.can_edit = actor.can(Permission.CHOOSE_UNITS)
        self.setWindowTitle(tr("Unit template: {name}").format(name=cohort_name))

        intro = QLabel(
            tr(
                "The placement period in which this cohort usually evidences each unit. "
                "Double-click a unit's period (or press F2) to choose another; each choice "
                "is saved at once. Apply to apprentices plans each apprentice's units in "
                "their placement for that period (their first, second, … placement by "
                "date); units already planned are left alone."
            )
            if self.can_edit
            else tr(
                "The placement period in which this cohort usually evidences each unit. "
                "Read only: changing it needs the right to {permission}, which your role "
                "({role}) does not have."
            ).format(permission=Permission.CHOOSE_UNITS.value, role=role_name(actor.role))
        )
        intro.setObjectName("templateIntro")
        intro.setWordWrap(True)

        self.model = TemplateModel(self)
        self.model.editable = self.can_edit
        self.model.period_chosen.connect(self._save_period)
        self.proxy = SortFilterProxy(text_columns=(), parent=self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("templateTable")
        self.table.setModel(self.proxy)
        self.table.setItemDelegateForColumn(
            TemplateModel.PERIOD, PeriodDelegate(self.model, self.table)
        )
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(TemplateModel.REF, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            if self.can_edit
            else QAbstractItemView.EditTrigger.NoEditTriggers
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TemplateModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        if self.can_edit:
            self.table.setToolTip(tr("Double-click a unit's period to choose another"))

        self.summary = QLabel()
        self.summary.setObjectName("templateSummary")
        self.message = QLabel()
        self.message.setObjectName("templateMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.apply_button = QPushButton(tr("&Apply to apprentices…"))
        self.apply_button.setObjectName("applyTemplate")
        self.apply_button.setToolTip(
            tr(
                "Plan every apprentice's units from this template; units already planned "
                "are left alone"
            )
        )
        self.apply_button.clicked.connect(self.apply_template)
        self.buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.apply_button.setVisible(self.can_edit)  # after adding: the box shows its buttons
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(940, 620)
        self.reload()

    # Loading

    def reload(self) -> None:
        self._loading += 1
        ticket = self._loading
        self.summary.setText(tr("Loading the template…"))
        self._update_buttons()
        db, actor, cohort_id = self._db, self._actor, self._cohort_id
        run_task(
            lambda: cohort_template(db, actor, cohort_id),
            lambda template: self._loaded(ticket, template),
            lambda exc: self._load_failed(ticket, exc),
            owner=self,
        )

    def _loaded(self, ticket: int, template: CohortTemplate) -> None:
        if ticket != self._loading:
            return
        self.model.set_template(template)
        self._show_summary()

    def _load_failed(self, ticket: int, exc: Exception) -> None:
        if ticket != self._loading:
            return
        self._check(exc)
        self.summary.clear()
        self._tell(str(exc), error=True)

    def _show_summary(self) -> None:
        units = self.model.rows()
        planned = sum(1 for u in units if u.period is not None)
        self.summary.setText(
            tr("{planned} of {units} in the template; {periods} placement periods.").format(
                planned=planned,
                units=plural(len(units), tr("unit")),
                periods=len(self.model.periods),
            )
        )
        self._update_buttons()

    # Choosing periods

    def _save_period(self, ref: str, period: int | None) -> None:
        if self._busy or not self.can_edit:
            return
        db, actor, cohort_id = self._db, self._actor, self._cohort_id
        shown = self.model.unit(ref)
        expected = shown.period if shown is not None else None
        self._set_busy(True)

        def saved(_result: object) -> None:
            self._set_busy(False)
            self.model.set_period(ref, period)
            self._show_summary()
            unit = self.model.unit(ref)
            self._tell(
                tr("{unit} is now in {period}.").format(
                    unit=ref, period=self.model.period_text(unit)
                )
                if unit is not None and period is not None
                else tr("{unit} is no longer in the template.").format(unit=ref)
            )

        def refused(exc: Exception) -> None:
            self._set_busy(False)
            self._check(exc)
            self._tell(str(exc), error=True)
            self.reload()  # show the template as it is now

        self._tell("")
        run_task(
            lambda: set_cohort_template(
                db, actor, cohort_id, ref, period, expected_period=expected
            ),
            saved,
            refused,
            owner=self,
        )

    # Applying

    def apply_template(self) -> None:
        if self._busy or not self.can_edit:
            return
        db, actor, cohort_id = self._db, self._actor, self._cohort_id
        self._tell("")
        self._set_busy(True)

        def counted(reach: TemplateReach) -> None:
            self._set_busy(False)
            self._confirm_apply(reach)

        run_task(
            lambda: cohort_template_reach(db, actor, cohort_id),
            counted,
            self._refused,
            owner=self,
        )

    def _confirm_apply(self, reach: TemplateReach) -> None:
        title = tr("Apply the unit template")
        if reach.plans == 0:
            QMessageBox.information(
                self,
                title,
                tr(
                    "There is nothing to plan: every unit in the template is already "
                    "planned for each apprentice who has a placement in its period."
                ),
            )
            return
        answer = QMessageBox.question(
            self,
            title,
            tr("Plan {units} for {apprentices}; units already planned are left alone.").format(
                units=plural(reach.plans, tr("unit")),
                apprentices=plural(reach.apprentices, tr("apprentice")),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        db, actor, cohort_id = self._db, self._actor, self._cohort_id
        self._set_busy(True)
        self.summary.setText(tr("Planning units…"))

        def applied(made: int) -> None:
            self._set_busy(False)
            self.plans_made += made
            self._show_summary()
            self._tell(
                tr(
                    "{plans} made. Each apprentice's Map tab shows where their units are planned."
                ).format(plans=plural(made, tr("unit plan")))
            )

        run_task(
            lambda: apply_cohort_template(db, actor, cohort_id),
            applied,
            self._refused,
            owner=self,
        )

    def _refused(self, exc: Exception) -> None:
        self._set_busy(False)
        self._check(exc)
        self._show_summary()
        self._tell(str(exc), error=True)

    # Shared

    @staticmethod
    def _check(exc: Exception) -> None:
        if not isinstance(exc, ServiceError | PermissionDenied):
            raise exc  # a programming error: the crash handler reports it

    def _tell(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(tone_style(Tone.BAD, bold=True) if error else "")
        self.message.setVisible(bool(text))

    def _set_busy(self, busy: bool) -> None:
        if busy == self._busy:
            return
        self._busy = busy
        self.model.editable = self.can_edit and not busy
        self._update_buttons()
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QApplication.restoreOverrideCursor()

    def _update_buttons(self) -> None:
        self.apply_button.setEnabled(
            self.can_edit and not self._busy and any(u.period for u in self.model.rows())
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setEnabled(not self._busy)

    def reject(self) -> None:
        if not self._busy:
            super().reject()
