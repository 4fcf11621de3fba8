"""The apprentice's evidence: the list with its files, recording, correcting,
submitting and assessing evidence, returning accepted evidence for correction, each
unit's sign-off (assessors only), and quality assurance sampling of assessed evidence
and signed-off units (internal quality assurers only)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from assessor_app.domain.dates import format_date
from assessor_app.domain.wording import plural
from assessor_app.services.choice_lists import PlacementChoice, placement_choices
from assessor_app.services.evidence import (
    EDITABLE_STATUSES,
    open_attachment,
    return_evidence,
    revoke_sign_off,
    sign_off_unit,
    submit_evidence,
    units_text,
)
from assessor_app.services.evidence_queries import (
    EvidenceBook,
    EvidenceRow,
    UnitEvidenceState,
    evidence_book,
)
from assessor_app.services.roles import Actor, Permission
from assessor_app.ui.dialogs.evidence_dialog import AssessDialog, EvidenceDialog, NoteDialog
from assessor_app.ui.dialogs.iqa_dialog import SampleDialog
from assessor_app.ui.models.evidence_table_model import EvidenceTableModel, UnitSignOffModel
from assessor_app.ui.models.sort_proxy import ROW_ROLE
from assessor_app.ui.pages.record_tab import (
    RecordTab,
    ask_to_confirm,
    run_dialog,
    selected_record,
    table_view,
)
from assessor_app.ui.qt import (
    QDesktopServices,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QShortcut,
    QSplitter,
    Qt,
    QUrl,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database

ATTACHMENT_ROLE = Qt.ItemDataRole.UserRole + 1


def show_file(path: Path) -> bool:
    """Open a file with the program the computer uses for it; tests replace this."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


@dataclass(frozen=True)
class EvidenceData:
    book: EvidenceBook
    placements: tuple[PlacementChoice, ...]


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    return button


class EvidenceTab(RecordTab):
    def __init__(
        self,
        db: Database,
        actor: Actor,
        apprentice_id: int,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(db, actor, apprentice_id, parent, today=today)
        self.setObjectName("evidenceTab")
        self.data: EvidenceData | None = None
        self._copies = tempfile.TemporaryDirectory(prefix="assessor-evidence-")

        self.model = EvidenceTableModel(self)
        self.table = table_view(self.model, "evidenceTable", (1, 2, 3, 4, 5))
        self.proxy = self.table.model()
        self.table.sortByColumn(EvidenceTableModel.DATE, Qt.SortOrder.DescendingOrder)
        # A double-click (or Enter) corrects the piece when that is allowed, else shows it.
        self.table.activated.connect(lambda _index: self.activate_evidence())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.new_button = _button(
            tr("&New…"), "newEvidence", tr("Record a new piece of evidence (Ctrl+N)")
        )
        self.new_button.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self.new_button.clicked.connect(self.new_evidence)
        self.open_button = _button(
            tr("&Open…"), "openEvidence", tr("See the chosen evidence and what it covers")
        )
        self.open_button.clicked.connect(self.open_evidence)
        self.edit_button = _button(tr("&Edit…"), "editEvidence", tr(_EDIT_TIP))
        self.edit_button.clicked.connect(self.edit_selected)
        self.submit_button = _button(
            tr("S&ubmit"), "submitEvidence", tr("Send the chosen draft to the assessor")
        )
        self.submit_button.clicked.connect(self.submit_selected)
        self.assess_button = _button(
            tr("&Assess…"), "assessEvidence", tr("Accept the chosen evidence or refer it back")
        )
        self.assess_button.clicked.connect(self.assess_selected)
        self.return_button = _button(tr("Re&turn…"), "returnEvidence", tr(_RETURN_TIP))
        self.return_button.clicked.connect(self.return_selected)
        self.sample_button = _button(tr("Sa&mple…"), "sampleEvidence", tr(_SAMPLE_TIP))
        self.sample_button.clicked.connect(self.sample_selected)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("evidenceSearch")
        self.search_edit.setPlaceholderText(tr("Find evidence (Ctrl+F)"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(220)
        self.search_edit.textChanged.connect(self.proxy.set_text)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.search_edit.setFocus)

        self.files_list = QListWidget()
        self.files_list.setObjectName("evidenceFiles")
        self.files_list.itemActivated.connect(lambda _item: self.open_selected_file())
        self.files_list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.open_file_button = _button(
            tr("Open &file"), "openAttachment", tr("Open the chosen file (a checked copy)")
        )
        self.open_file_button.clicked.connect(self.open_selected_file)

        self.unit_model = UnitSignOffModel(self)
        self.unit_table = table_view(self.unit_model, "unitSignOffTable")
        self.unit_table.sortByColumn(UnitSignOffModel.UNIT, Qt.SortOrder.AscendingOrder)
        self.unit_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.sign_off_button = _button(
            tr("&Sign off…"), "signOffUnit", tr("Sign off the chosen unit")
        )
        self.sign_off_button.clicked.connect(self.sign_off_selected)
        self.revoke_button = _button(
            tr("&Revoke…"),
            "revokeSignOff",
            tr("Withdraw the chosen unit's sign-off"),
        )
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.sample_unit_button = _button(tr("Sam&ple…"), "sampleUnit", tr(_SAMPLE_UNIT_TIP))
        self.sample_unit_button.clicked.connect(self.sample_unit_selected)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("evidenceSummary")

        evidence_box = QGroupBox(tr("Evidence"))
        buttons = QHBoxLayout()
        for widget in (
            self.new_button,
            self.open_button,
            self.edit_button,
            self.submit_button,
            self.assess_button,
            self.return_button,
            self.sample_button,
        ):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.search_edit)
        self.files_list.setMaximumWidth(200)
        self.open_file_button.setMaximumWidth(200)
        files_column = QVBoxLayout()
        files_column.addWidget(QLabel(tr("Files of the chosen evidence:")))
        files_column.addWidget(self.files_list, 1)
        files_column.addWidget(self.open_file_button)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 5)
        middle.addLayout(files_column, 1)
        evidence_column = QVBoxLayout(evidence_box)
        evidence_column.addLayout(buttons)
        evidence_column.addLayout(middle, 1)
        evidence_column.addWidget(self.summary_label)

        units_box = QGroupBox(tr("Units and sign-off"))
        unit_buttons = QHBoxLayout()
        unit_buttons.addWidget(self.sign_off_button)
        unit_buttons.addWidget(self.revoke_button)
        unit_buttons.addWidget(self.sample_unit_button)
        unit_buttons.addStretch(1)
        units_column = QVBoxLayout(units_box)
        units_column.addLayout(unit_buttons)
        units_column.addWidget(self.unit_table, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(evidence_box)
        splitter.addWidget(units_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_label)
        layout.addWidget(splitter, 1)
        self._apply_permissions()
        self.reload()

    # Loading

    def load(self) -> EvidenceData:
        db, actor, apprentice_id = self._db, self._actor, self.apprentice_id
        return EvidenceData(
            evidence_book(db, actor, apprentice_id),
            tuple(placement_choices(db, actor, apprentice_id)),
        )

    def show_data(self, data: EvidenceData) -> None:
        chosen = self.selected_evidence()
        chosen_unit = self.selected_unit()
        self.data = data
        self.model.set_rows(data.book.evidence)
        self.unit_model.set_rows(data.book.units)
        # Long titles and places are cut short (the tooltip has them whole) so the
        # status, IQA and files columns stay in view.
        self.columns.fit(
            self.table,
            {
                EvidenceTableModel.TITLE: 180,
                EvidenceTableModel.COVERS: 110,
                EvidenceTableModel.WHERE: 120,
                EvidenceTableModel.ASSESSOR: 110,
                EvidenceTableModel.FILES: 60,
            },
        )
        self.columns.fit(self.unit_table, {UnitSignOffModel.TITLE: 380})
        counts = {s: sum(1 for e in data.book.evidence if e.status == s) for s in _STATUSES}
        signed = sum(1 for u in data.book.units if u.signed_off_on is not None)
        self.summary_label.setText(
            tr(
                "{total}: {draft} draft, {submitted} waiting for assessment, "
                "{accepted} accepted, {referred} referred. {signed} of {units} units signed off."
            ).format(
                total=plural(len(data.book.evidence), tr("piece"), tr("pieces")),
                signed=signed,
                units=len(data.book.units),
                **counts,
            )
        )
        if chosen is not None:
            self.select_evidence(chosen.id)
        if chosen_unit is not None:
            self.select_unit(chosen_unit.ref)
        self._show_files()
        self._update_buttons()

    def set_actor(self, actor: Actor) -> None:
        self._actor = actor
        self._apply_permissions()
        self.reload()

    def _apply_permissions(self) -> None:
        """What the role may not do is not offered at all."""
        records = self._actor.can(Permission.RECORD_EVIDENCE)
        self.new_button.setVisible(records)
        self.edit_button.setVisible(records)
        self.submit_button.setVisible(records)
        assesses = self._actor.can(Permission.ASSESS_EVIDENCE)
        self.assess_button.setVisible(assesses)
        self.return_button.setVisible(assesses)
        signs = self._actor.can(Permission.SIGN_OFF_UNITS)
        self.sign_off_button.setVisible(signs)
        self.revoke_button.setVisible(signs)
        samples = self._actor.can(Permission.SAMPLE_ASSESSMENTS)
        self.sample_button.setVisible(samples)
        self.sample_unit_button.setVisible(samples)
        self._update_buttons()

    # Selection

    def selected_evidence(self) -> EvidenceRow | None:
        record = selected_record(self.table)
        return record if isinstance(record, EvidenceRow) else None

    def selected_unit(self) -> UnitEvidenceState | None:
        record = selected_record(self.unit_table)
        return record if isinstance(record, UnitEvidenceState) else None

    def select_evidence(self, evidence_id: int) -> bool:
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if self.proxy.data(index, ROW_ROLE).id == evidence_id:
                self.table.selectRow(r)
                self.table.setCurrentIndex(index)
                return True
        return False

    def select_unit(self, ref: str) -> bool:
        proxy = self.unit_table.model()
        for r in range(proxy.rowCount()):
            index = proxy.index(r, 0)
            if proxy.data(index, ROW_ROLE).ref == ref:
                self.unit_table.selectRow(r)
                self.unit_table.setCurrentIndex(index)
                return True
        return False

    def _selection_changed(self) -> None:
        self._show_files()
        self._update_buttons()

    def _show_files(self) -> None:
        self.files_list.clear()
        evidence = self.selected_evidence()
        if evidence is None:
            return
        for attachment in evidence.attachments:
            item = QListWidgetItem(attachment.name)
            item.setData(ATTACHMENT_ROLE, attachment.id)
            item.setToolTip(attachment.media_type)
            self.files_list.addItem(item)
        if self.files_list.count():
            self.files_list.setCurrentRow(0)

    def _update_buttons(self) -> None:
        evidence = self.selected_evidence()
        unit = self.selected_unit()
        self.open_button.setEnabled(evidence is not None)
        self.submit_button.setEnabled(
            evidence is not None and evidence.status in ("draft", "referred")
        )
        self.assess_button.setEnabled(evidence is not None and evidence.status == "submitted")
        why_not = self.edit_refusal(evidence) if evidence is not None else ""
        self.edit_button.setEnabled(evidence is not None and not why_not)
        self.edit_button.setToolTip(why_not or tr(_EDIT_TIP))
        backs = self.backed_sign_offs(evidence) if evidence is not None else []
        self.return_button.setEnabled(
            evidence is not None and evidence.status == "accepted" and not backs
        )
        self.return_button.setToolTip(
            tr("It backs the sign-off of {units}: revoke the sign-off first").format(
                units=units_text(backs)
            )
            if backs
            else tr(_RETURN_TIP)
        )
        self.open_file_button.setEnabled(self.files_list.currentItem() is not None)
        self.sign_off_button.setEnabled(
            unit is not None and unit.signed_off_on is None and unit.ready
        )
        self.revoke_button.setEnabled(unit is not None and unit.signed_off_on is not None)
        self.sample_button.setEnabled(evidence is not None and evidence.assessed)
        self.sample_button.setToolTip(
            tr(_SAMPLE_TIP)
            if evidence is None or evidence.assessed
            else tr("Only evidence an assessor has accepted or referred can be sampled")
        )
        self.sample_unit_button.setEnabled(unit is not None and unit.signed_off_on is not None)
        self.sample_unit_button.setToolTip(
            tr(_SAMPLE_UNIT_TIP)
            if unit is None or unit.signed_off_on is not None
            else tr("Only a signed-off unit can be sampled")
        )

    # Evidence

    def backed_sign_offs(self, evidence: EvidenceRow) -> list[str]:
        """The units whose current sign-off this piece backs (only accepted pieces do)."""
        if self.data is None or evidence.status != "accepted":
            return []
        covered = {ref for ref, _number in evidence.coverage}
        return [
            u.ref for u in self.data.book.units if u.signed_off_on is not None and u.ref in covered
        ]

    def edit_refusal(self, evidence: EvidenceRow) -> str:
        """Why the piece cannot be corrected now, in words for the Edit button; '' if it can."""
        if not self._actor.can(Permission.RECORD_EVIDENCE):
            return tr("Your role does not record evidence")
        if evidence.status in EDITABLE_STATUSES:
            return ""
        backs = self.backed_sign_offs(evidence)
        if backs:
            return tr(
                "Accepted evidence backing the sign-off of {units}: the sign-off must be "
                "revoked and the evidence returned before it can be changed"
            ).format(units=units_text(backs))
        return tr("Accepted evidence: an assessor must return it before it can be changed")

    def _dialog(self, evidence: EvidenceRow | None, *, edit: bool = False) -> EvidenceDialog | None:
        if self.data is None:
            return None
        return EvidenceDialog(
            self._db,
            self._actor,
            self.data.book,
            self.data.placements,
            evidence,
            self,
            today=self._today,
            edit=edit,
        )

    def new_evidence(self) -> None:
        if not self._actor.can(Permission.RECORD_EVIDENCE):
            return
        dialog = self._dialog(None)
        if dialog is not None and run_dialog(dialog):
            self._after_dialog(dialog)

    def open_evidence(self) -> None:
        evidence = self.selected_evidence()
        if evidence is None:
            return
        dialog = self._dialog(evidence)
        if dialog is not None:
            run_dialog(dialog)

    def edit_selected(self) -> None:
        evidence = self.selected_evidence()
        if evidence is None or self.edit_refusal(evidence):
            return
        dialog = self._dialog(evidence, edit=True)
        if dialog is not None and run_dialog(dialog):
            self._after_dialog(dialog)

    def activate_evidence(self) -> None:
        evidence = self.selected_evidence()
        if evidence is not None and not self.edit_refusal(evidence):
            self.edit_selected()
        else:
            self.open_evidence()

    def _after_dialog(self, dialog: EvidenceDialog) -> None:
        done = tr("Changes saved.") if dialog.editing else tr("Evidence saved.")
        self.show_message(dialog.notice or done, error=bool(dialog.notice))
        self.changed.emit()
        self.reload()
        if dialog.saved_id is not None:
            self.select_evidence(dialog.saved_id)

    def submit_selected(self) -> None:
        evidence = self.selected_evidence()
        if evidence is None:
            return
        db, actor = self._db, self._actor
        self.save(
            lambda: submit_evidence(db, actor, evidence.id, expected_version=evidence.version),
            lambda _v: self.show_message(
                tr("“{title}” sent for assessment.").format(title=evidence.title)
            ),
        )

    def assess_selected(self) -> None:
        evidence = self.selected_evidence()
        if evidence is None or not self._actor.can(Permission.ASSESS_EVIDENCE):
            return
        if run_dialog(AssessDialog(self._db, self._actor, evidence, self, today=self._today)):
            self.show_message(tr("Assessment saved."))
            self.changed.emit()
            self.reload()

    def return_selected(self) -> None:
        evidence = self.selected_evidence()
        if (
            evidence is None
            or evidence.status != "accepted"
            or not self._actor.can(Permission.ASSESS_EVIDENCE)
        ):
            return
        db, actor, on = self._db, self._actor, self._today
        dialog = NoteDialog(
            tr("Return evidence for correction"),
            tr(
                "“{title}” was accepted. Returning it sends it back as referred, with your "
                "reason as feedback, so it can be corrected and submitted again."
            ).format(title=evidence.title),
            tr("&Reason (what needs correcting):"),
            "reason",
            tr("Return for correction"),
            lambda text: return_evidence(
                db, actor, evidence.id, text, on=on, expected_version=evidence.version
            ),
            self,
        )
        if run_dialog(dialog):
            self.show_message(tr("“{title}” returned for correction.").format(title=evidence.title))
            self.changed.emit()
            self.reload()

    def sample_selected(self) -> None:
        evidence = self.selected_evidence()
        if (
            evidence is None
            or not evidence.assessed
            or not self._actor.can(Permission.SAMPLE_ASSESSMENTS)
        ):
            return
        dialog = SampleDialog(
            self._db,
            self._actor,
            self.apprentice_id,
            evidence=evidence,
            parent=self,
            today=self._today,
        )
        if run_dialog(dialog):
            self.show_message(tr("Sample of “{title}” saved.").format(title=evidence.title))
            self.changed.emit()
            self.reload()

    def open_selected_file(self) -> None:
        item = self.files_list.currentItem()
        if item is None:
            return
        attachment_id = int(item.data(ATTACHMENT_ROLE))
        db, actor = self._db, self._actor
        # A folder per attachment keeps two files of the same name apart; the name
        # itself is kept so the computer picks the right program for it.
        folder = Path(self._copies.name) / str(attachment_id)
        target = folder / (Path(item.text()).name or "attachment")

        def copy_out() -> Path:
            folder.mkdir(parents=True, exist_ok=True)
            return open_attachment(db, actor, attachment_id, target)

        def copied(path: Path) -> None:
            if not show_file(path):
                self.show_message(
                    tr("No program on this computer opens {name}; the copy is at {path}.").format(
                        name=path.name, path=path
                    ),
                    error=True,
                )

        run_task(
            copy_out,
            copied,
            self.failed,
            owner=self,
        )

    # Units

    def sign_off_selected(self) -> None:
        unit = self.selected_unit()
        if unit is None or not self._actor.can(Permission.SIGN_OFF_UNITS):
            return
        db, actor, apprentice_id, on = self._db, self._actor, self.apprentice_id, self._today
        if unit.criteria:
            if not ask_to_confirm(
                self,
                tr("Sign off unit"),
                tr(
                    "Sign off unit {ref} {title}? Accepted evidence covers all {count} criteria."
                ).format(ref=unit.ref, title=unit.title, count=len(unit.criteria)),
                tr("Sign off"),
            ):
                return
            self.save(
                lambda: sign_off_unit(db, actor, apprentice_id, unit.ref, on=on),
                lambda _id: self.show_message(tr("Unit {ref} signed off.").format(ref=unit.ref)),
            )
            return
        dialog = NoteDialog(
            tr("Sign off unit {ref}").format(ref=unit.ref),
            tr(
                "Unit {ref} {title} has no criteria in the catalogue. Record your judgement of "
                "how the accepted evidence meets the unit."
            ).format(ref=unit.ref, title=unit.title),
            tr("Your &judgement:"),
            "judgement",
            tr("Sign off"),
            lambda text: sign_off_unit(db, actor, apprentice_id, unit.ref, on=on, judgement=text),
            self,
        )
        if run_dialog(dialog):
            self.show_message(tr("Unit {ref} signed off.").format(ref=unit.ref))
            self.changed.emit()
            self.reload()

    def revoke_selected(self) -> None:
        unit = self.selected_unit()
        if unit is None or unit.signed_off_on is None:
            return
        db, actor, apprentice_id, on = self._db, self._actor, self.apprentice_id, self._today
        dialog = NoteDialog(
            tr("Revoke sign-off of unit {ref}").format(ref=unit.ref),
            tr(
                "Unit {ref} {title} was signed off on {on} by {name}. Revoking it withdraws "
                "the sign-off; the reason is kept in the record and its history."
            ).format(
                ref=unit.ref,
                title=unit.title,
                on=format_date(unit.signed_off_on),
                name=unit.signed_off_by,
            ),
            tr("&Reason:"),
            "reason",
            tr("Revoke sign-off"),
            lambda text: revoke_sign_off(db, actor, apprentice_id, unit.ref, text, on=on),
            self,
        )
        if run_dialog(dialog):
            self.show_message(tr("The sign-off of unit {ref} was revoked.").format(ref=unit.ref))
            self.changed.emit()
            self.reload()

    def sample_unit_selected(self) -> None:
        unit = self.selected_unit()
        if (
            unit is None
            or unit.signed_off_on is None
            or not self._actor.can(Permission.SAMPLE_ASSESSMENTS)
        ):
            return
        dialog = SampleDialog(
            self._db, self._actor, self.apprentice_id, unit=unit, parent=self, today=self._today
        )
        if run_dialog(dialog):
            self.show_message(tr("Sample of unit {ref} saved.").format(ref=unit.ref))
            self.changed.emit()
            self.reload()


_STATUSES = ("draft", "submitted", "accepted", "referred")
_EDIT_TIP = "Correct the chosen evidence: date, place, what it covers, wording or files"
_RETURN_TIP = "Send the chosen accepted evidence back so it can be corrected"
_SAMPLE_TIP = "Record a quality assurance sample of the assessor's decision on the chosen evidence"
_SAMPLE_UNIT_TIP = "Record a quality assurance sample of the chosen signed-off unit"
