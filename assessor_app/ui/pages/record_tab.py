"""What the apprentice page's record tabs share: loading off the window's thread, a
message line, fields marked with a service's FieldError, tables and date editors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from assessor_app.services.errors import FieldError, ServiceError
from assessor_app.services.roles import Actor, PermissionDenied
from assessor_app.ui.models.record_model import RecordTableModel
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SortFilterProxy
from assessor_app.ui.qt import (
    QAbstractItemView,
    QDate,
    QDateEdit,
    QDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    Qt,
    QTableView,
    QWidget,
    Signal,
)
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database

ERROR_COLOUR = "#a4000f"
_FIELD_ERROR_STYLE = f"border: 2px solid {ERROR_COLOUR};"


def ask_to_confirm(parent: QWidget, title: str, text: str, action: str) -> bool:
    """Yes/no before anything that cannot simply be undone; tests replace this."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is yes


def run_dialog(dialog: QDialog) -> bool:
    """Show a dialog and wait for it; tests replace this to fill the dialog in."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(day: date, name: str) -> QDateEdit:
    edit = QDateEdit(to_qdate(day))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    return edit


def message_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_message(label: QLabel, text: str, *, error: bool = False) -> None:
    label.setText(text)
    label.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;" if error else "")
    label.setVisible(bool(text))


def table_view(
    model: RecordTableModel, name: str, text_columns: tuple[int, ...] = ()
) -> QTableView:
    proxy = SortFilterProxy(text_columns=text_columns, parent=model)
    proxy.setSourceModel(model)
    view = QTableView()
    view.setObjectName(name)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return view


def selected_record(view: QTableView) -> Any:
    """The record of the view's current row, or None."""
    index = view.currentIndex()
    if not index.isValid() or not view.selectionModel().isRowSelected(index.row(), index.parent()):
        return None
    return view.model().data(index.siblingAtColumn(0), ROW_ROLE)


class FieldMarks:
    """Form fields by the names services use in FieldError, each with a line under it
    for the service's message."""

    def __init__(self) -> None:
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}

    def add(self, field: str, widget: QWidget) -> QLabel:
        """Register `widget` under `field`; returns the error line to place under it."""
        label = QLabel()
        label.setObjectName(f"error_{field}")
        label.setWordWrap(True)
        label.setStyleSheet(f"color: {ERROR_COLOUR};")
        label.hide()
        self._fields[field] = (widget, label)
        return label

    def mark(self, error: FieldError) -> bool:
        """Show the error at its field; False when the form has no such field."""
        if error.field not in self._fields:
            return False
        widget, label = self._fields[error.field]
        widget.setStyleSheet(_FIELD_ERROR_STYLE)
        label.setText(str(error))
        label.show()
        widget.setFocus()
        return True

    def message(self, field: str) -> str:
        """The message shown at `field`, or '' when it has none."""
        return self._fields[field][1].text()

    def clear(self) -> None:
        for widget, label in self._fields.values():
            widget.setStyleSheet("")
            label.clear()
            label.hide()


class RecordTab(QWidget):
    """A tab that loads one apprentice's data with `load()` off the window's thread
    and shows it with `show_data()`; `changed` tells the page something was saved."""

    changed = Signal()
    # Reloaded when another tab of the page saves something (see ApprenticePage.add_tab).
    follows_changes = True

    def __init__(
        self,
        db: Database,
        actor: Actor,
        apprentice_id: int,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._today = today
        self.apprentice_id = apprentice_id
        self.loaded = False
        self.message_label = message_label("tabMessage")

    @property
    def today(self) -> date:
        return self._today or date.today()

    def load(self) -> Any:
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        raise NotImplementedError

    def set_actor(self, actor: Actor) -> None:
        self._actor = actor
        self.reload()

    def reload(self) -> None:
        run_task(self.load, self._loaded, self.failed, owner=self)

    def _loaded(self, data: Any) -> None:
        self.loaded = True
        self.show_data(data)

    def show_message(self, text: str, *, error: bool = False) -> None:
        show_message(self.message_label, text, error=error)

    def failed(self, exc: Exception, marks: FieldMarks | None = None) -> None:
        """A refusal is shown (at its field when the form has it); anything else is a
        programming error for the crash handler."""
        if not isinstance(exc, ServiceError | PermissionDenied):
            raise exc
        if isinstance(exc, FieldError) and marks is not None and marks.mark(exc):
            self.show_message("")
            return
        self.show_message(str(exc), error=True)

    def save(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        marks: FieldMarks | None = None,
    ) -> None:
        """Run a service call off the window's thread, then reload and tell the page."""
        if marks is not None:
            marks.clear()
        self.show_message("")

        def finished(result: Any) -> None:
            done(result)
            self.changed.emit()
            self.reload()

        run_task(work, finished, lambda exc: self.failed(exc, marks), owner=self)
