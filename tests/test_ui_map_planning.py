"""Planning units onto placements from the apprentice page's Map tab: with the
button, the right-click menu or a double-click, through the service; someone
else's newer plan and a restricted record are refused in the tab's message area
and the map then shows the plan as saved; roles that may not plan see it read only."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from conftest import FAST, apprentice_input, open_record_tab

from assessor_app.paths import AppPaths
from assessor_app.services import passwords, retention, users
from assessor_app.services.apprentices import enrol_apprentice
from assessor_app.services.demo import ACCOUNTS, build_demo
from assessor_app.services.errors import StaleEdit
from assessor_app.services.placements import PlacementInput, schedule_placement
from assessor_app.services.progress_queries import apprentice_progress
from assessor_app.services.roles import Actor, Role
from assessor_app.services.unit_plans import plan_unit
from assessor_app.startup import open_app_database
from assessor_app.ui.models.unit_map_model import UnitMapModel
from assessor_app.ui.pages.map_tab import MapTab
from assessor_app.ui.qt import Qt

ACCOUNT = {account.username: account for account in ACCOUNTS}
TODAY = date.today()  # the demo's dates are relative to today
UNIT = "A3"  # Grace's A3 is planned in one placement, with no evidence yet


pytestmark = pytest.mark.usefixtures("inline_tasks")


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "CURRENT", FAST)
        database = open_app_database(AppPaths(folder))
        build_demo(database, today=TODAY)
        database.dispose()
    return folder


@pytest.fixture
def demo(demo_folder, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(demo_folder, copy)
    database = open_app_database(AppPaths(copy))
    yield database
    database.dispose()


def sign_in(db, username):
    return users.sign_in(db, username, ACCOUNT[username].password)


def make(qtbot, db, username):
    return open_record_tab(qtbot, MapTab, db, username, today=TODAY)


def saved_plan(tab, ref=UNIT):
    """Where the database says the unit is planned (read afresh, not from the tab)."""
    unit_map = apprentice_progress(tab._db, tab._actor, tab.apprentice_id, today=TODAY).unit_map
    return next(row.planned_placement for row in unit_map.rows if row.ref == ref)


def shown_row(tab, ref=UNIT):
    """The unit's placement cells as the table shows them, left to right."""
    proxy = tab.table.model()
    for r in range(proxy.rowCount()):
        if proxy.data(proxy.index(r, UnitMapModel.UNIT)).startswith(f"{ref}  "):
            return [proxy.data(proxy.index(r, c)) for c in range(1, 1 + tab.model.placement_count)]
    raise AssertionError(f"{ref} is not on the map")


def placement_id(tab, column):
    return tab.model.placement(column).id


def other_column(tab, ref=UNIT):
    """A placement column where the unit is not planned."""
    return next(c for c, text in enumerate(shown_row(tab, ref), start=1) if "Planned" not in text)


def double_click(qtbot, table):
    """A person's double-click on the current cell: a click, then the second press."""
    centre = table.visualRect(table.currentIndex()).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def findings(tab):
    return [tab.findings_list.item(i).text() for i in range(tab.findings_list.count())]


def test_a_coordinator_moves_a_units_plan_to_the_chosen_placement(qtbot, demo):
    tab = make(qtbot, demo, "coordinator")
    # Sorted another way first: the cell chosen must still be the unit's own.
    tab.table.sortByColumn(tab.model.signed_column, Qt.SortOrder.DescendingOrder)
    before = shown_row(tab)
    assert before.count("○ Planned") == 1
    old_column = before.index("○ Planned") + 1
    column = other_column(tab)
    setting = tab.model.placement(column).setting
    assert tab.select_cell(UNIT, column)
    assert tab.plan_button.isEnabled() and tab.plan_action.isEnabled()
    assert f"Plan here moves it to {setting}" in tab.choice_label.text()

    qtbot.mouseClick(tab.plan_button, Qt.MouseButton.LeftButton)

    after = shown_row(tab)
    assert after[column - 1] == "○ Planned" and after[old_column - 1] == ""
    assert saved_plan(tab) == placement_id(tab, column)
    assert tab.message_label.text().startswith(f"A3 is now planned for {setting} (")
    assert "font-weight: bold" not in tab.message_label.styleSheet()  # not an error
    # The same cell stays chosen, and planning it there again is not offered.
    assert tab.chosen()[0].ref == UNIT and tab.chosen()[1] == column
    assert not tab.plan_button.isEnabled() and tab.clear_button.isEnabled()


def test_saving_a_plan_tells_the_apprentice_page(qtbot, demo):
    tab = make(qtbot, demo, "tutor")
    tab.select_cell(UNIT, other_column(tab))
    with qtbot.waitSignal(tab.changed, timeout=1000):
        tab.plan_button.click()


def test_the_right_click_menu_clears_a_plan_and_the_checks_follow(qtbot, demo):
    tab = make(qtbot, demo, "tutor")
    assert tab.table.contextMenuPolicy() is Qt.ContextMenuPolicy.ActionsContextMenu
    assert tab.table.actions() == [tab.plan_action, tab.clear_action]
    assert not any(f.startswith("Warning: A3 ") for f in findings(tab))
    tab.select_cell(UNIT, UnitMapModel.UNIT)  # any cell of the unit's row will do
    assert not tab.plan_action.isEnabled()  # no placement in that column
    assert tab.clear_action.isEnabled()

    tab.clear_action.trigger()

    assert "Planned" not in "".join(shown_row(tab))
    assert saved_plan(tab) is None
    assert tab.message_label.text().startswith("A3 is no longer planned for ")
    assert any(
        f.startswith("Warning: A3 ") and "not planned for any placement" in f for f in findings(tab)
    )
    assert not tab.clear_button.isEnabled()
    assert "A3 is not planned for any placement yet." in tab.choice_label.text()


def test_double_clicking_a_cell_plans_the_unit_there(qtbot, demo):
    tab = make(qtbot, demo, "coordinator")
    # As in the main window, a minimum size settled once: the offscreen platform
    # warns each time a lone top-level widget's minimum changes with a label's text.
    tab.setMinimumSize(1200, 700)
    tab.show()
    qtbot.waitExposed(tab)
    column = other_column(tab)
    tab.select_cell(UNIT, column)
    double_click(qtbot, tab.table)
    assert shown_row(tab)[column - 1] == "○ Planned"
    assert saved_plan(tab) == placement_id(tab, column)

    # Again on the same cell: nothing changes and the tab says how to take it off.
    double_click(qtbot, tab.table)
    assert "already planned" in tab.message_label.text()
    assert "Clear plan" in tab.message_label.text()
    assert saved_plan(tab) == placement_id(tab, column)


def test_a_plan_someone_else_changed_meanwhile_is_refused_and_the_map_refreshes(qtbot, demo):
    tab = make(qtbot, demo, "coordinator")
    columns = [c for c, text in enumerate(shown_row(tab), start=1) if "Planned" not in text]
    theirs, mine = columns[0], columns[1]
    tutor = sign_in(demo, "tutor")
    plan_unit(demo, tutor, tab.apprentice_id, UNIT, placement_id(tab, theirs))
    assert shown_row(tab)[theirs - 1] == ""  # the tab still shows what it read

    tab.select_cell(UNIT, mine)
    tab.plan_button.click()

    message = tab.message_label.text()
    assert message.startswith("Someone else changed where A3 is planned after you opened the map")
    assert tab.model.placement(theirs).setting in message
    assert "bold" in tab.message_label.styleSheet()  # shown as a refusal
    assert saved_plan(tab) == placement_id(tab, theirs)  # their plan stands
    assert shown_row(tab)[theirs - 1] == "○ Planned"  # and the map now shows it
    assert shown_row(tab)[mine - 1] == ""
    # Now the map is current, the same choice goes through.
    tab.select_cell(UNIT, mine)
    tab.plan_button.click()
    assert saved_plan(tab) == placement_id(tab, mine)


def test_a_restricted_record_is_refused_in_the_message_area(qtbot, demo):
    tab = make(qtbot, demo, "coordinator")
    before = saved_plan(tab)
    retention.request_erasure(demo, sign_in(demo, "admin"), tab.apprentice_id, "", today=TODAY)
    tab.select_cell(UNIT, other_column(tab))
    tab.plan_button.click()
    assert "can be viewed but not changed" in tab.message_label.text()
    assert tab.message_label.isVisibleTo(tab)
    assert saved_plan(tab) == before
    assert shown_row(tab).count("○ Planned") == 1


def test_a_quality_assurer_sees_the_map_read_only_and_is_told_why(qtbot, demo):
    tab = make(qtbot, demo, "iqa")
    before = saved_plan(tab)
    assert not tab.plan_form.isVisibleTo(tab)
    why = tab.read_only_label.text()
    assert tab.read_only_label.isVisibleTo(tab)
    assert why.startswith("Read only: planning units needs the right to choose")
    assert "internal quality assurer" in why
    assert tab.table.contextMenuPolicy() is Qt.ContextMenuPolicy.NoContextMenu
    column = other_column(tab)
    tab.select_cell(UNIT, column)
    tooltip = tab.table.model().data(tab.table.currentIndex(), Qt.ItemDataRole.ToolTipRole)
    assert why in tooltip
    assert not tab.plan_action.isEnabled() and not tab.clear_action.isEnabled()

    tab.table.doubleClicked.emit(tab.table.currentIndex())
    tab.plan_selected()
    tab.clear_selected()
    assert saved_plan(tab) == before
    assert tab.message_label.text() == ""


def test_the_service_refuses_a_stale_plan_and_changes_nothing(db, world):
    """The check the tab relies on, without the window."""
    coordinator = Actor(None, "coord", Role.COORDINATOR)
    sam = enrol_apprentice(db, coordinator, apprentice_input(world))
    first = schedule_placement(
        db, coordinator, PlacementInput(sam, world["home"], date(2026, 1, 5), date(2026, 4, 4))
    )
    plan_unit(db, coordinator, sam, "A1", first, expected_placement=None)
    with pytest.raises(StaleEdit, match=r"it is now planned for Oak Lodge \(5 Jan 2026"):
        plan_unit(db, coordinator, sam, "A1", None, expected_placement=None)
    unit_map = apprentice_progress(db, coordinator, sam).unit_map
    assert next(r.planned_placement for r in unit_map.rows if r.ref == "A1") == first
    plan_unit(db, coordinator, sam, "A1", None, expected_placement=first)
    with pytest.raises(StaleEdit, match="it is now not planned for any placement"):
        plan_unit(db, coordinator, sam, "A1", first, expected_placement=first)
