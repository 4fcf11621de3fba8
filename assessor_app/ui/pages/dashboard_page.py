"""The first page after signing in: a tile per cohort (apprentices by status, credits
achieved against the target as a bar, how many are at risk), who is at risk and
why, placements starting within the notice period with no notice sent, and
evidence waiting for an assessor. Double-click a person to open their page."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from assessor_app.domain.dates import format_date
from assessor_app.domain.rag import Rag
from assessor_app.services.dashboard_queries import (
    CohortTile,
    Dashboard,
    EvidenceDue,
    NoticeDue,
    RiskLine,
    dashboard,
)
from assessor_app.services.errors import ServiceError
from assessor_app.services.roles import Actor, PermissionDenied
from assessor_app.ui.colours import Tone, tone_style
from assessor_app.ui.models.apprentice_table_model import RAG_COLOURS, rag_label, status_label
from assessor_app.ui.models.column_table_model import Column
from assessor_app.ui.pages.organisations_page import heading_label
from assessor_app.ui.qt import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QPushButton,
    QScrollArea,
    QShortcut,
    QShowEvent,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    tr,
)
from assessor_app.ui.widgets.credit_bar import CreditBar
from assessor_app.ui.widgets.record_table import RecordTable
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database

TILES_PER_ROW = 3
TABLE_HEIGHT = 200


RISK_COLUMNS: list[Column[RiskLine]] = [
    Column(tr("Apprentice"), lambda r: r.name),
    Column(tr("Cohort"), lambda r: r.cohort),
    Column(
        tr("RAG"),
        lambda r: rag_label(r.colour.value),
        sort=lambda r: r.colour is not Rag.RED,
        colours=lambda r: RAG_COLOURS.get(r.colour.value),
    ),
    Column(
        tr("Why"),
        lambda r: "\n".join(r.reasons),
        cell_tip=lambda r: "\n".join(f"• {reason}" for reason in r.reasons),
    ),
]

NOTICE_COLUMNS: list[Column[NoticeDue]] = [
    Column(tr("Apprentice"), lambda r: r.name),
    Column(tr("Cohort"), lambda r: r.cohort),
    Column(tr("Host"), lambda r: r.host),
    Column(tr("Setting"), lambda r: r.setting),
    Column(tr("Starts"), lambda r: format_date(r.starts), sort=lambda r: r.starts),
    Column(
        tr("In"),
        lambda r: tr("{days} days").format(days=r.days_to_start),
        sort=lambda r: r.days_to_start,
        right=True,
    ),
]

EVIDENCE_COLUMNS: list[Column[EvidenceDue]] = [
    Column(tr("Apprentice"), lambda r: r.name),
    Column(tr("Cohort"), lambda r: r.cohort),
    Column(tr("Evidence"), lambda r: r.title),
    Column(tr("Dated"), lambda r: format_date(r.on_date), sort=lambda r: r.on_date),
    Column(
        tr("Waiting"),
        lambda r: tr("{days} days").format(days=r.days_waiting),
        sort=lambda r: r.days_waiting,
        right=True,
    ),
]


def _size_on_demand(table: QTableView) -> None:
    """Columns sized to their contents by `_fit_columns` when the rows change, not by
    the header at every layout: with hundreds of rows, each layout (a tile added, a
    window resized) read every cell again, several times over."""
    header = table.horizontalHeader()
    for column in range(header.count()):
        if header.sectionResizeMode(column) is QHeaderView.ResizeMode.ResizeToContents:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)


def _fit_columns(table: QTableView) -> None:
    """What the header's ResizeToContents did: each column but the stretching one as
    wide as its widest cell or its heading. Users could not drag them then either."""
    header = table.horizontalHeader()
    for column in range(header.count()):
        if header.sectionResizeMode(column) is QHeaderView.ResizeMode.Fixed:
            table.resizeColumnToContents(column)


def _fit_height(table: QTableView) -> None:
    """As tall as its rows, between room for two and TABLE_HEIGHT, so an empty
    list does not push the others off the screen."""
    rows = max(table.model().rowCount(), 2) * table.verticalHeader().defaultSectionSize()
    wanted = table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth() + 6
    table.setFixedHeight(min(wanted, TABLE_HEIGHT))


class CohortTileWidget(QFrame):
    """One cohort at a glance."""

    def __init__(self, tile: CohortTile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tile = tile
        self.setObjectName("cohortTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "QFrame#cohortTile { background: palette(base); border: 1px solid #c5ccd1;"
            " border-radius: 6px; }"
        )
        name = heading_label(tile.name, 1.2)
        counts = ", ".join(
            tr("{count} {status}").format(count=n, status=status_label(s).lower())
            for s, n in tile.by_status
        )
        self.counts_label = QLabel(counts or tr("No apprentices yet"))
        self.counts_label.setWordWrap(True)
        self.bar = CreditBar()
        self.bar.set_credits(tile.credits_achieved, tile.credits_target)
        self.credits_label = QLabel(
            tr("{achieved} of {target} credits achieved").format(
                achieved=tile.credits_achieved, target=tile.credits_target
            )
            if tile.credits_target
            else tr("No apprentices in learning")
        )
        self.risk_label = QLabel(
            tr("{count} at risk").format(count=tile.at_risk)
            if tile.at_risk
            else tr("Nobody at risk")
        )
        self.risk_label.setStyleSheet(
            tone_style(Tone.BAD, bold=True) if tile.at_risk else tone_style(Tone.GOOD)
        )
        layout = QVBoxLayout(self)
        layout.addWidget(name)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.bar)
        layout.addWidget(self.credits_label)
        layout.addWidget(self.risk_label)


class DashboardPage(QWidget):
    open_apprentice_requested = Signal(int, str)

    def __init__(
        self, db: Database, actor: Actor | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._actor: Actor | None = None
        self._loading = 0
        self._shown_before = False
        self.data: Dashboard | None = None
        self.today: date | None = None  # None: the real today (tests fix a day)
        self.status_label = QLabel()
        self.status_label.setObjectName("dashboardStatus")
        self.refresh_button = QPushButton(tr("Refre&sh"))
        self.refresh_button.setToolTip(tr("Read the figures again (F5)"))
        self.refresh_button.clicked.connect(self.reload)
        QShortcut(QKeySequence.StandardKey.Refresh, self, self.reload)

        self.tiles_holder = QWidget()
        self.tiles_grid = QGridLayout(self.tiles_holder)
        self.tiles_grid.setContentsMargins(0, 0, 0, 0)
        self.tiles: list[CohortTileWidget] = []

        self.risk_table: RecordTable[RiskLine] = RecordTable(RISK_COLUMNS, stretch=3)
        self.notice_table: RecordTable[NoticeDue] = RecordTable(NOTICE_COLUMNS, stretch=2)
        self.evidence_table: RecordTable[EvidenceDue] = RecordTable(EVIDENCE_COLUMNS, stretch=2)
        self.risk_heading = QLabel()
        self.notice_heading = QLabel()
        self.evidence_heading = QLabel()
        for table in (self.risk_table, self.notice_table, self.evidence_table):
            _size_on_demand(table)
        # The reasons are the point of the list: wrap them rather than cut them off,
        # each row as tall as its reasons at the width they have. Fitted when the rows
        # or that width change (once per turn of the event loop), not at every layout.
        self.risk_table.setWordWrap(True)
        self.risk_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.risk_table.setMinimumHeight(TABLE_HEIGHT)
        self._fit_risk_rows = QTimer(self)
        self._fit_risk_rows.setSingleShot(True)
        self._fit_risk_rows.setInterval(0)
        self._fit_risk_rows.timeout.connect(self.risk_table.resizeRowsToContents)
        self.risk_table.horizontalHeader().sectionResized.connect(
            lambda _column, old, new: self._fit_risk_rows.start() if old != new else None
        )
        content = QWidget()
        body = QVBoxLayout(content)
        body.addWidget(self.tiles_holder)
        for heading, table in (
            (self.risk_heading, self.risk_table),
            (self.notice_heading, self.notice_table),
            (self.evidence_heading, self.evidence_table),
        ):
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            table.setToolTip(tr("Double-click, or press Enter, to open the apprentice's page"))
            table.activated.connect(lambda index, table=table: self._open(table, index))
            body.addWidget(heading)
            # The at-risk list takes the room left over; the others are as tall as their rows.
            body.addWidget(table, 1 if table is self.risk_table else 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)

        top = QHBoxLayout()
        top.addWidget(heading_label(tr("Dashboard")))
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status_label)
        self.set_actor(actor)

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
        self._loading += 1
        ticket = self._loading
        if self._actor is None:
            self._show(None)
            self.status_label.setText(tr("Sign in to see the dashboard."))
            return
        self.status_label.setText(tr("Loading…"))
        db, actor, today = self._db, self._actor, self.today
        run_task(
            lambda: dashboard(db, actor, today=today),
            lambda data: self._loaded(ticket, data),
            lambda exc: self._failed(ticket, exc),
            owner=self,
        )

    def _loaded(self, ticket: int, data: Dashboard) -> None:
        if ticket == self._loading:
            self._show(data)
            self.status_label.setText(
                tr("Figures as of {date}").format(date=format_date(data.today))
            )

    def _failed(self, ticket: int, exc: Exception) -> None:
        if ticket != self._loading:
            return
        if not isinstance(exc, ServiceError | PermissionDenied):
            raise exc
        self._show(None)
        self.status_label.setText(str(exc))

    def _show(self, data: Dashboard | None) -> None:
        self.data = data
        for tile in self.tiles:
            tile.hide()
            tile.deleteLater()
        self.tiles = []
        for position, tile_data in enumerate(data.tiles if data else ()):
            tile = CohortTileWidget(tile_data)
            self.tiles.append(tile)
            self.tiles_grid.addWidget(tile, position // TILES_PER_ROW, position % TILES_PER_ROW)
        self.risk_table.set_rows(list(data.at_risk) if data else [])
        self.notice_table.set_rows(list(data.notice_due) if data else [])
        self.evidence_table.set_rows(list(data.evidence_waiting) if data else [])
        for table in (self.risk_table, self.notice_table, self.evidence_table):
            _fit_columns(table)
        self._fit_risk_rows.start()
        for table in (self.notice_table, self.evidence_table):
            _fit_height(table)
        weeks = data.notice_weeks if data else 0
        self.risk_heading.setText(
            tr("At risk ({count})").format(count=len(data.at_risk) if data else 0)
        )
        self.notice_heading.setText(
            tr(
                "Placements starting in the next {weeks} weeks with no notice sent ({count})"
            ).format(weeks=weeks, count=len(data.notice_due) if data else 0)
        )
        self.evidence_heading.setText(
            tr("Evidence waiting for assessment ({count})").format(
                count=len(data.evidence_waiting) if data else 0
            )
        )

    def _open(
        self,
        table: RecordTable[RiskLine] | RecordTable[NoticeDue] | RecordTable[EvidenceDue],
        index: object,
    ) -> None:
        record = table.record_at(index)  # type: ignore[arg-type]
        if record is not None:
            self.open_apprentice_requested.emit(record.apprentice_id, record.name)
