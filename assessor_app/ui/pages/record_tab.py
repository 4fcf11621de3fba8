"""What the apprentice page's record tabs share: loading off the window's thread, a
message line, fields marked with a service's FieldError, tables and date editors, and
the list-beside-a-form shape of the Care Certificate, off-the-job and reviews tabs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Concatenate, NamedTuple, ParamSpec, TypeVar

from assessor_app.services.errors import FieldError, ServiceError
from assessor_app.services.roles import Actor, Permission, PermissionDenied
from assessor_app.ui.colours import Tone, tone_colour, tone_style
from assessor_app.ui.models.record_model import RecordTableModel
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SortFilterProxy
from assessor_app.ui.qt import (
    QAbstractItemView,
    QDate,
    QDateEdit,
    QDialog,
    QFont,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QMessageBox,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from assessor_app.ui.widgets.column_fit import ColumnFitter
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database

P = ParamSpec("P")
T = TypeVar("T")


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


def bold_label(name: str) -> QLabel:
    """The line above a tab's list that says where the apprentice stands."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def save_button(text: str, name: str, tip: str, clicked: Callable[[], None]) -> QPushButton:
    """A form's button that saves what was entered; Ctrl+S presses it too."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
    button.clicked.connect(clicked)
    return button


def with_error_line(widget: QWidget, error: QLabel) -> QWidget:
    """`widget` with the line for its error (see FieldMarks.add) under it; a label's
    &-key for the row moves to the widget."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(widget)
    column.addWidget(error)
    holder.setFocusProxy(widget)
    return holder


def show_message(label: QLabel, text: str, *, error: bool = False) -> None:
    label.setText(text)
    label.setStyleSheet(tone_style(Tone.BAD, bold=True) if error else "")
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
        label.setStyleSheet(tone_style(Tone.BAD))
        label.hide()
        self._fields[field] = (widget, label)
        return label

    def mark(self, error: FieldError) -> bool:
        """Show the error at its field; False when the form has no such field."""
        if error.field not in self._fields:
            return False
        widget, label = self._fields[error.field]
        # The window's own red, so the frame is seen on a light or a dark desktop.
        frame = f"border: 2px solid {tone_colour(Tone.BAD)};"
        if type(widget) is QWidget and widget.objectName():
            # A row of choices (radio buttons, ticks): one frame round the row, not
            # one round each choice in it.
            widget.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
            frame = f"#{widget.objectName()} {{ {frame} }}"
        widget.setStyleSheet(frame)
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

    def show_refusal(self, exc: Exception, message: QLabel, field: str | None = None) -> None:
        """A service's refusal at its field when the form has one (`field` names it when
        the refusal does not), else on the `message` line; anything else is a
        programming error for the crash handler."""
        if not isinstance(exc, ServiceError | PermissionDenied):
            raise exc
        if isinstance(exc, FieldError):
            field = exc.field
        if field is not None and self.mark(FieldError(field, str(exc))):
            show_message(message, "")
            return
        show_message(message, str(exc), error=True)


class FormField(NamedTuple):
    """One row of a tab's form."""

    label: str
    field: str  # the name a service's FieldError gives it
    widget: QWidget  # the editor marked when the service refuses the field
    shown: QWidget | None = None  # what the row shows, when the editor sits inside it


class RecordTab(QWidget):
    """A tab that loads one apprentice's data with `load()` off the window's thread
    and shows it with `show_data()`; `changed` tells the page something was saved.
    A subclass builds its widgets in `set_up()` (or in its own __init__)."""

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
        # Tables are sized when the tab is shown: most tabs of a page are never opened.
        self.columns = ColumnFitter(self)
        self.set_up()

    def set_up(self) -> None:
        """Build the tab and start loading; called at the end of __init__."""

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
        (marks or FieldMarks()).show_refusal(exc, self.message_label)

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


class ListFormTab(RecordTab):
    """A tab listing one kind of the apprentice's records, with a form to add to them
    that only those with `form_permission` see (and may use). A subclass makes its
    widgets and layout in `build()`, which returns that form."""

    form_permission: ClassVar[Permission]

    def set_up(self) -> None:
        self.marks = FieldMarks()
        self.form = self.build()
        self.form.setVisible(self.may_use_form)
        self.reload()

    def build(self) -> QWidget:
        """Make the tab's widgets and lay them out; returns the form."""
        raise NotImplementedError

    @property
    def may_use_form(self) -> bool:
        return self._actor.can(self.form_permission)

    def set_actor(self, actor: Actor) -> None:
        self.form.setVisible(actor.can(self.form_permission))
        super().set_actor(actor)

    def save_form(
        self,
        done: Callable[[T], None],
        service: Callable[Concatenate[Database, Actor, int, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> None:
        """Save what the form holds with `service(db, actor, apprentice_id, ...)` off
        the window's thread, then `done` with its answer; a refusal is marked at its
        field. Nothing happens for someone who may not use the form."""
        if not self.may_use_form:
            return
        db, actor, apprentice_id = self._db, self._actor, self.apprentice_id
        self.save(lambda: service(db, actor, apprentice_id, *args, **kwargs), done, self.marks)

    def form_box(self, title: str, fields: Sequence[FormField], button: QPushButton) -> QGroupBox:
        """The form: a row for each field, with the line for its error under it, then
        the button."""
        box = QGroupBox(title)
        form = QFormLayout(box)
        for row in fields:
            error = self.marks.add(row.field, row.widget)
            form.addRow(row.label, with_error_line(row.shown or row.widget, error))
        form.addRow("", button)
        return box

    def lay_out_beside_form(
        self,
        above: Sequence[QWidget],
        table: QTableView,
        form: QWidget,
        *,
        form_alignment: Qt.AlignmentFlag = Qt.AlignmentFlag(0),  # noqa: B008
    ) -> None:
        """The message line across the top; under it, on the left, the widgets in
        `above` and then the table, which takes the height left; the form on the right."""
        left = QVBoxLayout()
        for widget in above:
            left.addWidget(widget)
        left.addWidget(table, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addWidget(form, 2, form_alignment)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addLayout(columns, 1)
