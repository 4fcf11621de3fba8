"""What the pages built around a list share: the page's heading with its search box
and buttons beside it, the body, and a status line under it; the list is read for
whoever is signed in off the window's thread, and read again when the page comes
back into view. The organisations page uses it; the cohorts, placements and
dashboard pages have the same shape."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from assessor_app.services.errors import ServiceError
from assessor_app.services.roles import Actor, PermissionDenied
from assessor_app.ui.qt import (
    QFont,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QShortcut,
    QShowEvent,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database

T = TypeVar("T")


def heading_label(text: str, scale: float = 1.5) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


def detail_pane(heading: QLabel, table: QWidget) -> QWidget:
    """A heading over a table that takes the height left, for the lower part of a
    page split between a list and the chosen row's details."""
    pane = QWidget()
    layout = QVBoxLayout(pane)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(heading)
    layout.addWidget(table, 1)
    return pane


def split_vertically(upper: QWidget, lower: QWidget) -> QSplitter:
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(upper)
    splitter.addWidget(lower)
    return splitter


class ListPage(QWidget):
    """A page that shows what a query reads for whoever is signed in. A subclass
    builds its widgets, calls `lay_out()`, then `set_actor()`; its `reload()` calls
    `read()` with the query and what to do with the answer."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._actor: Actor | None = None
        self._loading = 0  # which read's answer to accept: a newer one replaces an older
        self._shown_before = False
        self.status_label = QLabel()

    def search_field(self, name: str, placeholder: str) -> QLineEdit:
        """A search box for the page's list; Ctrl+F goes to it."""
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        QShortcut(QKeySequence.StandardKey.Find, self, edit.setFocus)
        return edit

    def lay_out(
        self,
        title: str,
        body: QWidget,
        tools: Sequence[QWidget] = (),
        *,
        search: QLineEdit | None = None,
    ) -> None:
        """The title with the search box (taking the room there is) and the tools on
        its right; the body under it; the status line at the foot."""
        top = QHBoxLayout()
        top.addWidget(heading_label(title))
        top.addStretch(1)
        if search is not None:
            top.addWidget(search, 1)
        for tool in tools:
            top.addWidget(tool)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(body, 1)
        layout.addWidget(self.status_label)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        # Another page may have changed what this one shows since it was read.
        if self._shown_before and not event.spontaneous():
            self.reload()
        self._shown_before = True

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self.reload()

    def reload(self) -> None:
        raise NotImplementedError

    def read(
        self,
        query: Callable[[Database, Actor], T],
        show: Callable[[T], None],
        clear: Callable[[], None],
        signed_out: str,
    ) -> None:
        """Run `query` for whoever is signed in, off the window's thread, and `show`
        its answer unless a newer read has begun by then. Signed out, or when a
        service refuses, `clear` empties the page and the status line says why;
        any other error is a programming error, for the crash handler."""
        self._loading += 1
        ticket = self._loading
        if self._actor is None:
            clear()
            self.status_label.setText(signed_out)
            return
        self.status_label.setText(tr("Loading…"))
        db, actor = self._db, self._actor

        def loaded(result: T) -> None:
            if ticket == self._loading:
                show(result)

        def failed(exc: Exception) -> None:
            if ticket != self._loading:
                return
            if not isinstance(exc, ServiceError | PermissionDenied):
                raise exc
            clear()
            self.status_label.setText(str(exc))

        run_task(lambda: query(db, actor), loaded, failed, owner=self)
