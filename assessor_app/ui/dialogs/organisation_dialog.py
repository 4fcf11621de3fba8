"""Create or edit an organisation, and add a setting (ward, home, unit) to one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assessor_app.domain.unit_map import SETTING_TYPE_LABELS
from assessor_app.services.errors import FieldError
from assessor_app.services.host_queries import OrganisationRow
from assessor_app.services.organisations import (
    SECTOR_LABELS,
    SECTORS,
    SETTING_TYPES,
    OrganisationInput,
    add_setting,
    create_organisation,
    update_organisation,
)
from assessor_app.ui.dialogs.form_dialog import FormDialog
from assessor_app.ui.qt import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
    tr,
)

if TYPE_CHECKING:
    from assessor_app.services.roles import Actor
    from assessor_app.store.database import Database


def optional_number(text: str, field: str, label: str) -> int | None:
    """A blank box means 'not recorded'; anything else must be a whole number."""
    cleaned = text.strip()
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise FieldError(
            field, tr("{label} must be a whole number, or left blank.").format(label=label)
        )
    return int(cleaned)


def setting_type_label(setting_type: str) -> str:
    if setting_type == "other":  # the domain's word for it reads in a sentence, not alone
        return tr("Other setting")
    label = tr(SETTING_TYPE_LABELS.get(setting_type, setting_type.replace("_", " ")))
    return label[:1].upper() + label[1:]


class OrganisationDialog(FormDialog):
    def __init__(
        self,
        db: Database,
        actor: Actor,
        row: OrganisationRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            tr("New organisation") if row is None else tr("Edit {name}").format(name=row.name),
            parent,
        )
        self._db, self._actor, self._row = db, actor, row
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("organisationName")
        self.employer_box = QCheckBox(tr("Employer"))
        self.host_box = QCheckBox(tr("Placement host"))
        self.provider_box = QCheckBox(tr("Training provider"))
        self.agency_box = QCheckBox(tr("Training agency"))
        roles = QWidget()
        # Two by two: four in a row do not fit the form's width and were cut short.
        roles_grid = QGridLayout(roles)
        roles_grid.setContentsMargins(0, 0, 0, 0)
        boxes = (self.employer_box, self.host_box, self.provider_box, self.agency_box)
        for n, box in enumerate(boxes):
            roles_grid.addWidget(box, n // 2, n % 2)
        roles_grid.setColumnStretch(2, 1)
        self.sector_combo = QComboBox()
        for sector in SECTORS:
            self.sector_combo.addItem(tr(SECTOR_LABELS[sector]), sector)
        self.min_age_edit = QLineEdit()
        self.min_age_edit.setPlaceholderText(tr("none"))
        self.min_age_edit.setToolTip(tr("The youngest apprentice the host takes (16 to 25)"))
        self.capacity_edit = QLineEdit()
        self.capacity_edit.setPlaceholderText(tr("not recorded"))
        self.capacity_edit.setToolTip(tr("How many apprentices the host takes at once"))
        self.contact_edit = QLineEdit()
        self.email_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.address_edit = QPlainTextEdit()
        self.address_edit.setFixedHeight(60)
        self.add_field("name", tr("&Name:"), self.name_edit)
        self.add_field("roles", tr("What it is:"), roles)
        self.add_field("sector", tr("S&ector:"), self.sector_combo)
        self.add_field("min_apprentice_age", tr("&Minimum age:"), self.min_age_edit)
        self.add_field("capacity", tr("Apprentices at &once:"), self.capacity_edit)
        self.add_field("contact_name", tr("&Contact:"), self.contact_edit)
        self.add_field("contact_email", tr("E&mail:"), self.email_edit)
        self.add_field("contact_phone", tr("&Phone:"), self.phone_edit)
        self.add_field("address", tr("&Address:"), self.address_edit)
        if row is not None:
            self.name_edit.setText(row.name)
            self.employer_box.setChecked(row.is_employer)
            self.host_box.setChecked(row.is_host)
            self.provider_box.setChecked(row.is_training_provider)
            self.agency_box.setChecked(row.is_training_agency)
            self.sector_combo.setCurrentIndex(max(self.sector_combo.findData(row.sector), 0))
            self.min_age_edit.setText(
                "" if row.min_apprentice_age is None else str(row.min_apprentice_age)
            )
            self.capacity_edit.setText("" if row.capacity is None else str(row.capacity))
            self.contact_edit.setText(row.contact_name)
            self.email_edit.setText(row.contact_email)
            self.phone_edit.setText(row.contact_phone)
            self.address_edit.setPlainText(row.address)
        self.setMinimumWidth(520)

    def value(self) -> OrganisationInput:
        return OrganisationInput(
            name=self.name_edit.text(),
            sector=str(self.sector_combo.currentData()),
            is_employer=self.employer_box.isChecked(),
            is_host=self.host_box.isChecked(),
            is_training_provider=self.provider_box.isChecked(),
            is_training_agency=self.agency_box.isChecked(),
            contact_name=self.contact_edit.text(),
            contact_email=self.email_edit.text(),
            contact_phone=self.phone_edit.text(),
            address=self.address_edit.toPlainText(),
            min_apprentice_age=optional_number(
                self.min_age_edit.text(), "min_apprentice_age", tr("Minimum age")
            ),
            capacity=optional_number(
                self.capacity_edit.text(), "capacity", tr("Apprentices at once")
            ),
        )

    def submit(self) -> int:
        data = self.value()
        if self._row is None:
            return create_organisation(self._db, self._actor, data)
        update_organisation(
            self._db, self._actor, self._row.id, data, expected_version=self._row.version
        )
        return self._row.id


class SettingDialog(FormDialog):
    def __init__(
        self,
        db: Database,
        actor: Actor,
        organisation_id: int,
        organisation_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("New setting at {name}").format(name=organisation_name), parent)
        self._db, self._actor, self._organisation_id = db, actor, organisation_id
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("settingName")
        self.name_edit.setPlaceholderText(tr("e.g. Ward 7 (elderly care)"))
        self.type_combo = QComboBox()
        for setting_type in SETTING_TYPES:
            self.type_combo.addItem(setting_type_label(setting_type), setting_type)
        self.location_edit = QLineEdit()
        self.add_field("name", tr("&Name:"), self.name_edit)
        self.add_field("setting_type", tr("&Type:"), self.type_combo)
        self.add_field("location", tr("&Location:"), self.location_edit)
        self.setMinimumWidth(420)

    def submit(self) -> int:
        return add_setting(
            self._db,
            self._actor,
            self._organisation_id,
            self.name_edit.text(),
            str(self.type_combo.currentData()),
            self.location_edit.text(),
        )
