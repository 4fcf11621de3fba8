"""The unit-to-placement map: where each unit is planned, where it was evidenced and
whether it is signed off, with the map's warnings in plain English. People who may
choose an apprentice's units plan, move and clear each unit's placement here."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from assessor_app.domain.credit_rules import Severity
from assessor_app.domain.dates import format_period
from assessor_app.domain.unit_map import MapPlacement, MapRow, UnitMap
from assessor_app.services.progress_queries import apprentice_progress
from assessor_app.services.roles import Actor, Permission
from assessor_app.services.unit_plans import plan_unit
from assessor_app.ui.dialogs.sign_in import role_name
from assessor_app.ui.models.sort_proxy import SortFilterProxy
from assessor_app.ui.models.unit_map_model import UnitMapModel
from assessor_app.ui.pages.record_tab import RecordTab
from assessor_app.ui.qt import (
    AnyIndex,
    QAbstractItemView,
    QAction,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database


def _where(placement: MapPlacement) -> str:
    return tr("{setting} ({period})").format(
        setting=placement.setting, period=format_period(placement.start, placement.end)
    )


class MapTab(RecordTab):
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
        self.setObjectName("mapTab")
        self._saving = False
        # The cell to choose again once the map is reloaded: (unit reference, column).
        self._keep: tuple[str, int] | None = None
        self.model = UnitMapModel(self)
        self.proxy = SortFilterProxy(text_columns=(), parent=self.model)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("unitMapTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(UnitMapModel.UNIT, Qt.SortOrder.AscendingOrder)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().currentChanged.connect(lambda *_: self._update_actions())
        self.table.doubleClicked.connect(self._double_clicked)
        legend = QLabel(
            tr(
                "○ planned in that placement   ● evidenced there (accepted evidence)   "
                "◉ both   ✓ signed off. Hover over a cell for how often the unit can be "
                "evidenced in that kind of setting."
            )
        )
        legend.setObjectName("mapLegend")
        legend.setWordWrap(True)

        # The same two commands on the buttons and on the table's right-click menu.
        self.plan_action = QAction(tr("Plan the unit in this placement"), self)
        self.plan_action.triggered.connect(self.plan_selected)
        self.clear_action = QAction(tr("Clear the unit's plan"), self)
        self.clear_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.clear_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.clear_action.triggered.connect(self.clear_selected)
        self.table.addAction(self.plan_action)
        self.table.addAction(self.clear_action)
        self.plan_button = QPushButton(tr("Pl&an here"))
        self.plan_button.setObjectName("planUnitHere")
        self.plan_button.setToolTip(
            tr("Plan the chosen unit in the placement of the chosen column (or double-click)")
        )
        self.plan_button.clicked.connect(self.plan_selected)
        self.clear_button = QPushButton(tr("Clear plan"))
        self.clear_button.setObjectName("clearUnitPlan")
        self.clear_button.setToolTip(
            tr("Take the chosen unit off its placement, so it is planned nowhere (Delete)")
        )
        self.clear_button.clicked.connect(self.clear_selected)
        self.choice_label = QLabel()
        self.choice_label.setObjectName("mapChoice")
        self.choice_label.setWordWrap(True)
        self.plan_form = QWidget()
        row = QHBoxLayout(self.plan_form)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.plan_button)
        row.addWidget(self.clear_button)
        row.addSpacing(8)
        row.addWidget(self.choice_label, 1)
        self.read_only_label = QLabel()
        self.read_only_label.setObjectName("mapReadOnly")
        self.read_only_label.setWordWrap(True)

        self.findings_list = QListWidget()
        self.findings_list.setObjectName("mapFindings")
        self.findings_list.setWordWrap(True)
        self.findings_list.setMaximumHeight(140)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addWidget(legend)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.plan_form)
        layout.addWidget(self.read_only_label)
        layout.addWidget(QLabel(tr("Checks on the plan:")))
        layout.addWidget(self.findings_list)
        self._show_rights()
        self.reload()

    # Loading

    def load(self) -> UnitMap:
        return apprentice_progress(
            self._db, self._actor, self.apprentice_id, today=self._today
        ).unit_map

    def show_data(self, data: UnitMap) -> None:
        self.model.set_map(data)
        self.columns.fit(self.table, {UnitMapModel.UNIT: 320})
        self.findings_list.clear()
        for finding in data.findings:
            word = tr("Problem") if finding.severity is Severity.ERROR else tr("Warning")
            item = QListWidgetItem(f"{word}: {finding.message}")
            self.findings_list.addItem(item)
        if not data.findings:
            self.findings_list.addItem(tr("No problems found with where the units are planned."))
        if self._keep is not None:
            self.select_cell(*self._keep)
            self._keep = None
        self._update_actions()

    # Who may plan

    @property
    def can_plan(self) -> bool:
        return self._actor.can(Permission.CHOOSE_UNITS)

    def set_actor(self, actor: Actor) -> None:
        self._actor = actor
        self._show_rights()
        super().set_actor(actor)

    def _show_rights(self) -> None:
        allowed = self.can_plan
        self.plan_form.setVisible(allowed)
        self.read_only_label.setVisible(not allowed)
        policy = (
            Qt.ContextMenuPolicy.ActionsContextMenu
            if allowed
            else Qt.ContextMenuPolicy.NoContextMenu
        )
        self.table.setContextMenuPolicy(policy)
        if allowed:
            hint = tr("Double-click to plan the unit here; right-click for more.")
        else:
            hint = tr(
                "Read only: planning units needs the right to {permission}, which your "
                "role ({role}) does not have."
            ).format(permission=Permission.CHOOSE_UNITS.value, role=role_name(self._actor.role))
        self.read_only_label.setText(hint)
        self.model.set_planning_hint(hint)
        self._update_actions()

    # The chosen cell

    def chosen(self) -> tuple[MapRow, int] | None:
        """The unit of the current cell and the cell's column, or None."""
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isSelected(index):
            return None
        source = self.proxy.mapToSource(index)
        row = self.model.map_row(source.row())
        return (row, source.column()) if row is not None else None

    def select_cell(self, unit_ref: str, column: int) -> bool:
        """Make the cell of `unit_ref` under `column` the current one."""
        for r in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(r, 0))
            row = self.model.map_row(source.row())
            if row is not None and row.ref == unit_ref:
                index = self.proxy.index(r, column)
                self.table.setCurrentIndex(index)
                if self.table.isVisible():  # a hidden view has no size to scroll within
                    self.table.scrollTo(index)
                return True
        return False

    def _planned_in(self, row: MapRow) -> MapPlacement | None:
        if row.planned_placement is None:
            return None
        column = self.model.column_of(row.planned_placement)
        return self.model.placement(column) if column is not None else None

    def _update_actions(self) -> None:
        chosen = self.chosen() if self.model.rowCount() else None
        row, placement = (
            (None, None) if chosen is None else (chosen[0], self.model.placement(chosen[1]))
        )
        can_plan = (
            self.can_plan
            and not self._saving
            and row is not None
            and placement is not None
            and row.planned_placement != placement.id
        )
        can_clear = (
            self.can_plan
            and not self._saving
            and row is not None
            and row.planned_placement is not None
        )
        self.plan_action.setEnabled(can_plan)
        self.plan_button.setEnabled(can_plan)
        self.clear_action.setEnabled(can_clear)
        self.clear_button.setEnabled(can_clear)
        self.choice_label.setText(self._describe(row, placement))

    def _describe(self, row: MapRow | None, placement: MapPlacement | None) -> str:
        """What the buttons would do with the chosen cell, in a sentence."""
        if row is None:
            return tr(
                "Choose a unit's cell under a placement, then Plan here (or double-click it)."
            )
        current = self._planned_in(row)
        if row.planned_placement is not None and current is None:
            now = tr("{unit} is planned for a placement no longer in this apprentice's list.")
        elif current is not None:
            now = tr("{unit} is planned for {where}.")
        else:
            now = tr("{unit} is not planned for any placement yet.")
        now = now.format(unit=row.ref, where=_where(current) if current else "")
        if placement is None or row.planned_placement == placement.id:
            return now
        action = (
            tr("Plan here moves it to {where}.")
            if row.planned_placement is not None
            else tr("Plan here plans it for {where}.")
        )
        return f"{now} {action.format(where=_where(placement))}"

    # Planning

    def plan_selected(self) -> None:
        chosen = self.chosen()
        if chosen is None or not self.can_plan:
            return
        row, column = chosen
        placement = self.model.placement(column)
        if placement is None or row.planned_placement == placement.id:
            return
        self._save_plan(
            row,
            column,
            placement.id,
            tr("{unit} is now planned for {where}.").format(unit=row.ref, where=_where(placement)),
        )

    def clear_selected(self) -> None:
        chosen = self.chosen()
        if chosen is None or not self.can_plan or chosen[0].planned_placement is None:
            return
        row, column = chosen
        current = self._planned_in(row)
        done = (
            tr("{unit} is no longer planned for {where}.")
            if current is not None
            else tr("{unit} is no longer planned for any placement.")
        ).format(unit=row.ref, where=_where(current) if current else "")
        self._save_plan(row, column, None, done)

    def _double_clicked(self, index: AnyIndex) -> None:
        if not self.can_plan:
            return
        source = self.proxy.mapToSource(self.proxy.index(index.row(), index.column()))
        row = self.model.map_row(source.row())
        placement = self.model.placement(source.column())
        if row is None or placement is None:
            return
        if row.planned_placement == placement.id:
            self.show_message(
                tr("{unit} is already planned for {where}; use Clear plan to take it off.").format(
                    unit=row.ref, where=_where(placement)
                )
            )
            return
        self.plan_selected()

    def _save_plan(self, row: MapRow, column: int, placement_id: int | None, done: str) -> None:
        """Plan through the service off the window's thread, refusing if someone else
        has re-planned the unit since the map was read; the map is read again after,
        whatever the outcome, so it shows the plan as saved."""
        db, actor, apprentice_id = self._db, self._actor, self.apprentice_id
        ref, expected = row.ref, row.planned_placement

        def work() -> None:
            plan_unit(db, actor, apprentice_id, ref, placement_id, expected_placement=expected)

        self.show_message("")
        self._saving = True
        self._keep = (ref, column)
        self._update_actions()

        def saved(_result: object) -> None:
            self._saving = False
            self.show_message(done)
            self.changed.emit()
            self.reload()

        def refused(exc: Exception) -> None:
            self._saving = False
            self.failed(exc)
            self.reload()

        run_task(work, saved, refused, owner=self)
