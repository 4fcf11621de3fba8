"""What every list in the window shares: rows of plain records, a fixed set of
columns, and headings with optional tooltips. Each model adds its own data()."""

from __future__ import annotations

from typing import Any

from assessor_app.ui.qt import AnyIndex, QAbstractTableModel, QModelIndex, QObject, Qt


class RecordTableModel(QAbstractTableModel):
    COLUMN_COUNT = 0

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        # column -> heading, or (heading, tooltip)
        self._headers: dict[int, str | tuple[str, str]] = {}

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or section not in self._headers:
            return None
        heading = self._headers[section]
        title, tip = heading if isinstance(heading, tuple) else (heading, "")
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip or None
        return None
