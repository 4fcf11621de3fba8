"""One apprentice: an overview of where they stand, their placements and the history
of changes to their record. Other pages add tabs with `add_tab`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from assessor_app.domain.credit_rules import Severity
from assessor_app.domain.dates import format_date
from assessor_app.services.apprentice_queries import (
    ApprenticeOverview,
    HistoryEntry,
    apprentice_history,
    apprentice_overview,
)
from assessor_app.services.errors import ServiceError
from assessor_app.services.progress_queries import ApprenticeProgress, apprentice_progress
from assessor_app.services.roles import Actor, PermissionDenied
from assessor_app.ui.colours import Tone, tone_style
from assessor_app.ui.models.apprentice_table_model import (
    RAG_COLOURS,
    rag_label,
    status_label,
    uln_text,
)
from assessor_app.ui.models.history_table_model import HistoryTableModel
from assessor_app.ui.models.placement_table_model import PlacementTableModel
from assessor_app.ui.models.sort_proxy import SortFilterProxy
from assessor_app.ui.pages.care_certificate_tab import CareCertificateTab
from assessor_app.ui.pages.evidence_tab import EvidenceTab
from assessor_app.ui.pages.map_tab import MapTab
from assessor_app.ui.pages.off_the_job_tab import OffTheJobTab
from assessor_app.ui.pages.profile_tab import ProfileTab
from assessor_app.ui.pages.reviews_tab import ReviewsTab
from assessor_app.ui.qt import (
    QAbstractItemView,
    QFont,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    Qt,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.widgets.placement_strip import PlacementStrip, StripBlock
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database

_SEVERITY_TONES = {Severity.ERROR: Tone.BAD, Severity.WARNING: Tone.CAUTION}


@dataclass(frozen=True)
class ApprenticeDetails:
    overview: ApprenticeOverview
    progress: ApprenticeProgress
    history: tuple[HistoryEntry, ...]


def load_details(
    db: Database, actor: Actor, apprentice_id: int, *, today: date | None = None
) -> ApprenticeDetails:
    """Everything the page shows, read in one go on a worker thread."""
    return ApprenticeDetails(
        overview=apprentice_overview(db, actor, apprentice_id, today=today),
        progress=apprentice_progress(db, actor, apprentice_id, today=today),
        history=tuple(apprentice_history(db, actor, apprentice_id)),
    )


def severity_label(severity: Severity) -> str:
    return tr("Problem") if severity is Severity.ERROR else tr("Warning")


def _heading(text: str, scale: float = 1.15) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


def _sentence(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _table(model: PlacementTableModel | HistoryTableModel, name: str) -> QTableView:
    proxy = SortFilterProxy(text_columns=(), parent=model)
    proxy.setSourceModel(model)
    view = QTableView()
    view.setObjectName(name)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


class ApprenticePage(QWidget):
    def __init__(
        self,
        db: Database,
        actor: Actor,
        apprentice_id: int,
        name: str = "",
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._today = today
        self.apprentice_id = apprentice_id
        self.details: ApprenticeDetails | None = None

        self.name_label = _heading(name or tr("Apprentice"), 1.5)
        self.name_label.setObjectName("apprenticeName")
        self.subtitle_label = QLabel()
        self.subtitle_label.setObjectName("apprenticeSubtitle")
        self.message_label = _sentence()
        self.message_label.setObjectName("apprenticeMessage")

        self.tabs = QTabWidget()
        self.tabs.setObjectName("apprenticeTabs")
        self.tabs.addTab(self._build_overview(), tr("&Overview"))
        self.placement_model = PlacementTableModel(self)
        self.placement_table = _table(self.placement_model, "placementTable")
        self.placement_table.sortByColumn(PlacementTableModel.START, Qt.SortOrder.AscendingOrder)
        self.tabs.addTab(self.placement_table, tr("&Placements"))
        self.history_model = HistoryTableModel(self)
        self.history_table = _table(self.history_model, "historyTable")
        self.history_table.sortByColumn(HistoryTableModel.WHEN, Qt.SortOrder.DescendingOrder)
        self.tabs.addTab(self.history_table, tr("&History"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.name_label)
        layout.addWidget(self.subtitle_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.tabs, 1)
        self.reload()

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Add a tab before History, which stays last; returns its index.

        A tab with a `changed` or `saved` signal (something was saved there)
        refreshes the overview and history, and the other tabs that follow changes
        (`follows_changes`): evidence, sign-off and units change what those show.
        Tabs holding typing not yet saved do not follow, so nothing is lost.
        """
        index = self.tabs.insertTab(self.tabs.indexOf(self.history_table), widget, title)
        for name in ("changed", "saved"):
            signal = getattr(widget, name, None)
            if signal is not None:
                signal.connect(lambda: self._tab_changed(widget))
        return index

    def add_record_tabs(self) -> None:
        """The record tabs, after Units: Map, Evidence, Care Certificate,
        Off-the-job, Reviews and Profile (History stays last)."""
        db, actor, apprentice_id, today = self._db, self._actor, self.apprentice_id, self._today
        self.map_tab = MapTab(db, actor, apprentice_id, today=today)
        self.evidence_tab = EvidenceTab(db, actor, apprentice_id, today=today)
        self.care_certificate_tab = CareCertificateTab(db, actor, apprentice_id, today=today)
        self.off_the_job_tab = OffTheJobTab(db, actor, apprentice_id, today=today)
        self.reviews_tab = ReviewsTab(db, actor, apprentice_id, today=today)
        self.profile_tab = ProfileTab(db, actor, apprentice_id, today=today)
        for tab, title in (
            (self.map_tab, tr("&Map")),
            (self.evidence_tab, tr("&Evidence")),
            (self.care_certificate_tab, tr("Care &Certificate")),
            (self.off_the_job_tab, tr("Off-the-&job")),
            (self.reviews_tab, tr("Re&views")),
            (self.profile_tab, tr("P&rofile")),
        ):
            self.add_tab(tab, title)

    def _tab_changed(self, source: QWidget) -> None:
        self.reload()
        for i in range(self.tabs.count()):
            tab = self.tabs.widget(i)
            if tab is not source and getattr(tab, "follows_changes", False):
                tab.reload()

    # The overview

    def _build_overview(self) -> QWidget:
        self.figures = QFormLayout()
        self.figures.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.figure_labels: dict[str, QLabel] = {}
        for key, title in (
            ("status", tr("Status:")),
            ("cohort", tr("Cohort:")),
            ("dates", tr("Programme:")),
            ("percent", tr("Complete:")),
            ("credits", tr("Credits achieved:")),
            ("care_certificate", tr("Care Certificate:")),
            ("off_the_job", tr("Off-the-job:")),
            ("next_review", tr("Next review:")),
        ):
            label = _sentence()
            label.setObjectName(f"figure_{key}")
            self.figure_labels[key] = label
            self.figures.addRow(title, label)

        self.rag_badge = QLabel()
        self.rag_badge.setObjectName("ragBadge")
        self.rag_badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        badge_font = QFont(self.rag_badge.font())
        badge_font.setBold(True)
        self.rag_badge.setFont(badge_font)
        self.reasons_layout = QVBoxLayout()
        self.reason_labels: list[QLabel] = []
        rag_row = QHBoxLayout()
        rag_row.addWidget(_heading(tr("RAG status")))
        rag_row.addWidget(self.rag_badge)
        rag_row.addStretch(1)
        rag_column = QVBoxLayout()
        rag_column.addLayout(rag_row)
        rag_column.addLayout(self.reasons_layout)
        rag_column.addStretch(1)

        top = QHBoxLayout()
        figures_column = QVBoxLayout()
        figures_column.addWidget(_heading(tr("Key figures")))
        figures_column.addLayout(self.figures)
        figures_column.addStretch(1)
        top.addLayout(figures_column, 3)
        top.addSpacing(24)
        top.addLayout(rag_column, 2)

        self.strip = PlacementStrip()
        self.strip.setObjectName("placementStrip")
        self.findings_layout = QVBoxLayout()
        self.finding_labels: list[QLabel] = []

        column = QVBoxLayout()
        column.addLayout(top)
        column.addSpacing(12)
        column.addWidget(_heading(tr("Placements")))
        column.addWidget(self.strip)
        column.addSpacing(12)
        column.addWidget(_heading(tr("Schedule checks")))
        column.addLayout(self.findings_layout)
        column.addStretch(1)
        inner = QWidget()
        inner.setLayout(column)
        scroll = QScrollArea()
        scroll.setObjectName("overview")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        return scroll

    # Loading

    def reload(self) -> None:
        self.message_label.setText(tr("Loading…"))
        self.message_label.show()
        self.tabs.setEnabled(False)
        db, actor, apprentice_id, today = self._db, self._actor, self.apprentice_id, self._today
        run_task(
            lambda: load_details(db, actor, apprentice_id, today=today),
            self._loaded,
            self._failed,
            owner=self,
        )

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, ServiceError | PermissionDenied):
            raise exc  # a programming error: the crash handler reports it
        self.message_label.setText(str(exc))

    def _loaded(self, details: ApprenticeDetails) -> None:
        self.details = details
        self.message_label.hide()
        self.tabs.setEnabled(True)
        overview, found = details.overview, details.progress
        self.name_label.setText(overview.name)
        self.subtitle_label.setText(
            tr("ULN {uln} · {cohort}").format(uln=uln_text(overview.uln), cohort=overview.cohort)
        )
        self._show_figures(details)
        self._show_rag(found.rag.colour, found.rag.reasons)
        self.strip.set_placements(
            [StripBlock(p.host, p.start, p.end) for p in overview.placements],
            overview.start_date,
            overview.planned_end_date,
            today=self._today,
        )
        self._show_findings(details)
        self.placement_model.set_rows(overview.placements)
        self.history_model.set_rows(details.history)

    def _show_figures(self, details: ApprenticeDetails) -> None:
        overview, found = details.overview, details.progress.progress
        status = status_label(overview.status)
        if overview.status_reason:
            status = tr("{status}: {reason}").format(status=status, reason=overview.status_reason)
        texts = {
            "status": status,
            "cohort": overview.cohort,
            "dates": tr("{start} to {end} (planned)").format(
                start=format_date(overview.start_date), end=format_date(overview.planned_end_date)
            ),
            "percent": tr("{percent}%").format(percent=found.percent_complete),
            "credits": tr("{achieved} of the {selection} credits chosen").format(
                achieved=found.achieved.total, selection=found.selection_credits
            ),
            "care_certificate": overview.care_certificate.message,
            "off_the_job": overview.off_the_job.message,
            "next_review": format_date(overview.next_review_due),
        }
        for key, text in texts.items():
            self.figure_labels[key].setText(text)

    def _show_rag(self, colour: str, reasons: tuple[str, ...]) -> None:
        background, text = RAG_COLOURS.get(colour, RAG_COLOURS["amber"])
        self.rag_badge.setText(rag_label(colour))
        self.rag_badge.setStyleSheet(
            f"background: {background.name()}; color: {text.name()};"
            f" border: 1px solid {text.name()}; border-radius: 4px; padding: 2px 12px;"
        )
        for label in self.reason_labels:
            label.deleteLater()
        self.reason_labels = [_sentence(reason) for reason in reasons]
        for label in self.reason_labels:
            label.setObjectName("ragReason")
            self.reasons_layout.addWidget(label)

    def _show_findings(self, details: ApprenticeDetails) -> None:
        for label in self.finding_labels:
            label.deleteLater()
        findings = details.overview.schedule_findings
        if findings:
            self.finding_labels = []
            for finding in findings:
                label = _sentence(
                    tr("<b>{severity}:</b> {message}").format(
                        severity=severity_label(finding.severity),
                        message=finding.message.replace("&", "&amp;").replace("<", "&lt;"),
                    )
                )
                label.setTextFormat(Qt.TextFormat.RichText)
                label.setStyleSheet(tone_style(_SEVERITY_TONES[finding.severity]))
                self.finding_labels.append(label)
        else:
            self.finding_labels = [_sentence(tr("No problems found with the placements."))]
        for label in self.finding_labels:
            label.setObjectName("scheduleFinding")
            self.findings_layout.addWidget(label)
