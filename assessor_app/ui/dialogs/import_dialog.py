"""Import a spreadsheet from the window, as `assessor-app import` does on the command
line (services/imports): choose what the file holds and the file, Check it (a dry
run on a worker thread), see every problem as row, column and what is wrong, and
Import only once the check passed. Nothing is saved unless the whole file is valid.

The file dialogs are module-level functions (`ask_import_file`, `ask_save_path`) so
tests can replace them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assessor_app.services.imports import (
    ImportReport,
    Problem,
    import_file,
    importable_kinds,
)
from assessor_app.services.imports.workbooks import write_error_workbook, write_template
from assessor_app.ui.models.column_table_model import Column, ColumnTableModel
from assessor_app.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.widgets.file_task import BusyIndicator, run_file_task

if TYPE_CHECKING:
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database

KIND_LABELS = {
    "apprentices": tr("Apprentices"),
    "placements": tr("Placements"),
    "catalogue": tr("Catalogue learning outcomes"),
    "evidence": tr("Evidence"),
}
_WORKBOOKS = tr("Excel workbooks (*.xlsx);;All files (*)")


def ask_import_file(parent: QWidget | None) -> Path | None:
    """The workbook to import, or None if the person cancels; tests replace this."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, tr("Import a spreadsheet: choose the workbook"), "", _WORKBOOKS
    )
    return Path(name) if name else None


def ask_save_path(parent: QWidget | None, title: str, suggested: str) -> Path | None:
    """Where to save a workbook, or None if the person cancels; '.xlsx' is added to a
    name typed without it. Tests replace this."""
    name, _filter = QFileDialog.getSaveFileName(parent, title, suggested, _WORKBOOKS)
    if not name:
        return None
    out = Path(name)
    return out if out.suffix.lower() == ".xlsx" else out.with_name(f"{out.name}.xlsx")


def open_import_dialog(db: Database, actor: Actor | None, parent: QWidget | None) -> bool:
    """Show the dialog for whoever is signed in (File > Import a spreadsheet…); True
    when rows were imported, so the window's lists reload."""
    if not importable_kinds(actor):
        return False
    assert actor is not None
    dialog = ImportDialog(db, actor, parent)
    dialog.exec()
    dialog.deleteLater()
    return dialog.imported


PROBLEM_COLUMNS: tuple[Column[Problem], ...] = (
    Column(tr("Row"), lambda p: str(p.row), sort=lambda p: p.row, right=True),
    Column(tr("Column"), lambda p: p.column or tr("(whole row)")),
    Column(tr("Problem"), lambda p: p.message, cell_tip=lambda p: p.message),
)


class ImportDialog(QDialog):
    """Kind, file, Check, then Import; the problems of a failed check in a table."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Import a spreadsheet"))
        self.setObjectName("importDialog")
        self._db, self._actor = db, actor
        self.path: Path | None = None
        self.report: ImportReport | None = None  # of the last check or import
        self._checked: tuple[str, Path] | None = None  # what passed the last check
        self.imported = False  # rows were saved: the window's lists need reloading

        intro = QLabel(
            tr(
                "Every row is checked first. Nothing is imported unless the whole file is "
                "valid: fix any problems listed here in the workbook, then check it again."
            )
        )
        intro.setWordWrap(True)

        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("importKind")
        for name in importable_kinds(actor):
            self.kind_combo.addItem(KIND_LABELS.get(name, name), name)
        self.kind_combo.currentIndexChanged.connect(self._forget_check)
        self.template_button = QPushButton(tr("Save a &blank template…"))
        self.template_button.setToolTip(
            tr("An empty workbook with the right headings, and an example row on its own sheet")
        )
        self.template_button.clicked.connect(self.save_template)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind_combo, 1)
        kind_row.addWidget(self.template_button)

        self.file_label = QLabel(tr("No file chosen"))
        self.file_label.setObjectName("importFile")
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton(tr("&Choose file…"))
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_button)

        form = QFormLayout()
        form.addRow(tr("What the file holds:"), kind_row)
        form.addRow(tr("Workbook:"), file_row)

        self.status_label = QLabel()
        self.status_label.setObjectName("importStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.busy = BusyIndicator("importBusy", tr("Checking the workbook…"))

        self.problems_model: ColumnTableModel[Problem] = ColumnTableModel(PROBLEM_COLUMNS, self)
        self.problems_view = QTableView()
        self.problems_view.setObjectName("importProblems")
        self.problems_view.setModel(self.problems_model)
        self.problems_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems_view.setWordWrap(True)
        self.problems_view.verticalHeader().hide()
        header = self.problems_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.problems_view.hide()

        self.check_button = QPushButton(tr("C&heck"))
        self.check_button.setToolTip(tr("Check every row without saving anything"))
        self.check_button.clicked.connect(self.check)
        self.import_button = QPushButton(tr("&Import"))
        self.import_button.setToolTip(tr("Enabled once the file has passed the check"))
        self.import_button.clicked.connect(self.run_import)
        self.errors_button = QPushButton(tr("Save &problems as a workbook…"))
        self.errors_button.clicked.connect(self.save_problems)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.errors_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.errors_button.hide()  # after addButton, which shows it

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.status_label)
        layout.addWidget(self.problems_view, 20)
        layout.addStretch(1)  # keeps the rest at the top while there is no table
        layout.addWidget(buttons)
        self.resize(720, 300)
        self._update_buttons()

    # --- state ---------------------------------------------------------------------

    def kind(self) -> str:
        return str(self.kind_combo.currentData() or "")

    def _forget_check(self) -> None:
        """Another kind or file: it must be checked again before importing."""
        self._checked = None
        self.report = None
        self.status_label.clear()
        self.problems_model.set_rows([])
        self.problems_view.hide()
        self.errors_button.hide()
        self._update_buttons()

    def _update_buttons(self, running: bool = False) -> None:
        ready = self.path is not None and bool(self.kind())
        passed = self._checked is not None and self._checked == (self.kind(), self.path)
        self.check_button.setEnabled(ready and not running)
        self.import_button.setEnabled(ready and passed and not running)
        for widget in (self.kind_combo, self.choose_button, self.template_button):
            widget.setEnabled(not running)
        self.close_button.setEnabled(not running)

    def _running(self, on: bool, text: str = "") -> None:
        if on:
            self.busy.set_text(text)
            self.status_label.clear()
        self.busy.setVisible(on)
        self._update_buttons(running=on)

    # --- actions -------------------------------------------------------------------

    def choose_file(self) -> None:
        chosen = ask_import_file(self)
        if chosen is None:
            return
        self.path = chosen
        self.file_label.setText(str(chosen))
        self.file_label.setToolTip(str(chosen))
        self._forget_check()

    def save_template(self) -> None:
        kind = self.kind()
        out = ask_save_path(self, tr("Save a blank template"), f"{kind} template.xlsx")
        if out is None:
            return

        def done(path: Path) -> None:
            self.status_label.setText(
                tr("A blank {kind} template was saved as {path}. Fill in its first sheet.").format(
                    kind=KIND_LABELS.get(kind, kind).lower(), path=path
                )
            )

        run_file_task(
            self,
            out,
            lambda: write_template(kind, out),
            done,
            self.status_label.setText,
            running=lambda on: self._running(on, tr("Saving the template…")),
        )

    def check(self) -> None:
        self._start(dry_run=True)

    def run_import(self) -> None:
        if self._checked != (self.kind(), self.path):
            return
        self._start(dry_run=False)

    def _start(self, *, dry_run: bool) -> None:
        path, kind = self.path, self.kind()
        if path is None or not kind:
            return
        db, actor = self._db, self._actor

        def done(report: ImportReport) -> None:
            self._show(report, kind, path)

        def failed(message: str) -> None:
            self._forget_check()
            self.status_label.setText(message)

        run_file_task(
            self,
            path,
            lambda: import_file(db, actor, kind, path, dry_run=dry_run),
            done,
            failed,
            running=lambda on: self._running(
                on, tr("Checking the workbook…") if dry_run else tr("Importing…")
            ),
            reading=True,
        )

    def _show(self, report: ImportReport, kind: str, path: Path) -> None:
        self.report = report
        self.problems_model.set_rows(report.problems)
        self.problems_view.resizeRowsToContents()
        self.problems_view.setVisible(bool(report.problems))
        self.errors_button.setVisible(bool(report.problems))
        if report.problems:
            self._checked = None
        elif report.dry_run:
            self._checked = (kind, path)
        else:
            self._checked = None  # imported: importing it again would repeat the rows
            self.imported = True
        self.status_label.setText(self._summary(report, path))
        self._update_buttons()

    @staticmethod
    def _summary(report: ImportReport, path: Path) -> str:
        text = report.summary()
        if report.problems:
            return tr("{file}: {summary} Each problem is listed below.").format(
                file=path.name, summary=text
            )
        if report.dry_run:
            return tr("{file}: {summary} Press Import to save them.").format(
                file=path.name, summary=text
            )
        return tr("{file}: {summary}").format(file=path.name, summary=text)

    def save_problems(self) -> None:
        report = self.report
        if report is None or not report.problems:
            return
        stem = self.path.stem if self.path is not None else report.kind
        out = ask_save_path(self, tr("Save the problems as a workbook"), f"{stem} problems.xlsx")
        if out is None:
            return
        run_file_task(
            self,
            out,
            lambda: write_error_workbook(report, out),
            lambda path: self.status_label.setText(
                tr("The problems were saved as {path}.").format(path=path)
            ),
            self.status_label.setText,
            running=lambda on: self._running(on, tr("Saving the problems…")),
        )
