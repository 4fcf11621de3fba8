"""The apprentices list sorts its own rows and the proxy only filters: what a person
sees when they sort by a column, sort again, type in the search box or reload."""

from __future__ import annotations

from datetime import date

import pytest

from assessor_app.services.apprentice_list import ApprenticeListRow
from assessor_app.ui.models.apprentice_table_model import (
    ApprenticeFilterProxy,
    ApprenticeTableModel,
)
from assessor_app.ui.qt import QAbstractItemView, Qt, QTableView

M = ApprenticeTableModel
ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def row(n: int, name: str, cohort: str, percent: int, assessor: str = "") -> ApprenticeListRow:
    return ApprenticeListRow(
        id=n,
        name=name,
        sort_name=" ".join(reversed(name.split())).casefold(),
        uln=f"41{n:08d}",
        cohort=cohort,
        status="active",
        status_date=None,
        start_date=date(2026, 1, 5),
        planned_end_date=date(2027, 4, 4),
        assessor=assessor,
        rag="green",
        percent_complete=percent,
    )


ROWS = [
    row(1, "Amy Shaw", "Cohort B", 40, "Jo Smith"),
    row(2, "Ben Adams", "Cohort A", 75),
    row(3, "Cara Smith", "Cohort B", 40, "Al Khan"),
    row(4, "Dev Patel", "Cohort A", 10, "Jo Smith"),
    row(5, "Eve Brown", "Cohort B", 90),
]


@pytest.fixture
def table(qtbot):
    model = M()
    proxy = ApprenticeFilterProxy()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.sortByColumn(M.NAME, ASC)
    model.set_rows(ROWS)
    return view


def shown(view: QTableView) -> list[str]:
    proxy = view.model()
    return [proxy.index(r, M.NAME).data() for r in range(proxy.rowCount())]


def test_rows_come_in_the_order_clicked_and_a_reload_keeps_it(table):
    assert shown(table) == ["Ben Adams", "Eve Brown", "Dev Patel", "Amy Shaw", "Cara Smith"]
    table.sortByColumn(M.PERCENT, DESC)
    assert shown(table)[:2] == ["Eve Brown", "Ben Adams"]
    table.model().sourceModel().set_rows([*ROWS, row(6, "Fay Green", "Cohort A", 100)])
    assert shown(table)[:3] == ["Fay Green", "Eve Brown", "Ben Adams"]


def test_sorting_again_keeps_the_last_sort_among_equals(table):
    """Name, then cohort: each cohort's apprentices stay in name order, the other way
    round too, as with every other table in the window."""
    table.sortByColumn(M.COHORT, ASC)
    assert shown(table) == ["Ben Adams", "Dev Patel", "Eve Brown", "Amy Shaw", "Cara Smith"]
    table.sortByColumn(M.NAME, DESC)
    table.sortByColumn(M.COHORT, ASC)
    assert shown(table) == ["Dev Patel", "Ben Adams", "Cara Smith", "Amy Shaw", "Eve Brown"]


def test_no_assessor_stays_at_the_bottom_whichever_way(table):
    table.sortByColumn(M.ASSESSOR, ASC)
    assert shown(table)[:3] == ["Cara Smith", "Dev Patel", "Amy Shaw"]
    assert set(shown(table)[3:]) == {"Ben Adams", "Eve Brown"}
    table.sortByColumn(M.ASSESSOR, DESC)
    assert shown(table)[:3] == ["Dev Patel", "Amy Shaw", "Cara Smith"]
    assert set(shown(table)[3:]) == {"Ben Adams", "Eve Brown"}


def test_typing_narrows_the_list_without_losing_its_order(table):
    table.sortByColumn(M.PERCENT, ASC)
    before = shown(table)
    table.model().set_text("s")  # Shaw, Smith and Adams
    assert shown(table) == [n for n in before if "s" in n.casefold()]
    table.model().set_text("")
    assert shown(table) == before


def test_the_chosen_apprentice_stays_chosen_when_the_list_is_sorted(table):
    table.selectRow(shown(table).index("Dev Patel"))
    table.sortByColumn(M.PERCENT, DESC)
    (chosen,) = table.selectionModel().selectedRows()
    assert chosen.data() == "Dev Patel"
    assert chosen.row() == len(ROWS) - 1  # the least complete, now at the bottom
    assert table.currentIndex().row() == chosen.row()


def test_no_sort_column_gives_the_order_read(table):
    table.sortByColumn(M.PERCENT, DESC)
    table.model().sort(-1)
    assert shown(table) == [r.name for r in ROWS]


def test_each_cell_reads_the_same_as_before_sorting(table):
    model = table.model().sourceModel()
    table.sortByColumn(M.PERCENT, DESC)
    proxy = table.model()
    for r in range(proxy.rowCount()):
        record = proxy.index(r, 0).data(M.ROW_ROLE)
        assert proxy.index(r, M.NAME).data() == record.name
        assert proxy.index(r, M.PERCENT).data() == f"{record.percent_complete}%"
        assert proxy.index(r, M.ASSESSOR).data() == (record.assessor or "none assigned")
    assert model.data(model.index(0, M.PERCENT), Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert model.data(model.index(0, M.NAME), Qt.ItemDataRole.TextAlignmentRole) is None
    assert model.data(model.index(0, M.RAG), Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(0, M.NAME), Qt.ItemDataRole.BackgroundRole) is None
    assert model.data(model.index(99, M.NAME)) is None
