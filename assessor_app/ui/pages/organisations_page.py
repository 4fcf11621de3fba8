"""Employers, placement hosts, training providers and agencies, with each one's
settings (wards, homes, units); coordinators and administrators create and edit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assessor_app.services.host_queries import OrganisationRow, SettingRow, organisation_rows
from assessor_app.services.organisations import SECTOR_LABELS
from assessor_app.services.roles import Actor, Permission
from assessor_app.ui.dialogs.organisation_dialog import (
    OrganisationDialog,
    SettingDialog,
    setting_type_label,
)
from assessor_app.ui.models.column_table_model import Column
from assessor_app.ui.qt import (
    QDialog,
    QKeySequence,
    QLabel,
    QPushButton,
    QShortcut,
    QWidget,
    tr,
)
from assessor_app.ui.widgets.list_page import ListPage, detail_pane, split_vertically

# The cohorts, placements and dashboard pages still import it from here.
from assessor_app.ui.widgets.list_page import heading_label as heading_label
from assessor_app.ui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from assessor_app.store.database import Database


def roles_text(row: OrganisationRow) -> str:
    roles = [
        text
        for flag, text in (
            (row.is_employer, tr("employer")),
            (row.is_host, tr("host")),
            (row.is_training_provider, tr("provider")),
            (row.is_training_agency, tr("agency")),
        )
        if flag
    ]
    return ", ".join(roles)


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


ORGANISATION_COLUMNS: list[Column[OrganisationRow]] = [
    Column(tr("Name"), lambda r: r.name),
    Column(tr("Roles"), roles_text, tip=tr("Employer, placement host, provider or agency")),
    Column(tr("Sector"), lambda r: tr(SECTOR_LABELS.get(r.sector, r.sector))),
    Column(
        tr("Min age"),
        lambda r: _number(r.min_apprentice_age),
        sort=lambda r: r.min_apprentice_age,
        tip=tr("The youngest apprentice the host takes"),
        right=True,
    ),
    Column(
        tr("Capacity"),
        lambda r: _number(r.capacity),
        sort=lambda r: r.capacity,
        tip=tr("How many apprentices the host takes at once"),
        right=True,
    ),
    Column(
        tr("Settings"), lambda r: str(len(r.settings)), sort=lambda r: len(r.settings), right=True
    ),
    Column(tr("Contact"), lambda r: r.contact_name),
]

SETTING_COLUMNS: list[Column[SettingRow]] = [
    Column(tr("Setting"), lambda s: s.name),
    Column(tr("Type"), lambda s: setting_type_label(s.setting_type)),
    Column(tr("Location"), lambda s: s.location),
    Column(tr("In use"), lambda s: tr("yes") if s.active else tr("no")),
]


class OrganisationsPage(ListPage):
    def __init__(
        self, db: Database, actor: Actor | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(db, parent)
        self.search_edit = self.search_field("organisationSearch", tr("Search by name (Ctrl+F)"))
        self.new_button = QPushButton(tr("Ne&w organisation…"))
        self.new_button.setToolTip(tr("Add an employer, host, provider or agency (Ctrl+N)"))
        self.edit_button = QPushButton(tr("&Edit…"))
        self.edit_button.setToolTip(tr("Change the chosen organisation"))
        self.setting_button = QPushButton(tr("Add &setting…"))
        self.setting_button.setToolTip(tr("Add a ward, home or unit to the chosen organisation"))
        self.status_label.setObjectName("organisationStatus")

        self.table: RecordTable[OrganisationRow] = RecordTable(ORGANISATION_COLUMNS)
        self.table.setObjectName("organisationTable")
        self.table.setToolTip(tr("Double-click an organisation to edit it"))
        self.settings_heading = QLabel()
        self.settings_table: RecordTable[SettingRow] = RecordTable(SETTING_COLUMNS)
        self.settings_table.setObjectName("settingTable")

        splitter = split_vertically(
            self.table, detail_pane(self.settings_heading, self.settings_table)
        )
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.lay_out(
            tr("Organisations"),
            splitter,
            [self.new_button, self.edit_button, self.setting_button],
            search=self.search_edit,
        )

        self.search_edit.textChanged.connect(self.table.proxy.set_text)
        self.new_button.clicked.connect(self.new_organisation)
        self.edit_button.clicked.connect(self.edit_organisation)
        self.setting_button.clicked.connect(self.add_setting)
        self.table.activated.connect(lambda _index: self.edit_organisation())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_organisation)
        self.set_actor(actor)

    @property
    def may_manage(self) -> bool:
        return self._actor is not None and self._actor.can(Permission.MANAGE_ORGANISATIONS)

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self.new_button.setVisible(self.may_manage)
        self.edit_button.setVisible(self.may_manage)
        self.setting_button.setVisible(self.may_manage)
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        self.read(
            organisation_rows,
            lambda rows: self._show(rows, select_id),
            lambda: self._show([], None),
            tr("Sign in to see the organisations."),
        )

    def _show(self, rows: list[OrganisationRow], select_id: int | None) -> None:
        current = self.table.current_record()
        wanted = select_id if select_id is not None else (current.id if current else None)
        self.table.set_rows(rows)
        if wanted is None or not self.table.select_where(wanted, lambda r: r.id):
            self.table.selectRow(0)
        self._selection_changed()
        hosts = sum(1 for r in rows if r.is_host)
        self.status_label.setText(
            tr("{count} organisations, {hosts} of them placement hosts").format(
                count=len(rows), hosts=hosts
            )
            if rows
            else tr("No organisations yet.")
        )

    def _selection_changed(self, *_args: object) -> None:
        current = self.table.current_record()
        self.edit_button.setEnabled(current is not None)
        self.setting_button.setEnabled(current is not None)
        self.settings_table.set_rows(list(current.settings) if current else [])
        self.settings_heading.setText(
            tr("Settings of {name}").format(name=current.name)
            if current
            else tr("Choose an organisation to see its settings.")
        )

    def new_organisation(self) -> None:
        if not self.may_manage or self._actor is None:
            return
        dialog = OrganisationDialog(self._db, self._actor, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload(dialog.saved_id)

    def edit_organisation(self) -> None:
        current = self.table.current_record()
        if not self.may_manage or self._actor is None or current is None:
            return
        dialog = OrganisationDialog(self._db, self._actor, current, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload(current.id)

    def add_setting(self) -> None:
        current = self.table.current_record()
        if not self.may_manage or self._actor is None or current is None:
            return
        dialog = SettingDialog(self._db, self._actor, current.id, current.name, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload(current.id)
