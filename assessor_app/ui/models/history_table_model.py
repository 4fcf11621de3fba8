"""An apprentice's audit history as a table: when, who, what."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from assessor_app.domain.dates import format_date
from assessor_app.services.apprentice_queries import HistoryEntry
from assessor_app.ui.models.record_model import RecordTableModel
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SORT_ROLE
from assessor_app.ui.qt import AnyIndex, QObject, Qt, tr

_ACTIONS = {
    "apprentice.change_status": "Status changed",
    "apprentice.choose_units": "Optional units chosen",
    "apprentice.employment_outcome": "Employment outcome recorded",
    "apprentice.enrol": "Enrolled",
    "apprentice.functional_skill": "Functional skill recorded",
    "apprentice.update": "Details changed",
    "care_certificate.complete": "Care Certificate standard completed",
    "evidence.attach": "Evidence file attached",
    "evidence.record": "Evidence recorded",
    "evidence.submit": "Evidence submitted",
    "evidence.update": "Evidence corrected",
    "evidence.returned": "Evidence returned for correction",
    "iqa.sample": "Sampled by the internal quality assurer",
    "off_the_job.log": "Off-the-job hours logged",
    "placement.cancel": "Placement cancelled",
    "placement.contacts": "Placement contacts changed",
    "placement.notice_sent": "Placement notice sent",
    "placement.outcome": "Placement outcome recorded",
    "placement.schedule": "Placement scheduled",
    "placement.update": "Placement changed",
    "review.record": "Review recorded",
    "unit.plan": "Unit planned for a placement",
    "unit.revoke_sign_off": "Unit sign-off revoked",
    "unit.sign_off": "Unit signed off",
}

# Detail fields worth showing beside the action, in this order.
_DETAIL_FIELDS = ("unit", "status", "decision", "on", "reason", "comments")
# Stored codes among those details, in words.
_DETAIL_WORDS = {"agreed": "agreed", "action_required": "action required"}


def action_text(action: str) -> str:
    if action in _ACTIONS:
        return tr(_ACTIONS[action])
    return action.replace("_", " ").replace(".", ": ").capitalize()


def _detail_text(value: str | int) -> str:
    """Dates are stored as 2026-09-23 and shown as 23 Sep 2026."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            pass
    if isinstance(value, str) and value in _DETAIL_WORDS:
        return tr(_DETAIL_WORDS[value])
    return str(value)


def what_text(entry: HistoryEntry) -> str:
    """The action in words, with the few details a person looks for."""
    action = action_text(entry.action)
    if entry.placement_cancelled:
        action = tr("{action} (cancelled since)").format(action=action)
    details = [
        _detail_text(entry.detail[field])
        for field in _DETAIL_FIELDS
        if isinstance(entry.detail.get(field), str | int) and entry.detail[field] != ""
    ]
    if not details:
        return action
    return tr("{action}: {details}").format(action=action, details=", ".join(details))


class HistoryTableModel(RecordTableModel):
    WHEN, WHO, WHAT = range(3)
    COLUMN_COUNT = 3
    SORT_ROLE = SORT_ROLE
    ROW_ROLE = ROW_ROLE

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[HistoryEntry] = []
        self._headers = {self.WHEN: tr("When"), self.WHO: tr("Who"), self.WHAT: tr("What")}

    def set_rows(self, rows: Sequence[HistoryEntry]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return entry
        if role == SORT_ROLE:
            if column == self.WHEN:
                return entry.at
            return entry.username.casefold() if column == self.WHO else what_text(entry)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.WHEN:
                return tr("{day} {time}").format(
                    day=format_date(entry.at.date()), time=f"{entry.at:%H:%M}"
                )
            return entry.username if column == self.WHO else what_text(entry)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.WHAT:
            return what_text(entry)
        return None
