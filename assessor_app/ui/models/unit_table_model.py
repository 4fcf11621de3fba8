"""The units of one qualification as a table: what a tutor reads in the catalogue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assessor_app.domain.catalogue import Unit, ValueStatus
from assessor_app.ui.models.record_model import RecordTableModel
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SORT_ROLE
from assessor_app.ui.qt import (
    AnyIndex,
    QBrush,
    QColor,
    QFont,
    QObject,
    Qt,
    tr,
)

NO_VALUE = "—"

# Pale backgrounds with dark text of the same hue, so the marking stays readable
# in a dark desktop theme too; the words in the cell say the same thing.
_INDICATIVE_BACKGROUND = QColor("#fff1c2")
_INDICATIVE_TEXT = QColor("#5a4300")
_MISSING_BACKGROUND = QColor("#fbe3e4")
_MISSING_TEXT = QColor("#8a1f24")

_STATUS_ORDER = {ValueStatus.CONFIRMED: 0, ValueStatus.INDICATIVE: 1, ValueStatus.MISSING: 2}


def _natural_ref(ref: str) -> tuple[str, int, str]:
    """A1 < A2 < A10 < B1: letters first, then the number as a number."""
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters) :]
    return (letters.casefold(), int(digits) if digits else -1, ref)


def kind_label(kind: str) -> str:
    labels = {"knowledge": tr("Knowledge"), "competence": tr("Competence")}
    return labels.get(kind, kind)


def status_label(status: ValueStatus) -> str:
    labels = {
        ValueStatus.CONFIRMED: tr("Confirmed"),
        ValueStatus.INDICATIVE: tr("Indicative: to confirm"),
        ValueStatus.MISSING: tr("Missing: cannot count"),
    }
    return labels[status]


def credits_text(unit: Unit) -> str:
    if unit.value_status is ValueStatus.MISSING or unit.credits is None:
        return tr("not confirmed")
    if unit.value_status is ValueStatus.INDICATIVE:
        return tr("{credits} (indicative)").format(credits=unit.credits)
    return str(unit.credits)


def value_explanation(unit: Unit) -> str:
    """Why a unit's credit value can or cannot be relied on, in a sentence or two."""
    if unit.value_status is ValueStatus.MISSING:
        return tr(
            "No credit value has been found for this unit. It cannot count towards "
            "the rules of combination until a value is entered."
        )
    if unit.value_status is ValueStatus.INDICATIVE:
        if unit.source_unit_ref:
            text = tr(
                "Indicative value: taken from a similar unit ({source_ref}). "
                "It needs confirming with the awarding body."
            ).format(source_ref=unit.source_unit_ref)
        else:
            text = tr(
                "Indicative value: taken from a similar unit. "
                "It needs confirming with the awarding body."
            )
    else:
        text = tr("Confirmed value.")
    if unit.source:
        text = tr("{explanation}\nSource: {source}").format(explanation=text, source=unit.source)
    return text


class UnitTableModel(RecordTableModel):
    REF, GROUP, TITLE, CREDITS, GLH, LEVEL, KIND, STATUS = range(8)
    COLUMN_COUNT = 8
    SORT_ROLE = SORT_ROLE
    ROW_ROLE = ROW_ROLE

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Unit] = []
        self._group_names: dict[str, str] = {}
        self._headers = {
            self.REF: (tr("Ref"), tr("The unit's reference in this catalogue")),
            self.GROUP: (tr("Group"), tr("The group of units it belongs to")),
            self.TITLE: (tr("Title"), ""),
            self.CREDITS: (tr("Credits"), tr("Credit value towards the rules of combination")),
            self.GLH: (tr("GLH"), tr("Guided learning hours")),
            self.LEVEL: (tr("Level"), tr("RQF level of the unit")),
            self.KIND: (tr("Kind"), tr("Knowledge or competence unit")),
            self.STATUS: (tr("Value status"), tr("How far the credit value can be relied on")),
        }

    def set_rows(self, rows: Sequence[Unit], group_names: Mapping[str, str] | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._group_names = dict(group_names or {})
        self.endResetModel()

    def rows(self) -> list[Unit]:
        return list(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        unit = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(unit, column)
        if role == SORT_ROLE:
            return self._sort_value(unit, column)
        if role == ROW_ROLE:
            return unit
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(unit, column)
        if column in (self.CREDITS, self.STATUS):
            return self._value_marking(unit, role)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.GLH, self.LEVEL):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, unit: Unit, column: int) -> str:
        if column == self.REF:
            return unit.ref
        if column == self.GROUP:
            return unit.group
        if column == self.TITLE:
            return unit.title
        if column == self.CREDITS:
            return credits_text(unit)
        if column == self.GLH:
            return NO_VALUE if unit.glh is None else str(unit.glh)
        if column == self.LEVEL:
            return NO_VALUE if unit.level is None else str(unit.level)
        if column == self.KIND:
            return kind_label(unit.kind)
        return status_label(unit.value_status)

    def _sort_value(self, unit: Unit, column: int) -> Any:
        if column == self.REF:
            return _natural_ref(unit.ref)
        if column == self.GROUP:
            return unit.group
        if column == self.TITLE:
            return unit.title.casefold()
        if column == self.CREDITS:
            return unit.credits if unit.has_credit_value else None
        if column == self.GLH:
            return unit.glh
        if column == self.LEVEL:
            return unit.level
        if column == self.KIND:
            return kind_label(unit.kind).casefold()
        return _STATUS_ORDER[unit.value_status]

    def _tooltip(self, unit: Unit, column: int) -> str | None:
        if column in (self.CREDITS, self.STATUS):
            return value_explanation(unit)
        if column == self.TITLE:
            return unit.title
        if column == self.GROUP:
            return self._group_names.get(unit.group)
        if column in (self.GLH, self.LEVEL) and self._display(unit, column) == NO_VALUE:
            return tr("Not recorded in the catalogue")
        return None

    def _value_marking(self, unit: Unit, role: int) -> Any:
        status = unit.value_status
        if status is ValueStatus.CONFIRMED:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            background = (
                _INDICATIVE_BACKGROUND if status is ValueStatus.INDICATIVE else _MISSING_BACKGROUND
            )
            return QBrush(background)
        if role == Qt.ItemDataRole.ForegroundRole:
            text = _INDICATIVE_TEXT if status is ValueStatus.INDICATIVE else _MISSING_TEXT
            return QBrush(text)
        if role == Qt.ItemDataRole.FontRole and status is ValueStatus.MISSING:
            font = QFont()
            font.setItalic(True)
            return font
        return None
