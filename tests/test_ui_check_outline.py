"""Tick boxes in lists stay visible on a dark palette: an unticked unit in the
selection editor must show a box to click."""

from __future__ import annotations

import pytest

from assessor_app.ui.qt import (
    QColor,
    QPalette,
    QStyle,
    QStyleOptionViewItem,
    Qt,
    QTableView,
)
from assessor_app.ui.screenshots import dark_palette
from assessor_app.ui.widgets.check_outline import CheckOutlineDelegate

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # offscreen, on showing


def box_edge_lightness(qtbot, palette: QPalette) -> tuple[int, int]:
    """(lightness of the tick box's left edge, of the cell's base) in a rendered list."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    model = QStandardItemModel(1, 1)
    item = QStandardItem("B3 Principles of the Mental Capacity Act 2005")
    item.setCheckable(True)
    item.setCheckState(Qt.CheckState.Unchecked)
    model.setItem(0, 0, item)
    view = QTableView()
    qtbot.addWidget(view)
    view.setPalette(palette)
    view.setModel(model)
    view.setItemDelegate(CheckOutlineDelegate(view))
    view.resize(500, 100)
    view.setColumnWidth(0, 450)
    view.show()
    qtbot.waitExposed(view)
    image = view.viewport().grab().toImage()
    option = QStyleOptionViewItem()
    option.initFrom(view.viewport())
    option.rect = view.visualRect(model.index(0, 0))
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view)
    edge = QColor(image.pixel(box.left(), box.center().y())).lightness()
    base = palette.color(QPalette.ColorRole.Base).lightness()
    return edge, base


def test_an_unticked_box_is_framed_on_a_dark_palette(qtbot):
    edge, base = box_edge_lightness(qtbot, dark_palette(QPalette, QColor))
    assert edge - base >= 40  # a grey frame on the dark base, not a box lost in it
