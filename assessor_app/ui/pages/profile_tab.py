"""The apprentice's details, editable by those who manage apprentice records; a
change of status with its date and reason; where they went after the programme
(the employment outcome); and their English and maths, needed for gateway."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from assessor_app.domain.dates import format_date
from assessor_app.domain.uln import UNKNOWN_ULN
from assessor_app.services.apprentice_form_queries import (
    FUNCTIONAL_SKILL_SUBJECTS,
    FunctionalSkillLine,
    functional_skills,
)
from assessor_app.services.apprentice_record_queries import ApprenticeProfile, apprentice_profile
from assessor_app.services.apprentices import (
    STATUSES_NEEDING_REASON,
    ApprenticeInput,
    change_status,
    record_employment_outcome,
    update_apprentice,
)
from assessor_app.services.choice_lists import CohortChoice, cohort_choices
from assessor_app.services.errors import StaleEdit
from assessor_app.services.roles import Actor, Permission
from assessor_app.services.unit_plans import record_functional_skill
from assessor_app.ui.models.apprentice_table_model import STATUS_ORDER, status_label
from assessor_app.ui.pages.record_tab import (
    FieldMarks,
    RecordTab,
    ask_to_confirm,
    date_edit,
    from_qdate,
    with_error_line,
)
from assessor_app.ui.qt import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    tr,
)
from assessor_app.ui.widgets.apprentice_details import ApprenticeDetailEditors
from assessor_app.ui.workers import run_task

if TYPE_CHECKING:
    from assessor_app.store.database import Database


SUBJECT_LABELS = {"english": "English", "maths": "Maths"}
# Suggestions only: a provider may record another qualification that counts.
LEVEL_SUGGESTIONS = ("Entry Level 3", "Level 1", "Level 2", "GCSE grade 4 or above")


@dataclass(frozen=True)
class ProfileData:
    profile: ApprenticeProfile
    cohorts: tuple[CohortChoice, ...]
    skills: tuple[FunctionalSkillLine, ...] = ()

    def skill(self, subject: str) -> tuple[str, date] | None:
        """The (level, date achieved) recorded for the subject, or None."""
        line = next((s for s in self.skills if s.subject == subject), None)
        return (line.level, line.achieved_on) if line is not None else None


def saved_input(p: ApprenticeProfile) -> ApprenticeInput:
    """The details as saved, in the form's terms."""
    return ApprenticeInput(
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


class ProfileTab(RecordTab, ApprenticeDetailEditors):
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
        self.outcome_marks = FieldMarks()
        self.skill_marks = FieldMarks()

        self.make_detail_editors(self.today, date(2000, 1, 1))
        self.address_edit.setMaximumHeight(80)
        self.employer_label = QLabel()
        self.employer_label.setObjectName("employer")
        self.provider_label = QLabel()
        self.provider_label.setObjectName("trainingProvider")

        details = QGroupBox(tr("Details"))
        form = QFormLayout(details)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, field, widget in self.detail_rows():
            form.addRow(label, with_error_line(widget, self.marks.add(field, widget)))
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
        self.discard_button.clicked.connect(self.discard_changes)
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
            status_form.addRow(label, with_error_line(widget, self.status_marks.add(field, widget)))
        status_form.addRow("", self.status_button)

        self.outcome_label = QLabel()
        self.outcome_label.setObjectName("currentOutcome")
        self.outcome_label.setWordWrap(True)
        self.outcome_hint = QLabel(tr("Usually recorded when the apprentice completes."))
        self.outcome_hint.setObjectName("outcomeHint")
        self.outcome_hint.setWordWrap(True)
        self.outcome_hint.setEnabled(False)  # greyed: a hint, not a value
        self.outcome_edit = QLineEdit()
        self.outcome_edit.setObjectName("newOutcome")
        self.outcome_edit.setPlaceholderText(tr("e.g. Healthcare assistant, Ward 7"))
        self.outcome_edit.returnPressed.connect(self.save_outcome)
        self.outcome_button = QPushButton(tr("Save outco&me"))
        self.outcome_button.setObjectName("saveOutcome")
        self.outcome_button.setToolTip(
            tr("Record the job or course the apprentice went on to after the programme")
        )
        self.outcome_button.clicked.connect(self.save_outcome)
        self.outcome_box = QGroupBox(tr("Employment outcome"))
        self.outcome_form = outcome_form = QFormLayout(self.outcome_box)
        outcome_form.addRow(tr("Now:"), self.outcome_label)
        outcome_form.addRow("", self.outcome_hint)
        self._outcome_row = with_error_line(
            self.outcome_edit, self.outcome_marks.add("employment_outcome", self.outcome_edit)
        )
        outcome_form.addRow(tr("Ne&w outcome:"), self._outcome_row)
        outcome_form.addRow("", self.outcome_button)

        self.skill_labels = {subject: QLabel() for subject in FUNCTIONAL_SKILL_SUBJECTS}
        self.subject_combo = QComboBox()
        self.subject_combo.setObjectName("skillSubject")
        for subject in FUNCTIONAL_SKILL_SUBJECTS:
            self.skill_labels[subject].setObjectName(f"{subject}State")
            self.skill_labels[subject].setWordWrap(True)
            self.subject_combo.addItem(tr(SUBJECT_LABELS[subject]), subject)
        self.level_combo = QComboBox()
        self.level_combo.setObjectName("skillLevel")
        self.level_combo.setEditable(True)
        self.level_combo.addItems([tr(level) for level in LEVEL_SUGGESTIONS])
        self.level_combo.setCurrentIndex(-1)
        self.level_combo.setToolTip(tr("Choose a level or type the qualification achieved"))
        level_line = self.level_combo.lineEdit()
        if level_line is not None:  # always, for an editable box
            level_line.setPlaceholderText(tr("e.g. Level 1"))
        self.achieved_edit = date_edit(self.today, "skillAchievedOn")
        self.skill_button = QPushButton(tr("Record Engl&ish or maths"))
        self.skill_button.setObjectName("recordSkill")
        self.skill_button.setToolTip(
            tr("Record the level achieved in the chosen subject and the date it was achieved")
        )
        self.skill_button.clicked.connect(self.record_skill)
        self.skills_box = QGroupBox(tr("English and maths"))
        self.skills_form = skills_form = QFormLayout(self.skills_box)
        for subject in FUNCTIONAL_SKILL_SUBJECTS:
            skills_form.addRow(
                tr("{subject}:").format(subject=tr(SUBJECT_LABELS[subject])),
                self.skill_labels[subject],
            )
        skill_fields: tuple[tuple[str, str, QWidget], ...] = (
            (tr("Sub&ject:"), "subject", self.subject_combo),
            (tr("&Level:"), "level", self.level_combo),
            (tr("Achieved o&n:"), "achieved_on", self.achieved_edit),
        )
        self._skill_rows: list[QWidget] = []
        for label, field, editor in skill_fields:
            self._skill_rows.append(with_error_line(editor, self.skill_marks.add(field, editor)))
            skills_form.addRow(label, self._skill_rows[-1])
        skills_form.addRow("", self.skill_button)

        columns = QHBoxLayout()
        columns.addWidget(details, 3)
        side = QVBoxLayout()
        side.addWidget(self.status_box)
        side.addWidget(self.outcome_box)
        side.addWidget(self.skills_box)
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
        choosers: tuple[QWidget, ...] = (
            self.dob,
            self.cohort_combo,
            self.assessor_combo,
            self.start_edit,
            self.end_edit,
        )
        for chooser in choosers:
            chooser.setEnabled(may)
        self.save_button.setVisible(may)
        self.status_box.setEnabled(True)
        for widget in (self.status_combo, self.status_date_edit, self.reason_edit):
            self.status_form.setRowVisible(widget.parentWidget(), may)
        self.status_form.setRowVisible(self.status_button, may)
        self.outcome_form.setRowVisible(self._outcome_row, may)
        self.outcome_form.setRowVisible(self.outcome_button, may)
        profile = self.data.profile if self.data is not None else None
        completed = profile is not None and profile.status == "completed"
        self.outcome_form.setRowVisible(self.outcome_hint, may and not completed)
        # Before completion an empty outcome says nothing to those who cannot record it.
        self.outcome_box.setVisible(
            may or completed or (profile is not None and bool(profile.employment_outcome))
        )
        for row in (*self._skill_rows, self.skill_button):
            self.skills_form.setRowVisible(row, may)

    def set_actor(self, actor: Actor) -> None:
        self._actor = actor
        self._apply_permissions()
        self.reload(keep_typing=False)

    def reload(self, *, keep_typing: bool = True) -> None:
        """Read the record again. Details typed but not yet saved stay in the form
        (saving a status, an outcome or English and maths must not wipe them), still
        based on the version they were typed against, unless `keep_typing` is False."""
        run_task(self.load, lambda data: self._reloaded(data, keep_typing), self.failed, owner=self)

    def discard_changes(self) -> None:
        """Show the saved details, dropping anything typed since."""
        self.reload(keep_typing=False)

    def _reloaded(self, data: ProfileData, keep_typing: bool) -> None:
        typed = self.detail_input() if keep_typing and self.has_unsaved_changes() else None
        based_on = self.version
        self._loaded(data)
        if typed is not None:
            self.show_details(typed)
            self.version = based_on

    def load(self) -> ProfileData:
        return ProfileData(
            apprentice_profile(self._db, self._actor, self.apprentice_id),
            tuple(cohort_choices(self._db, self._actor)),
            functional_skills(self._db, self._actor, self.apprentice_id),
        )

    def show_data(self, data: ProfileData) -> None:
        self.data = data
        p = data.profile
        self.version = p.version
        self.marks.clear()
        self.offer_choices(data.cohorts, p.assessors)
        self.show_details(saved_input(p))
        self.employer_label.setText(p.employer)
        self.provider_label.setText(p.training_provider)
        since = format_date(p.status_date) if p.status_date else tr("the start")
        status = tr("{status} since {since}").format(status=status_label(p.status), since=since)
        if p.status_reason:
            status = tr("{status}: {reason}").format(status=status, reason=p.status_reason)
        self.status_label.setText(status)
        self.outcome_label.setText(p.employment_outcome or tr("Not recorded"))
        for subject, label in self.skill_labels.items():
            recorded = data.skill(subject)
            label.setText(
                tr("{level}, achieved {on}").format(level=recorded[0], on=format_date(recorded[1]))
                if recorded is not None
                else tr("Not recorded: needed for gateway")
            )
        self._apply_permissions()

    @property  # type: ignore[override]
    def follows_changes(self) -> bool:
        """Refreshed when another tab saves (its version moves on with a unit choice,
        say), unless the form holds typing not yet saved."""
        return not self.has_unsaved_changes()

    def has_unsaved_changes(self) -> bool:
        if self.data is None:
            return False
        return self.detail_input() != saved_input(self.data.profile)

    def save_details(self) -> None:
        if not self._actor.can(Permission.MANAGE_APPRENTICES) or self.version is None:
            return
        db, actor, apprentice_id, version = self._db, self._actor, self.apprentice_id, self.version
        data = self.detail_input()
        self.marks.clear()
        self.show_message("")

        def saved(new_version: int) -> None:
            self.version = new_version
            self.show_message(tr("Details saved."))
            self.changed.emit()
            self.reload(keep_typing=False)

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

    def save_outcome(self) -> None:
        if not self._actor.can(Permission.MANAGE_APPRENTICES) or self.version is None:
            return
        db, actor, apprentice_id, version = self._db, self._actor, self.apprentice_id, self.version
        outcome = self.outcome_edit.text()

        def done(new_version: int) -> None:
            self.version = new_version
            self.outcome_edit.clear()
            self.show_message(tr("Employment outcome saved."))

        self.save(
            lambda: record_employment_outcome(
                db, actor, apprentice_id, outcome, expected_version=version
            ),
            done,
            self.outcome_marks,
        )

    def record_skill(self) -> None:
        if not self._actor.can(Permission.MANAGE_APPRENTICES) or self.data is None:
            return
        db, actor, apprentice_id = self._db, self._actor, self.apprentice_id
        subject = str(self.subject_combo.currentData())
        level = self.level_combo.currentText()
        on = from_qdate(self.achieved_edit.date())
        expected = self.data.skill(subject)  # as shown: someone else's change is not overwritten

        self.skill_marks.clear()
        self.show_message("")

        def done(_result: None) -> None:
            self.level_combo.setCurrentIndex(-1)
            self.level_combo.clearEditText()
            self.show_message(
                tr("{subject} recorded: {level}, achieved {on}.").format(
                    subject=tr(SUBJECT_LABELS[subject]), level=level.strip(), on=format_date(on)
                )
            )
            self.changed.emit()
            self.reload()

        def refused(exc: Exception) -> None:
            self.failed(exc, self.skill_marks)
            if isinstance(exc, StaleEdit):
                self.reload()  # show the other person's record, as the message says

        run_task(
            lambda: record_functional_skill(
                db, actor, apprentice_id, subject, level, on, expected=expected
            ),
            done,
            refused,
            owner=self,
        )
