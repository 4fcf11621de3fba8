"""A cohort's placements as a grid: a row per apprentice, a column per placement
period, each cell the host and setting. A cell with a schedule finding is coloured
(red for an error, amber for a warning) with the findings as its tooltip."""

from __future__ import annotations

from typing import Any

from assessor_app.domain.credit_rules import Severity
from assessor_app.domain.dates import format_date
from assessor_app.domain.schedule import ScheduleFinding
from assessor_app.services.report_queries import CohortSchedule, ScheduleCell, ScheduleRow
from assessor_app.ui.models.column_table_model import CAUTION_COLOURS, WARNING_COLOURS
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SORT_ROLE
from assessor_app.ui.qt import AnyIndex, QAbstractTableModel, QBrush, QModelIndex, QObject, Qt, tr

FINDINGS_ROLE = Qt.ItemDataRole.UserRole + 3


class PlannerModel(QAbstractTableModel):
    NAME = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.schedule: CohortSchedule | None = None
        self._by_placement: dict[int, list[ScheduleFinding]] = {}

    def set_schedule(
        self, schedule: CohortSchedule | None, findings: list[ScheduleFinding]
    ) -> None:
        self.beginResetModel()
        self.schedule = schedule
        self._by_placement = {}
        for finding in findings:
            for placement_id in finding.placement_ids:
                self._by_placement.setdefault(placement_id, []).append(finding)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() or self.schedule is None:
            return 0
        return len(self.schedule.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() or self.schedule is None:
            return 0
        return 1 + len(self.schedule.periods)

    def row_at(self, row: int) -> ScheduleRow:
        assert self.schedule is not None
        return self.schedule.rows[row]

    def cells_at(self, row: int, column: int) -> tuple[ScheduleCell, ...]:
        """The placements in one period of one apprentice (none in the name column)."""
        if self.schedule is None or column < 1 or not 0 <= row < len(self.schedule.rows):
            return ()
        return self.schedule.rows[row].cells[column - 1]

    def findings_at(self, row: int, column: int) -> list[ScheduleFinding]:
        found: list[ScheduleFinding] = []
        for cell in self.cells_at(row, column):
            for finding in self._by_placement.get(cell.placement_id, []):
                if finding not in found:
                    found.append(finding)
        return found

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or self.schedule is None:
            return None
        if section == self.NAME:
            return tr("Apprentice") if role == Qt.ItemDataRole.DisplayRole else None
        period = self.schedule.periods[section - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return tr("Period {number}\n{start} – {end}").format(
                number=period.number, start=format_date(period.start), end=format_date(period.end)
            )
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.schedule is None:
            return None
        row, column = index.row(), index.column()
        record = self.schedule.rows[row]
        if role == ROW_ROLE:
            return record
        if column == self.NAME:
            if role in (Qt.ItemDataRole.DisplayRole,):
                return record.name
            if role == SORT_ROLE:
                return record.name.casefold()
            return None
        cells = self.cells_at(row, column)
        findings = self.findings_at(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            if not cells:
                return tr("—")
            return "\n".join(f"{c.host}\n{c.setting}" for c in cells)
        if role == SORT_ROLE:
            return cells[0].host.casefold() if cells else None
        if role == FINDINGS_ROLE:
            return findings
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [
                f"{c.host} ({c.setting}): {format_date(c.start)} – {format_date(c.end)}"
                for c in cells
            ]
            lines += [f"• {f.message}" for f in findings]
            return "\n".join(lines) or None
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and findings:
            error = any(f.severity is Severity.ERROR for f in findings)
            background, text = WARNING_COLOURS if error else CAUTION_COLOURS
            return QBrush(background if role == Qt.ItemDataRole.BackgroundRole else text)
        return None
