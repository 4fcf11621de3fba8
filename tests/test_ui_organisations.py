"""The Organisations page: the list with roles, sector, minimum age and capacity,
each organisation's settings, and creating and editing with inline validation."""

from __future__ import annotations

import pytest
from conftest import accept_on_exec

from assessor_app.services.host_queries import organisation_rows
from assessor_app.services.organisations import (
    OrganisationInput,
    create_organisation,
    update_organisation,
)
from assessor_app.services.roles import Actor, Role
from assessor_app.ui.dialogs.organisation_dialog import OrganisationDialog, SettingDialog
from assessor_app.ui.pages.organisations_page import OrganisationsPage
from assessor_app.ui.qt import QApplication, QShowEvent

COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
VIEWER = Actor(None, "viewer", Role.VIEWER)


pytestmark = pytest.mark.usefixtures("inline_tasks")


@pytest.fixture
def page(qtbot, db, world):
    shown = OrganisationsPage(db, COORDINATOR)
    qtbot.addWidget(shown)
    return shown


def cells(page, row):
    model = page.table.source
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


def test_list_shows_roles_sector_minimum_age_capacity_and_settings(page):
    rows = {cells(page, r)[0]: cells(page, r) for r in range(page.table.source.rowCount())}
    assert rows["Royal Shire Hospital NHS Trust"][:6] == [
        "Royal Shire Hospital NHS Trust",
        "host",
        "Health",
        "18",
        "2",
        "1",
    ]
    assert rows["Shire County Council"][1] == "employer, host"
    assert rows["Shire Adult Education"][3:5] == ["", ""]  # none recorded
    page.table.select_where("Shire County Council", lambda r: r.name)
    settings = page.settings_table.source
    assert [settings.data(settings.index(0, c)) for c in range(3)] == [
        "Oak Lodge",
        "Residential home",
        "Shiretown",
    ]
    assert page.settings_heading.text() == "Settings of Shire County Council"
    assert page.status_label.text() == "3 organisations, 2 of them placement hosts"


def test_search_narrows_the_list(page):
    page.search_edit.setText("shire hospital")
    assert [r.name for r in page.table.shown()] == ["Royal Shire Hospital NHS Trust"]


def test_a_new_organisation_needs_a_role_and_a_sensible_age(monkeypatch, page, db):
    def no_role(dialog: OrganisationDialog) -> None:
        dialog.name_edit.setText("Brook House Care")
        dialog.min_age_edit.setText("15")

    seen = accept_on_exec(monkeypatch, OrganisationDialog, no_role)
    page.new_organisation()
    assert seen[0].field_error("roles").startswith("Say what the organisation is")
    assert len(organisation_rows(db, COORDINATOR)) == 3  # nothing saved

    def too_young(dialog: OrganisationDialog) -> None:
        no_role(dialog)
        dialog.host_box.setChecked(True)

    seen = accept_on_exec(monkeypatch, OrganisationDialog, too_young)
    page.new_organisation()
    assert seen[0].field_error("min_apprentice_age") == (
        "Minimum apprentice age must be between 16 and 25, not 15."
    )
    assert seen[0].field_error("roles") == ""

    def not_a_number(dialog: OrganisationDialog) -> None:
        too_young(dialog)
        dialog.min_age_edit.setText("")
        dialog.capacity_edit.setText("three")

    seen = accept_on_exec(monkeypatch, OrganisationDialog, not_a_number)
    page.new_organisation()
    assert "whole number" in seen[0].field_error("capacity")

    def good(dialog: OrganisationDialog) -> None:
        not_a_number(dialog)
        dialog.capacity_edit.setText("3")
        dialog.sector_combo.setCurrentIndex(dialog.sector_combo.findData("pvi"))

    accept_on_exec(monkeypatch, OrganisationDialog, good)
    page.new_organisation()
    saved = page.table.current_record()
    assert (saved.name, saved.is_host, saved.capacity, saved.sector) == (
        "Brook House Care",
        True,
        3,
        "pvi",
    )
    assert cells(page, page.table.currentIndex().row())[2] == "Private, voluntary or independent"


def test_a_duplicate_name_is_marked_on_the_name_field(monkeypatch, page):
    def duplicate(dialog: OrganisationDialog) -> None:
        dialog.name_edit.setText("shire county council")
        dialog.employer_box.setChecked(True)

    seen = accept_on_exec(monkeypatch, OrganisationDialog, duplicate)
    page.new_organisation()
    assert seen[0].field_error("name") == (
        "There is already an organisation called 'shire county council'."
    )


def test_editing_saves_and_a_stale_edit_is_refused_with_a_message(monkeypatch, page, db, world):
    page.table.select_where("Royal Shire Hospital NHS Trust", lambda r: r.name)

    def bigger(dialog: OrganisationDialog) -> None:
        assert dialog.name_edit.text() == "Royal Shire Hospital NHS Trust"
        dialog.capacity_edit.setText("5")

    accept_on_exec(monkeypatch, OrganisationDialog, bigger)
    page.edit_organisation()
    assert page.table.current_record().capacity == 5

    # Someone else saves the trust while the page still shows the old version.
    update_organisation(
        db,
        COORDINATOR,
        world["trust"],
        OrganisationInput("Royal Shire Hospital NHS Trust", "health", is_host=True, capacity=6),
    )
    seen = accept_on_exec(monkeypatch, OrganisationDialog, bigger)
    page.edit_organisation()
    assert seen[0].result() == 0
    assert "saved this organisation" in seen[0].message.text()
    assert {r.name: r.capacity for r in organisation_rows(db, COORDINATOR)}[
        "Royal Shire Hospital NHS Trust"
    ] == 6


def test_adding_a_setting_lists_it_under_its_organisation(monkeypatch, page):
    page.table.select_where("Royal Shire Hospital NHS Trust", lambda r: r.name)

    def blank(dialog: SettingDialog) -> None:
        dialog.name_edit.setText("")

    seen = accept_on_exec(monkeypatch, SettingDialog, blank)
    page.add_setting()
    assert seen[0].field_error("name") == "Setting name is required."

    def ward(dialog: SettingDialog) -> None:
        dialog.name_edit.setText("Ward 12 (medical)")
        dialog.location_edit.setText("Shiretown")

    accept_on_exec(monkeypatch, SettingDialog, ward)
    page.add_setting()
    assert [s.name for s in page.settings_table.source.rows()] == [
        "Ward 12 (medical)",
        "Ward 7 (elderly care)",
    ]


def test_a_viewer_sees_the_list_but_cannot_change_it(qtbot, db, world):
    page = OrganisationsPage(db, VIEWER)
    qtbot.addWidget(page)
    assert page.table.source.rowCount() == 3
    assert page.new_button.isHidden() and page.edit_button.isHidden()
    assert page.setting_button.isHidden()


def test_nobody_signed_in_sees_nothing(qtbot, db, world):
    page = OrganisationsPage(db, None)
    qtbot.addWidget(page)
    assert page.table.source.rowCount() == 0
    assert page.status_label.text() == "Sign in to see the organisations."


def test_showing_the_page_again_reads_changes_made_elsewhere(qtbot, page, db):
    QApplication.sendEvent(page, QShowEvent())  # as when its tab is first chosen
    create_organisation(
        db, COORDINATOR, OrganisationInput("Meadowview Day Services", "pvi", is_host=True)
    )
    assert "Meadowview Day Services" not in [r.name for r in page.table.source.rows()]
    QApplication.sendEvent(page, QShowEvent())  # its tab chosen again
    assert "Meadowview Day Services" in [r.name for r in page.table.source.rows()]
