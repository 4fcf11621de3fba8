"""An apprentice's placements drawn along their programme: one coloured block per
placement with the host's name, and today marked with a line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from assessor_app.domain.dates import format_date, format_period
from assessor_app.ui.colours import Tone, muted_colour, tone_colour
from assessor_app.ui.qt import (
    QColor,
    QPainter,
    QPaintEvent,
    QPen,
    QRectF,
    QSize,
    QSizePolicy,
    Qt,
    QWidget,
    tr,
)

# Pale fills with a darker edge, so neighbouring blocks stay apart and the dark
# host names on them stay readable.
_FILLS = (
    (QColor("#dbe8f7"), QColor("#4a74a8")),
    (QColor("#e3f1df"), QColor("#4f8a43")),
    (QColor("#f6e6d3"), QColor("#a8733a")),
    (QColor("#ece1f4"), QColor("#7a5499")),
    (QColor("#dff0f0"), QColor("#3f8585")),
)
_TRACK = QColor("#eef0f3")
_TEXT = QColor("#1f2328")  # on the pale fills, in any theme

_BAR_TOP = 18  # room above the bar for the "Today" marker
_BAR_HEIGHT = 34
_AXIS_HEIGHT = 20


@dataclass(frozen=True, slots=True)
class StripBlock:
    label: str
    start: date
    end: date


class PlacementStrip(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._blocks: tuple[StripBlock, ...] = ()
        self._first: date | None = None
        self._last: date | None = None
        self._today = date.today()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.sizeHint().height())

    def set_placements(
        self,
        blocks: Sequence[StripBlock],
        first: date,
        last: date,
        *,
        today: date | None = None,
    ) -> None:
        """Draw `blocks` along the days from `first` to `last` (the programme), widened
        to take in any placement or today if they fall outside it."""
        self._blocks = tuple(blocks)
        self._today = today or date.today()
        days = [first, last] + [b.start for b in blocks] + [b.end for b in blocks]
        self._first = min(days)
        self._last = max(max(days), self._first + timedelta(days=1))
        self.setToolTip(
            "\n".join(
                tr("{host}: {period}").format(host=b.label, period=format_period(b.start, b.end))
                for b in self._blocks
            )
        )
        self.update()

    @property
    def blocks(self) -> tuple[StripBlock, ...]:
        return self._blocks

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(480, _BAR_TOP + _BAR_HEIGHT + _AXIS_HEIGHT + 4)

    def _x(self, day: date, left: float, width: float) -> float:
        assert self._first is not None and self._last is not None
        span = (self._last - self._first).days or 1
        return left + width * (day - self._first).days / span

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, width = 1.0, float(self.width() - 2)
        bar = QRectF(left, _BAR_TOP, width, _BAR_HEIGHT)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_TRACK)
        painter.drawRoundedRect(bar, 4, 4)
        if self._first is None or self._last is None:
            painter.setPen(_TEXT)
            painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, tr("No placements scheduled"))
            return
        metrics = painter.fontMetrics()
        for n, block in enumerate(self._blocks):
            fill, edge = _FILLS[n % len(_FILLS)]
            x0 = self._x(block.start, left, width)
            x1 = self._x(block.end + timedelta(days=1), left, width)
            rect = QRectF(x0, bar.top(), max(x1 - x0, 2.0), bar.height()).adjusted(1, 1, -1, -1)
            painter.setPen(QPen(edge, 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 3, 3)
            painter.setPen(_TEXT)
            text_rect = rect.adjusted(5, 0, -5, 0)
            name = metrics.elidedText(
                block.label, Qt.TextElideMode.ElideRight, int(text_rect.width())
            )
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, name)
        # The programme's first and last days under the bar.
        painter.setPen(muted_colour())
        axis = QRectF(left, bar.bottom() + 2, width, _AXIS_HEIGHT)
        painter.drawText(axis, Qt.AlignmentFlag.AlignLeft, format_date(self._first))
        painter.drawText(axis, Qt.AlignmentFlag.AlignRight, format_date(self._last))
        if self._first <= self._today <= self._last:
            x = self._x(self._today, left, width)
            painter.setPen(QPen(QColor(tone_colour(Tone.BAD)), 2))
            painter.drawLine(int(x), int(bar.top()) - 4, int(x), int(bar.bottom()) + 4)
            label = tr("Today")
            label_width = metrics.horizontalAdvance(label)
            label_x = min(max(x - label_width / 2, left), left + width - label_width)
            painter.drawText(
                QRectF(label_x, 0, label_width, _BAR_TOP - 4),
                Qt.AlignmentFlag.AlignCenter,
                label,
            )
