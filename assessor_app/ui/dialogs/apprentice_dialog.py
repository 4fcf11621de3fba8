"""Enrol a new apprentice: names, ULN, date of birth, contact details, cohort,
assessor and the programme's dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from assessor_app.domain.dates import add_months
from assessor_app.domain.uln import UNKNOWN_ULN
from assessor_app.services.apprentices import ApprenticeInput, enrol_apprentice
from assessor_app.services.errors import FieldError
from assessor_app.ui.dialogs.form_dialog import FormDialog
from assessor_app.ui.pages.record_tab import from_qdate, to_qdate
from assessor_app.ui.qt import QWidget, tr
from assessor_app.ui.widgets.apprentice_details import ApprenticeDetailEditors

if TYPE_CHECKING:
    from assessor_app.services.apprentice_form_queries import EnrolmentChoices, EnrolmentCohort
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database

# A date of birth to start from that puts the calendar near a school leaver's.
_BIRTH_YEARS_BACK = 18


def planned_end(start: date, months: int) -> date:
    """The day before the same date `months` later: a programme of whole months."""
    return add_months(start, months) - timedelta(days=1)


class ApprenticeDialog(FormDialog, ApprenticeDetailEditors):
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

        self.make_detail_editors(
            today, date(today.year - _BIRTH_YEARS_BACK, today.month, min(today.day, 28))
        )
        self.offer_choices(choices.cohorts, choices.assessors)
        self.uln_edit.setToolTip(
            tr(
                "The Unique Learner Number from the Learner Record; enter {unknown} if it "
                "is not yet known and add it later on the apprentice's Profile tab."
            ).format(unknown=UNKNOWN_ULN)
        )
        self.dob.setToolTip(
            tr("Tick Known to enter it; it is used to check placements' minimum ages.")
        )
        self.address_edit.setFixedHeight(60)
        self.end_edit.setDate(to_qdate(planned_end(today, 12)))
        self.end_edit.setToolTip(
            tr("Suggested from the cohort's placements; change it if the programme differs.")
        )
        for label, field, widget in self.detail_rows():
            self.add_field(field, label, widget)

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

    def value(self) -> ApprenticeInput:
        if self.cohort_combo.currentData() is None:
            raise FieldError(
                "cohort_id",
                tr("There is no cohort to choose: add one on the Cohorts page first."),
            )
        return self.detail_input()

    def submit(self) -> int:
        return enrol_apprentice(self._db, self._actor, self.value())
