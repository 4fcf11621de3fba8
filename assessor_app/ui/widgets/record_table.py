"""A read-only, sortable table view set up the way every list in the window looks,
with a way to read back the record of the current or an activated row."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from assessor_app.ui.models.column_table_model import Column, ColumnTableModel
from assessor_app.ui.models.sort_proxy import SortFilterProxy
from assessor_app.ui.qt import (
    AnyIndex,
    QAbstractItemView,
    QHeaderView,
    Qt,
    QTableView,
    QWidget,
)

T = TypeVar("T")


class RecordTable(QTableView, Generic[T]):
    def __init__(
        self,
        columns: list[Column[T]],
        *,
        stretch: int = 0,
        search_columns: tuple[int, ...] = (0,),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.source: ColumnTableModel[T] = ColumnTableModel(columns, self)
        self.proxy = SortFilterProxy(text_columns=search_columns, parent=self)
        self.proxy.setSourceModel(self.source)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the query's own order
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)

    def set_rows(self, rows: list[T]) -> None:
        self.source.set_rows(rows)

    def record_at(self, index: AnyIndex) -> T | None:
        if not index.isValid():
            return None
        return self.source.row_at(self.proxy.mapToSource(index).row())

    def current_record(self) -> T | None:
        rows = self.selectionModel().selectedRows()
        return self.record_at(rows[0]) if rows else None

    def shown(self) -> list[T]:
        """The records left after filtering, in the order shown."""
        return [
            self.source.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
            for r in range(self.proxy.rowCount())
        ]

    def select_where(self, wanted: Any, key: Any) -> bool:
        """Select the first row whose key(record) equals `wanted`."""
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            record = self.record_at(index)
            if record is not None and key(record) == wanted:
                self.selectRow(r)
                return True
        return False
