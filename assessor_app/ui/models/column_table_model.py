"""A table of plain records described by a list of columns, for the lists on the
dashboard, cohort, placement and organisation pages: each column says its heading,
how a record reads in it, what it sorts on and, optionally, its colours and tip."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from assessor_app.ui.models.record_model import RecordTableModel
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SORT_ROLE
from assessor_app.ui.qt import AnyIndex, QBrush, QColor, QObject, Qt

T = TypeVar("T")

# Pale background, dark text of the same hue: the words in the cell say the same.
WARNING_COLOURS = (QColor("#fbe3e4"), QColor("#8a1f24"))
CAUTION_COLOURS = (QColor("#fff1c2"), QColor("#5a4300"))


@dataclass(frozen=True)
class Column(Generic[T]):
    title: str
    text: Callable[[T], str]
    sort: Callable[[T], Any] | None = None  # the raw value; the text when None
    tip: str = ""
    right: bool = False
    colours: Callable[[T], tuple[QColor, QColor] | None] | None = None
    cell_tip: Callable[[T], str] | None = None


class ColumnTableModel(RecordTableModel, Generic[T]):
    def __init__(self, columns: Sequence[Column[T]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self.COLUMN_COUNT = len(self._columns)
        self._rows: list[T] = []
        self._headers = {i: (c.title, c.tip) for i, c in enumerate(self._columns)}

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == SORT_ROLE:
            if column.sort is None:
                return column.text(record).casefold()
            return column.sort(record)
        if role == ROW_ROLE:
            return record
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.cell_tip is not None:
            return column.cell_tip(record) or None
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            colours = column.colours(record) if column.colours is not None else None
            if colours is None:
                return None
            background, text = colours
            return QBrush(background if role == Qt.ItemDataRole.BackgroundRole else text)
        return None
