"""The unit-to-placement map: where each unit is planned, where it was evidenced and
whether it is signed off, with the map's warnings in plain English."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from assessor_app.domain.credit_rules import Severity
from assessor_app.domain.unit_map import UnitMap
from assessor_app.services.progress_queries import apprentice_progress
from assessor_app.services.roles import Actor
from assessor_app.ui.models.sort_proxy import SortFilterProxy
from assessor_app.ui.models.unit_map_model import UnitMapModel
from assessor_app.ui.pages.record_tab import RecordTab
from assessor_app.ui.qt import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    tr,
)

if TYPE_CHECKING:
    from assessor_app.store.database import Database


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
        self.model = UnitMapModel(self)
        proxy = SortFilterProxy(text_columns=(), parent=self.model)
        proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("unitMapTable")
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(UnitMapModel.UNIT, Qt.SortOrder.AscendingOrder)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        legend = QLabel(
            tr(
                "○ planned in that placement   ● evidenced there (accepted evidence)   "
                "◉ both   ✓ signed off. Hover over a cell for how often the unit can be "
                "evidenced in that kind of setting."
            )
        )
        legend.setObjectName("mapLegend")
        legend.setWordWrap(True)
        self.findings_list = QListWidget()
        self.findings_list.setObjectName("mapFindings")
        self.findings_list.setWordWrap(True)
        self.findings_list.setMaximumHeight(140)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addWidget(legend)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel(tr("Checks on the plan:")))
        layout.addWidget(self.findings_list)
        self.reload()

    def load(self) -> UnitMap:
        return apprentice_progress(
            self._db, self._actor, self.apprentice_id, today=self._today
        ).unit_map

    def show_data(self, data: UnitMap) -> None:
        self.model.set_map(data)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(UnitMapModel.UNIT, min(self.table.columnWidth(0), 320))
        self.findings_list.clear()
        for finding in data.findings:
            word = tr("Problem") if finding.severity is Severity.ERROR else tr("Warning")
            item = QListWidgetItem(f"{word}: {finding.message}")
            self.findings_list.addItem(item)
        if not data.findings:
            self.findings_list.addItem(tr("No problems found with where the units are planned."))
