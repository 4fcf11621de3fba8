"""Record a piece of evidence, correct one not yet accepted, or look at one already
recorded: method, date, where, what it covers across the apprentice's units, and its
files, added with a button or dropped onto the dialog. Also the small dialogs for
assessing evidence and for a sign-off judgement or the reason for revoking a sign-off
or returning accepted evidence."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assessor_app.domain.dates import format_date, format_period
from assessor_app.services.choice_lists import PlacementChoice
from assessor_app.services.errors import ServiceError
from assessor_app.services.evidence import (
    CONTEXTS,
    EDITABLE_STATUSES,
    METHOD_LABELS,
    EvidenceInput,
    assess_evidence,
    record_evidence,
    submit_evidence,
    update_evidence,
)
from assessor_app.services.evidence_queries import CONTEXT_LABELS, EvidenceBook, EvidenceRow
from assessor_app.services.roles import Actor, Permission, PermissionDenied
from assessor_app.ui.dialogs.form_dialog import FormDialog
from assessor_app.ui.models.evidence_table_model import samples_text, status_text
from assessor_app.ui.pages.record_tab import (
    FieldMarks,
    date_edit,
    from_qdate,
    message_label,
    show_message,
    to_qdate,
    with_error_line,
)
from assessor_app.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.widgets.check_outline import CheckOutlineDelegate
from assessor_app.ui.widgets.file_task import size_text
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database

COVERAGE_ROLE = Qt.ItemDataRole.UserRole + 1
PATH_ROLE = Qt.ItemDataRole.UserRole + 2


def choose_files(parent: QWidget) -> list[Path]:
    """Ask for files to attach; tests replace this."""
    names, _filter = QFileDialog.getOpenFileNames(parent, tr("Attach files to the evidence"))
    return [Path(name) for name in names]


def _placement_text(p: PlacementChoice) -> str:
    return tr("{setting}, {host} ({period})").format(
        setting=p.setting, host=p.host, period=format_period(p.start, p.end)
    )


class EvidenceDialog(QDialog):
    """A new piece of evidence; an existing one to correct (`edit=True`, while it is not
    yet accepted), every field filled in as saved; or an existing one to look at."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        book: EvidenceBook,
        placements: Sequence[PlacementChoice],
        evidence: EvidenceRow | None = None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        edit: bool = False,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._book = book
        self._placements = list(placements)
        self._today = today
        self.evidence = evidence
        self.editing = (
            edit
            and evidence is not None
            and evidence.status in EDITABLE_STATUSES
            and actor.can(Permission.RECORD_EVIDENCE)
        )
        self.saved_id: int | None = None
        self.notice = ""  # said by the tab once the dialog has closed
        self.setObjectName("evidenceDialog")
        self.setAcceptDrops(True)
        if evidence is None:
            title = tr("New evidence for {name}").format(name=book.apprentice_name)
        elif self.editing:
            title = tr("Edit evidence: {title}").format(title=evidence.title)
        else:
            title = tr("Evidence: {title}").format(title=evidence.title)
        self.setWindowTitle(title)
        self.marks = FieldMarks()
        self._build()
        if evidence is not None:
            self._show_existing(evidence)
        self.resize(980, 680)

    # Building

    def _build(self) -> None:
        self.method_combo = QComboBox()
        self.method_combo.setObjectName("methodCombo")
        for key, label in METHOD_LABELS.items():
            self.method_combo.addItem(tr(label), key)
        self.date_edit = date_edit(self._today or date.today(), "evidenceDate")
        self.date_edit.setMaximumDate(self.date_edit.date())
        self.context_combo = QComboBox()
        self.context_combo.setObjectName("contextCombo")
        for key in CONTEXTS:
            self.context_combo.addItem(tr(CONTEXT_LABELS[key]), key)
        self.placement_combo = QComboBox()
        self.placement_combo.setObjectName("placementCombo")
        # Long host names must not squeeze the list of units beside the form.
        self.placement_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.placement_combo.setMinimumContentsLength(30)
        for p in self._placements:
            self.placement_combo.addItem(_placement_text(p), p.id)
        self._pick_placement_for(from_qdate(self.date_edit.date()))
        self.date_edit.dateChanged.connect(lambda d: self._pick_placement_for(from_qdate(d)))
        self.context_combo.currentIndexChanged.connect(self._context_changed)
        self.method_combo.currentIndexChanged.connect(self._method_changed)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("titleEdit")
        self.title_edit.setPlaceholderText(tr("e.g. Observed a safe moving and handling transfer"))
        self.description_edit = QPlainTextEdit()
        self.description_edit.setObjectName("descriptionEdit")
        self.description_edit.setPlaceholderText(
            tr("What was seen or produced, and how it shows the criteria are met.")
        )
        self.witness_name_edit = QLineEdit()
        self.witness_name_edit.setObjectName("witnessNameEdit")
        self.witness_role_edit = QLineEdit()
        self.witness_role_edit.setObjectName("witnessRoleEdit")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, field, widget in (
            (tr("&Method:"), "method", self.method_combo),
            (tr("&Date:"), "on_date", self.date_edit),
            (tr("&Where:"), "context", self.context_combo),
            (tr("&Placement:"), "placement_id", self.placement_combo),
            (tr("&Title:"), "title", self.title_edit),
            (tr("D&escription:"), "description", self.description_edit),
            (tr("Witness &name:"), "witness_name", self.witness_name_edit),
            (tr("Witness &role:"), "witness_role", self.witness_role_edit),
        ):
            form.addRow(label, with_error_line(widget, self.marks.add(field, widget)))
        self._witness_rows = (self.witness_name_edit, self.witness_role_edit)
        self._form = form

        self.status_label = QLabel()
        self.status_label.setObjectName("evidenceStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.hide()

        self.criteria_tree = QTreeWidget()
        self.criteria_tree.setItemDelegate(CheckOutlineDelegate(self.criteria_tree))
        self.criteria_tree.setObjectName("criteriaTree")
        self.criteria_tree.setHeaderLabels([tr("Unit or criterion"), tr("Covered so far")])
        self.criteria_tree.setUniformRowHeights(True)
        self._fill_tree()
        tree_header = self.criteria_tree.header()
        tree_header.setStretchLastSection(False)
        tree_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        tree_header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        criteria_box = QGroupBox(tr("What it &covers"))
        criteria_column = QVBoxLayout(criteria_box)
        hint = QLabel(
            tr("Tick the criteria this evidence shows, or the unit itself when it has none.")
        )
        hint.setWordWrap(True)
        criteria_column.addWidget(hint)
        criteria_column.addWidget(self.criteria_tree, 1)
        criteria_column.addWidget(self.marks.add("coverage", self.criteria_tree))

        self.files_list = QListWidget()
        self.files_list.setObjectName("filesList")
        self.files_list.setMinimumHeight(70)
        self.files_list.setMaximumHeight(130)
        self.add_files_button = QPushButton(tr("&Add files…"))
        self.add_files_button.setObjectName("addFilesButton")
        self.add_files_button.setToolTip(tr("Attach files; you can also drop them on this window"))
        self.add_files_button.clicked.connect(self._add_files_clicked)
        self.remove_file_button = QPushButton(tr("Re&move"))
        self.remove_file_button.setObjectName("removeFileButton")
        self.remove_file_button.setToolTip(tr("Take the chosen new file off the list"))
        self.remove_file_button.clicked.connect(self._remove_file)
        files_box = QGroupBox(tr("Files"))
        files_column = QVBoxLayout(files_box)
        self.drop_hint = QLabel(tr("Drop files here or use Add files…"))
        self.drop_hint.setObjectName("dropHint")
        files_column.addWidget(self.drop_hint)
        files_column.addWidget(self.files_list, 1)
        files_column.addWidget(self.marks.add("attachments", self.files_list))
        files_buttons = QHBoxLayout()
        files_buttons.addWidget(self.add_files_button)
        files_buttons.addWidget(self.remove_file_button)
        files_buttons.addStretch(1)
        files_column.addLayout(files_buttons)

        self.error_label = message_label("evidenceError")
        self.draft_button = QPushButton(tr("Save as &draft"))
        self.draft_button.setObjectName("saveDraftButton")
        self.draft_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.draft_button.setToolTip(tr("Save without sending it for assessment (Ctrl+S)"))
        self.draft_button.clicked.connect(lambda: self.save(submit=False))
        self.submit_button = QPushButton(tr("Save and s&ubmit"))
        self.submit_button.setObjectName("saveSubmitButton")
        self.submit_button.setToolTip(tr("Save and send it to the assessor"))
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(lambda: self.save(submit=True))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.draft_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addLayout(form, 1)
        left.addWidget(files_box)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(criteria_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self._context_changed()
        self._method_changed()
        if not self._actor.can(Permission.RECORD_EVIDENCE):
            self._lock_everything()

    def _fill_tree(self) -> None:
        for unit in self._book.units:
            item = QTreeWidgetItem([f"{unit.ref}  {unit.title}"])
            item.setToolTip(0, unit.title)
            if unit.signed_off_on is not None:
                item.setText(1, tr("signed off"))
            elif unit.criteria:
                item.setText(1, f"{unit.covered}/{len(unit.criteria)}")
            else:
                item.setText(1, tr("{n} accepted").format(n=unit.accepted_pieces))
            if unit.criteria:
                item.setFlags(
                    item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate
                )
                for criterion in unit.criteria:
                    child = QTreeWidgetItem([f"{criterion.number}  {criterion.text}"])
                    child.setToolTip(0, criterion.text)
                    child.setData(0, COVERAGE_ROLE, (unit.ref, criterion.number))
                    child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    child.setCheckState(0, Qt.CheckState.Unchecked)
                    child.setText(1, "✓" if criterion.covered else "")
                    item.addChild(child)
            else:
                item.setData(0, COVERAGE_ROLE, (unit.ref, None))
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            self.criteria_tree.addTopLevelItem(item)

    # Filling in

    def _pick_placement_for(self, day: date) -> None:
        """The placement the apprentice was on that day, when there is one."""
        for i, p in enumerate(self._placements):
            if p.start <= day <= p.end:
                self.placement_combo.setCurrentIndex(i)
                return

    def _context_changed(self) -> None:
        on_placement = self.context_combo.currentData() == "placement"
        self.placement_combo.setEnabled(on_placement and self._changeable())

    def _changeable(self) -> bool:
        return self.evidence is None or self.editing

    def _method_changed(self) -> None:
        witness = self.method_combo.currentData() == "witness_testimony"
        for widget in self._witness_rows:
            self._form.setRowVisible(widget.parentWidget(), witness)

    def coverage_items(self) -> list[QTreeWidgetItem]:
        items = []
        for i in range(self.criteria_tree.topLevelItemCount()):
            top = self.criteria_tree.topLevelItem(i)
            items.extend(top.child(j) for j in range(top.childCount()))
            if top.childCount() == 0:
                items.append(top)
        return items

    def check(self, ref: str, number: str | None = None) -> None:
        """Tick a criterion (or a unit without criteria), as a person would."""
        for item in self.coverage_items():
            if item.data(0, COVERAGE_ROLE) == (ref, number):
                item.setCheckState(0, Qt.CheckState.Checked)
                return
        raise KeyError(f"{ref} {number or ''} is not in the list")

    def coverage(self) -> list[tuple[str, str | None]]:
        return [
            tuple(item.data(0, COVERAGE_ROLE))  # type: ignore[misc]
            for item in self.coverage_items()
            if item.checkState(0) == Qt.CheckState.Checked
        ]

    def new_files(self) -> list[Path]:
        return [
            Path(self.files_list.item(i).data(PATH_ROLE))
            for i in range(self.files_list.count())
            if self.files_list.item(i).data(PATH_ROLE)
        ]

    def add_files(self, paths: Sequence[Path]) -> int:
        """Put files on the list to attach when saved; returns how many were new."""
        have = set(self.new_files())
        added = 0
        for path in paths:
            if not path.is_file():
                show_message(
                    self.error_label,
                    tr("{name} is not a file that can be attached (a folder?).").format(
                        name=path.name
                    ),
                    error=True,
                )
                continue
            if path in have:
                continue
            have.add(path)
            item = QListWidgetItem(
                tr("{name} ({size}, new)").format(
                    name=path.name, size=size_text(path.stat().st_size)
                )
            )
            item.setData(PATH_ROLE, str(path))
            item.setToolTip(str(path))
            self.files_list.addItem(item)
            added += 1
        return added

    def _add_files_clicked(self) -> None:
        self.add_files(choose_files(self))

    def _remove_file(self) -> None:
        item = self.files_list.currentItem()
        if item is not None and item.data(PATH_ROLE):
            self.files_list.takeItem(self.files_list.row(item))

    def _can_take_files(self) -> bool:
        return self.add_files_button.isEnabled()

    @staticmethod
    def _local_files(event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self._can_take_files() and self._local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if self._can_take_files() and self._local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        files = self._local_files(event)
        if not self._can_take_files() or not files:
            event.ignore()
            return
        self.add_files(files)
        event.acceptProposedAction()

    # An existing piece

    def _show_existing(self, evidence: EvidenceRow) -> None:
        self.method_combo.setCurrentIndex(max(self.method_combo.findData(evidence.method), 0))
        self.date_edit.setDate(to_qdate(evidence.on_date))
        self.context_combo.setCurrentIndex(max(self.context_combo.findData(evidence.context), 0))
        if evidence.placement_id is not None:
            if self.placement_combo.findData(evidence.placement_id) < 0:
                # Never silently swap in another placement for one not offered.
                self.placement_combo.addItem(evidence.where, evidence.placement_id)
            self.placement_combo.setCurrentIndex(
                self.placement_combo.findData(evidence.placement_id)
            )
        self.title_edit.setText(evidence.title)
        self.description_edit.setPlainText(evidence.description)
        self.witness_name_edit.setText(evidence.witness_name)
        self.witness_role_edit.setText(evidence.witness_role)
        for ref, number in evidence.coverage:
            try:
                self.check(ref, number)
            except KeyError:
                self._add_out_of_scope(ref, number)
        for i in range(self.criteria_tree.topLevelItemCount()):
            top = self.criteria_tree.topLevelItem(i)
            top.setExpanded(top.checkState(0) != Qt.CheckState.Unchecked)
        for attachment in evidence.attachments:
            item = QListWidgetItem(
                tr("{name} ({size})").format(name=attachment.name, size=size_text(attachment.size))
            )
            item.setToolTip(tr("Already attached; files are kept with the evidence"))
            self.files_list.addItem(item)
        status = tr("Status: {status}").format(status=status_text(evidence.status))
        if evidence.assessed_on is not None:
            status += " " + tr("({name}, {on})").format(
                name=evidence.assessed_by, on=format_date(evidence.assessed_on)
            )
        if evidence.feedback:
            status += "\n" + tr("Feedback: {feedback}").format(feedback=evidence.feedback)
        if evidence.samples:
            status += "\n" + tr("Quality assurance samples, newest first:\n{samples}").format(
                samples=samples_text(evidence.samples)
            )
        self.status_label.setText(status)
        self.status_label.show()
        if self.editing:
            self._offer_edit(evidence)
        else:
            self._make_read_only()

    def _add_out_of_scope(self, ref: str, number: str | None) -> None:
        """Coverage of a unit no longer among the apprentice's: shown ticked so it is
        neither lost unseen nor kept unknowingly; untick it to take it off."""
        name = f"{ref} {number}" if number is not None else ref
        item = QTreeWidgetItem(
            [
                tr("{name} (no longer one of {apprentice}'s units)").format(
                    name=name, apprentice=self._book.apprentice_name
                )
            ]
        )
        item.setData(0, COVERAGE_ROLE, (ref, number))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked)
        self.criteria_tree.addTopLevelItem(item)

    def _offer_edit(self, evidence: EvidenceRow) -> None:
        resubmit = evidence.status in ("draft", "referred")
        self.draft_button.setText(tr("Sa&ve changes"))
        self.draft_button.setToolTip(
            tr("Save the corrections; the evidence stays {status} (Ctrl+S)").format(
                status=tr(evidence.status)
            )
        )
        self.submit_button.setVisible(resubmit)
        self.submit_button.setDefault(resubmit)
        self.draft_button.setDefault(not resubmit)

    def _make_read_only(self) -> None:
        for widget in (self.method_combo, self.date_edit, self.context_combo, self.placement_combo):
            widget.setEnabled(False)
        for edit in (self.title_edit, self.witness_name_edit, self.witness_role_edit):
            edit.setReadOnly(True)
        self.description_edit.setReadOnly(True)
        for item in self.coverage_items():
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
        for i in range(self.criteria_tree.topLevelItemCount()):
            top = self.criteria_tree.topLevelItem(i)
            top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
        self.drop_hint.hide()
        self._lock_everything()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Close"))

    def _lock_everything(self) -> None:
        for button in (
            self.draft_button,
            self.submit_button,
            self.add_files_button,
            self.remove_file_button,
        ):
            button.setEnabled(False)
            button.hide()

    # Saving

    def evidence_input(self) -> EvidenceInput:
        context = str(self.context_combo.currentData())
        placement = self.placement_combo.currentData() if context == "placement" else None
        return EvidenceInput(
            apprentice_id=self._book.apprentice_id,
            on_date=from_qdate(self.date_edit.date()),
            method=str(self.method_combo.currentData()),
            title=self.title_edit.text(),
            context=context,
            placement_id=int(placement) if placement is not None else None,
            description=self.description_edit.toPlainText(),
            witness_name=self.witness_name_edit.text(),
            witness_role=self.witness_role_edit.text(),
            coverage=tuple(self.coverage()),
        )

    def save(self, *, submit: bool) -> None:
        if not self._changeable():
            return
        self.marks.clear()
        show_message(self.error_label, "")
        db, actor, today, files = self._db, self._actor, self._today, self.new_files()
        existing = self.evidence
        if existing is None:
            data = self.evidence_input()

            def work() -> tuple[int, str]:
                evidence_id = record_evidence(db, actor, data, files, today=today)
                return evidence_id, self._then_submit(evidence_id, submit)

        else:
            evidence_id, version, data = existing.id, existing.version, self.evidence_input()

            def work() -> tuple[int, str]:
                saved = update_evidence(
                    db, actor, evidence_id, data, files, expected_version=version, today=today
                )
                return evidence_id, self._then_submit(evidence_id, submit, saved)

        self._set_busy(True)
        run_task(work, self._saved, self._failed, owner=self)

    def _then_submit(self, evidence_id: int, submit: bool, version: int | None = None) -> str:
        """Submitting runs after the record is saved; a refusal then is reported
        with the record kept as a draft, rather than the whole save looking failed."""
        if not submit:
            return ""
        try:
            submit_evidence(self._db, self._actor, evidence_id, expected_version=version)
        except (ServiceError, PermissionDenied) as exc:
            return tr("Saved, but not submitted: {reason}").format(reason=str(exc))
        return ""

    def _saved(self, result: tuple[int, str]) -> None:
        self._set_busy(False)
        self.saved_id, self.notice = result
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self.marks.show_refusal(exc, self.error_label)

    def _set_busy(self, busy: bool) -> None:
        self.draft_button.setEnabled(not busy)
        self.submit_button.setEnabled(not busy)


class NoteDialog(FormDialog):
    """One piece of text the service needs (a judgement, a reason), saved by `action`
    off the window's thread; the service's refusal of the text is shown under it."""

    def __init__(
        self,
        title: str,
        explanation: str,
        label: str,
        field: str,
        button_text: str,
        action: Callable[[str], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent, intro=explanation, save_text=button_text)
        self.setObjectName("noteDialog")
        self._action = action
        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("noteText")
        prompt = QLabel(label)
        prompt.setBuddy(self.text_edit)  # so the label's &-mnemonic focuses the text
        self.form.addRow(prompt)
        self.form.addRow(with_error_line(self.text_edit, self.marks.add(field, self.text_edit)))
        self.save_button.setObjectName("noteOk")
        self.resize(520, 320)

    def submit(self) -> None:
        text, action = self.text_edit.toPlainText(), self._action
        self.run(lambda: action(text))


class AssessDialog(NoteDialog):
    """Accept submitted evidence, or refer it back with feedback saying what is needed."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        evidence: EvidenceRow,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        def assess(feedback: str, accept: bool = True) -> int:
            return assess_evidence(
                db,
                actor,
                evidence.id,
                accept=accept,
                feedback=feedback,
                on=today,
                expected_version=evidence.version,
            )

        super().__init__(
            tr("Assess evidence"),
            tr(
                "<b>{title}</b> ({method}, {on}) covers {covers}. Accept it, or refer it "
                "back with feedback saying what more is needed."
            ).format(
                title=evidence.title.replace("&", "&amp;").replace("<", "&lt;"),
                method=evidence.method_label,
                on=format_date(evidence.on_date),
                covers=evidence.covers_text,
            ),
            tr("&Feedback (needed when referring back):"),
            "feedback",
            tr("&Accept"),
            assess,
            parent,
        )
        self._assess = assess
        self._referring = False  # for the one press of Refer back
        self.setObjectName("assessDialog")
        self.save_button.setObjectName("acceptEvidence")
        self.refer_button = QPushButton(tr("&Refer back"))
        self.refer_button.setObjectName("referEvidence")
        self.refer_button.clicked.connect(self.refer)
        self.buttons.addButton(self.refer_button, QDialogButtonBox.ButtonRole.ActionRole)

    def refer(self) -> None:
        if self.running:
            return
        self._referring = True
        try:
            self.save()
        finally:
            self._referring = False

    def submit(self) -> None:
        accept, assess = not self._referring, self._assess
        feedback = self.text_edit.toPlainText()
        self.run(lambda: assess(feedback, accept))
