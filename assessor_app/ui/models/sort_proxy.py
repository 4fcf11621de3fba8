"""The one sort/filter proxy every table shares.

Models give each cell's raw value under SORT_ROLE (numbers as numbers, None for
no value) and the record under ROW_ROLE. The proxy sorts on those raw values,
keeps cells with no value at the bottom whichever way the column is sorted, and
filters rows by words typed into a search box and, optionally, by one value of a
category column (a unit group, a cohort).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assessor_app.ui.qt import (
    AnyIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    filter_changing,
)

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


class SortFilterProxy(QSortFilterProxyModel):
    def __init__(
        self,
        text_columns: Sequence[int],
        category_column: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._text_columns = tuple(text_columns)
        self._category_column = category_column
        self._words: tuple[str, ...] = ()
        self._category: Any = None
        self.setSortRole(SORT_ROLE)

    @property
    def text(self) -> str:
        return " ".join(self._words)

    @property
    def category(self) -> Any:
        return self._category

    def set_text(self, text: str) -> None:
        """Keep rows that contain every word of `text`, in any of the text columns."""
        words = tuple(text.casefold().split())
        if words == self._words:
            return
        with filter_changing(self):
            self._words = words

    def set_category(self, value: Any) -> None:
        """Keep rows whose category column holds `value` (its raw value); None keeps all."""
        if value == self._category:
            return
        if value is not None and self._category_column is None:
            raise ValueError("this proxy has no category column to filter on")
        with filter_changing(self):
            self._category = value

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        if self._category is not None and self._category_column is not None:
            cell = model.index(source_row, self._category_column, source_parent)
            if model.data(cell, SORT_ROLE) != self._category:
                return False
        if not self._words:
            return True
        haystack = " ".join(
            str(model.data(model.index(source_row, column, source_parent)) or "")
            for column in self._text_columns
        ).casefold()
        return all(word in haystack for word in self._words)

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        # Called on the Python model directly, the raw values arrive untouched
        # (tuples and None would not survive a round trip through QVariant).
        lhs = model.data(left, SORT_ROLE)
        rhs = model.data(right, SORT_ROLE)
        descending = self.sortOrder() is Qt.SortOrder.DescendingOrder
        # Qt sorts descending by swapping the arguments, so "no value" answers
        # the other way round there to stay at the bottom.
        if lhs is None:
            return descending and rhs is not None
        if rhs is None:
            return not descending
        return bool(lhs < rhs)
