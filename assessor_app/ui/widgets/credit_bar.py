"""A small bar of credits achieved against a target, painted with QPainter."""

from __future__ import annotations

from assessor_app.ui.qt import QColor, QPainter, QPaintEvent, QPen, QRectF, QSize, QWidget, tr

FILL = QColor("#2e7d4f")
TRACK = QColor("#e3e7ea")
EDGE = QColor("#9aa5ad")


class CreditBar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.achieved = 0
        self.target = 0
        self.setMinimumHeight(14)

    def set_credits(self, achieved: int, target: int) -> None:
        self.achieved, self.target = achieved, target
        self.setToolTip(
            tr("{achieved} of {target} credits achieved").format(achieved=achieved, target=target)
        )
        self.update()

    @property
    def fraction(self) -> float:
        if self.target <= 0:
            return 0.0
        return min(self.achieved / self.target, 1.0)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(160, 14)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = QRectF(0.5, 0.5, self.width() - 1.0, self.height() - 1.0)
        painter.setPen(QPen(EDGE))
        painter.setBrush(TRACK)
        painter.drawRoundedRect(track, 3, 3)
        if self.fraction > 0:
            painter.setPen(QPen(FILL))
            painter.setBrush(FILL)
            painter.drawRoundedRect(
                QRectF(track.x(), track.y(), track.width() * self.fraction, track.height()), 3, 3
            )
        painter.end()
