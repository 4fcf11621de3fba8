"""The editors of an apprentice's details, the same in the enrolment form and on the
Profile tab: names, ULN, date of birth, contact details, cohort, assessor and the
programme's dates, read back as the ApprenticeInput the services take."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from assessor_app.domain.uln import UNKNOWN_ULN
from assessor_app.services.apprentices import ApprenticeInput
from assessor_app.ui.pages.record_tab import date_edit, from_qdate, to_qdate
from assessor_app.ui.qt import (
    QComboBox,
    QDateEdit,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
    tr,
)
from assessor_app.ui.widgets.optional_date import OptionalDateEdit


class Choice(Protocol):
    """A cohort or an assessor to choose from."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


class ApprenticeDetailEditors:
    """Mixed into a widget that edits an apprentice's details: `make_detail_editors()`
    builds the editors, `detail_rows()` lists them with the field names services use,
    and `detail_input()` / `show_details()` read and fill them."""

    given_edit: QLineEdit
    family_edit: QLineEdit
    uln_edit: QLineEdit
    dob: OptionalDateEdit
    email_edit: QLineEdit
    phone_edit: QLineEdit
    address_edit: QPlainTextEdit
    cohort_combo: QComboBox
    assessor_combo: QComboBox
    start_edit: QDateEdit
    end_edit: QDateEdit

    def make_detail_editors(self, today: date, birth_guess: date) -> None:
        """`birth_guess` is where the date of birth's calendar opens."""
        self.given_edit = _line("givenName")
        self.family_edit = _line("familyName")
        self.uln_edit = _line("uln")
        self.uln_edit.setPlaceholderText(
            tr("10 digits; {unknown} while not yet known").format(unknown=UNKNOWN_ULN)
        )
        self.dob = OptionalDateEdit(birth_guess, "dateOfBirth")
        self.email_edit = _line("email")
        self.phone_edit = _line("phone")
        self.address_edit = QPlainTextEdit()
        self.address_edit.setObjectName("address")
        self.address_edit.setTabChangesFocus(True)
        self.cohort_combo = QComboBox()
        self.cohort_combo.setObjectName("cohort")
        self.assessor_combo = QComboBox()
        self.assessor_combo.setObjectName("assessor")
        self.start_edit = date_edit(today, "startDate")
        self.end_edit = date_edit(today, "plannedEndDate")

    def detail_rows(self) -> tuple[tuple[str, str, QWidget], ...]:
        """(label, field, editor) for each detail, in the order of the form."""
        return (
            (tr("&Given name:"), "given_name", self.given_edit),
            (tr("&Family name:"), "family_name", self.family_edit),
            (tr("&ULN:"), "uln", self.uln_edit),
            (tr("Date of &birth:"), "date_of_birth", self.dob),
            (tr("&Email:"), "email", self.email_edit),
            (tr("&Phone:"), "phone", self.phone_edit),
            (tr("A&ddress:"), "address", self.address_edit),
            (tr("&Cohort:"), "cohort_id", self.cohort_combo),
            (tr("Assess&or:"), "assessor_id", self.assessor_combo),
            (tr("&Start date:"), "start_date", self.start_edit),
            (tr("Planned &end:"), "planned_end_date", self.end_edit),
        )

    def offer_choices(self, cohorts: Iterable[Choice], assessors: Iterable[Choice]) -> None:
        self.cohort_combo.clear()
        for cohort in cohorts:
            self.cohort_combo.addItem(cohort.name, cohort.id)
        self.assessor_combo.clear()
        self.assessor_combo.addItem(tr("None assigned"), None)
        for assessor in assessors:
            self.assessor_combo.addItem(assessor.name, assessor.id)

    def detail_input(self) -> ApprenticeInput:
        """What the editors hold; no cohort to choose reads as 0, which the service
        refuses at the cohort."""
        cohort = self.cohort_combo.currentData()
        assessor = self.assessor_combo.currentData()
        return ApprenticeInput(
            given_name=self.given_edit.text(),
            family_name=self.family_edit.text(),
            uln=self.uln_edit.text(),
            date_of_birth=self.dob.value(),
            cohort_id=int(cohort) if cohort is not None else 0,
            start_date=from_qdate(self.start_edit.date()),
            planned_end_date=from_qdate(self.end_edit.date()),
            assessor_id=int(assessor) if assessor is not None else None,
            email=self.email_edit.text(),
            phone=self.phone_edit.text(),
            address=self.address_edit.toPlainText(),
        )

    def show_details(self, values: ApprenticeInput) -> None:
        self.given_edit.setText(values.given_name)
        self.family_edit.setText(values.family_name)
        self.uln_edit.setText(values.uln)
        self.dob.set_value(values.date_of_birth)
        self.email_edit.setText(values.email)
        self.phone_edit.setText(values.phone)
        self.address_edit.setPlainText(values.address)
        self.cohort_combo.setCurrentIndex(self.cohort_combo.findData(values.cohort_id))
        self.assessor_combo.setCurrentIndex(
            max(self.assessor_combo.findData(values.assessor_id), 0)
        )
        self.start_edit.setDate(to_qdate(values.start_date))
        self.end_edit.setDate(to_qdate(values.planned_end_date))


def _line(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    return edit
