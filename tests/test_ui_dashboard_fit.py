"""The dashboard reads its figures for every learner at once and sizes its lists once
per change rather than at every layout: the figures must still be each apprentice's
own, and every reason must still show in full at any width of the window."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from assessor_app.domain.rag import Rag
from assessor_app.paths import AppPaths
from assessor_app.services import passwords, users
from assessor_app.services.apprentice_list import apprentice_list
from assessor_app.services.dashboard_queries import Dashboard, RiskLine, dashboard
from assessor_app.services.demo import ACCOUNTS, build_demo
from assessor_app.services.progress_queries import apprentice_progress
from assessor_app.startup import open_app_database
from assessor_app.ui import workers
from assessor_app.ui.pages import dashboard_page
from assessor_app.ui.pages.dashboard_page import DashboardPage
from assessor_app.ui.qt import Qt

FAST = passwords.ScryptParams(log2_n=10, r=8, p=1)
ACCOUNT = {account.username: account for account in ACCOUNTS}
TODAY = date.today()  # the demo is made around today


@pytest.fixture(autouse=True)
def _inline_tasks():
    workers.use_pool(workers.InlinePool())
    yield
    workers.use_pool(None)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "CURRENT", FAST)
        database = open_app_database(AppPaths(tmp_path_factory.mktemp("demo")))
        build_demo(database)
    yield database
    database.dispose()


@pytest.fixture
def admin(demo):
    return users.sign_in(demo, "admin", ACCOUNT["admin"].password)


def test_the_figures_are_each_learners_own_progress(demo, admin):
    figures = dashboard(demo, admin, today=TODAY)
    achieved: Counter[str] = Counter()
    target: Counter[str] = Counter()
    at_risk = set()
    for person in apprentice_list(demo, admin, today=TODAY):
        if person.status != "active":
            continue
        own = apprentice_progress(demo, admin, person.id, today=TODAY)
        achieved[person.cohort] += own.progress.achieved.total
        target[person.cohort] += own.progress.achieved.total + own.progress.credits_needed
        if own.rag.colour is not Rag.GREEN:
            at_risk.add((person.id, own.rag.colour, own.rag.reasons))
    assert at_risk, "the demo has someone at risk"
    assert {(r.apprentice_id, r.colour, r.reasons) for r in figures.at_risk} == at_risk
    assert [t.credits_achieved for t in figures.tiles] == [achieved[t.name] for t in figures.tiles]
    assert [t.credits_target for t in figures.tiles] == [target[t.name] for t in figures.tiles]


LONG = (
    "15 credits are behind plan: A8 'Health, safety and well-being in care settings' "
    "(4 credits, placement ending 30 Apr 2026) and B2 'Understand Mental Ill Health' "
    "(3 credits, placement ending 30 Apr 2026) are not signed off."
)


def risk(n: int, name: str, *reasons: str) -> RiskLine:
    return RiskLine(n, name, "Cohort 016 (25)", Rag.RED, reasons)


@pytest.fixture
def page(qtbot, demo, admin, monkeypatch):
    figures = Dashboard(
        TODAY,
        4,
        (),
        (
            risk(1, "Aisha Cox", "Off-the-job training is behind."),
            risk(2, "Bartholomew Featherstonehaugh-Smith", LONG, "The Care Certificate is late."),
        ),
        (),
        (),
    )
    monkeypatch.setattr(dashboard_page, "dashboard", lambda db, actor, today=None: figures)
    shown = DashboardPage(demo, admin)
    qtbot.addWidget(shown)
    shown.resize(1400, 700)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def fitted(table) -> bool:
    """Every row at least as tall as its text needs at the width it has."""
    return all(table.rowHeight(r) >= table.sizeHintForRow(r) for r in range(2))


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, on showing
def test_every_reason_shows_in_full_at_any_width(qtbot, page):
    table = page.risk_table
    qtbot.waitUntil(lambda: fitted(table))
    one_line = table.rowHeight(0)
    wide = table.rowHeight(1)
    assert wide >= 2 * one_line  # a line per reason, at least
    page.resize(600, 700)  # the long reason now wraps over more lines
    qtbot.waitUntil(lambda: fitted(table) and table.rowHeight(1) > wide)
    assert table.rowHeight(0) < table.rowHeight(1)


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, on showing
def test_names_are_not_cut_short(qtbot, page):
    table = page.risk_table
    header = table.horizontalHeader()
    qtbot.waitUntil(lambda: fitted(table))
    for column in (0, 1, 2):  # the apprentice, the cohort and the colour
        assert header.sectionSize(column) >= table.sizeHintForColumn(column)
    assert header.sectionSize(0) > header.sectionSize(2)  # the long name, not a fixed width


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, on showing
def test_sorting_the_list_keeps_each_reason_in_full(qtbot, page):
    table = page.risk_table
    qtbot.waitUntil(lambda: fitted(table))
    table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert table.model().index(0, 0).data() == "Bartholomew Featherstonehaugh-Smith"
    assert fitted(table)
    assert table.rowHeight(0) > table.rowHeight(1)
