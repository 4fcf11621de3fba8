"""A qualification's units with a tick for each one in an apprentice's working choice.

Mandatory units are always ticked and cannot be changed. A signed-off unit in the
choice cannot be removed, except while exploring a what-if (`lock_signed_off`
False), which saves nothing. The note column says why a tick is fixed and which
ticks differ from the saved choice.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from assessor_app.domain.catalogue import Qualification, Unit, ValueStatus
from assessor_app.ui.models.record_model import RecordTableModel
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SORT_ROLE
from assessor_app.ui.models.unit_table_model import credits_text, value_explanation
from assessor_app.ui.qt import (
    AnyIndex,
    QBrush,
    QColor,
    QModelIndex,
    QObject,
    Qt,
    Signal,
    tr,
)

# Pale backgrounds with dark text of the same hue, as in the catalogue table; the
# words in the cell say the same as the colour.
_INDICATIVE = (QColor("#fff1c2"), QColor("#5a4300"))
_MISSING = (QColor("#fbe3e4"), QColor("#8a1f24"))
_SIGNED_OFF = (QColor("#e3f4e6"), QColor("#1e5c30"))
_CHANGED = (QColor("#e4ecfb"), QColor("#1f3f8a"))


class UnitChoiceModel(RecordTableModel):
    REF, TITLE, CREDITS, NOTE, GROUP = range(5)
    COLUMN_COUNT = 5
    SORT_ROLE = SORT_ROLE
    ROW_ROLE = ROW_ROLE

    edited = Signal(str, bool)  # a unit ticked (True) or unticked by the user

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._qual: Qualification | None = None
        self._rows: list[Unit] = []
        self._row_of: dict[str, int] = {}
        self._working: frozenset[str] = frozenset()
        self._saved: frozenset[str] = frozenset()
        self._signed_off: frozenset[str] = frozenset()
        self._lock_signed_off = True
        self._headers = {
            self.REF: tr("Unit"),
            self.TITLE: tr("Title"),
            self.CREDITS: tr("Credits"),
            self.NOTE: tr("Note"),
            self.GROUP: tr("Group"),
        }

    def set_rows(self, qualification: Qualification) -> None:
        self.beginResetModel()
        self._qual = qualification
        self._rows = list(qualification.units)
        self._row_of = {u.ref: i for i, u in enumerate(self._rows)}
        self.endResetModel()

    def set_state(
        self,
        working: Collection[str],
        saved: Collection[str],
        signed_off: Collection[str],
        *,
        lock_signed_off: bool,
    ) -> None:
        """The ticks to show, the saved choice they are compared with, and which units
        are signed off. Changes every row's ticks and notes without a reset."""
        self._working = frozenset(working)
        self._saved = frozenset(saved)
        self._signed_off = frozenset(signed_off)
        self._lock_signed_off = lock_signed_off
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, self.COLUMN_COUNT - 1)
            )

    def index_of(self, ref: str, column: int = REF) -> QModelIndex:
        return self.index(self._row_of[ref], column)

    def is_locked(self, ref: str) -> bool:
        """True when the user cannot change this unit's tick."""
        if self._qual is None or self._qual.is_mandatory(ref):
            return True
        return self._lock_signed_off and ref in self._signed_off and ref in self._working

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.column() != self.REF:
            return Qt.ItemFlag.ItemIsEnabled
        if self.is_locked(self._rows[index.row()].ref):
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        ref = self._rows[index.row()].ref
        if self.is_locked(ref):
            return False
        ticked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
        if ticked == (ref in self._working):
            return False
        # The owner answers with set_state, which repaints the row.
        self.edited.emit(ref, ticked)
        return True

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        unit = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return unit
        if role == SORT_ROLE:
            return unit.group if column == self.GROUP else index.row()
        if role == Qt.ItemDataRole.CheckStateRole and column == self.REF:
            return Qt.CheckState.Checked if self._ticked(unit.ref) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(unit, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(unit, column)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            colours = self._colours(unit, column)
            if colours is None:
                return None
            background, text = colours
            return QBrush(background if role == Qt.ItemDataRole.BackgroundRole else text)
        return None

    def _ticked(self, ref: str) -> bool:
        return ref in self._working or (self._qual is not None and self._qual.is_mandatory(ref))

    def _display(self, unit: Unit, column: int) -> str:
        if column == self.REF:
            return unit.ref
        if column == self.TITLE:
            return unit.title
        if column == self.CREDITS:
            return credits_text(unit)
        if column == self.GROUP:
            return unit.group
        return self._note(unit)

    def _note(self, unit: Unit) -> str:
        ref = unit.ref
        if self._qual is not None and self._qual.is_mandatory(ref):
            return tr("Mandatory, signed off") if ref in self._signed_off else tr("Mandatory")
        if ref in self._signed_off:
            if ref in self._working:
                return tr("Signed off")
            return tr("Signed off: not chosen")
        if ref in self._working and ref not in self._saved:
            return tr("Added, not saved")
        if ref in self._saved and ref not in self._working:
            return tr("Removed, not saved")
        return ""

    def _tooltip(self, unit: Unit, column: int) -> str | None:
        if column == self.CREDITS:
            return value_explanation(unit)
        if column == self.TITLE:
            return unit.title
        if column in (self.REF, self.NOTE):
            if self._qual is not None and self._qual.is_mandatory(unit.ref):
                return tr("A mandatory unit: always part of the choice.")
            if self.is_locked(unit.ref):
                return tr(
                    "Signed off by an assessor, so it stays in the choice. "
                    "Use What if… to see what removing it would mean."
                )
        return None

    def _colours(self, unit: Unit, column: int) -> tuple[QColor, QColor] | None:
        if column == self.CREDITS:
            if unit.value_status is ValueStatus.INDICATIVE:
                return _INDICATIVE
            if unit.value_status is ValueStatus.MISSING:
                return _MISSING
            return None
        if column == self.NOTE:
            ref = unit.ref
            ticked = self._ticked(ref)
            if ref in self._signed_off:
                return _SIGNED_OFF if ticked else _MISSING
            if (ref in self._working) != (ref in self._saved) and not (
                self._qual is not None and self._qual.is_mandatory(ref)
            ):
                return _CHANGED
        return None
