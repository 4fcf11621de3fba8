"""Pages size their columns to their contents when on screen: a record tab or the
catalogue loaded while hidden waits until it is first shown (opening stays quick),
long text columns stay within their caps, and stretching columns fill the rest."""

from __future__ import annotations

import pytest
from conftest import open_record_tab

from assessor_app.ui.pages.evidence_tab import EvidenceTab, EvidenceTableModel
from assessor_app.ui.pages.off_the_job_tab import OffTheJobTab

pytestmark = [
    pytest.mark.usefixtures("inline_tasks"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),  # the offscreen platform, on showing
]


def widths(view) -> list[int]:
    return [view.columnWidth(c) for c in range(view.model().columnCount())]


def test_a_hidden_tab_sizes_its_columns_when_first_shown(qtbot, demo):
    tab = open_record_tab(qtbot, OffTheJobTab, demo, "tutor")
    assert tab.model.rowCount() > 0  # loaded while hidden
    default = tab.table.horizontalHeader().defaultSectionSize()
    unsized = widths(tab.table)
    assert unsized[:-1] == [default] * (len(unsized) - 1)  # the last one stretches

    tab.resize(1200, 700)
    tab.show()
    qtbot.waitExposed(tab)
    sized = widths(tab.table)
    assert sized != unsized
    assert sum(sized) >= tab.table.viewport().width() - 1  # the last column fills the rest
    metrics = tab.table.fontMetrics()
    for column in range(len(sized) - 1):  # every cell's text fits its column
        texts = [str(tab.table.model().index(r, column).data() or "") for r in range(5)]
        assert sized[column] >= max(metrics.horizontalAdvance(t) for t in texts)


def test_a_shown_tab_sizes_at_once_and_keeps_long_columns_capped(qtbot, demo):
    tab = open_record_tab(qtbot, EvidenceTab, demo, "assessor")
    tab.resize(1200, 700)
    tab.show()
    qtbot.waitExposed(tab)
    tab.reload()  # loaded again while on screen
    assert tab.table.columnWidth(EvidenceTableModel.TITLE) <= 180
    status = tab.table.model().index(0, EvidenceTableModel.STATUS).data()
    assert tab.table.columnWidth(EvidenceTableModel.STATUS) >= (
        tab.table.fontMetrics().horizontalAdvance(status)
    )


def test_the_catalogue_sizes_its_columns_when_shown_and_its_title_fills_the_rest(qtbot, db):
    from assessor_app.ui.models.unit_table_model import UnitTableModel
    from assessor_app.ui.pages.catalogue_page import CataloguePage

    page = CataloguePage(db)
    qtbot.addWidget(page)
    default = page.table.horizontalHeader().defaultSectionSize()
    assert page.table.columnWidth(UnitTableModel.KIND) == default  # not measured yet
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    sized = widths(page.table)
    assert sized[UnitTableModel.KIND] != default
    title = sized[UnitTableModel.TITLE]
    assert sum(sized) >= page.table.viewport().width() - 1  # no gap after the last column
    assert title == max(sized)  # the title takes what the others leave
