"""The apprentices list (model, filters, page) and one apprentice's page."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import FAST

from assessor_app.paths import AppPaths
from assessor_app.services import passwords, users
from assessor_app.services.apprentice_list import ApprenticeListRow
from assessor_app.services.demo import ACCOUNTS, build_demo
from assessor_app.startup import open_app_database
from assessor_app.ui.main_window import MainWindow
from assessor_app.ui.models.apprentice_table_model import (
    ApprenticeFilterProxy,
    ApprenticeTableModel,
)
from assessor_app.ui.models.sort_proxy import ROW_ROLE, SORT_ROLE
from assessor_app.ui.pages.apprentice_page import ApprenticePage
from assessor_app.ui.pages.apprentices_page import ApprenticesPage
from assessor_app.ui.qt import QLabel, QSettings, Qt

ACCOUNT = {account.username: account for account in ACCOUNTS}
M = ApprenticeTableModel


pytestmark = pytest.mark.usefixtures("inline_tasks")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo database for the module: these tests only read it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "CURRENT", FAST)
        database = open_app_database(AppPaths(tmp_path_factory.mktemp("demo")))
        build_demo(database)
    yield database
    database.dispose()


@pytest.fixture
def admin(demo):
    return users.sign_in(demo, "admin", ACCOUNT["admin"].password)


def row(n: int, **changes: object) -> ApprenticeListRow:
    values: dict[str, object] = dict(
        id=n,
        name=f"Learner {n}",
        sort_name=f"{n} learner",
        uln=f"41{n:08d}",
        cohort=f"Cohort {n % 4}",
        status=("active", "withdrawn", "completed", "break_in_learning")[n % 4],
        status_date=None,
        start_date=date(2026, 1, 5),
        planned_end_date=date(2027, 4, 4),
        assessor=f"Assessor {n % 3}",
        rag=("red", "amber", "green")[n % 3],
        percent_complete=n % 101,
    )
    values.update(changes)
    return ApprenticeListRow(**values)  # type: ignore[arg-type]


def cell(model, r, column, role=Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(r, column), role)


# The model, without a view


def test_columns_and_what_each_cell_says():
    model = M()
    model.set_rows(
        [
            row(1, uln=None, status="break_in_learning", percent_complete=47),
            row(2, assessor=""),
        ]
    )
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [
        "Name",
        "ULN",
        "Cohort",
        "Status",
        "Assessor",
        "Start",
        "Planned end",
        "Complete",
        "RAG",
    ]
    assert cell(model, 0, M.ULN) == "not yet known"
    assert cell(model, 1, M.ULN) == "4100000002"
    assert cell(model, 0, M.STATUS) == "Break in learning"
    assert cell(model, 0, M.START) == "5 Jan 2026"
    assert cell(model, 0, M.PERCENT) == "47%"
    assert cell(model, 0, M.RAG) == "Amber"
    assert cell(model, 1, M.ASSESSOR) == "none assigned"
    assert cell(model, 0, M.NAME, ROW_ROLE).id == 1
    assert cell(model, 0, M.RAG, Qt.ItemDataRole.BackgroundRole) is not None


def test_sort_role_holds_raw_values():
    model = M()
    model.set_rows([row(1, percent_complete=9, uln=None), row(2, percent_complete=10)])
    assert cell(model, 0, M.START, SORT_ROLE) == date(2026, 1, 5)
    assert cell(model, 0, M.PLANNED_END, SORT_ROLE) == date(2027, 4, 4)
    assert cell(model, 0, M.PERCENT, SORT_ROLE) == 9
    assert cell(model, 0, M.ULN, SORT_ROLE) is None
    assert cell(model, 0, M.NAME, SORT_ROLE) == "1 learner"

    proxy = ApprenticeFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(M.PERCENT, Qt.SortOrder.DescendingOrder)
    # 10 before 9: numbers, not text
    assert [proxy.index(r, M.PERCENT).data() for r in range(2)] == ["10%", "9%"]
    proxy.sort(M.ULN, Qt.SortOrder.AscendingOrder)
    assert proxy.index(1, M.ULN).data() == "not yet known"  # no value stays at the bottom


def test_ten_thousand_rows_filter_by_text_and_by_status():
    model = M()
    model.set_rows([row(n) for n in range(10_000)])
    proxy = ApprenticeFilterProxy()
    proxy.setSourceModel(model)
    assert proxy.rowCount() == 10_000

    proxy.set_text("Learner 12")  # every word, in the name or the ULN
    assert proxy.rowCount() == sum("12" in str(n) for n in range(10_000))
    proxy.set_text("4100000123")  # by ULN
    assert proxy.rowCount() == 1
    proxy.set_text("")
    proxy.set_filter("status", "withdrawn")
    assert proxy.rowCount() == 2_500
    proxy.set_filter("rag", "red")  # n % 4 == 1 and n % 3 == 0
    assert proxy.rowCount() == sum(n % 4 == 1 and n % 3 == 0 for n in range(10_000))
    proxy.set_filter("status", None)
    proxy.set_filter("rag", None)
    assert proxy.rowCount() == 10_000


def test_an_unknown_filter_is_a_programming_error():
    with pytest.raises(ValueError, match="no filter"):
        ApprenticeFilterProxy().set_filter("colour", "red")


# The list page, on the demo database


@pytest.fixture
def page(qtbot, demo, admin):
    widget = ApprenticesPage(demo, admin)
    qtbot.addWidget(widget)
    return widget


def names(page):
    return [r.name for r in page.shown_rows()]


def test_rows_load_and_the_count_says_how_many(page):
    assert not page.loading
    assert page.model.rowCount() == 8
    assert page.count_label.text() == "Showing 8 of 8 apprentices"
    assert names(page)[:2] == ["Grace Adeyemi", "Ben Carter"]  # by family name


def test_search_and_status_filter(qtbot, page):
    qtbot.keyClicks(page.search_edit, "Harvey")
    assert names(page) == ["Harvey Singh"]
    assert page.count_label.text() == "Showing 1 of 8 apprentices"
    page.search_edit.clear()
    page.set_filter("status", "withdrawn")
    assert page.status_combo.currentText() == "Withdrawn"
    assert names(page) == ["Chloe Evans"]


def test_nobody_signed_in_shows_no_one(qtbot, demo):
    page = ApprenticesPage(demo, None)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 0
    assert page.count_label.text() == "Sign in to see the apprentices."


def test_enter_opens_the_apprentice(qtbot, page):
    page.set_filter("status", "withdrawn")
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    with qtbot.waitSignal(page.open_requested) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args[1] == "Chloe Evans"


# One apprentice


def open_by_name(page, name):
    record = next(r for r in page.model.rows() if r.name == name)
    return record


def test_overview_shows_rag_reasons_figures_and_five_placements(qtbot, demo, admin, page):
    grace = open_by_name(page, "Grace Adeyemi")
    apprentice = ApprenticePage(demo, admin, grace.id, grace.name)
    qtbot.addWidget(apprentice)
    assert apprentice.tabs.isEnabled()
    assert [apprentice.tabs.tabText(i).replace("&", "") for i in range(3)] == [
        "Overview",
        "Placements",
        "History",
    ]
    assert apprentice.rag_badge.text() == grace.rag.capitalize()
    assert apprentice.reason_labels
    assert all(label.text() for label in apprentice.reason_labels)
    assert apprentice.figure_labels["percent"].text() == f"{grace.percent_complete}%"
    assert "standards complete" in apprentice.figure_labels["care_certificate"].text()
    assert len(apprentice.strip.blocks) == 5
    assert apprentice.placement_model.rowCount() == 5
    assert apprentice.finding_labels


def test_history_tab_lists_entries(qtbot, demo, admin, page):
    grace = open_by_name(page, "Grace Adeyemi")
    apprentice = ApprenticePage(demo, admin, grace.id, grace.name)
    qtbot.addWidget(apprentice)
    model = apprentice.history_model
    assert model.rowCount() > 0
    whats = {model.data(model.index(r, model.WHAT)) for r in range(model.rowCount())}
    assert any(text.startswith("Unit signed off: ") for text in whats)
    assert all(model.data(model.index(r, model.WHO)) for r in range(model.rowCount()))


def test_a_units_tab_can_be_added(qtbot, demo, admin, page):
    apprentice = ApprenticePage(demo, admin, page.model.rows()[0].id)
    qtbot.addWidget(apprentice)
    index = apprentice.add_tab(QLabel("units"), "Units")
    assert apprentice.tabs.tabText(index) == "Units"


# In the window


def test_window_opens_an_apprentice_and_goes_back(qtbot, demo, admin, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(demo, settings, actor=admin)
    qtbot.addWidget(window)
    assert window.tabs.widget(1) is window.apprentices  # after the dashboard
    tab = window.apprentices
    assert tab.stack.currentWidget() is window.apprentices_page
    harvey = open_by_name(window.apprentices_page, "Harvey Singh")
    window.apprentices_page.open_requested.emit(harvey.id, harvey.name)
    assert tab.apprentice_page is not None
    assert tab.apprentice_page.name_label.text() == "Harvey Singh"
    assert tab.stack.currentWidget() is not window.apprentices_page
    tabs = tab.apprentice_page.tabs
    titles = [tabs.tabText(i).replace("&", "") for i in range(tabs.count())]
    assert "Units" in titles  # the unit choice editor sits on the apprentice's page
    editor = tabs.widget(titles.index("Units"))
    assert "meets the rules of combination" in editor.verdict_label.text()
    qtbot.mouseClick(tab.back_button, Qt.MouseButton.LeftButton)
    assert tab.stack.currentWidget() is window.apprentices_page
    assert tab.apprentice_page is None
