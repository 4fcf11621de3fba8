"""Tick boxes in lists that stay visible on a dark palette."""

from __future__ import annotations

from assessor_app.ui.qt import (
    AnyIndex,
    QApplication,
    QPainter,
    QPalette,
    QPen,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
)


class CheckOutlineDelegate(QStyledItemDelegate):
    """Frames a cell's tick box when the palette is dark. Some styles (Fusion) draw
    the box's outline in a shade of the window colour that a dark base swallows, so
    an unticked unit would show no box to click at all."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().paint(painter, option, index)
        if index.data(Qt.ItemDataRole.CheckStateRole) is None:
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        if item.palette.color(QPalette.ColorRole.Base).lightness() >= 128:
            return
        widget = item.widget
        style = widget.style() if widget is not None else QApplication.style()
        box = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, item, widget)
        painter.save()
        painter.setPen(QPen(item.palette.color(QPalette.ColorRole.PlaceholderText), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(box.adjusted(0, 0, -1, -1))
        painter.restore()
