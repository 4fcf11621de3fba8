"""Create or edit a cohort: employer, training provider, qualification, start date,
contracted hours and the placement pattern the rotation planner follows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from assessor_app.services.cohorts import CohortInput, create_cohort, update_cohort
from assessor_app.services.errors import FieldError
from assessor_app.services.planner_queries import CohortFormChoices, CohortRow
from assessor_app.ui.dialogs.form_dialog import FormDialog
from assessor_app.ui.qt import (
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QLineEdit,
    QSpinBox,
    QWidget,
    tr,
)

if TYPE_CHECKING:
    from assessor_app.services.catalogue_queries import QualificationSummary
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database


def chosen_date(edit: QDateEdit) -> date:
    day = edit.date()
    return date(day.year(), day.month(), day.day())


def date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    edit.setDate(QDate.currentDate())
    return edit


class CohortDialog(FormDialog):
    def __init__(
        self,
        db: Database,
        actor: Actor,
        choices: CohortFormChoices,
        qualifications: list[QualificationSummary],
        row: CohortRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            tr("New cohort") if row is None else tr("Edit {name}").format(name=row.name), parent
        )
        self._db, self._actor, self._row = db, actor, row
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("cohortName")
        self.employer_combo = QComboBox()
        for org in choices.employers:
            self.employer_combo.addItem(org.name, org.id)
        self.provider_combo = QComboBox()
        for org in choices.providers:
            self.provider_combo.addItem(org.name, org.id)
        self.qualification_combo = QComboBox()
        for q in qualifications:
            self.qualification_combo.addItem(f"{q.code} – {q.title}", q.code)
        self.awarding_edit = QLineEdit()
        self.awarding_edit.setPlaceholderText(tr("the qualification's awarding body"))
        self.start_edit = date_edit()
        self.hours_edit = QLineEdit("37.5")
        self.pattern_edit = QLineEdit(tr("1 day a week"))
        self.count_spin = QSpinBox()
        self.count_spin.setRange(1, 12)
        self.count_spin.setValue(5)
        self.months_spin = QSpinBox()
        self.months_spin.setRange(1, 24)
        self.months_spin.setValue(3)
        self.pvi_box = QCheckBox(tr("Last placement with a PVI host"))
        self.pvi_box.setToolTip(
            tr(
                "The rotation planner puts the last placement with a private, voluntary or "
                "independent host"
            )
        )
        self.pvi_box.setChecked(True)
        self.add_field("name", tr("&Name:"), self.name_edit)
        self.add_field("employer_id", tr("&Employer:"), self.employer_combo)
        self.add_field("training_provider_id", tr("Training &provider:"), self.provider_combo)
        self.add_field("qualification", tr("&Qualification:"), self.qualification_combo)
        self.add_field("awarding_body", tr("&Awarding body:"), self.awarding_edit)
        self.add_field("start_date", tr("&Start date:"), self.start_edit)
        self.add_field(
            "contracted_hours_per_week", tr("Contracted &hours a week:"), self.hours_edit
        )
        self.add_field("off_the_job_pattern", tr("&Off-the-job pattern:"), self.pattern_edit)
        self.add_field("placement_count", tr("P&lacements:"), self.count_spin)
        self.add_field("placement_months", tr("&Months each:"), self.months_spin)
        self.add_field("last_placement_pvi", "", self.pvi_box)
        if row is not None:
            self.name_edit.setText(row.name)
            self.employer_combo.setCurrentIndex(
                max(self.employer_combo.findData(row.employer_id), 0)
            )
            self.provider_combo.setCurrentIndex(
                max(self.provider_combo.findData(row.training_provider_id), 0)
            )
            self.qualification_combo.setCurrentIndex(
                max(self.qualification_combo.findData(row.qualification_code), 0)
            )
            self.awarding_edit.setText(row.awarding_body)
            start = row.start_date
            self.start_edit.setDate(QDate(start.year, start.month, start.day))
            self.hours_edit.setText(f"{row.contracted_hours_per_week.normalize():f}")
            self.pattern_edit.setText(row.off_the_job_pattern)
            self.count_spin.setValue(row.placement_count)
            self.months_spin.setValue(row.placement_months)
            self.pvi_box.setChecked(row.last_placement_pvi)
        self.setMinimumWidth(520)

    def _hours(self) -> Decimal:
        try:
            return Decimal(self.hours_edit.text().strip())
        except InvalidOperation:
            raise FieldError(
                "contracted_hours_per_week",
                tr("Contracted hours a week must be a number, such as 37.5."),
            ) from None

    def value(self) -> CohortInput:
        for field, combo, what in (
            ("employer_id", self.employer_combo, tr("an employer")),
            ("training_provider_id", self.provider_combo, tr("a training provider")),
        ):
            if combo.currentData() is None:
                raise FieldError(
                    field,
                    tr("There is no {what} to choose: add it on the Organisations page.").format(
                        what=what
                    ),
                )
        return CohortInput(
            name=self.name_edit.text(),
            employer_id=int(self.employer_combo.currentData()),
            training_provider_id=int(self.provider_combo.currentData()),
            qualification_code=str(self.qualification_combo.currentData() or ""),
            start_date=chosen_date(self.start_edit),
            contracted_hours_per_week=self._hours(),
            awarding_body=self.awarding_edit.text(),
            off_the_job_pattern=self.pattern_edit.text(),
            placement_count=self.count_spin.value(),
            placement_months=self.months_spin.value(),
            last_placement_pvi=self.pvi_box.isChecked(),
        )

    def submit(self) -> int:
        data = self.value()
        if self._row is None:
            return create_cohort(self._db, self._actor, data)
        update_cohort(self._db, self._actor, self._row.id, data, expected_version=self._row.version)
        return self._row.id
