"""Progress reviews and supervision notes: the list, when the next review is due,
and a form to record one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from assessor_app.domain.dates import format_date
from assessor_app.services.apprentice_record_queries import ReviewLine, ReviewsView, reviews_view
from assessor_app.services.progress_records import REVIEW_KINDS, record_review
from assessor_app.services.roles import Actor, Permission
from assessor_app.ui.models.record_model import RecordTableModel
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SORT_ROLE
from assessor_app.ui.pages.record_tab import (
    FieldMarks,
    RecordTab,
    date_edit,
    from_qdate,
    table_view,
)
from assessor_app.ui.qt import (
    AnyIndex,
    QCheckBox,
    QComboBox,
    QFont,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    tr,
)

if TYPE_CHECKING:
    from assessor_app.store.database import Database

KIND_LABELS = {"progress_review": "Progress review", "supervision": "Supervision"}


class ReviewTableModel(RecordTableModel):
    HELD, KIND, BY, SUMMARY, ACTIONS, NEXT = range(6)
    COLUMN_COUNT = 6

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ReviewLine] = []
        self._headers = {
            self.HELD: tr("Held on"),
            self.KIND: tr("Kind"),
            self.BY: tr("Conducted by"),
            self.SUMMARY: tr("Summary"),
            self.ACTIONS: tr("Actions"),
            self.NEXT: tr("Next due"),
        }

    def set_rows(self, rows: Sequence[ReviewLine]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        line, column = self._rows[index.row()], index.column()
        if role == ROW_ROLE:
            return line
        if role == SORT_ROLE:
            return (
                (line.held_on, line.id),
                line.kind,
                line.conducted_by.casefold(),
                line.summary.casefold() or None,
                line.actions.casefold() or None,
                line.next_due_on,
            )[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                format_date(line.held_on),
                tr(KIND_LABELS.get(line.kind, line.kind)),
                line.conducted_by,
                " ".join(line.summary.split()),
                " ".join(line.actions.split()),
                format_date(line.next_due_on) if line.next_due_on else "",
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.SUMMARY, self.ACTIONS):
            return (line.summary if column == self.SUMMARY else line.actions) or None
        return None


class ReviewsTab(RecordTab):
    def __init__(
        self,
        db: Database,
        actor: Actor,
        apprentice_id: int,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(db, actor, apprentice_id, parent, today=today)
        self.setObjectName("reviewsTab")
        self.view: ReviewsView | None = None
        self.next_label = QLabel()
        self.next_label.setObjectName("nextReviewDue")
        font = QFont(self.next_label.font())
        font.setBold(True)
        self.next_label.setFont(font)
        self.model = ReviewTableModel(self)
        self.table = table_view(self.model, "reviewsTable", (2, 3, 4))
        self.table.sortByColumn(ReviewTableModel.HELD, Qt.SortOrder.DescendingOrder)

        self.marks = FieldMarks()
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("reviewKind")
        for kind in REVIEW_KINDS:
            self.kind_combo.addItem(tr(KIND_LABELS[kind]), kind)
        self.held_edit = date_edit(self.today, "reviewHeldOn")
        self.by_edit = QLineEdit()
        self.by_edit.setObjectName("reviewConductedBy")
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setObjectName("reviewSummary")
        self.summary_edit.setPlaceholderText(tr("Progress since the last review, in a few lines"))
        self.actions_edit = QPlainTextEdit()
        self.actions_edit.setObjectName("reviewActions")
        self.actions_edit.setPlaceholderText(tr("Agreed actions, with who and by when"))
        self.next_check = QCheckBox(tr("Next review &due on:"))
        self.next_check.setObjectName("reviewHasNext")
        self.next_edit = date_edit(self.today + timedelta(weeks=12), "reviewNextDue")
        self.next_edit.setEnabled(False)
        self.next_check.toggled.connect(self.next_edit.setEnabled)
        self.add_button = QPushButton(tr("&Add review"))
        self.add_button.setObjectName("addReview")
        self.add_button.setToolTip(tr("Record this review (Ctrl+S)"))
        self.add_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.add_button.clicked.connect(self.add_review)

        self.form_box = QGroupBox(tr("Record a review"))
        form = QFormLayout(self.form_box)
        next_row = QWidget()
        next_layout = QHBoxLayout(next_row)
        next_layout.setContentsMargins(0, 0, 0, 0)
        next_layout.addWidget(self.next_check)
        next_layout.addWidget(self.next_edit, 1)
        for label, field, widget, shown in (
            (tr("&Kind:"), "kind", self.kind_combo, self.kind_combo),
            (tr("&Held on:"), "held_on", self.held_edit, self.held_edit),
            (tr("&Conducted by:"), "conducted_by", self.by_edit, self.by_edit),
            (tr("&Summary:"), "summary", self.summary_edit, self.summary_edit),
            (tr("Ac&tions:"), "actions", self.actions_edit, self.actions_edit),
            ("", "next_due_on", self.next_edit, next_row),
        ):
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(shown)
            column.addWidget(self.marks.add(field, widget))
            form.addRow(label, holder)
        form.addRow("", self.add_button)

        left = QVBoxLayout()
        left.addWidget(self.next_label)
        left.addWidget(self.table, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addWidget(self.form_box, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addLayout(columns, 1)
        self.form_box.setVisible(actor.can(Permission.RECORD_REVIEWS))
        self.reload()

    def load(self) -> ReviewsView:
        return reviews_view(self._db, self._actor, self.apprentice_id, today=self._today)

    def show_data(self, data: ReviewsView) -> None:
        self.view = data
        due = data.next_review_due
        days = (due - self.today).days
        if days < 0:
            text = tr("Next progress review was due on {due}: {days} days overdue.")
            colour = "#8a1f24"
        else:
            text = tr("Next progress review due on {due}, in {days} days.")
            colour = ""
        self.next_label.setText(text.format(due=format_date(due), days=abs(days)))
        self.next_label.setStyleSheet(f"color: {colour};" if colour else "")
        self.model.set_rows(data.reviews)
        self.table.resizeColumnsToContents()
        for column in (ReviewTableModel.SUMMARY, ReviewTableModel.ACTIONS):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 200))

    def set_actor(self, actor: Actor) -> None:
        self.form_box.setVisible(actor.can(Permission.RECORD_REVIEWS))
        super().set_actor(actor)

    def add_review(self) -> None:
        if not self._actor.can(Permission.RECORD_REVIEWS):
            return
        db, actor, apprentice_id, today = self._db, self._actor, self.apprentice_id, self._today
        kind = str(self.kind_combo.currentData())
        held = from_qdate(self.held_edit.date())
        by, summary, actions = (
            self.by_edit.text(),
            self.summary_edit.toPlainText(),
            self.actions_edit.toPlainText(),
        )
        next_due = from_qdate(self.next_edit.date()) if self.next_check.isChecked() else None

        def done(_id: int) -> None:
            for edit in (self.summary_edit, self.actions_edit):
                edit.clear()
            self.show_message(tr("Review on {on} recorded.").format(on=format_date(held)))

        self.save(
            lambda: record_review(
                db, actor, apprentice_id, kind, held, by, summary, actions, next_due, today=today
            ),
            done,
            self.marks,
        )
