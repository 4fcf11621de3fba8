"""Progress reviews and supervision notes: the list, when the next review is due,
and a form to record one."""

from __future__ import annotations

from datetime import timedelta

from assessor_app.domain.dates import format_date
from assessor_app.services.apprentice_record_queries import ReviewsView, reviews_view
from assessor_app.services.progress_records import REVIEW_KINDS, record_review
from assessor_app.services.report_queries import ReviewLine
from assessor_app.services.roles import Permission
from assessor_app.ui.colours import Tone, tone_style
from assessor_app.ui.models.column_table_model import Column, ColumnTableModel
from assessor_app.ui.pages.record_tab import (
    FormField,
    ListFormTab,
    bold_label,
    date_edit,
    from_qdate,
    save_button,
    table_view,
)
from assessor_app.ui.qt import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    Qt,
    QWidget,
    tr,
)

KIND_LABELS = {"progress_review": "Progress review", "supervision": "Supervision"}


def _one_line(text: str) -> str:
    return " ".join(text.split())


class ReviewTableModel(ColumnTableModel[ReviewLine]):
    HELD, KIND, BY, SUMMARY, ACTIONS, NEXT = range(6)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(
                    tr("Held on"),
                    lambda r: format_date(r.held_on),
                    sort=lambda r: (r.held_on, r.id),
                ),
                Column(
                    tr("Kind"), lambda r: tr(KIND_LABELS.get(r.kind, r.kind)), sort=lambda r: r.kind
                ),
                Column(
                    tr("Conducted by"),
                    lambda r: r.conducted_by,
                    sort=lambda r: r.conducted_by.casefold(),
                ),
                Column(
                    tr("Summary"),
                    lambda r: _one_line(r.summary),
                    sort=lambda r: r.summary.casefold() or None,
                    cell_tip=lambda r: r.summary,
                ),
                Column(
                    tr("Actions"),
                    lambda r: _one_line(r.actions),
                    sort=lambda r: r.actions.casefold() or None,
                    cell_tip=lambda r: r.actions,
                ),
                Column(
                    tr("Next due"),
                    lambda r: format_date(r.next_due_on) if r.next_due_on else "",
                    sort=lambda r: r.next_due_on,
                ),
            ],
            parent,
        )


class ReviewsTab(ListFormTab):
    form_permission = Permission.RECORD_REVIEWS

    def build(self) -> QWidget:
        self.setObjectName("reviewsTab")
        self.view: ReviewsView | None = None
        self.next_label = bold_label("nextReviewDue")
        self.model = ReviewTableModel(self)
        self.table = table_view(self.model, "reviewsTable", (2, 3, 4))
        self.table.sortByColumn(ReviewTableModel.HELD, Qt.SortOrder.DescendingOrder)

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
        self.add_button = save_button(
            tr("&Add review"), "addReview", tr("Record this review (Ctrl+S)"), self.add_review
        )
        next_row = QWidget()
        next_layout = QHBoxLayout(next_row)
        next_layout.setContentsMargins(0, 0, 0, 0)
        next_layout.addWidget(self.next_check)
        next_layout.addWidget(self.next_edit, 1)
        form = self.form_box(
            tr("Record a review"),
            [
                FormField(tr("&Kind:"), "kind", self.kind_combo),
                FormField(tr("&Held on:"), "held_on", self.held_edit),
                FormField(tr("&Conducted by:"), "conducted_by", self.by_edit),
                FormField(tr("&Summary:"), "summary", self.summary_edit),
                FormField(tr("Ac&tions:"), "actions", self.actions_edit),
                FormField("", "next_due_on", self.next_edit, next_row),
            ],
            self.add_button,
        )
        self.lay_out_beside_form([self.next_label], self.table, form)
        return form

    def load(self) -> ReviewsView:
        return reviews_view(self._db, self._actor, self.apprentice_id, today=self._today)

    def show_data(self, data: ReviewsView) -> None:
        self.view = data
        due = data.next_review_due
        days = (due - self.today).days
        if days < 0:
            text = tr("Next progress review was due on {due}: {days} days overdue.")
            style = tone_style(Tone.BAD)
        else:
            text = tr("Next progress review due on {due}, in {days} days.")
            style = ""
        self.next_label.setText(text.format(due=format_date(due), days=abs(days)))
        self.next_label.setStyleSheet(style)
        self.model.set_rows(data.reviews)
        self.columns.fit(self.table, {ReviewTableModel.SUMMARY: 200, ReviewTableModel.ACTIONS: 200})

    def add_review(self) -> None:
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

        self.save_form(
            done, record_review, kind, held, by, summary, actions, next_due, today=self._today
        )
