"""A record tab sizes its columns to their contents when it is on screen: a tab
loaded while hidden waits until it is first shown (opening a page stays quick), and
long text columns stay within their caps either way."""

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
