"""Choose another database: a SQLite file on this PC or a shared PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

from assessor_app.services.errors import FieldError
from assessor_app.ui.dialogs.form_dialog import FormDialog
from assessor_app.ui.qt import (
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    tr,
)

FILE_FILTER = "Assessor databases (*.sqlite3 *.sqlite *.db);;All files (*)"


def check_target(text: str) -> str | None:
    """What is wrong with a typed database location, or None when it can be tried."""
    target = text.strip()
    if not target:
        return tr("Choose a database file, or type a postgresql:// address.")
    if "://" in target:
        if not target.startswith(("postgresql://", "postgresql+psycopg://", "sqlite:///")):
            return tr(
                "A server address starts with postgresql://, e.g. "
                "postgresql://assessor@server/assessor."
            )
        return None
    path = Path(target).expanduser()
    if path.is_dir():
        return tr("{path} is a folder; choose the database file inside it.").format(path=path)
    if not path.parent.is_dir():
        return tr("The folder {folder} does not exist.").format(folder=path.parent)
    return None


class OpenDatabaseDialog(FormDialog):
    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(
            tr("Open database"),
            parent,
            intro=tr(
                "Open another Assessor database: a file on this PC (a new file name starts "
                "an empty database) or a shared server's address. You will sign in there "
                "with your account on that database. Now open: {current}"
            ).format(current=current),
            save_text=tr("Open"),
        )
        self.location_edit = QLineEdit()
        self.location_edit.setMinimumWidth(420)
        self.location_edit.setPlaceholderText(
            tr("C:\\Assessor\\assessor.sqlite3 or postgresql://user@server/assessor")
        )
        self.browse_button = QPushButton(tr("&Browse…"))
        self.browse_button.setObjectName("browseDatabase")
        self.browse_button.setToolTip(tr("Choose a database file on this PC"))
        self.location_edit.setObjectName("location")
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.location_edit, 1)
        row.addWidget(self.browse_button)
        column.addLayout(row)
        column.addWidget(self.marks.add("location", self.location_edit))
        holder.setFocusProxy(self.location_edit)
        self.form.addRow(tr("&Database:"), holder)
        self.browse_button.clicked.connect(self.browse)
        self.location_edit.setFocus()

    def browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            tr("Choose an Assessor database"),
            self.location_edit.text(),
            tr(FILE_FILTER),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.location_edit.setText(chosen)

    def target(self) -> str:
        return self.location_edit.text().strip()

    def submit(self) -> None:
        problem = check_target(self.location_edit.text())
        if problem is not None:
            raise FieldError("location", problem)
        self.accept()
