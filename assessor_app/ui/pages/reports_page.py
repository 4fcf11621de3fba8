"""Choose a report, preview and print it, or export the cohort's tracker workbook.

Reports take a second or more to write, so they are written off the window's
thread into a private temporary folder; the preview shows that PDF's own pages
and the file is removed when the preview closes (it holds personal data).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from assessor_app.domain.dates import format_period
from assessor_app.services.choice_lists import (
    apprentice_choices,
    cohort_choices,
    placement_choices,
)
from assessor_app.services.errors import ServiceError
from assessor_app.services.roles import Actor, PermissionDenied
from assessor_app.ui.qt import (
    QComboBox,
    QFileDialog,
    QFont,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from collections.abc import Callable

    from assessor_app.store.database import Database
    from assessor_app.ui.dialogs.print_preview import PrintPreviewDialog

T = TypeVar("T")

# Wide enough for the longest cohort and placement names without stretching the
# choosers across a 1280-pixel window.
FORM_WIDTH = 620
LABEL_GAP = 8  # between a chooser's label and the chooser; the description lines up with both


class ReportKind(Enum):
    PROGRESS = "progress"
    COHORT = "cohort"
    SCHEDULE = "schedule"
    NOTICE = "notice"
    TRACKER = "tracker"

    @property
    def needs_apprentice(self) -> bool:
        return self in (ReportKind.PROGRESS, ReportKind.NOTICE)

    @property
    def needs_placement(self) -> bool:
        return self is ReportKind.NOTICE

    @property
    def spreadsheet(self) -> bool:
        return self is ReportKind.TRACKER


_LABELS = {
    ReportKind.PROGRESS: "Progress report",
    ReportKind.COHORT: "Cohort report",
    ReportKind.SCHEDULE: "Training schedule",
    ReportKind.NOTICE: "Placement notice",
    ReportKind.TRACKER: "Cohort tracker (Excel)",
}

_DESCRIPTIONS = {
    ReportKind.PROGRESS: (
        "One apprentice's programme, RAG status with reasons, credits, units, placements, "
        "Care Certificate, off-the-job hours, evidence and reviews, with lines to sign. "
        "For a review meeting or the employer."
    ),
    ReportKind.COHORT: (
        "Everyone who started in the cohort with their progress and RAG status, and the "
        "outcome totals funders ask for."
    ),
    ReportKind.SCHEDULE: (
        "The cohort's placements period by period, the units planned in each, and each "
        "apprentice's optional units (landscape)."
    ),
    ReportKind.NOTICE: (
        "What the apprentice and the host need to know before a placement starts: where, "
        "when, who to contact and the units planned there."
    ),
    ReportKind.TRACKER: (
        "A workbook for Excel or LibreOffice: summary, units, placements, evidence and "
        "off-the-job hours, one sheet each."
    ),
}


def report_label(kind: ReportKind) -> str:
    return tr(_LABELS[kind])


@dataclass(frozen=True, slots=True)
class ReportRequest:
    kind: ReportKind
    cohort_id: int
    apprentice_id: int | None = None
    placement_id: int | None = None


def write_report(db: Database, actor: Actor, request: ReportRequest, out: Path) -> Path:
    """Write the requested report to `out`, headed with the training provider's name.

    Runs on a worker thread: plain data in, a path out, no widgets. The writers are
    imported here, when a report is first made: reportlab, XlsxWriter and the
    report queries would otherwise add a fifth of a second to starting the app.
    """
    from assessor_app.reports.cohort_report import write_cohort_report
    from assessor_app.reports.placement_notice import write_placement_notice
    from assessor_app.reports.progress_report import write_progress_report
    from assessor_app.reports.schedule_report import write_schedule_report
    from assessor_app.reports.tracker_export import export_tracker
    from assessor_app.services import report_queries

    kind = request.kind
    if kind is ReportKind.PROGRESS:
        assert request.apprentice_id is not None
        provider = report_queries.programme_details(db, actor, request.apprentice_id).provider
        return write_progress_report(db, actor, request.apprentice_id, out, provider=provider)
    if kind is ReportKind.NOTICE:
        assert request.placement_id is not None
        provider = report_queries.placement_notice(db, actor, request.placement_id).provider
        return write_placement_notice(db, actor, request.placement_id, out, provider=provider)
    if kind is ReportKind.TRACKER:
        return export_tracker(db, actor, request.cohort_id, out)
    provider = report_queries.cohort_details(db, actor, request.cohort_id).provider
    write = write_cohort_report if kind is ReportKind.COHORT else write_schedule_report
    return write(db, actor, request.cohort_id, out, provider=provider)


def file_stem(*parts: str) -> str:
    """A file name people can read and every system accepts: 'progress-report-amira-hussain'."""
    return re.sub(r"[^a-z0-9]+", "-", " ".join(parts).lower()).strip("-") or "report"


class ReportsPage(QWidget):
    def __init__(self, db: Database, actor: Actor | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._actor: Actor | None = None
        self._busy = False
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self.preview_dialog: PrintPreviewDialog | None = None
        self._apprentice_names: dict[int, str] = {}

        heading = QLabel(tr("Reports"))
        heading_font = QFont(heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.5)
        heading_font.setBold(True)
        heading.setFont(heading_font)
        intro = QLabel(tr("Preview and print a report, or export a cohort's tracker for Excel."))
        intro.setWordWrap(True)

        self.report_combo = QComboBox()
        self.report_combo.setObjectName("reportChoice")
        for kind in ReportKind:
            self.report_combo.addItem(report_label(kind), kind)
        self.description_label = QLabel()
        self.description_label.setObjectName("reportDescription")
        self.description_label.setWordWrap(True)
        self.description_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.cohort_combo = QComboBox()
        self.cohort_combo.setObjectName("cohortChoice")
        self.apprentice_combo = QComboBox()
        self.apprentice_combo.setObjectName("apprenticeChoice")
        self.placement_combo = QComboBox()
        self.placement_combo.setObjectName("placementChoice")

        # Two forms with the description between them: a word-wrapped label inside
        # a form layout is given room for more lines than it shows.
        self.report_form = QFormLayout()
        self.report_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.report_form.addRow(tr("&Report:"), self.report_combo)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow(tr("C&ohort:"), self.cohort_combo)
        self.form.addRow(tr("&Apprentice:"), self.apprentice_combo)
        self.form.addRow(tr("P&lacement:"), self.placement_combo)
        # Every label as wide as the widest, so the choosers line up across both
        # forms and do not jump sideways when a report hides some rows.
        labels = [self.report_form.labelForField(self.report_combo)] + [
            self.form.labelForField(field) for field in self._choosers()[1:]
        ]
        widest = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(widest)
        for form in (self.report_form, self.form):
            form.setHorizontalSpacing(LABEL_GAP)
        indent = widest + LABEL_GAP
        self.description_label.setContentsMargins(indent, 0, 0, 0)
        # Room for the longest description, so the rows below stay put.
        self.description_label.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)

        self.preview_button = QPushButton(tr("Pre&view…"))
        self.preview_button.setObjectName("previewReport")
        self.preview_button.setDefault(True)
        self.export_button = QPushButton(tr("E&xport…"))
        self.export_button.setObjectName("exportTracker")
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # no measure of progress: it moves while the work runs
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.hide()
        self.status_label = QLabel()
        self.status_label.setObjectName("reportStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        actions = QHBoxLayout()
        actions.addWidget(self.preview_button)
        actions.addWidget(self.export_button)
        actions.addSpacing(8)
        actions.addWidget(self.busy_bar)
        actions.addStretch(1)

        column = QVBoxLayout()
        column.addWidget(heading)
        column.addWidget(intro)
        column.addSpacing(12)
        column.addLayout(self.report_form)
        column.addWidget(self.description_label)
        column.addSpacing(4)
        column.addLayout(self.form)
        column.addSpacing(12)
        column.addLayout(actions)
        column.addWidget(self.status_label)
        column.addStretch(1)
        holder = QWidget()
        holder.setLayout(column)
        holder.setMaximumWidth(FORM_WIDTH)

        layout = QHBoxLayout(self)
        layout.addWidget(holder, 1)
        layout.addStretch(0)

        self.report_combo.currentIndexChanged.connect(self._report_chosen)
        self.cohort_combo.currentIndexChanged.connect(self._cohort_chosen)
        self.apprentice_combo.currentIndexChanged.connect(self._apprentice_chosen)
        self.placement_combo.currentIndexChanged.connect(self._update_actions)
        self.preview_button.clicked.connect(self.preview)
        self.export_button.clicked.connect(self.export)
        self.set_actor(actor)

    # Choosing

    def _choosers(self) -> tuple[QComboBox, ...]:
        return (self.report_combo, self.cohort_combo, self.apprentice_combo, self.placement_combo)

    @property
    def kind(self) -> ReportKind:
        kind = self.report_combo.currentData()
        assert isinstance(kind, ReportKind)
        return kind

    def set_actor(self, actor: Actor | None) -> None:
        """Fill the choosers for whoever is signed in; empty them when nobody is."""
        self._actor = actor
        self.status_label.clear()
        self._fill_cohorts()
        self._report_chosen()

    def choose(self, kind: ReportKind) -> None:
        self.report_combo.setCurrentIndex(self.report_combo.findData(kind))

    def _report_chosen(self, _row: int = -1) -> None:
        kind = self.kind
        self.description_label.setText(tr(_DESCRIPTIONS[kind]))
        self.form.setRowVisible(self.apprentice_combo, kind.needs_apprentice)
        self.form.setRowVisible(self.placement_combo, kind.needs_placement)
        self.preview_button.setVisible(not kind.spreadsheet)
        self.export_button.setVisible(kind.spreadsheet)
        self._update_actions()

    def _fill(self, combo: QComboBox, items: list[tuple[str, int]], empty: str) -> None:
        combo.blockSignals(True)
        combo.clear()
        for text, value in items:
            combo.addItem(text, value)
        if not items:
            combo.addItem(empty, None)
        combo.setEnabled(bool(items))
        combo.setCurrentIndex(0)
        combo.blockSignals(False)

    def _fill_cohorts(self) -> None:
        cohorts = self._ask(lambda actor: cohort_choices(self._db, actor)) or []
        self._fill(
            self.cohort_combo,
            [(c.name, c.id) for c in cohorts],
            tr("Sign in to choose a cohort") if self._actor is None else tr("No cohorts yet"),
        )
        self._cohort_chosen()

    def _cohort_chosen(self, _row: int = -1) -> None:
        cohort_id = self.cohort_combo.currentData()
        rows = []
        if cohort_id is not None:
            rows = self._ask(lambda actor: apprentice_choices(self._db, actor, cohort_id)) or []
        self._apprentice_names = {a.id: a.name for a in rows}
        self._fill(
            self.apprentice_combo,
            [(self._apprentice_text(a.name, a.status), a.id) for a in rows],
            tr("No apprentices in this cohort"),
        )
        self._apprentice_chosen()

    @staticmethod
    def _apprentice_text(name: str, status: str) -> str:
        if status == "active":
            return name
        return tr("{name} ({status})").format(name=name, status=tr(status.replace("_", " ")))

    def _apprentice_chosen(self, _row: int = -1) -> None:
        apprentice_id = self.apprentice_combo.currentData()
        rows = []
        if apprentice_id is not None:
            rows = self._ask(lambda actor: placement_choices(self._db, actor, apprentice_id)) or []
        self._fill(
            self.placement_combo,
            [
                (
                    tr("{period}: {setting}, {host}").format(
                        period=format_period(p.start, p.end), setting=p.setting, host=p.host
                    ),
                    p.id,
                )
                for p in rows
            ],
            tr("No placements scheduled"),
        )
        self._update_actions()

    def _ask(self, query: Callable[[Actor], T]) -> T | None:
        """A quick read for a chooser; a refusal is shown on the page, not raised."""
        if self._actor is None:
            return None
        try:
            return query(self._actor)
        except (ServiceError, PermissionDenied) as exc:
            self.status_label.setText(str(exc))
            return None

    def request(self) -> ReportRequest | None:
        """What the choosers ask for; None while something needed is not chosen."""
        kind = self.kind
        cohort_id = self.cohort_combo.currentData()
        apprentice_id = self.apprentice_combo.currentData() if kind.needs_apprentice else None
        placement_id = self.placement_combo.currentData() if kind.needs_placement else None
        if cohort_id is None:
            return None
        if kind.needs_apprentice and apprentice_id is None:
            return None
        if kind.needs_placement and placement_id is None:
            return None
        return ReportRequest(kind, cohort_id, apprentice_id, placement_id)

    def _update_actions(self, _row: int = -1) -> None:
        ready = not self._busy and self.request() is not None
        self.preview_button.setEnabled(ready)
        self.export_button.setEnabled(ready)
        for combo in (self.cohort_combo, self.apprentice_combo, self.placement_combo):
            combo.setEnabled(not self._busy and combo.currentData() is not None)
        self.report_combo.setEnabled(not self._busy and self._actor is not None)

    # Writing

    def _subject(self, request: ReportRequest) -> str:
        if request.apprentice_id is not None:
            return self._apprentice_names[request.apprentice_id]
        return self.cohort_combo.currentText()

    def preview(self) -> None:
        request = self.request()
        if request is None or self._actor is None or self._busy:
            return
        label = report_label(request.kind)
        subject = self._subject(request)
        folder = Path(tempfile.mkdtemp(dir=self._scratch_folder()))
        out = folder / f"{file_stem(_LABELS[request.kind], subject)}.pdf"
        db, actor = self._db, self._actor
        self._start(tr("Writing the {report}…").format(report=label.lower()))
        run_task(
            lambda: write_report(db, actor, request, out),
            lambda path: self._show_preview(
                path, tr("{report}: {subject}").format(report=label, subject=subject)
            ),
            lambda exc: self._failed(exc, label, folder),
        )

    def _scratch_folder(self) -> str:
        if self._scratch is None:
            # Removed when the page goes, or at exit at the latest.
            self._scratch = tempfile.TemporaryDirectory(prefix="assessor-reports-")
        return self._scratch.name

    def _show_preview(self, pdf: Path, title: str) -> None:
        from assessor_app.ui.dialogs.print_preview import PrintPreviewDialog  # with pypdfium2

        self._finish("")
        dialog = PrintPreviewDialog(pdf, title, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: self._preview_closed(pdf))
        self.preview_dialog = dialog
        dialog.open()

    def _preview_closed(self, pdf: Path) -> None:
        self.preview_dialog = None
        shutil.rmtree(pdf.parent, ignore_errors=True)  # personal data: not left in temp

    def export(self) -> None:
        request = self.request()
        if request is None or self._actor is None or self._busy:
            return
        cohort = self.cohort_combo.currentText()
        suggested = Path.home() / f"{file_stem(cohort, 'tracker')}.xlsx"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, tr("Export the cohort tracker"), str(suggested), tr("Excel workbooks (*.xlsx)")
        )
        if not chosen:
            return
        out = Path(chosen)
        if out.suffix.lower() != ".xlsx":
            out = out.with_name(f"{out.name}.xlsx")
        db, actor = self._db, self._actor
        label = report_label(request.kind)
        self._start(tr("Exporting the tracker for {cohort}…").format(cohort=cohort))
        run_task(
            lambda: write_report(db, actor, request, out),
            lambda path: self._exported(path, cohort),
            lambda exc: self._failed(exc, label, None),
        )

    def _exported(self, path: Path, cohort: str) -> None:
        message = tr("The tracker for {cohort} was saved as {path}").format(
            cohort=cohort, path=path
        )
        self._finish(message)
        QMessageBox.information(self, tr("Tracker exported"), message)

    def _start(self, message: str) -> None:
        self._busy = True
        self.busy_bar.show()
        self.status_label.setText(message)
        self._update_actions()

    def _finish(self, message: str) -> None:
        self._busy = False
        self.busy_bar.hide()
        self.status_label.setText(message)
        self._update_actions()

    def _failed(self, exc: Exception, label: str, scratch: Path | None) -> None:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        self._finish("")
        if isinstance(exc, ServiceError | PermissionDenied):
            message = str(exc)
        elif isinstance(exc, OSError):
            message = tr("The file could not be written: {reason}.").format(
                reason=exc.strerror or exc
            )
        else:
            raise exc  # a programming error: the crash handler reports it
        self.status_label.setText(message)
        QMessageBox.warning(self, tr("{report} not written").format(report=label), message)
