"""The host view: for a chosen day or period, each placement host with its busiest
day against its capacity (over capacity marked), and who is placed at each of the
chosen host's settings. Double-click a person to open their page; coordinators
can correct or cancel the chosen placement."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from assessor_app.domain.dates import format_date
from assessor_app.services.errors import ServiceError
from assessor_app.services.host_queries import HostOccupancy, PlacedApprentice, host_occupancy
from assessor_app.services.organisations import SECTOR_LABELS
from assessor_app.services.roles import Actor, Permission, PermissionDenied
from assessor_app.ui.dialogs.cohort_dialog import chosen_date, date_edit
from assessor_app.ui.dialogs.placement_dialog import PlacementEditing, qdate
from assessor_app.ui.models.column_table_model import WARNING_COLOURS, Column
from assessor_app.ui.pages.organisations_page import heading_label
from assessor_app.ui.qt import (
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QPushButton,
    QShortcut,
    QShowEvent,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
    tr,
)
from assessor_app.ui.widgets.record_table import RecordTable
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database


def used_text(host: HostOccupancy) -> str:
    if host.capacity is None:
        return tr("{used} (no limit recorded)").format(used=host.busiest)
    text = tr("{used} of {capacity}").format(used=host.busiest, capacity=host.capacity)
    if host.over_capacity:
        return tr("{text} – over capacity").format(text=text)
    return text


def _used_tip(host: HostOccupancy) -> str:
    if host.busiest_on is None:
        return tr("Nobody is placed here in this period.")
    return tr("Busiest on {date}: {count} apprentices at once").format(
        date=format_date(host.busiest_on), count=host.busiest
    )


HOST_COLUMNS: list[Column[HostOccupancy]] = [
    Column(tr("Host"), lambda h: h.name),
    Column(tr("Sector"), lambda h: tr(SECTOR_LABELS.get(h.sector, h.sector))),
    Column(
        tr("Settings"), lambda h: str(len(h.settings)), sort=lambda h: len(h.settings), right=True
    ),
    Column(
        tr("Placed"),
        lambda h: str(sum(len(s.placed) for s in h.settings)),
        sort=lambda h: sum(len(s.placed) for s in h.settings),
        tip=tr("Apprentices placed here at any time in the period"),
        right=True,
    ),
    Column(
        tr("Capacity used"),
        used_text,
        sort=lambda h: (h.over_capacity, h.busiest),
        tip=tr("Most apprentices here on any one day of the period, against the host's capacity"),
        colours=lambda h: WARNING_COLOURS if h.over_capacity else None,
        cell_tip=_used_tip,
    ),
]


class _PlacedRow:
    __slots__ = ("placed", "setting")

    def __init__(self, setting: str, placed: PlacedApprentice) -> None:
        self.setting = setting
        self.placed = placed


PLACED_COLUMNS: list[Column[_PlacedRow]] = [
    Column(tr("Setting"), lambda r: r.setting),
    Column(tr("Apprentice"), lambda r: r.placed.name),
    Column(tr("Cohort"), lambda r: r.placed.cohort),
    Column(tr("From"), lambda r: format_date(r.placed.start), sort=lambda r: r.placed.start),
    Column(tr("To"), lambda r: format_date(r.placed.end), sort=lambda r: r.placed.end),
]


class PlacementsPage(QWidget):
    open_apprentice_requested = Signal(int, str)

    def __init__(
        self, db: Database, actor: Actor | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._actor: Actor | None = None
        self._loading = 0
        self._shown_before = False
        self.from_edit = date_edit()
        self.from_edit.setObjectName("hostViewFrom")
        self.to_edit = date_edit()
        self.to_edit.setObjectName("hostViewTo")
        self.today_button = QPushButton(tr("Toda&y"))
        self.today_button.setToolTip(tr("Show who is placed where today"))
        self.show_button = QPushButton(tr("Sho&w"))
        self.show_button.setToolTip(tr("Show who is placed where from the first day to the last"))
        self.hosts: RecordTable[HostOccupancy] = RecordTable(HOST_COLUMNS)
        self.hosts.setObjectName("hostTable")
        self.hosts.setToolTip(tr("Choose a host to see who is placed at each of its settings"))
        self.placed_heading = QLabel()
        self.placed: RecordTable[_PlacedRow] = RecordTable(PLACED_COLUMNS, stretch=1)
        self.placed.setObjectName("placedTable")
        self.placed.setToolTip(tr("Double-click, or press Enter, to open the apprentice's page"))
        self.edit_button = QPushButton(tr("&Edit placement…"))
        self.edit_button.setToolTip(
            tr("Correct the chosen placement: where, when, days, hours, contacts (Ctrl+E)")
        )
        self.cancel_button = QPushButton(tr("C&ancel placement…"))
        self.cancel_button.setToolTip(tr("Remove the chosen placement from the plan, after asking"))
        self.placement_editing = PlacementEditing(
            self, db, self._placement_changed, tr("Placements")
        )
        self._done_message = ""
        self.status_label = QLabel()
        self.status_label.setObjectName("hostViewStatus")
        self.status_label.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(heading_label(tr("Placements by host")))
        top.addStretch(1)
        from_label = QLabel(tr("Fro&m:"))
        from_label.setBuddy(self.from_edit)
        to_label = QLabel(tr("&To:"))
        to_label.setBuddy(self.to_edit)
        for widget in (from_label, self.from_edit, to_label, self.to_edit):
            top.addWidget(widget)
        top.addWidget(self.show_button)
        top.addWidget(self.today_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        placed_bar = QHBoxLayout()
        placed_bar.addWidget(self.placed_heading, 1)
        placed_bar.addWidget(self.edit_button)
        placed_bar.addWidget(self.cancel_button)
        lower_layout.addLayout(placed_bar)
        lower_layout.addWidget(self.placed, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.hosts)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)

        self.show_button.clicked.connect(self.reload)
        self.today_button.clicked.connect(lambda: self.show_period(date.today(), date.today()))
        self.hosts.selectionModel().selectionChanged.connect(lambda *_: self._host_changed())
        self.placed.activated.connect(self._open)
        self.placed.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.edit_button.clicked.connect(self.edit_placement)
        self.cancel_button.clicked.connect(self.cancel_placement)
        QShortcut(QKeySequence("Ctrl+E"), self, self.edit_placement)
        self.set_actor(actor)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        # Another page may have changed what this one shows since it was read.
        if self._shown_before and not event.spontaneous():
            self.reload()
        self._shown_before = True

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        schedule = self._may_schedule()
        self.edit_button.setVisible(schedule)
        self.cancel_button.setVisible(schedule)
        self.reload()

    def _may_schedule(self) -> bool:
        return self._actor is not None and self._actor.can(Permission.SCHEDULE_PLACEMENTS)

    def _update_buttons(self) -> None:
        chosen = self.placed.current_record() is not None
        self.edit_button.setEnabled(chosen)
        self.cancel_button.setEnabled(chosen)

    def show_period(self, first: date, last: date) -> None:
        self.from_edit.setDate(qdate(first))
        self.to_edit.setDate(qdate(last))
        self.reload()

    def reload(self) -> None:
        self._loading += 1
        ticket = self._loading
        if self._actor is None:
            self._show([])
            self.status_label.setText(tr("Sign in to see the placements."))
            return
        first = chosen_date(self.from_edit)
        last = chosen_date(self.to_edit)
        self.status_label.setText(tr("Loading…"))
        db, actor = self._db, self._actor
        run_task(
            lambda: host_occupancy(db, actor, first, last),
            lambda rows: self._loaded(ticket, rows, first, last),
            lambda exc: self._failed(ticket, exc),
            owner=self,
        )

    def _loaded(self, ticket: int, rows: list[HostOccupancy], first: date, last: date) -> None:
        if ticket != self._loading:
            return
        self._show(rows)
        over = [h.name for h in rows if h.over_capacity]
        when = (
            tr("on {date}").format(date=format_date(first))
            if first == last
            else tr("from {first} to {last}").format(
                first=format_date(first), last=format_date(last)
            )
        )
        text = tr("{count} hosts {when}.").format(count=len(rows), when=when)
        if over:
            text += " " + tr("Over capacity: {names}.").format(names=", ".join(over))
        if self._done_message:
            text = f"{self._done_message} {text}"
            self._done_message = ""
        self.status_label.setText(text)

    def _failed(self, ticket: int, exc: Exception) -> None:
        if ticket != self._loading:
            return
        if not isinstance(exc, ServiceError | PermissionDenied):
            raise exc
        self._show([])
        self.status_label.setText(str(exc))

    def _show(self, rows: list[HostOccupancy]) -> None:
        current = self.hosts.current_record()
        self.hosts.set_rows(rows)
        if current is None or not self.hosts.select_where(current.organisation_id, _host_id):
            self.hosts.selectRow(0)
        self._host_changed()

    def _host_changed(self) -> None:
        host = self.hosts.current_record()
        rows = [_PlacedRow(s.name, p) for s in host.settings for p in s.placed] if host else []
        chosen = self.placed.current_record()
        self.placed.set_rows(rows)
        if chosen is not None:
            self.placed.select_where(chosen.placed.placement_id, _placement_id)
        self._update_buttons()
        if host is None:
            self.placed_heading.setText(tr("Choose a host to see who is placed there."))
        elif not rows:
            self.placed_heading.setText(
                tr("Nobody is placed at {name} in this period.").format(name=host.name)
            )
        else:
            self.placed_heading.setText(
                tr("Placed at {name} ({used})").format(name=host.name, used=used_text(host))
            )

    def _open(self, index: object) -> None:
        record = self.placed.record_at(index)  # type: ignore[arg-type]
        if record is not None:
            self.open_apprentice_requested.emit(record.placed.apprentice_id, record.placed.name)

    def edit_placement(self) -> None:
        chosen = self.placed.current_record()
        if chosen is not None and self._actor is not None and self._may_schedule():
            self.placement_editing.edit(self._actor, chosen.placed.placement_id)

    def cancel_placement(self) -> None:
        chosen = self.placed.current_record()
        if chosen is not None and self._actor is not None and self._may_schedule():
            self.placement_editing.cancel(self._actor, chosen.placed.placement_id)

    def _placement_changed(self, message: str) -> None:
        self._done_message = message
        self.reload()


def _host_id(host: HostOccupancy) -> int:
    return host.organisation_id


def _placement_id(row: _PlacedRow) -> int:
    return row.placed.placement_id
