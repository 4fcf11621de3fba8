"""Enrol a new apprentice: names, ULN, date of birth, contact details, cohort,
assessor and the programme's dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from assessor_app.domain.dates import add_months
from assessor_app.domain.uln import UNKNOWN_ULN
from assessor_app.services.apprentices import ApprenticeInput, enrol_apprentice
from assessor_app.services.errors import FieldError
from assessor_app.ui.pages.record_tab import date_edit, from_qdate, to_qdate
from assessor_app.ui.qt import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
    tr,
)
from assessor_app.ui.widgets.form_dialog import FormDialog

if TYPE_CHECKING:
    from assessor_app.services.apprentice_form_queries import EnrolmentChoices, EnrolmentCohort
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database

# A date of birth to start from that puts the calendar near a school leaver's.
_BIRTH_YEARS_BACK = 18


def planned_end(start: date, months: int) -> date:
    """The day before the same date `months` later: a programme of whole months."""
    return add_months(start, months) - timedelta(days=1)


class OptionalDateEdit(QWidget):
    """A date that may not be known yet: a 'Known' box switches the date on.

    A refusal's red frame goes on the date itself, not on the box beside it.
    """

    def __init__(self, day: date, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.known_box = QCheckBox(tr("Known:"))
        self.known_box.setObjectName(f"{name}Known")
        self.edit = date_edit(day, name)
        self.edit.setEnabled(False)
        self.known_box.toggled.connect(self.edit.setEnabled)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.known_box)
        row.addWidget(self.edit, 1)
        self.setFocusProxy(self.known_box)

    def value(self) -> date | None:
        return from_qdate(self.edit.date()) if self.known_box.isChecked() else None

    def set_value(self, day: date | None) -> None:
        self.known_box.setChecked(day is not None)
        if day is not None:
            self.edit.setDate(to_qdate(day))

    def setStyleSheet(self, styleSheet: str) -> None:  # noqa: N802, N803
        self.edit.setStyleSheet(styleSheet)


class ApprenticeDialog(FormDialog):
    def __init__(
        self,
        db: Database,
        actor: Actor,
        choices: EnrolmentChoices,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(tr("New apprentice"), parent)
        self._db, self._actor, self._choices = db, actor, choices
        today = today or date.today()
        self._suggesting = False
        self._start_chosen = False  # typed by the user: no longer follows the cohort
        self._end_chosen = False

        self.given_edit = QLineEdit()
        self.given_edit.setObjectName("givenName")
        self.family_edit = QLineEdit()
        self.family_edit.setObjectName("familyName")
        self.uln_edit = QLineEdit()
        self.uln_edit.setObjectName("uln")
        self.uln_edit.setPlaceholderText(
            tr("10 digits; {unknown} while not yet known").format(unknown=UNKNOWN_ULN)
        )
        self.uln_edit.setToolTip(
            tr(
                "The Unique Learner Number from the Learner Record; enter {unknown} if it "
                "is not yet known and add it later on the apprentice's Profile tab."
            ).format(unknown=UNKNOWN_ULN)
        )
        self.dob = OptionalDateEdit(
            date(today.year - _BIRTH_YEARS_BACK, today.month, min(today.day, 28)), "dateOfBirth"
        )
        self.dob.setToolTip(
            tr("Tick Known to enter it; it is used to check placements' minimum ages.")
        )
        self.email_edit = QLineEdit()
        self.email_edit.setObjectName("email")
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("phone")
        self.address_edit = QPlainTextEdit()
        self.address_edit.setObjectName("address")
        self.address_edit.setFixedHeight(60)
        self.address_edit.setTabChangesFocus(True)
        self.cohort_combo = QComboBox()
        self.cohort_combo.setObjectName("cohort")
        for cohort in choices.cohorts:
            self.cohort_combo.addItem(cohort.name, cohort.id)
        self.assessor_combo = QComboBox()
        self.assessor_combo.setObjectName("assessor")
        self.assessor_combo.addItem(tr("None assigned"), None)
        for assessor in choices.assessors:
            self.assessor_combo.addItem(assessor.name, assessor.id)
        self.start_edit = date_edit(today, "startDate")
        self.end_edit = date_edit(planned_end(today, 12), "plannedEndDate")
        self.end_edit.setToolTip(
            tr("Suggested from the cohort's placements; change it if the programme differs.")
        )

        self.add_field("given_name", tr("&Given name:"), self.given_edit)
        self.add_field("family_name", tr("&Family name:"), self.family_edit)
        self.add_field("uln", tr("&ULN:"), self.uln_edit)
        self.add_field("date_of_birth", tr("Date of &birth:"), self.dob)
        self.add_field("email", tr("&Email:"), self.email_edit)
        self.add_field("phone", tr("&Phone:"), self.phone_edit)
        self.add_field("address", tr("A&ddress:"), self.address_edit)
        self.add_field("cohort_id", tr("&Cohort:"), self.cohort_combo)
        self.add_field("assessor_id", tr("Assess&or:"), self.assessor_combo)
        self.add_field("start_date", tr("&Start date:"), self.start_edit)
        self.add_field("planned_end_date", tr("Planned &end:"), self.end_edit)

        self.cohort_combo.currentIndexChanged.connect(lambda _row: self._suggest_dates())
        self.start_edit.dateChanged.connect(lambda _day: self._start_changed())
        self.end_edit.dateChanged.connect(lambda _day: self._end_changed())
        self._suggest_dates()
        self.given_edit.setFocus()
        self.setMinimumWidth(520)

    # The programme's dates follow the cohort until the user chooses their own.

    def _cohort(self) -> EnrolmentCohort | None:
        wanted = self.cohort_combo.currentData()
        return next((c for c in self._choices.cohorts if c.id == wanted), None)

    def _suggest_dates(self) -> None:
        cohort = self._cohort()
        if cohort is None:
            return
        self._suggesting = True
        if not self._start_chosen:
            self.start_edit.setDate(to_qdate(cohort.start_date))
        if not self._end_chosen:
            start = from_qdate(self.start_edit.date())
            self.end_edit.setDate(to_qdate(planned_end(start, cohort.programme_months)))
        self._suggesting = False

    def _start_changed(self) -> None:
        if not self._suggesting:
            self._start_chosen = True
            self._suggest_dates()

    def _end_changed(self) -> None:
        if not self._suggesting:
            self._end_chosen = True

    # Saving

    def show_error(self, exc: Exception) -> None:
        super().show_error(exc)
        # A message of several lines must be read whole: grow the form to fit it.
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        wanted = (
            layout.totalHeightForWidth(self.width())
            if layout.hasHeightForWidth()
            else self.sizeHint().height()
        )
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def value(self) -> ApprenticeInput:
        cohort = self.cohort_combo.currentData()
        if cohort is None:
            raise FieldError(
                "cohort_id",
                tr("There is no cohort to choose: add one on the Cohorts page first."),
            )
        assessor = self.assessor_combo.currentData()
        return ApprenticeInput(
            given_name=self.given_edit.text(),
            family_name=self.family_edit.text(),
            uln=self.uln_edit.text(),
            date_of_birth=self.dob.value(),
            cohort_id=int(cohort),
            start_date=from_qdate(self.start_edit.date()),
            planned_end_date=from_qdate(self.end_edit.date()),
            assessor_id=int(assessor) if assessor is not None else None,
            email=self.email_edit.text(),
            phone=self.phone_edit.text(),
            address=self.address_edit.toPlainText(),
        )

    def submit(self) -> int:
        return enrol_apprentice(self._db, self._actor, self.value())
