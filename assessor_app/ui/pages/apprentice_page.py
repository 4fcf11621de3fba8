"""One apprentice: an overview of where they stand, their placements (corrected,
cancelled, and their contacts and outcome recorded there by those who schedule
placements) and the history of changes to their record. Other pages add tabs with
`add_tab`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from assessor_app.domain.credit_rules import Severity
from assessor_app.domain.dates import format_date
from assessor_app.services.apprentice_queries import (
    ApprenticeOverview,
    HistoryEntry,
    PlacementView,
    apprentice_history,
    placement_record,
)
from assessor_app.services.errors import ServiceError
from assessor_app.services.progress_queries import ApprenticeProgress, overview_and_progress
from assessor_app.services.roles import Actor, Permission, PermissionDenied
from assessor_app.ui.colours import Tone, tone_style
from assessor_app.ui.dialogs.form_dialog import FormDialog
from assessor_app.ui.dialogs.placement_dialog import PlacementEditing, describe_placement
from assessor_app.ui.dialogs.placement_record_dialogs import ContactsDialog, OutcomeDialog
from assessor_app.ui.models.apprentice_table_model import (
    RAG_COLOURS,
    rag_label,
    status_label,
    uln_text,
)
from assessor_app.ui.models.history_table_model import HistoryTableModel
from assessor_app.ui.models.placement_table_model import PlacementTableModel
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SortFilterProxy
from assessor_app.ui.pages.care_certificate_tab import CareCertificateTab
from assessor_app.ui.pages.data_protection_tab import add_data_protection_tab
from assessor_app.ui.pages.evidence_tab import EvidenceTab
from assessor_app.ui.pages.map_tab import MapTab
from assessor_app.ui.pages.off_the_job_tab import OffTheJobTab
from assessor_app.ui.pages.profile_tab import ProfileTab
from assessor_app.ui.pages.reviews_tab import ReviewsTab
from assessor_app.ui.qt import (
    QAbstractItemView,
    QDialog,
    QFont,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QShortcut,
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

# A form recording something about one placement: (db, actor, person, placement, parent).
RecordForm = Callable[["Database", Actor, str, PlacementView, QWidget], FormDialog]


@dataclass(frozen=True)
class ApprenticeDetails:
    overview: ApprenticeOverview
    progress: ApprenticeProgress
    history: tuple[HistoryEntry, ...]


def load_details(
    db: Database, actor: Actor, apprentice_id: int, *, today: date | None = None
) -> ApprenticeDetails:
    """Everything the page shows, read in one go on a worker thread."""
    overview, progress = overview_and_progress(db, actor, apprentice_id, today=today)
    history = tuple(apprentice_history(db, actor, apprentice_id))
    return ApprenticeDetails(overview, progress, history)


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
        self.placements_tab = self._build_placements()
        self.tabs.addTab(self.placements_tab, tr("&Placements"))
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
        self.data_protection_tab = add_data_protection_tab(self, db, actor, apprentice_id, today)

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

    # The placements

    def _build_placements(self) -> QWidget:
        self.placement_model = PlacementTableModel(self)
        self.placement_table = _table(self.placement_model, "placementTable")
        self.placement_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.placement_table.sortByColumn(PlacementTableModel.START, Qt.SortOrder.AscendingOrder)
        self.edit_placement_button = QPushButton(tr("Edit…"))
        self.edit_placement_button.setObjectName("editPlacement")
        self.edit_placement_button.setToolTip(
            tr("Correct the chosen placement: where, when, days, hours, contacts (Ctrl+E)")
        )
        self.contacts_button = QPushButton(tr("Contact&s…"))
        self.contacts_button.setObjectName("placementContacts")
        self.contacts_button.setToolTip(
            tr("Record the mentor (buddy) and line manager the host named for the placement")
        )
        self.outcome_button = QPushButton(tr("O&utcome…"))
        self.outcome_button.setObjectName("placementOutcome")
        self.outcome_button.setToolTip(
            tr("Record the review meeting at the end and the host's written appraisal")
        )
        self.cancel_placement_button = QPushButton(tr("Cancel placement…"))
        self.cancel_placement_button.setObjectName("cancelPlacement")
        self.cancel_placement_button.setToolTip(
            tr("Remove the chosen placement from the plan, after asking (Delete)")
        )
        self.placement_status = _sentence()
        self.placement_status.setObjectName("placementStatus")
        self.placement_editing = PlacementEditing(
            self, self._db, self._placement_changed, tr("Placements")
        )

        bar = QHBoxLayout()
        for button in (
            self.edit_placement_button,
            self.contacts_button,
            self.outcome_button,
            self.cancel_placement_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)
        tab = QWidget()
        tab.setObjectName("placementsTab")
        column = QVBoxLayout(tab)
        column.addLayout(bar)
        column.addWidget(self.placement_table, 1)
        column.addWidget(self.placement_status)

        self.edit_placement_button.clicked.connect(self.edit_placement)
        self.contacts_button.clicked.connect(self.record_contacts)
        self.outcome_button.clicked.connect(self.record_outcome)
        self.cancel_placement_button.clicked.connect(self.cancel_placement)
        self.placement_table.activated.connect(lambda _index: self.edit_placement())
        self.placement_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_placement_buttons()
        )
        QShortcut(
            QKeySequence("Ctrl+E"),
            tab,
            self.edit_placement,
            Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        QShortcut(
            QKeySequence.StandardKey.Delete,
            self.placement_table,
            self.cancel_placement,
            Qt.ShortcutContext.WidgetShortcut,
        )

        schedules = self._may_schedule
        for button in (
            self.edit_placement_button,
            self.contacts_button,
            self.outcome_button,
            self.cancel_placement_button,
        ):
            button.setVisible(schedules)
        self.placement_table.setToolTip(
            tr("Double-click a placement to correct it")
            if schedules
            else tr("Those who schedule placements record their contacts and outcome here")
        )
        self._update_placement_buttons()
        return tab

    @property
    def _may_schedule(self) -> bool:
        return self._actor.can(Permission.SCHEDULE_PLACEMENTS)

    def current_placement(self) -> PlacementView | None:
        rows = self.placement_table.selectionModel().selectedRows()
        if not rows:
            return None
        placement: PlacementView = rows[0].data(ROW_ROLE)
        return placement

    def select_placement(self, placement_id: int) -> bool:
        """Choose the placement in the table; False when it is not there."""
        proxy = self.placement_table.model()
        for row in range(proxy.rowCount()):
            index = proxy.index(row, 0)
            if index.data(ROW_ROLE).id == placement_id:
                self.placement_table.selectRow(row)
                return True
        return False

    def _update_placement_buttons(self) -> None:
        chosen = self.current_placement() is not None
        for button in (
            self.edit_placement_button,
            self.contacts_button,
            self.outcome_button,
            self.cancel_placement_button,
        ):
            button.setEnabled(chosen)

    def _person(self) -> str:
        return self.details.overview.name if self.details else self.name_label.text()

    def edit_placement(self) -> None:
        chosen = self.current_placement()
        if chosen is not None and self._may_schedule:
            self.placement_editing.edit(self._actor, chosen.id)

    def cancel_placement(self) -> None:
        chosen = self.current_placement()
        if chosen is not None and self._may_schedule:
            self.placement_editing.cancel(self._actor, chosen.id)

    def record_contacts(self) -> None:
        self._open_record_form(ContactsDialog, tr("Contacts recorded: {placement}."))

    def record_outcome(self) -> None:
        self._open_record_form(OutcomeDialog, tr("Outcome recorded: {placement}."))

    def _open_record_form(self, form: RecordForm, done: str) -> None:
        """The form filled in from the placement as it is now (another person may
        have changed it since the page was read)."""
        chosen = self.current_placement()
        if chosen is None or not self._may_schedule:
            return
        db, actor = self._db, self._actor
        run_task(
            lambda: placement_record(db, actor, chosen.id),
            lambda placement: self._show_record_form(form, placement, done),
            self._placement_failed,
            owner=self,
        )

    def _show_record_form(self, form: RecordForm, placement: PlacementView, done: str) -> None:
        person = self._person()
        dialog = form(self._db, self._actor, person, placement, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            described = describe_placement(
                person, placement.host, placement.setting, placement.start, placement.end
            )
            self._placement_changed(done.format(placement=described))

    def _placement_failed(self, exc: Exception) -> None:
        if not isinstance(exc, ServiceError | PermissionDenied):
            raise exc  # a programming error: the crash handler reports it
        QMessageBox.warning(self, tr("Placements"), str(exc))
        self.reload()  # the placement may have been cancelled meanwhile

    def _placement_changed(self, message: str) -> None:
        self.placement_status.setText(message)
        self._tab_changed(self.placements_tab)

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
        chosen = self.current_placement()  # chosen again after the reload, if still there
        self.placement_model.set_rows(overview.placements)
        if chosen is not None:
            self.select_placement(chosen.id)
        self._update_placement_buttons()
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
