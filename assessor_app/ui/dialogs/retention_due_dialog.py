"""Everyone past retention: the apprentices whose retention period is over, with no
legal hold and not yet erased, longest overdue first (services/retention.py
due_for_erasure). Opened from an apprentice's Data protection tab; choosing a row
(double-click or Open record) opens that apprentice when the window can."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from assessor_app.domain.dates import format_date
from assessor_app.domain.wording import plural
from assessor_app.services.app_settings import get_settings
from assessor_app.services.errors import ServiceError
from assessor_app.services.retention import RetentionState, due_for_erasure
from assessor_app.services.roles import PermissionDenied
from assessor_app.ui.models.apprentice_table_model import status_label
from assessor_app.ui.models.column_table_model import Column, ColumnTableModel
from assessor_app.ui.pages.record_tab import (
    message_label,
    selected_record,
    show_message,
    table_view,
)
from assessor_app.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QModelIndex,
    QObject,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database


@dataclass(frozen=True)
class RetentionDue:
    years: int  # the provider's retention period
    due: tuple[RetentionState, ...]


def load_due(db: Database, actor: Actor, today: date) -> RetentionDue:
    """Runs on a worker thread: plain data in and out."""
    states = due_for_erasure(db, actor, today)
    return RetentionDue(get_settings(db)["retention_years"], tuple(states))


def overdue_text(kept_until: date | None, today: date) -> str:
    """How long ago the retention period ended, in the largest whole unit."""
    if kept_until is None:
        return ""
    days = (today - kept_until).days
    if days >= 365:
        return plural(days // 365, tr("year"))
    if days >= 31:
        return plural(days // 30, tr("month"))
    return plural(days, tr("day"))


class RetentionDueModel(ColumnTableModel[RetentionState]):
    NUMBER, NAME, STATUS, LEFT_ON, KEPT_UNTIL, OVERDUE, PROCESSING = range(7)

    def __init__(self, today: date, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(tr("No."), lambda s: str(s.apprentice_id), sort=lambda s: s.apprentice_id),
                Column(tr("Name"), lambda s: s.name, sort=lambda s: s.name.casefold()),
                Column(tr("Left as"), lambda s: status_label(s.status)),
                Column(
                    tr("Left on"),
                    lambda s: format_date(s.left_on) if s.left_on else "",
                    sort=lambda s: s.left_on,
                ),
                Column(
                    tr("Kept until"),
                    lambda s: format_date(s.keep_until) if s.keep_until else "",
                    sort=lambda s: s.keep_until,
                ),
                Column(
                    tr("Overdue by"),
                    lambda s: overdue_text(s.keep_until, today),
                    sort=lambda s: s.keep_until,  # the earlier the date, the longer overdue
                    tip=tr("How long ago the retention period ended"),
                ),
                Column(
                    tr("Processing"),
                    lambda s: (
                        tr("Restricted: erasure requested") if s.processing_restricted else ""
                    ),
                    sort=lambda s: s.processing_restricted,
                    tip=tr("Restricted when they asked for erasure before the period ended"),
                ),
            ],
            parent,
        )


class RetentionDueDialog(QDialog):
    """The list, loaded off the window's thread. `chosen` is the apprentice picked to
    open (the dialog closes with Accepted), when `can_open` allows it."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        today: date,
        parent: QWidget | None = None,
        *,
        can_open: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("retentionDueDialog")
        self.setWindowTitle(tr("Records past retention"))
        self._db, self._actor, self._today = db, actor, today
        self._can_open = can_open
        self.chosen: RetentionState | None = None
        self.loaded = False

        self.intro_label = QLabel()
        self.intro_label.setObjectName("retentionDueIntro")
        self.intro_label.setWordWrap(True)
        self.message_label = message_label("retentionDueMessage")
        self.model = RetentionDueModel(today, self)
        self.table = table_view(self.model, "retentionDueTable", text_columns=(1,))
        self.table.sortByColumn(RetentionDueModel.KEPT_UNTIL, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(self._double_clicked)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("retentionDueEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self.open_button = QPushButton(tr("&Open record"))
        self.open_button.setObjectName("openDueRecord")
        self.open_button.setToolTip(
            tr("Open the chosen apprentice's record, to erase it from its Data protection tab")
        )
        self.open_button.clicked.connect(self.open_selected)
        self.open_button.setEnabled(False)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setVisible(can_open)  # after addButton, which shows it
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.open_button.setEnabled(selected_record(self.table) is not None)
        )

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 120, 420)
        self.reload()

    def reload(self) -> None:
        db, actor, today = self._db, self._actor, self._today
        run_task(lambda: load_due(db, actor, today), self._loaded, self._failed, owner=self)

    def _loaded(self, found: RetentionDue) -> None:
        self.loaded = True
        self.model.set_rows(found.due)
        self.intro_label.setText(
            tr(
                "Apprentices whose records were to be kept {years} after they completed, "
                "withdrew or transferred, and are now past that date, on {today}. None is "
                "under a legal hold or erased yet."
            ).format(years=plural(found.years, tr("year")), today=format_date(self._today))
            + (
                " " + tr("Double-click one to open their record and erase it from there.")
                if self._can_open and found.due
                else ""
            )
        )
        self.table.setVisible(bool(found.due))
        self.empty_label.setText(
            tr("No apprentice is past their retention date on {today}.").format(
                today=format_date(self._today)
            )
        )
        self.empty_label.setVisible(not found.due)
        self.table.resizeColumnsToContents()

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, ServiceError | PermissionDenied):
            raise exc  # a programming error: the crash handler reports it
        show_message(self.message_label, str(exc), error=True)

    def rows(self) -> Sequence[RetentionState]:
        return self.model.rows()

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.table.selectRow(index.row())
            self.open_selected()

    def open_selected(self) -> None:
        state = selected_record(self.table)
        if not self._can_open or state is None:
            return
        self.chosen = state
        self.accept()
