"""The apprentice's details, editable by those who manage apprentice records, and a
change of status with its date and reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from assessor_app.domain.dates import format_date
from assessor_app.domain.uln import UNKNOWN_ULN
from assessor_app.services.apprentice_record_queries import ApprenticeProfile, apprentice_profile
from assessor_app.services.apprentices import (
    STATUSES_NEEDING_REASON,
    ApprenticeInput,
    change_status,
    update_apprentice,
)
from assessor_app.services.choice_lists import CohortChoice, cohort_choices
from assessor_app.services.errors import StaleEdit
from assessor_app.services.roles import Actor, Permission
from assessor_app.ui.models.apprentice_table_model import STATUS_ORDER, status_label
from assessor_app.ui.pages.record_tab import (
    FieldMarks,
    RecordTab,
    ask_to_confirm,
    date_edit,
    from_qdate,
    to_qdate,
)
from assessor_app.ui.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database


@dataclass(frozen=True)
class ProfileData:
    profile: ApprenticeProfile
    cohorts: tuple[CohortChoice, ...]


def _with_error(widget: QWidget, error: QLabel) -> QWidget:
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(widget)
    column.addWidget(error)
    return holder


class ProfileTab(RecordTab):
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
        self.setObjectName("profileTab")
        self.data: ProfileData | None = None
        self.version: int | None = None
        self.marks = FieldMarks()
        self.status_marks = FieldMarks()

        self.given_edit = QLineEdit()
        self.family_edit = QLineEdit()
        self.uln_edit = QLineEdit()
        self.uln_edit.setPlaceholderText(
            tr("10 digits; {unknown} while not yet known").format(unknown=UNKNOWN_ULN)
        )
        self.dob_known = QCheckBox(tr("Known:"))
        self.dob_edit = date_edit(date(2000, 1, 1), "dateOfBirth")
        self.dob_known.toggled.connect(self.dob_edit.setEnabled)
        dob_row = QWidget()
        dob_layout = QHBoxLayout(dob_row)
        dob_layout.setContentsMargins(0, 0, 0, 0)
        dob_layout.addWidget(self.dob_known)
        dob_layout.addWidget(self.dob_edit, 1)
        self.email_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.address_edit = QPlainTextEdit()
        self.address_edit.setMaximumHeight(80)
        self.cohort_combo = QComboBox()
        self.assessor_combo = QComboBox()
        self.start_edit = date_edit(self.today, "startDate")
        self.end_edit = date_edit(self.today, "plannedEndDate")
        self.employer_label = QLabel()
        self.provider_label = QLabel()
        for name, widget in (
            ("givenName", self.given_edit),
            ("familyName", self.family_edit),
            ("uln", self.uln_edit),
            ("email", self.email_edit),
            ("phone", self.phone_edit),
            ("address", self.address_edit),
            ("cohort", self.cohort_combo),
            ("assessor", self.assessor_combo),
            ("employer", self.employer_label),
            ("trainingProvider", self.provider_label),
        ):
            widget.setObjectName(name)

        details = QGroupBox(tr("Details"))
        form = QFormLayout(details)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, field, widget, shown in (
            (tr("&Given name:"), "given_name", self.given_edit, self.given_edit),
            (tr("&Family name:"), "family_name", self.family_edit, self.family_edit),
            (tr("&ULN:"), "uln", self.uln_edit, self.uln_edit),
            (tr("Date of &birth:"), "date_of_birth", self.dob_edit, dob_row),
            (tr("&Email:"), "email", self.email_edit, self.email_edit),
            (tr("&Phone:"), "phone", self.phone_edit, self.phone_edit),
            (tr("A&ddress:"), "address", self.address_edit, self.address_edit),
            (tr("&Cohort:"), "cohort_id", self.cohort_combo, self.cohort_combo),
            (tr("Assess&or:"), "assessor_id", self.assessor_combo, self.assessor_combo),
            (tr("&Start date:"), "start_date", self.start_edit, self.start_edit),
            (tr("Planned &end:"), "planned_end_date", self.end_edit, self.end_edit),
        ):
            form.addRow(label, _with_error(shown, self.marks.add(field, widget)))
        form.addRow(tr("Employer:"), self.employer_label)
        form.addRow(tr("Training provider:"), self.provider_label)
        self.save_button = QPushButton(tr("&Save changes"))
        self.save_button.setObjectName("saveProfile")
        self.save_button.setToolTip(tr("Save the details (Ctrl+S)"))
        self.save_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_button.clicked.connect(self.save_details)
        self.discard_button = QPushButton(tr("&Reload"))
        self.discard_button.setObjectName("reloadProfile")
        self.discard_button.setToolTip(tr("Discard unsaved changes and show the saved details"))
        self.discard_button.clicked.connect(self.reload)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        form.addRow("", buttons)

        self.status_label = QLabel()
        self.status_label.setObjectName("currentStatus")
        self.status_label.setWordWrap(True)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("newStatus")
        for status in STATUS_ORDER:
            self.status_combo.addItem(status_label(status), status)
        self.status_date_edit = date_edit(self.today, "statusDate")
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("statusReason")
        self.reason_edit.setPlaceholderText(
            tr("Needed for a break in learning, a withdrawal or a transfer")
        )
        self.status_button = QPushButton(tr("C&hange status…"))
        self.status_button.setObjectName("changeStatus")
        self.status_button.setToolTip(tr("Change the apprentice's status from the date given"))
        self.status_button.clicked.connect(self.change_status)
        self.status_box = QGroupBox(tr("Status"))
        self.status_form = status_form = QFormLayout(self.status_box)
        status_form.addRow(tr("Now:"), self.status_label)
        for label, field, widget in (
            (tr("New s&tatus:"), "status", self.status_combo),
            (tr("From &date:"), "status_date", self.status_date_edit),
            (tr("Rea&son:"), "status_reason", self.reason_edit),
        ):
            status_form.addRow(label, _with_error(widget, self.status_marks.add(field, widget)))
        status_form.addRow("", self.status_button)

        columns = QHBoxLayout()
        columns.addWidget(details, 3)
        side = QVBoxLayout()
        side.addWidget(self.status_box)
        side.addStretch(1)
        columns.addLayout(side, 2)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.message_label)
        inner_layout.addLayout(columns)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self._apply_permissions()
        self.reload()

    def _apply_permissions(self) -> None:
        may = self._actor.can(Permission.MANAGE_APPRENTICES)
        for edit in (self.given_edit, self.family_edit, self.uln_edit, self.email_edit):
            edit.setReadOnly(not may)
        self.phone_edit.setReadOnly(not may)
        self.address_edit.setReadOnly(not may)
        for widget in (
            self.dob_known,
            self.cohort_combo,
            self.assessor_combo,
            self.start_edit,
            self.end_edit,
        ):
            widget.setEnabled(may)
        self.dob_edit.setEnabled(may and self.dob_known.isChecked())
        self.save_button.setVisible(may)
        self.status_box.setEnabled(True)
        for widget in (self.status_combo, self.status_date_edit, self.reason_edit):
            self.status_form.setRowVisible(widget.parentWidget(), may)
        self.status_form.setRowVisible(self.status_button, may)

    def set_actor(self, actor: Actor) -> None:
        self._actor = actor
        self._apply_permissions()
        self.reload()

    def load(self) -> ProfileData:
        return ProfileData(
            apprentice_profile(self._db, self._actor, self.apprentice_id),
            tuple(cohort_choices(self._db, self._actor)),
        )

    def show_data(self, data: ProfileData) -> None:
        self.data = data
        p = data.profile
        self.version = p.version
        self.marks.clear()
        self.given_edit.setText(p.given_name)
        self.family_edit.setText(p.family_name)
        self.uln_edit.setText(p.uln or UNKNOWN_ULN)
        self.dob_known.setChecked(p.date_of_birth is not None)
        if p.date_of_birth is not None:
            self.dob_edit.setDate(to_qdate(p.date_of_birth))
        self.email_edit.setText(p.email)
        self.phone_edit.setText(p.phone)
        self.address_edit.setPlainText(p.address)
        self.cohort_combo.clear()
        for cohort in data.cohorts:
            self.cohort_combo.addItem(cohort.name, cohort.id)
        self.cohort_combo.setCurrentIndex(self.cohort_combo.findData(p.cohort_id))
        self.assessor_combo.clear()
        self.assessor_combo.addItem(tr("None assigned"), None)
        for assessor in p.assessors:
            self.assessor_combo.addItem(assessor.name, assessor.id)
        self.assessor_combo.setCurrentIndex(max(self.assessor_combo.findData(p.assessor_id), 0))
        self.start_edit.setDate(to_qdate(p.start_date))
        self.end_edit.setDate(to_qdate(p.planned_end_date))
        self.employer_label.setText(p.employer)
        self.provider_label.setText(p.training_provider)
        since = format_date(p.status_date) if p.status_date else tr("the start")
        status = tr("{status} since {since}").format(status=status_label(p.status), since=since)
        if p.status_reason:
            status = tr("{status}: {reason}").format(status=status, reason=p.status_reason)
        self.status_label.setText(status)
        self._apply_permissions()

    @property  # type: ignore[override]
    def follows_changes(self) -> bool:
        """Refreshed when another tab saves (its version moves on with a unit choice,
        say), unless the form holds typing not yet saved."""
        return not self.has_unsaved_changes()

    def has_unsaved_changes(self) -> bool:
        if self.data is None:
            return False
        p = self.data.profile
        saved = ApprenticeInput(
            given_name=p.given_name,
            family_name=p.family_name,
            uln=p.uln or UNKNOWN_ULN,
            date_of_birth=p.date_of_birth,
            cohort_id=p.cohort_id,
            start_date=p.start_date,
            planned_end_date=p.planned_end_date,
            assessor_id=p.assessor_id,
            email=p.email,
            phone=p.phone,
            address=p.address,
        )
        return self.details_input() != saved

    def details_input(self) -> ApprenticeInput:
        cohort = self.cohort_combo.currentData()
        assessor = self.assessor_combo.currentData()
        return ApprenticeInput(
            given_name=self.given_edit.text(),
            family_name=self.family_edit.text(),
            uln=self.uln_edit.text(),
            date_of_birth=from_qdate(self.dob_edit.date()) if self.dob_known.isChecked() else None,
            cohort_id=int(cohort) if cohort is not None else 0,
            start_date=from_qdate(self.start_edit.date()),
            planned_end_date=from_qdate(self.end_edit.date()),
            assessor_id=int(assessor) if assessor is not None else None,
            email=self.email_edit.text(),
            phone=self.phone_edit.text(),
            address=self.address_edit.toPlainText(),
        )

    def save_details(self) -> None:
        if not self._actor.can(Permission.MANAGE_APPRENTICES) or self.version is None:
            return
        db, actor, apprentice_id, version = self._db, self._actor, self.apprentice_id, self.version
        data = self.details_input()
        self.marks.clear()
        self.show_message("")

        def saved(new_version: int) -> None:
            self.version = new_version
            self.show_message(tr("Details saved."))
            self.changed.emit()
            self.reload()

        def refused(exc: Exception) -> None:
            # The user's typing stays in the form; Reload shows the other person's change.
            self.failed(exc, self.marks)
            if isinstance(exc, StaleEdit):
                self.show_message(
                    tr(
                        "{message} Your changes are still in the form: press Reload to see "
                        "the saved details (your changes will be lost), then make them again."
                    ).format(message=str(exc)),
                    error=True,
                )

        run_task(
            lambda: update_apprentice(db, actor, apprentice_id, data, expected_version=version),
            saved,
            refused,
            owner=self,
        )

    def change_status(self) -> None:
        if not self._actor.can(Permission.MANAGE_APPRENTICES) or self.data is None:
            return
        status = str(self.status_combo.currentData())
        on = from_qdate(self.status_date_edit.date())
        reason = self.reason_edit.text()
        name = f"{self.data.profile.given_name} {self.data.profile.family_name}"
        if not ask_to_confirm(
            self,
            tr("Change status"),
            tr("Change {name}'s status to {status} from {on}?").format(
                name=name, status=status_label(status).lower(), on=format_date(on)
            )
            + (
                ""
                if status not in STATUSES_NEEDING_REASON
                else " " + tr("Plans and deadlines stop counting from that date.")
            ),
            tr("Change status"),
        ):
            return
        db, actor, apprentice_id, version = self._db, self._actor, self.apprentice_id, self.version

        def done(new_version: int) -> None:
            self.version = new_version
            self.reason_edit.clear()
            self.show_message(tr("Status changed to {status}.").format(status=status_label(status)))

        self.save(
            lambda: change_status(
                db, actor, apprentice_id, status, on, reason, expected_version=version
            ),
            done,
            self.status_marks,
        )
