"""An apprentice's evidence as a table, and their units with what accepted evidence
covers and whether each is signed off; both say what quality assurance sampled."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assessor_app.domain.dates import format_date
from assessor_app.services.evidence_queries import EvidenceRow, SampleRow, UnitEvidenceState
from assessor_app.ui.models.record_model import RecordTableModel
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SORT_ROLE
from assessor_app.ui.qt import AnyIndex, QBrush, QColor, QObject, Qt, tr

# Status in words with a symbol, so the column never relies on colour alone.
_STATUS_TEXT = {
    "draft": "✎ Draft",
    "submitted": "→ Submitted",
    "accepted": "✓ Accepted",
    "referred": "✗ Referred",
}
_STATUS_COLOURS = {
    "draft": ("#f1f1f1", "#333333"),
    "submitted": ("#fff4cc", "#5a4300"),
    "accepted": ("#dff3e1", "#1e5a28"),
    "referred": ("#fbe3e4", "#8a1f24"),
}
_STATUS_ORDER = {"draft": 0, "referred": 1, "submitted": 2, "accepted": 3}


_DECISION_TEXT = {"agreed": "Agreed", "action_required": "Action required"}
_DECISION_COLOURS = {
    "agreed": ("#dff3e1", "#1e5a28"),
    "action_required": ("#fff4cc", "#5a4300"),
}


def decision_text(decision: str) -> str:
    return tr(_DECISION_TEXT.get(decision, decision.replace("_", " ").capitalize()))


def sample_text(sample: SampleRow) -> str:
    """'Agreed 3 Dec 2026': the decision and when it was made."""
    return tr("{decision} {on}").format(
        decision=decision_text(sample.decision), on=format_date(sample.sampled_on)
    )


def samples_text(samples: Sequence[SampleRow]) -> str:
    """Every sample, newest first, with who made it and their comments."""
    return "\n\n".join(
        (
            tr("{sample} by {name}:\n{comments}") if sample.comments else tr("{sample} by {name}")
        ).format(
            sample=sample_text(sample),
            name=sample.sampled_by or tr("unknown"),
            comments=sample.comments,
        )
        for sample in samples
    )


def _sample_data(samples: Sequence[SampleRow], role: int) -> Any:
    """The IQA cell: the latest sample in words and colour, all of them in the tooltip."""
    if not samples:
        return None
    if role == Qt.ItemDataRole.DisplayRole:
        return sample_text(samples[0])
    if role == Qt.ItemDataRole.ToolTipRole:
        return samples_text(samples)
    if role == SORT_ROLE:
        return (samples[0].sampled_on, samples[0].id)
    if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
        return _colours(samples[0].decision, role, _DECISION_COLOURS)
    return None


def _iqa_header() -> tuple[str, str]:
    return (
        tr("IQA"),
        tr("The internal quality assurer's latest sample; the tooltip has every sample"),
    )


def status_text(status: str) -> str:
    return tr(_STATUS_TEXT.get(status, status.capitalize()))


def _colours(key: str, role: int, table: dict[str, tuple[str, str]]) -> Any:
    if key not in table:
        return None
    background, text = table[key]
    return QBrush(QColor(background if role == Qt.ItemDataRole.BackgroundRole else text))


class EvidenceTableModel(RecordTableModel):
    DATE, TITLE, METHOD, COVERS, WHERE, STATUS, ASSESSOR, IQA, FILES = range(9)
    COLUMN_COUNT = 9

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[EvidenceRow] = []
        self._headers = {
            self.DATE: tr("Date"),
            self.TITLE: tr("Title"),
            self.METHOD: tr("Method"),
            self.COVERS: (tr("Units / criteria"), tr("The units and criteria it covers")),
            self.WHERE: tr("Where"),
            self.STATUS: tr("Status"),
            self.ASSESSOR: (tr("Assessed by"), tr("Who accepted or referred it, and when")),
            self.IQA: _iqa_header(),
            self.FILES: (tr("Files"), tr("How many files are attached")),
        }

    def set_rows(self, rows: Sequence[EvidenceRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[EvidenceRow]:
        return list(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == ROW_ROLE:
            return row
        if column == self.IQA:
            return _sample_data(row.samples, role)
        if role == SORT_ROLE:
            return self._sort_value(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.STATUS and row.feedback:
                return tr("Feedback: {feedback}").format(feedback=row.feedback)
            if column == self.FILES and row.attachments:
                return "\n".join(a.name for a in row.attachments)
            if column in (self.TITLE, self.COVERS, self.WHERE):
                return self._display(row, column)
        if column == self.STATUS and role in (
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            return _colours(row.status, role, _STATUS_COLOURS)
        if column == self.FILES and role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: EvidenceRow, column: int) -> str:
        if column == self.DATE:
            return format_date(row.on_date)
        if column == self.TITLE:
            return row.title
        if column == self.METHOD:
            return tr(row.method_label)
        if column == self.COVERS:
            return row.covers_text
        if column == self.WHERE:
            return row.where
        if column == self.STATUS:
            return status_text(row.status)
        if column == self.ASSESSOR:
            if row.assessed_on is None:
                return ""
            return tr("{name}, {on}").format(
                name=row.assessed_by or tr("unknown"), on=format_date(row.assessed_on)
            )
        return str(len(row.attachments))

    def _sort_value(self, row: EvidenceRow, column: int) -> Any:
        if column == self.DATE:
            return (row.on_date, row.id)
        if column == self.STATUS:
            return _STATUS_ORDER.get(row.status, 9)
        if column == self.ASSESSOR:
            return row.assessed_on
        if column == self.FILES:
            return len(row.attachments)
        return self._display(row, column).casefold() or None


_SIGNED_COLOURS = {
    "signed": ("#dff3e1", "#1e5a28"),
    "ready": ("#fff4cc", "#5a4300"),
}


class UnitSignOffModel(RecordTableModel):
    UNIT, TITLE, COVERED, SIGNED_OFF, IQA = range(5)
    COLUMN_COUNT = 5

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[UnitEvidenceState] = []
        self._headers = {
            self.UNIT: tr("Unit"),
            self.TITLE: tr("Title"),
            self.COVERED: (
                tr("Accepted evidence"),
                tr("Criteria covered by accepted evidence, or pieces for a unit without criteria"),
            ),
            self.SIGNED_OFF: tr("Sign-off"),
            self.IQA: _iqa_header(),
        }

    def set_rows(self, rows: Sequence[UnitEvidenceState]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[UnitEvidenceState]:
        return list(self._rows)

    @staticmethod
    def state_key(unit: UnitEvidenceState) -> str:
        if unit.signed_off_on is not None:
            return "signed"
        return "ready" if unit.ready else "open"

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        unit, column = self._rows[index.row()], index.column()
        if role == ROW_ROLE:
            return unit
        if column == self.IQA:
            return _sample_data(unit.samples, role)
        if role == SORT_ROLE:
            if column == self.COVERED:
                total = len(unit.criteria)
                return unit.covered / total if total else float(unit.accepted_pieces > 0)
            if column == self.SIGNED_OFF:
                return unit.signed_off_on
            if column == self.UNIT:
                return index.row()  # catalogue order
            return self._display(unit, column).casefold()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(unit, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE:
            return unit.title
        if column == self.SIGNED_OFF and role in (
            Qt.ItemDataRole.BackgroundRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            return _colours(self.state_key(unit), role, _SIGNED_COLOURS)
        return None

    def _display(self, unit: UnitEvidenceState, column: int) -> str:
        if column == self.UNIT:
            return unit.ref
        if column == self.TITLE:
            return unit.title
        if column == self.COVERED:
            if unit.criteria:
                return tr("{covered} of {total} criteria").format(
                    covered=unit.covered, total=len(unit.criteria)
                )
            return tr("{count} accepted (no criteria)").format(count=unit.accepted_pieces)
        if unit.signed_off_on is not None:
            return tr("✓ Signed off {on} by {name}").format(
                on=format_date(unit.signed_off_on), name=unit.signed_off_by
            )
        return tr("Ready to sign off") if unit.ready else tr("Not yet")
