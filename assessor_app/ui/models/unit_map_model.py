"""The unit-to-placement map as a table: a row per unit, a column per placement, and
where else the unit was evidenced and when it was signed off. Each cell says its state
in words and a symbol as well as colour."""

from __future__ import annotations

from typing import Any

from assessor_app.domain.dates import format_date, format_period
from assessor_app.domain.unit_map import (
    CellState,
    MapCell,
    MapPlacement,
    MapRow,
    UnitMap,
    setting_type_label,
)
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SORT_ROLE
from assessor_app.ui.qt import (
    AnyIndex,
    QAbstractTableModel,
    QBrush,
    QColor,
    QModelIndex,
    QObject,
    Qt,
    tr,
)

CELL_TEXT = {
    CellState.NONE: "",
    CellState.PLANNED: "○ Planned",
    CellState.EVIDENCED: "● Evidenced",
    CellState.PLANNED_AND_EVIDENCED: "◉ Planned, evidenced",
}
# (background, text): light fills with dark text, readable in print and for colour blindness
# because the words and symbols carry the meaning too.
CELL_COLOURS = {
    CellState.PLANNED: ("#e3edf9", "#1d3f6e"),
    CellState.EVIDENCED: ("#dff3e1", "#1e5a28"),
    CellState.PLANNED_AND_EVIDENCED: ("#c7e8cc", "#1e5a28"),
}
SIGNED_COLOURS = ("#1e6b30", "#ffffff")


class UnitMapModel(QAbstractTableModel):
    UNIT = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._map: UnitMap | None = None
        self._planning_hint = ""

    def set_map(self, the_map: UnitMap) -> None:
        self.beginResetModel()
        self._map = the_map
        self.endResetModel()

    def set_planning_hint(self, hint: str) -> None:
        """A line added to each placement cell's tooltip: how to plan there, or why
        this person cannot."""
        self._planning_hint = hint
        if self.rowCount() and self.placement_count:
            self.dataChanged.emit(
                self.index(0, 1),
                self.index(self.rowCount() - 1, self.placement_count),
                [Qt.ItemDataRole.ToolTipRole],
            )

    @property
    def placement_count(self) -> int:
        return len(self._map.placements) if self._map else 0

    @property
    def elsewhere_column(self) -> int:
        return 1 + self.placement_count

    @property
    def signed_column(self) -> int:
        return 2 + self.placement_count

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self._map is None else len(self._map.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self._map is None else 3 + self.placement_count

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or self._map is None:
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if section == self.UNIT:
            return tr("Unit")
        if section == self.elsewhere_column:
            return (
                tr("Elsewhere")
                if role == Qt.ItemDataRole.DisplayRole
                else tr("Evidenced in off-the-job training or at college")
            )
        if section == self.signed_column:
            return tr("Signed off")
        p = self._map.placements[section - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{p.setting}\n{format_date(p.start)}"
        return tr("{setting} at {host}, a {kind} ({period})").format(
            setting=p.setting,
            host=p.host,
            kind=setting_type_label(p.setting_type),
            period=format_period(p.start, p.end),
        )

    def placement(self, column: int) -> MapPlacement | None:
        """The placement a column stands for, or None for the other columns."""
        if self._map is None or not 1 <= column <= self.placement_count:
            return None
        return self._map.placements[column - 1]

    def column_of(self, placement_id: int) -> int | None:
        if self._map is None:
            return None
        for column, p in enumerate(self._map.placements, start=1):
            if p.id == placement_id:
                return column
        return None

    def map_row(self, row: int) -> MapRow | None:
        if self._map is None or not 0 <= row < len(self._map.rows):
            return None
        return self._map.rows[row]

    def cell(self, row: int, column: int) -> MapCell | None:
        if self._map is None or not 1 <= column <= self.placement_count:
            return None
        return self._map.rows[row].cells[column - 1]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._map is None or not index.isValid() or index.row() >= len(self._map.rows):
            return None
        row, column = self._map.rows[index.row()], index.column()
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return self._sort_value(index.row(), row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            colours = self._colours(row, column)
            if colours is None:
                return None
            background, text = colours
            return QBrush(QColor(background if role == Qt.ItemDataRole.BackgroundRole else text))
        return None

    def _display(self, row: MapRow, column: int) -> str:
        if column == self.UNIT:
            return f"{row.ref}  {row.title}"
        if column == self.elsewhere_column:
            places = []
            if row.evidenced_off_the_job:
                places.append(tr("● Off-the-job"))
            if row.evidenced_at_college:
                places.append(tr("● College"))
            return ", ".join(places)
        if column == self.signed_column:
            return f"✓ {format_date(row.signed_off_on)}" if row.signed_off_on else ""
        return tr(CELL_TEXT[row.cells[column - 1].state])

    def _tooltip(self, row: MapRow, column: int) -> str | None:
        if column == self.UNIT:
            return row.title
        if 1 <= column <= self.placement_count and self._map is not None:
            cell = row.cells[column - 1]
            p = self._map.placements[column - 1]
            kind = setting_type_label(p.setting_type)
            if cell.affinity is None:
                how = tr("No judgement recorded of how often it can be evidenced in a {kind}.")
            else:
                how = tr("Can {affinity} be evidenced in a {kind}.").replace(
                    "{affinity}", cell.affinity.value
                )
            how = how.format(kind=kind)
            return f"{how}\n{self._planning_hint}" if self._planning_hint else how
        return None

    def _colours(self, row: MapRow, column: int) -> tuple[str, str] | None:
        if column == self.signed_column and row.signed_off_on is not None:
            return SIGNED_COLOURS
        if column == self.elsewhere_column and (
            row.evidenced_off_the_job or row.evidenced_at_college
        ):
            return CELL_COLOURS[CellState.EVIDENCED]
        if 1 <= column <= self.placement_count:
            return CELL_COLOURS.get(row.cells[column - 1].state)
        return None

    def _sort_value(self, position: int, row: MapRow, column: int) -> Any:
        if column == self.UNIT:
            return position
        if column == self.signed_column:
            return row.signed_off_on
        if column == self.elsewhere_column:
            return int(row.evidenced_off_the_job) + int(row.evidenced_at_college) or None
        order = list(CellState).index(row.cells[column - 1].state)
        return order or None
