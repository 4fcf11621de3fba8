"""The Care Certificate: the 15 standards with when each was completed and who
signed it, the due date and whether it is overdue; a standard is marked complete
with a date."""

from __future__ import annotations

from assessor_app.domain.dates import format_date
from assessor_app.services.apprentice_record_queries import (
    CareCertificateView,
    StandardLine,
    care_certificate_view,
)
from assessor_app.services.progress_records import complete_care_certificate_standard
from assessor_app.services.roles import Permission
from assessor_app.ui.colours import Tone, tone_style
from assessor_app.ui.models.column_table_model import Column, ColumnTableModel
from assessor_app.ui.models.sort_proxy import ROW_ROLE
from assessor_app.ui.pages.record_tab import (
    ListFormTab,
    ask_to_confirm,
    bold_label,
    date_edit,
    from_qdate,
    selected_record,
    table_view,
)
from assessor_app.ui.qt import (
    QColor,
    QHBoxLayout,
    QLabel,
    QObject,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    tr,
)

_DONE = (QColor("#dff3e1"), QColor("#1e5a28"))


def _completed(line: StandardLine) -> str:
    if line.completed_on is None:
        return tr("○ Not yet")
    return tr("✓ {on}").format(on=format_date(line.completed_on))


class StandardTableModel(ColumnTableModel[StandardLine]):
    NUMBER, TITLE, COMPLETED, SIGNED_BY = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(tr("No."), lambda s: str(s.number), sort=lambda s: s.number),
                Column(tr("Standard"), lambda s: s.title, sort=lambda s: s.title.casefold()),
                Column(
                    tr("Completed"),
                    _completed,
                    sort=lambda s: s.completed_on,
                    colours=lambda s: _DONE if s.completed_on is not None else None,
                ),
                Column(
                    tr("Signed off by"),
                    lambda s: s.signed_off_by,
                    sort=lambda s: s.signed_off_by or None,
                ),
            ],
            parent,
        )


class CareCertificateTab(ListFormTab):
    form_permission = Permission.RECORD_CARE_CERTIFICATE

    def build(self) -> QWidget:
        self.setObjectName("careCertificateTab")
        self.view: CareCertificateView | None = None
        self.status_label = bold_label("careCertificateStatus")
        self.model = StandardTableModel(self)
        self.table = table_view(self.model, "standardsTable")
        self.table.sortByColumn(StandardTableModel.NUMBER, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.date_edit = date_edit(self.today, "completedOn")
        self.complete_button = QPushButton(tr("&Mark complete"))
        self.complete_button.setObjectName("markStandardComplete")
        self.complete_button.setToolTip(
            tr("Record that the chosen standard was completed on the date given; you sign it off")
        )
        self.complete_button.clicked.connect(self.complete_selected)
        form = QWidget()
        row = QHBoxLayout(form)
        row.setContentsMargins(0, 0, 0, 0)
        date_label = QLabel(tr("Completed &on:"))
        date_label.setBuddy(self.date_edit)
        row.addWidget(date_label)
        row.addWidget(self.date_edit)
        row.addWidget(self.complete_button)
        row.addStretch(1)
        error = self.marks.add("completed_on", self.date_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(form)
        layout.addWidget(error)
        return form

    def load(self) -> CareCertificateView:
        return care_certificate_view(self._db, self._actor, self.apprentice_id, today=self._today)

    def show_data(self, data: CareCertificateView) -> None:
        self.view = data
        status = data.status
        # The message names the due date itself.
        self.status_label.setText(status.message)
        tone = Tone.BAD if status.overdue else (Tone.GOOD if status.complete else None)
        self.status_label.setStyleSheet(tone_style(tone) if tone else "")
        self.model.set_rows(data.standards)
        self.columns.fit(self.table)
        self._update_buttons()

    def selected_standard(self) -> StandardLine | None:
        line = selected_record(self.table)
        return line if isinstance(line, StandardLine) else None

    def select_standard(self, number: int) -> None:
        proxy = self.table.model()
        for r in range(proxy.rowCount()):
            if proxy.data(proxy.index(r, 0), ROW_ROLE).number == number:
                self.table.selectRow(r)
                return

    def _update_buttons(self) -> None:
        self.complete_button.setEnabled(self.selected_standard() is not None)

    def complete_selected(self) -> None:
        line = self.selected_standard()
        if line is None or not self.may_use_form:
            return
        on = from_qdate(self.date_edit.date())
        if line.completed_on is not None and not ask_to_confirm(
            self,
            tr("Change the completion date"),
            tr(
                "Standard {number} was already recorded as completed on {before}. "
                "Change it to {after}?"
            ).format(
                number=line.number, before=format_date(line.completed_on), after=format_date(on)
            ),
            tr("Change date"),
        ):
            return
        self.save_form(
            lambda _none: self.show_message(
                tr("Standard {number} recorded as completed on {on}.").format(
                    number=line.number, on=format_date(on)
                )
            ),
            complete_care_certificate_standard,
            line.number,
            on,
            today=self._today,
        )
