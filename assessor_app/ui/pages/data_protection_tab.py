"""Data protection for one apprentice, for the provider's data-protection lead: how
long the records are kept and why, a legal hold, a restriction of processing after
an erasure request, the subject access export and, once nothing keeps the record,
erasure of their personal data behind typing their surname.

Shown only to roles that may manage retention or make the export (the services
check again). The rules are in services/retention.py and services/subject_access.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from assessor_app.domain.dates import format_date
from assessor_app.domain.wording import plural
from assessor_app.reports.subject_access import export_apprentice
from assessor_app.services.app_settings import get_settings
from assessor_app.services.apprentice_record_queries import apprentice_profile
from assessor_app.services.errors import FieldError, ServiceError
from assessor_app.services.retention import (
    ErasureOutcome,
    ErasureSummary,
    RetentionState,
    erase_apprentice,
    lift_restriction,
    request_erasure,
    retention_state,
    set_legal_hold,
)
from assessor_app.services.roles import Actor, Permission
from assessor_app.ui.colours import Tone, tone_style
from assessor_app.ui.dialogs.form_dialog import FormDialog
from assessor_app.ui.dialogs.retention_due_dialog import RetentionDueDialog
from assessor_app.ui.models.apprentice_table_model import status_label
from assessor_app.ui.pages.record_tab import (
    FieldMarks,
    RecordTab,
    bold_label,
    run_dialog,
    with_error_line,
)
from assessor_app.ui.qt import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.widgets.file_task import BusyIndicator, ask_zip_path, run_file_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database
    from assessor_app.ui.pages.apprentice_page import ApprenticePage


def may_see(actor: Actor) -> bool:
    """The tab is for those who may manage retention or export everything held."""
    return actor.can(Permission.MANAGE_RETENTION) or may_export(actor)


def may_export(actor: Actor) -> bool:
    # As services/subject_access.write_package checks: the package holds their audit entries.
    return actor.can(Permission.MANAGE_APPRENTICES) and actor.can(Permission.VIEW_AUDIT)


def add_data_protection_tab(
    page: ApprenticePage, db: Database, actor: Actor, apprentice_id: int, today: date | None
) -> DataProtectionTab | None:
    """Add the tab to an apprentice's page for those who may use it; None for others."""
    if not may_see(actor):
        return None
    tab = DataProtectionTab(db, actor, apprentice_id, today=today)
    page.add_tab(tab, tr("Data pro&tection"))
    return tab


def suggested_export_path(name: str, today: date) -> Path:
    """subject-access-amira-hussain-2026-12-03.zip in the documents folder (the home
    folder when there is none)."""
    folder = Path(platformdirs.user_documents_dir())
    if not folder.is_dir():
        folder = Path.home()
    stem = "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())
    return folder / f"subject-access-{stem or 'apprentice'}-{today.isoformat()}.zip"


def ask_export_path(parent: QWidget, suggested: Path) -> Path | None:
    """Where to save the package, or None if the person cancels; tests replace this."""
    return ask_zip_path(parent, tr("Export everything held"), suggested, tr("Zip packages (*.zip)"))


@dataclass(frozen=True)
class DataProtectionData:
    state: RetentionState
    family_name: str  # typed to confirm an erasure
    retention_years: int


def headline(state: RetentionState, today: date) -> str:
    """One line for the top of the tab: kept until when, or why, or erased."""
    if state.erased_on is not None:
        text = tr("Personal data erased on {on}.").format(on=format_date(state.erased_on))
    elif state.legal_hold:
        text = tr("Kept: under a legal hold.")
    elif state.keep_until is None:
        text = tr("Kept: still on the programme.")
    elif today <= state.keep_until:
        text = tr("Kept until {on}.").format(on=format_date(state.keep_until))
    else:
        text = tr("Past retention since {on}: the personal data may now be erased.").format(
            on=format_date(state.keep_until)
        )
    if state.processing_restricted and state.erased_on is None:
        text = tr("{text} Processing is restricted.").format(text=text)
    return text


class EraseDialog(FormDialog):
    """Erasing cannot be undone, so the person types the apprentice's surname first;
    the Erase button waits until it matches."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        apprentice_id: int,
        name: str,
        family_name: str,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            tr("Erase personal data"),
            parent,
            intro=tr(
                "This cannot be undone. {name}'s name, ULN, date of birth and contact "
                "details, the descriptions and files of their evidence, and the notes of "
                "their reviews and hours are erased, and removed from the audit trail. An "
                "anonymous record stays, so the cohort's outcomes still count them.\n\n"
                "To confirm, type their surname, {family}, below."
            ).format(name=name, family=family_name),
            save_text=tr("&Erase personal data"),
        )
        self.setObjectName("eraseDialog")
        self._db, self._actor, self._today = db, actor, today
        self.apprentice_id = apprentice_id
        self.family_name = family_name
        self.surname_edit = self.line("surname", tr("&Surname:"))
        self.surname_edit.setPlaceholderText(family_name)
        self.surname_edit.textChanged.connect(self._check)
        self.save_button.setAutoDefault(False)
        self.save_button.setDefault(False)
        self._check()
        self.surname_edit.setFocus()

    def surname_matches(self) -> bool:
        return self.surname_edit.text().strip().casefold() == self.family_name.casefold()

    def _check(self) -> None:
        self.save_button.setEnabled(self.surname_matches())

    def submit(self) -> None:
        if not self.surname_matches():
            raise FieldError(
                "surname",
                tr("Type the surname {family} exactly as shown, to confirm.").format(
                    family=self.family_name
                ),
            )
        db, actor, apprentice_id, today = self._db, self._actor, self.apprentice_id, self._today
        self.run(lambda: erase_apprentice(db, actor, apprentice_id, today=today))


def _form_box(title: str) -> tuple[QGroupBox, QFormLayout]:
    box = QGroupBox(title)
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return box, form


def _sentence(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _button(text: str, name: str, tip: str, clicked: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.clicked.connect(clicked)
    return button


def _button_row(button: QPushButton) -> QWidget:
    """The button at its own width, on the left of its row."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(button)
    layout.addStretch(1)
    return row


class DataProtectionTab(RecordTab):
    def set_up(self) -> None:
        self.setObjectName("dataProtectionTab")
        self.data: DataProtectionData | None = None
        self.exporting = False
        self.hold_marks = FieldMarks()
        self.restriction_marks = FieldMarks()

        self.headline_label = bold_label("retentionHeadline")
        self.due_button = _button(
            tr("Show everyone past retention…"),
            "showRetentionDue",
            tr("List every apprentice whose retention period is over and not yet erased"),
            self.show_due,
        )
        header = QHBoxLayout()
        header.addWidget(self.headline_label, 1)
        header.addWidget(self.due_button, 0, Qt.AlignmentFlag.AlignTop)

        # How long the records are kept.
        self.status_label = _sentence("retentionStatus")
        self.keep_until_label = _sentence("keepUntil")
        self.why_label = _sentence("whyKept")
        retention_box, retention_form = _form_box(tr("Retention"))
        retention_form.addRow(tr("Status:"), self.status_label)
        retention_form.addRow(tr("Keep until:"), self.keep_until_label)
        retention_form.addRow(tr("Now:"), self.why_label)

        # Legal hold.
        self.hold_label = _sentence("legalHoldState")
        self.hold_reason_edit = QLineEdit()
        self.hold_reason_edit.setObjectName("legalHoldReason")
        self.hold_reason_edit.returnPressed.connect(self.toggle_hold)
        self.hold_button = _button(tr("Place legal &hold"), "toggleLegalHold", "", self.toggle_hold)
        self.hold_box, self.hold_form = _form_box(tr("Legal hold"))
        hold_hint = _sentence("legalHoldHint")
        hold_hint.setText(
            tr(
                "A legal hold keeps the whole record, whatever the retention date, until it "
                "is lifted: for a funding audit, a complaint or a claim."
            )
        )
        hold_hint.setEnabled(False)  # greyed: a hint, not a value
        self.hold_form.addRow(hold_hint)
        self.hold_form.addRow(tr("Now:"), self.hold_label)
        self._hold_reason_row = with_error_line(
            self.hold_reason_edit, self.hold_marks.add("reason", self.hold_reason_edit)
        )
        self.hold_form.addRow(tr("&Reason:"), self._hold_reason_row)
        self._hold_button_row = _button_row(self.hold_button)
        self.hold_form.addRow("", self._hold_button_row)

        # Restriction of processing, after an erasure request inside the period.
        self.restriction_label = _sentence("restrictionState")
        self.restriction_reason_edit = QLineEdit()
        self.restriction_reason_edit.setObjectName("restrictionReason")
        self.restriction_reason_edit.returnPressed.connect(self.change_restriction)
        self.restriction_button = _button(
            tr("Record an erasure re&quest"), "changeRestriction", "", self.change_restriction
        )
        self.restriction_box, self.restriction_form = _form_box(tr("Restriction of processing"))
        self.restriction_form.addRow(tr("Now:"), self.restriction_label)
        self._restriction_reason_row = with_error_line(
            self.restriction_reason_edit,
            self.restriction_marks.add("reason", self.restriction_reason_edit),
        )
        self.restriction_form.addRow(tr("Reas&on:"), self._restriction_reason_row)
        self._restriction_button_row = _button_row(self.restriction_button)
        self.restriction_form.addRow("", self._restriction_button_row)

        # Subject access.
        self.export_button = _button(
            tr("E&xport everything held…"),
            "exportEverything",
            tr("Save a .zip of everything held about the apprentice, to send to them"),
            self.export,
        )
        self.export_busy = BusyIndicator("exportBusy")
        export_row = QHBoxLayout()
        export_row.addWidget(self.export_button)
        export_row.addWidget(self.export_busy)
        export_row.addStretch(1)
        self.export_box = QGroupBox(tr("Subject access"))
        export_column = QVBoxLayout(self.export_box)
        export_hint = _sentence("exportHint")
        export_hint.setText(
            tr(
                "One .zip of everything held: their progress report (PDF), a workbook of "
                "every record, their evidence files and record.json, which another provider "
                "can import when they transfer. The export is recorded in the audit trail."
            )
        )
        export_column.addWidget(export_hint)
        export_column.addLayout(export_row)

        # Erasure.
        self.erase_label = _sentence("erasureState")
        self.erase_button = _button(
            tr("Erase personal &data…"),
            "erasePersonalData",
            tr("Erase the apprentice's personal data for good, after typing their surname"),
            self.erase,
        )
        self.erase_box = QGroupBox(tr("Erasure"))
        erase_column = QVBoxLayout(self.erase_box)
        erase_column.addWidget(self.erase_label)
        erase_row = QHBoxLayout()
        erase_row.addWidget(self.erase_button)
        erase_row.addStretch(1)
        erase_column.addLayout(erase_row)

        left = QVBoxLayout()
        left.addWidget(retention_box)
        left.addWidget(self.hold_box)
        left.addWidget(self.restriction_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.export_box)
        right.addWidget(self.erase_box)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addSpacing(12)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.message_label)
        layout.addLayout(columns)
        layout.addStretch(1)
        self._apply_permissions()
        self.reload()

    # Who may do what

    @property
    def may_manage(self) -> bool:
        return self._actor.can(Permission.MANAGE_RETENTION)

    @property
    def may_export(self) -> bool:
        return may_export(self._actor)

    def set_actor(self, actor: Actor) -> None:
        self._actor = actor
        self._apply_permissions()
        super().set_actor(actor)

    def _apply_permissions(self) -> None:
        """Controls shown only to those who may use them; what they do depends on the
        record as loaded."""
        manage = self.may_manage
        state = self.data.state if self.data is not None else None
        erased = state is not None and state.erased_on is not None
        self.due_button.setVisible(manage)
        self.export_box.setVisible(self.may_export)
        self.export_button.setEnabled(state is not None and not self.exporting)
        self.erase_box.setVisible(manage)
        self.erase_button.setEnabled(state is not None and state.erasable(self.today))
        # Once erased there is nothing left to hold or restrict.
        self.hold_box.setVisible(not erased)
        self.restriction_box.setVisible(not erased)
        self.hold_form.setRowVisible(self._hold_reason_row, manage)
        self.hold_form.setRowVisible(self._hold_button_row, manage)
        restricted = state is not None and state.processing_restricted
        # Requesting erasure is offered while the record must still be kept; once it may
        # be erased, Erase personal data is the way, behind its confirmation.
        may_request = state is not None and not erased and not state.erasable(self.today)
        offer = manage and (restricted or may_request)
        self.restriction_form.setRowVisible(self._restriction_reason_row, offer)
        self.restriction_form.setRowVisible(self._restriction_button_row, offer)

    # Loading and showing

    def load(self) -> DataProtectionData:
        db, actor, apprentice_id = self._db, self._actor, self.apprentice_id
        return DataProtectionData(
            retention_state(db, actor, apprentice_id),
            apprentice_profile(db, actor, apprentice_id).family_name,
            get_settings(db)["retention_years"],
        )

    def show_data(self, data: DataProtectionData) -> None:
        self.data = data
        state, today = data.state, self.today
        self.headline_label.setText(headline(state, today))

        status = status_label(state.status)
        self.status_label.setText(
            tr("{status} on {on}").format(status=status, on=format_date(state.left_on))
            if state.left_on is not None
            else status
        )
        years = plural(data.retention_years, tr("year"))
        self.keep_until_label.setText(
            tr("{on} ({years} after they left, the provider's setting)").format(
                on=format_date(state.keep_until), years=years
            )
            if state.keep_until is not None
            else tr("Not set yet: {years} from the day they complete, withdraw or transfer").format(
                years=years
            )
        )
        kept = state.why_kept(today)
        self.why_label.setText(
            kept
            or tr(
                "Nothing keeps the record: the retention period is over and there is no "
                "legal hold, so their personal data should now be erased."
            )
        )
        self.why_label.setStyleSheet("" if kept else tone_style(Tone.CAUTION, bold=True))

        if state.legal_hold:
            self.hold_label.setText(
                tr("On: {reason}").format(reason=state.legal_hold_reason or tr("no reason given"))
            )
            self.hold_label.setStyleSheet(tone_style(Tone.CAUTION, bold=True))
            self.hold_button.setText(tr("Lift legal &hold"))
            self.hold_button.setToolTip(
                tr("Lift the hold: the retention date applies again (the reason is recorded)")
            )
            self.hold_reason_edit.setPlaceholderText(tr("Why the hold is lifted (optional)"))
        else:
            self.hold_label.setText(tr("Off"))
            self.hold_label.setStyleSheet("")
            self.hold_button.setText(tr("Place legal &hold"))
            self.hold_button.setToolTip(tr("Keep the whole record until the hold is lifted"))
            self.hold_reason_edit.setPlaceholderText(
                tr("Needed: e.g. funding audit 2027, or an employment tribunal claim")
            )

        if state.processing_restricted:
            since = format_date(state.restricted_on) if state.restricted_on else ""
            self.restriction_label.setText(
                tr("Restricted since {since}. {reason}").format(
                    since=since, reason=state.restriction_reason
                )
            )
            self.restriction_label.setStyleSheet(tone_style(Tone.CAUTION, bold=True))
            self.restriction_button.setText(tr("&Lift restriction"))
            self.restriction_button.setToolTip(
                tr("Allow changes to the record again, e.g. when the request is withdrawn")
            )
            self.restriction_reason_edit.setPlaceholderText(
                tr("Needed: e.g. request withdrawn by letter")
            )
        else:
            self.restriction_label.setText(tr("Not restricted: the record can be changed."))
            self.restriction_label.setStyleSheet("")
            self.restriction_button.setText(tr("Record an erasure re&quest"))
            self.restriction_button.setToolTip(
                tr(
                    "They asked for their data to be erased while it must still be kept: "
                    "stop any changes to the record until it can be erased"
                )
            )
            self.restriction_reason_edit.setPlaceholderText(
                tr("e.g. asked by email on 3 Dec (optional)")
            )

        if state.erased_on is not None:
            self.erase_label.setText(kept or "")
        elif state.erasable(today):
            self.erase_label.setText(
                tr(
                    "Nothing keeps the record any longer. Erasing removes their personal "
                    "data for good; an anonymous record stays so the cohort's outcomes "
                    "still count them."
                )
            )
        else:
            self.erase_label.setText(tr("Not yet. {why}").format(why=kept or ""))
        self._apply_permissions()

    # Legal hold and restriction

    def toggle_hold(self) -> None:
        if not self.may_manage or self.data is None or self.data.state.erased_on is not None:
            return
        hold = not self.data.state.legal_hold
        reason = self.hold_reason_edit.text()
        db, actor, apprentice_id = self._db, self._actor, self.apprentice_id

        def done(_result: None) -> None:
            self.hold_reason_edit.clear()
            self.show_message(
                tr("Legal hold placed: the record is kept until the hold is lifted.")
                if hold
                else tr("Legal hold lifted: the retention date applies again.")
            )

        self.save(
            lambda: set_legal_hold(db, actor, apprentice_id, hold=hold, reason=reason),
            done,
            self.hold_marks,
        )

    def change_restriction(self) -> None:
        if not self.may_manage or self.data is None:
            return
        state = self.data.state
        reason = self.restriction_reason_edit.text()
        db, actor, apprentice_id, today = self._db, self._actor, self.apprentice_id, self.today
        lifting = state.processing_restricted
        if not lifting and (state.erased_on is not None or state.erasable(today)):
            return

        def work() -> object:
            if lifting:
                lift_restriction(db, actor, apprentice_id, reason)
                return None
            return restrict_on_request(db, actor, apprentice_id, reason, today)

        if lifting:
            message = tr("The restriction was lifted: the record can be changed again.")
        else:
            message = tr(
                "The erasure request was recorded. The record must still be kept, so "
                "processing is restricted: it can be viewed but not changed."
            )

        def done(_result: object) -> None:
            self.restriction_reason_edit.clear()
            self.show_message(message)

        self.save(work, done, self.restriction_marks)

    # Everyone past retention

    def show_due(self) -> None:
        if not self.may_manage:
            return
        opener = self._opener()
        dialog = RetentionDueDialog(
            self._db, self._actor, self.today, self, can_open=opener is not None
        )
        chosen = dialog.chosen if run_dialog(dialog) else None
        dialog.deleteLater()
        if chosen is not None and opener is not None:
            opener(chosen.apprentice_id, chosen.name)

    def _opener(self) -> Callable[[int, str], None] | None:
        """The main window's way to show another apprentice, when the tab is in one."""
        opener = getattr(self.window(), "open_apprentice", None)
        return opener if callable(opener) else None

    # Subject access

    def export(self) -> None:
        if not self.may_export or self.data is None or self.exporting:
            return
        name = self.data.state.name
        out = ask_export_path(self, suggested_export_path(name, self.today))
        if out is None:
            return
        db, actor, apprentice_id, today = self._db, self._actor, self.apprentice_id, self.today
        self.show_message(tr("Exporting everything held about {name}…").format(name=name))
        run_file_task(
            self,
            out,
            lambda: export_apprentice(db, actor, apprentice_id, out, today=today),
            lambda path: self._exported(path, name),
            self._export_failed,
            running=self._set_exporting,
        )

    def _set_exporting(self, running: bool) -> None:
        self.exporting = running
        self.export_busy.setVisible(running)
        self._apply_permissions()

    def _exported(self, path: Path, name: str) -> None:
        self.show_message(
            tr(
                "Everything held about {name} was saved as {path}. It holds personal data: "
                "send it securely and delete any copy you no longer need."
            ).format(name=name, path=path)
        )

    def _export_failed(self, reason: str) -> None:
        self.show_message(tr("Nothing was exported. {reason}").format(reason=reason), error=True)

    # Erasure

    def erase(self) -> None:
        data = self.data
        if not self.may_manage or data is None or not data.state.erasable(self.today):
            return
        dialog = EraseDialog(
            self._db,
            self._actor,
            self.apprentice_id,
            data.state.name,
            data.family_name,
            self.today,
            self,
        )
        erased = run_dialog(dialog) and isinstance(dialog.result_value, ErasureSummary)
        summary = dialog.result_value if erased else None
        dialog.deleteLater()
        if summary is None:
            return
        self.show_message(
            tr(
                "Their personal data was erased, from the record and from {entries} of the "
                "audit trail; {files} removed. The anonymous record stays for the cohort's "
                "outcomes."
            ).format(
                entries=plural(summary.audit_entries_scrubbed, tr("entry"), tr("entries")),
                files=plural(summary.files_removed, tr("evidence file")),
            )
        )
        self.changed.emit()
        self.reload()


def restrict_on_request(
    db: Database, actor: Actor, apprentice_id: int, reason: str, today: date
) -> ErasureOutcome:
    """Record an erasure request for a record that must still be kept. Runs on a worker
    thread. Should the record have become erasable since it was shown, nothing is
    erased here: erasure goes through its own confirmation."""
    state = retention_state(db, actor, apprentice_id)
    if state.erasable(today):
        raise ServiceError(
            tr(
                "Nothing keeps this record any longer, so the request was not recorded as a "
                "restriction: use Erase personal data instead."
            )
        )
    return request_erasure(db, actor, apprentice_id, reason, today=today)
