"""Every apprentice as a table row, and the proxy that narrows the list.

The proxy reads each row's record directly rather than through data(), and the
model keeps each row's search text ready, so filtering 10,000 rows stays quick.
The model sorts its own rows (one Python sort on precomputed keys) and the proxy
only filters: a proxy that sorted would compare rows through Python calls again
on every keystroke, tens of thousands of them on a provider's list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assessor_app.domain.dates import format_date
from assessor_app.services.apprentice_list import ApprenticeListRow
from assessor_app.ui.models.record_model import RecordTableModel
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SORT_ROLE, SortFilterProxy
from assessor_app.ui.qt import (
    AnyIndex,
    QBrush,
    QColor,
    QObject,
    Qt,
    filter_changing,
    tr,
)

# In the order a coordinator reads them: still learning first, then the ways out.
STATUS_ORDER = ("active", "break_in_learning", "completed", "transferred", "withdrawn")
RAG_ORDER = ("red", "amber", "green")

# Pale backgrounds with dark text of the same hue, as in the catalogue; the word
# in the cell says the same as the colour.
RAG_COLOURS = {
    "red": (QColor("#fbe3e4"), QColor("#8a1f24")),
    "amber": (QColor("#fff1c2"), QColor("#5a4300")),
    "green": (QColor("#e3f4e6"), QColor("#1e5c30")),
}


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_SORT = int(SORT_ROLE)
_ROW = int(ROW_ROLE)
_ANSWERED = frozenset({_DISPLAY, _ALIGNMENT, _BACKGROUND, _FOREGROUND, _TOOLTIP, _SORT, _ROW})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def status_label(status: str) -> str:
    labels = {
        "active": tr("Active"),
        "break_in_learning": tr("Break in learning"),
        "completed": tr("Completed"),
        "transferred": tr("Transferred"),
        "withdrawn": tr("Withdrawn"),
    }
    return labels.get(status, status.replace("_", " ").capitalize())


def rag_label(rag: str) -> str:
    labels = {"red": tr("Red"), "amber": tr("Amber"), "green": tr("Green")}
    return labels.get(rag, rag.capitalize())


def uln_text(uln: str | None) -> str:
    return uln or tr("not yet known")


class ApprenticeTableModel(RecordTableModel):
    NAME, ULN, COHORT, STATUS, ASSESSOR, START, PLANNED_END, PERCENT, RAG = range(9)
    COLUMN_COUNT = 9
    SORT_ROLE = SORT_ROLE
    ROW_ROLE = ROW_ROLE

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._given: list[ApprenticeListRow] = []  # in the order the list was read
        self._rows: list[ApprenticeListRow] = []  # in the order shown
        self._search: list[str] = []
        self._order: list[int] = []
        self._texts: list[tuple[str, ...] | None] = []  # each given row's cells, once shown
        self._brushes = {
            rag: (QBrush(background), QBrush(text))
            for rag, (background, text) in RAG_COLOURS.items()
        }
        self._sort_column = -1  # -1: the order given
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._headers = {
            self.NAME: (tr("Name"), ""),
            self.ULN: (tr("ULN"), tr("Unique learner number")),
            self.COHORT: (tr("Cohort"), ""),
            self.STATUS: (tr("Status"), ""),
            self.ASSESSOR: (tr("Assessor"), ""),
            self.START: (tr("Start"), tr("Start of the apprenticeship")),
            self.PLANNED_END: (tr("Planned end"), tr("Planned end of the apprenticeship")),
            self.PERCENT: (tr("Complete"), tr("Credits signed off, of the credits chosen")),
            self.RAG: (tr("RAG"), tr("Red, amber or green: open the apprentice for the reasons")),
        }

    def set_rows(self, rows: Sequence[ApprenticeListRow]) -> None:
        self.beginResetModel()
        self._given = list(rows)
        self._texts = [None] * len(self._given)
        self._arrange(list(range(len(self._given))))
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by a column's raw value as the shared proxy would: a stable
        sort of the rows as they stand (so ties keep the order of the last sort), rows
        with no value at the bottom either way; column -1 restores the order given."""
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        was = self._order
        self._arrange(was if column >= 0 else list(range(len(self._given))))
        row_now = {given: row for row, given in enumerate(self._order)}
        old = self.persistentIndexList()
        self.changePersistentIndexList(
            old, [self.index(row_now[was[i.row()]], i.column()) for i in old]
        )
        self.layoutChanged.emit()

    def _arrange(self, order: list[int]) -> None:
        """Put the rows, as places in the list given, in the order asked for."""
        if 0 <= self._sort_column < self.COLUMN_COUNT:
            column = self._sort_column
            keys = [self._sort_value(r, column) for r in self._given]
            valued = [i for i in order if keys[i] is not None]
            valued.sort(
                key=keys.__getitem__, reverse=self._sort_order is Qt.SortOrder.DescendingOrder
            )
            order = valued + [i for i in order if keys[i] is None]
        self._order = list(order)
        self._rows = [self._given[i] for i in order]
        self._search = [f"{r.name} {r.uln or ''}".casefold() for r in self._rows]

    def rows(self) -> list[ApprenticeListRow]:
        return list(self._rows)

    def row_at(self, row: int) -> ApprenticeListRow:
        return self._rows[row]

    def search_text(self, row: int) -> str:
        """The row's name and ULN, case-folded, for the search box."""
        return self._search[row]

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        # Asked for every cell in many roles whenever the view lays out 2,000 rows:
        # roles it does not answer are turned away first, and each row's texts are
        # worked out once.
        if role not in _ANSWERED:
            return None
        row = index.row()  # -1 for an invalid index
        if not 0 <= row < len(self._rows):
            return None
        column = index.column()
        if role == _DISPLAY:
            given = self._order[row]
            texts = self._texts[given]
            if texts is None:
                record = self._rows[row]
                texts = self._texts[given] = tuple(
                    self._display(record, c) for c in range(self.COLUMN_COUNT)
                )
            return texts[column]
        record = self._rows[row]
        if role == _SORT:
            return self._sort_value(record, column)
        if role == _ROW:
            return record
        if role == _ALIGNMENT:
            return _RIGHT if column == self.PERCENT else None
        if role == _TOOLTIP:
            if column == self.STATUS and record.status_date:
                return tr("{status} since {date}").format(
                    status=status_label(record.status), date=format_date(record.status_date)
                )
            return None
        if column == self.RAG and record.rag in self._brushes:
            background, text = self._brushes[record.rag]
            return background if role == _BACKGROUND else text
        return None

    def _display(self, record: ApprenticeListRow, column: int) -> str:
        if column == self.NAME:
            return record.name
        if column == self.ULN:
            return uln_text(record.uln)
        if column == self.COHORT:
            return record.cohort
        if column == self.STATUS:
            return status_label(record.status)
        if column == self.ASSESSOR:
            return record.assessor or tr("none assigned")
        if column == self.START:
            return format_date(record.start_date)
        if column == self.PLANNED_END:
            return format_date(record.planned_end_date)
        if column == self.PERCENT:
            return tr("{percent}%").format(percent=record.percent_complete)
        return rag_label(record.rag)

    def _sort_value(self, record: ApprenticeListRow, column: int) -> Any:
        if column == self.NAME:
            return record.sort_name
        if column == self.ULN:
            return record.uln
        if column == self.COHORT:
            return record.cohort.casefold()
        if column == self.STATUS:
            return _position(STATUS_ORDER, record.status)
        if column == self.ASSESSOR:
            return record.assessor.casefold() or None
        if column == self.START:
            return record.start_date
        if column == self.PLANNED_END:
            return record.planned_end_date
        if column == self.PERCENT:
            return record.percent_complete
        return _position(RAG_ORDER, record.rag)


def _position(order: Sequence[str], value: str) -> int:
    return order.index(value) if value in order else len(order)


class ApprenticeFilterProxy(SortFilterProxy):
    """Sorts like every table, by asking the model to sort itself; filters by the
    search box and by cohort, status, assessor and RAG (each None for all)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            text_columns=(ApprenticeTableModel.NAME, ApprenticeTableModel.ULN), parent=parent
        )
        self._fields: dict[str, str] = {}

    def set_filter(self, field: str, value: str | None) -> None:
        """Keep rows whose `field` ("cohort", "status", "assessor" or "rag") is `value`."""
        if field not in ("cohort", "status", "assessor", "rag"):
            raise ValueError(f"no filter on {field!r}")
        if self._fields.get(field) == value:
            return
        with filter_changing(self):
            if value is None:
                self._fields.pop(field, None)
            else:
                self._fields[field] = value

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, ApprenticeTableModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        if not isinstance(model, ApprenticeTableModel):
            return super().filterAcceptsRow(source_row, source_parent)
        record = model.row_at(source_row)
        for field, value in self._fields.items():
            if getattr(record, field) != value:
                return False
        if not self._words:
            return True
        haystack = model.search_text(source_row)
        return all(word in haystack for word in self._words)
