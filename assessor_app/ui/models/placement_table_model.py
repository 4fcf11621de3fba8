"""One apprentice's placements as a table: where and when, the contacts the host
named, the notice, and the outcome (review meeting and written appraisal)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assessor_app.domain.dates import format_date
from assessor_app.services.apprentice_queries import PlacementView
from assessor_app.ui.models.record_model import RecordTableModel
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SORT_ROLE
from assessor_app.ui.qt import AnyIndex, QObject, Qt, tr


class PlacementTableModel(RecordTableModel):
    HOST, SETTING, START, END, MENTOR, LINE_MANAGER, NOTICE, REVIEW, APPRAISAL = range(9)
    COLUMN_COUNT = 9
    SORT_ROLE = SORT_ROLE
    ROW_ROLE = ROW_ROLE

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PlacementView] = []
        self._headers = {
            self.HOST: tr("Host"),
            self.SETTING: tr("Setting"),
            self.START: tr("Start"),
            self.END: tr("End"),
            self.MENTOR: (tr("Mentor"), tr("The mentor (buddy) the host named")),
            self.LINE_MANAGER: tr("Line manager"),
            self.NOTICE: tr("Notice sent"),
            self.REVIEW: (tr("Review meeting"), tr("The handover or review meeting at the end")),
            self.APPRAISAL: (
                tr("Appraisal received"),
                tr("The host's written appraisal; point at a date to read its summary"),
            ),
        }

    def set_rows(self, rows: Sequence[PlacementView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        placement = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return placement
        if role == SORT_ROLE:
            return self._sort_value(placement, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(placement, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.APPRAISAL:
            return placement.appraisal_summary.strip() or None
        return None

    def _display(self, placement: PlacementView, column: int) -> str:
        if column == self.HOST:
            return placement.host
        if column == self.SETTING:
            return placement.setting
        if column == self.START:
            return format_date(placement.start)
        if column == self.END:
            return format_date(placement.end)
        if column == self.MENTOR:
            return placement.mentor or tr("not recorded")
        if column == self.LINE_MANAGER:
            return placement.line_manager or tr("not recorded")
        if column == self.NOTICE:
            if placement.notice_sent_on is None:
                return tr("not sent")
            return format_date(placement.notice_sent_on)
        if column == self.REVIEW:
            if placement.review_meeting_on is None:
                return tr("not recorded")
            return format_date(placement.review_meeting_on)
        if placement.appraisal_received_on is None:
            return tr("not received")
        return format_date(placement.appraisal_received_on)

    def _sort_value(self, placement: PlacementView, column: int) -> Any:
        if column == self.HOST:
            return placement.host.casefold()
        if column == self.SETTING:
            return placement.setting.casefold()
        if column == self.START:
            return placement.start
        if column == self.END:
            return placement.end
        if column == self.MENTOR:
            return placement.mentor.casefold() or None
        if column == self.LINE_MANAGER:
            return placement.line_manager.casefold() or None
        if column == self.NOTICE:
            return placement.notice_sent_on
        if column == self.REVIEW:
            return placement.review_meeting_on
        return placement.appraisal_received_on
