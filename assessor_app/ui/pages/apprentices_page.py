"""Every apprentice in one list: search, filter by cohort, status, assessor and RAG,
sort by any column, open one with a double-click or Enter, enrol a new one, or import
one transferring from another provider from the package that provider exported."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assessor_app.services.apprentice_form_queries import EnrolmentChoices, enrolment_choices
from assessor_app.services.apprentice_list import ApprenticeListRow, apprentice_list
from assessor_app.services.errors import ServiceError
from assessor_app.services.roles import Actor, Permission, PermissionDenied
from assessor_app.ui.dialogs import transfer_dialog
from assessor_app.ui.dialogs.apprentice_dialog import ApprenticeDialog
from assessor_app.ui.dialogs.transfer_dialog import TransferChoices, TransferDialog
from assessor_app.ui.models.apprentice_table_model import (
    RAG_ORDER,
    STATUS_ORDER,
    ApprenticeFilterProxy,
    ApprenticeTableModel,
    rag_label,
    status_label,
)
from assessor_app.ui.qt import (
    AnyIndex,
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFont,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QShortcut,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
    tr,
)
from assessor_app.ui.widgets.file_task import run_file_task
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database

COMBO_MIN_WIDTH = 70


class ApprenticesPage(QWidget):
    open_requested = Signal(int, str)  # the apprentice's id and name

    def __init__(
        self, db: Database, actor: Actor | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._actor: Actor | None = None
        self._loading = 0  # which load's answer to accept: a newer one replaces an older
        self.model = ApprenticeTableModel(self)
        self.proxy = ApprenticeFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        heading = QLabel(tr("Apprentices"))
        heading_font = QFont(heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.5)
        heading_font.setBold(True)
        heading.setFont(heading_font)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("apprenticeSearch")
        self.search_edit.setPlaceholderText(tr("Search by name or ULN (Ctrl+F)"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(140)
        self.cohort_combo = QComboBox()
        self.cohort_combo.setObjectName("cohortFilter")
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusFilter")
        self.assessor_combo = QComboBox()
        self.assessor_combo.setObjectName("assessorFilter")
        self.rag_combo = QComboBox()
        self.rag_combo.setObjectName("ragFilter")
        for combo in self._combos().values():
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            # As wide as the longest choice when there is room; narrower on a small
            # laptop screen rather than forcing the window wider than the screen.
            combo.setMinimumWidth(COMBO_MIN_WIDTH)
        self.count_label = QLabel()
        self.count_label.setObjectName("apprenticeCount")
        self.new_button = QPushButton(tr("Ne&w apprentice…"))
        self.new_button.setObjectName("newApprentice")
        self.new_button.setToolTip(tr("Enrol a new apprentice (Ctrl+N)"))
        self.import_button = QPushButton(tr("I&mport a transfer…"))
        self.import_button.setObjectName("importTransfer")
        self.import_button.setToolTip(
            tr(
                "Add an apprentice moving here from another provider, from the .zip package "
                "their old provider exported; their evidence and sign-offs come as prior "
                "assessment"
            )
        )
        # A new apprentice's form or a transfer is being prepared or is open.
        self._choosing = False

        search_label = QLabel(tr("&Search:"))
        search_label.setBuddy(self.search_edit)
        filters = QHBoxLayout()
        filters.addWidget(search_label)
        filters.addWidget(self.search_edit, 1)
        filters.addSpacing(8)
        for field, text in (
            ("cohort", tr("C&ohort:")),
            ("status", tr("S&tatus:")),
            ("assessor", tr("Assesso&r:")),
            ("rag", tr("R&AG:")),
        ):
            label = QLabel(text)
            label.setBuddy(self._combos()[field])
            filters.addWidget(label)
            filters.addWidget(self._combos()[field])

        self.table = QTableView()
        self.table.setObjectName("apprenticeTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ApprenticeTableModel.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ApprenticeTableModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.setToolTip(tr("Double-click an apprentice, or press Enter, to open their page"))

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.import_button)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.search_edit.textChanged.connect(self._search_changed)
        for field, combo in self._combos().items():
            combo.currentIndexChanged.connect(
                lambda _row, field=field, combo=combo: self._filter_changed(field, combo)
            )
        self.table.activated.connect(self._activated)
        self.new_button.clicked.connect(self.new_apprentice)
        self.import_button.clicked.connect(self.import_transfer)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_apprentice)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        self._fill_filters([])
        self.set_actor(actor)

    def _combos(self) -> dict[str, QComboBox]:
        return {
            "cohort": self.cohort_combo,
            "status": self.status_combo,
            "assessor": self.assessor_combo,
            "rag": self.rag_combo,
        }

    # Loading

    @property
    def may_enrol(self) -> bool:
        return self._actor is not None and self._actor.can(Permission.MANAGE_APPRENTICES)

    def set_actor(self, actor: Actor | None) -> None:
        """Show the apprentices for whoever is signed in; nobody's when nobody is."""
        self._actor = actor
        self.new_button.setVisible(self.may_enrol)
        # The same right the transfer import's service checks.
        self.import_button.setVisible(self.may_enrol)
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        """Read the list again, off the window's thread; then choose the apprentice
        `select_id` when given."""
        self._loading += 1
        ticket = self._loading
        if self._actor is None:
            self._show_rows([])
            self.count_label.setText(tr("Sign in to see the apprentices."))
            return
        self.count_label.setText(tr("Loading…"))
        self.table.setEnabled(False)
        db, actor = self._db, self._actor
        run_task(
            lambda: apprentice_list(db, actor),
            lambda rows: self._loaded(ticket, rows, select_id),
            lambda exc: self._failed(ticket, exc),
            owner=self,
        )

    @property
    def loading(self) -> bool:
        return not self.table.isEnabled()

    def _loaded(
        self, ticket: int, rows: list[ApprenticeListRow], select_id: int | None = None
    ) -> None:
        if ticket == self._loading:
            self._show_rows(rows)
            if select_id is not None:
                self.select_apprentice(select_id)

    def _failed(self, ticket: int, exc: Exception) -> None:
        if ticket != self._loading:
            return
        if not isinstance(exc, ServiceError | PermissionDenied):
            raise exc  # a programming error: the crash handler reports it
        self._show_rows([])
        self.count_label.setText(str(exc))

    def _show_rows(self, rows: list[ApprenticeListRow]) -> None:
        self.model.set_rows(rows)
        self._fill_filters(rows)
        self.table.setEnabled(True)
        self._update_count()

    def _fill_filters(self, rows: list[ApprenticeListRow]) -> None:
        present_statuses = {r.status for r in rows}
        choices = {
            "cohort": [(c, c) for c in sorted({r.cohort for r in rows}, key=str.casefold)],
            "status": [(status_label(s), s) for s in STATUS_ORDER if s in present_statuses]
            + [(status_label(s), s) for s in sorted(present_statuses - set(STATUS_ORDER))],
            "assessor": [
                (a or tr("None assigned"), a)
                for a in sorted({r.assessor for r in rows}, key=str.casefold)
            ],
            "rag": [(rag_label(r), r) for r in RAG_ORDER],
        }
        everything = {
            "cohort": tr("All cohorts"),
            "status": tr("All statuses"),
            "assessor": tr("All assessors"),
            "rag": tr("All colours"),
        }
        for field, combo in self._combos().items():
            kept = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything[field], None)
            for text, value in choices[field]:
                combo.addItem(text, value)
            # A filter chosen before a reload stays chosen while its value is still there.
            combo.setCurrentIndex(max(combo.findData(kept), 0) if kept is not None else 0)
            combo.blockSignals(False)
            self.proxy.set_filter(field, combo.currentData())

    # Filtering

    def _search_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _filter_changed(self, field: str, combo: QComboBox) -> None:
        self.proxy.set_filter(field, combo.currentData())
        self._update_count()

    def set_filter(self, field: str, value: str | None) -> None:
        """Choose a filter's value as a person would in its box (None for all)."""
        combo = self._combos()[field]
        combo.setCurrentIndex(combo.findData(value) if value is not None else 0)

    def _update_count(self) -> None:
        total = self.model.rowCount()
        if self._actor is None:
            return
        if total == 0:
            self.count_label.setText(tr("No apprentices yet."))
            return
        self.count_label.setText(
            tr("Showing {shown} of {total} apprentices").format(
                shown=self.proxy.rowCount(), total=total
            )
        )

    # Opening

    def _activated(self, index: AnyIndex) -> None:
        if index.isValid():
            record = self.model.row_at(self.proxy.mapToSource(index).row())
            self.open_requested.emit(record.id, record.name)

    def select_apprentice(self, apprentice_id: int) -> bool:
        """Choose the apprentice's row and scroll to it, clearing the search and the
        filters if they hide it; False when the list does not hold them."""
        source_row = next(
            (i for i, r in enumerate(self.model.rows()) if r.id == apprentice_id), None
        )
        if source_row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            self.search_edit.clear()
            for field in self._combos():
                self.set_filter(field, None)
            index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        self.table.setCurrentIndex(index)
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        self.table.setFocus()
        return True

    def selected_row(self) -> ApprenticeListRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # Enrolling

    def new_apprentice(self) -> None:
        """Open the form for a new apprentice, with the cohorts and assessors as they
        are now (another page may have added one)."""
        if not self.may_enrol or self._actor is None or self._choosing:
            return
        self._choosing = True
        db, actor = self._db, self._actor
        run_task(
            lambda: enrolment_choices(db, actor),
            self._enrol,
            self._enrol_refused,
            owner=self,
        )

    def _enrol(self, choices: EnrolmentChoices) -> None:
        try:
            if self._actor is None:
                return
            dialog = ApprenticeDialog(self._db, self._actor, choices, self)
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
                self.reload(select_id=dialog.saved_id)
        finally:
            self._choosing = False

    def _enrol_refused(self, exc: Exception) -> None:
        self._choosing = False
        if not isinstance(exc, ServiceError | PermissionDenied):
            raise exc
        QMessageBox.warning(self, tr("New apprentice"), str(exc))

    # Importing a transfer

    def import_transfer(self) -> None:
        """Ask for the package, read it and the cohorts it can join off the window's
        thread, then ask which cohort they join; the dialog runs the import."""
        if not self.may_enrol or self._actor is None or self._choosing:
            return
        package = transfer_dialog.ask_transfer_package(self)
        if package is None:
            return
        db, actor = self._db, self._actor
        run_file_task(
            self,
            package,
            lambda: transfer_dialog.prepare_transfer(db, actor, package),
            self._transfer_ready,
            lambda reason: self._transfer_refused(reason, package),
            running=self._set_choosing,
            reading=True,
        )

    def _set_choosing(self, choosing: bool) -> None:
        self._choosing = choosing
        self.import_button.setEnabled(not choosing)

    def _transfer_ready(self, choices: TransferChoices) -> None:
        if self._actor is None:
            return
        if not choices.cohorts:
            QMessageBox.warning(
                self,
                tr("Transfer not imported"),
                transfer_dialog.no_cohort_text(choices.preview),
            )
            return
        dialog = TransferDialog(self._db, self._actor, choices, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        summary, joined = dialog.summary, dialog.joined
        dialog.deleteLater()
        if accepted and summary is not None:
            self.reload(select_id=summary.apprentice_id)
            QMessageBox.information(
                self, tr("Transfer imported"), transfer_dialog.summary_text(summary, joined)
            )

    def _transfer_refused(self, reason: str, package: Path) -> None:
        QMessageBox.warning(
            self,
            tr("Transfer not imported"),
            tr("Nothing was imported from {file}.\n\n{reason}").format(
                file=package.name, reason=reason
            ),
        )

    def shown_rows(self) -> list[ApprenticeListRow]:
        """The rows left after filtering, in the order shown."""
        return [
            self.model.row_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
            for row in range(self.proxy.rowCount())
        ]
