"""The dashboard: cohort tiles, who is at risk and why, placements starting within
the notice period with no notice sent, evidence waiting, and opening a person."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from conftest import FAST, apprentice_input

from assessor_app.paths import AppPaths
from assessor_app.services import passwords, users
from assessor_app.services.apprentice_list import apprentice_list
from assessor_app.services.apprentices import change_status, enrol_apprentice
from assessor_app.services.cohort_queries import cohort_view
from assessor_app.services.dashboard_queries import dashboard
from assessor_app.services.demo import ACCOUNTS, build_demo
from assessor_app.services.placements import (
    PlacementInput,
    record_notice_sent,
    schedule_placement,
)
from assessor_app.services.progress_queries import apprentice_progress
from assessor_app.services.roles import Actor, Role
from assessor_app.startup import open_app_database
from assessor_app.ui.main_window import MainWindow
from assessor_app.ui.pages.dashboard_page import DashboardPage
from assessor_app.ui.qt import QSettings

ACCOUNT = {account.username: account for account in ACCOUNTS}
COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
MARCH = date(2026, 3, 1)


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


# The figures


def test_placements_within_the_notice_period_without_notice_are_listed(db, world):
    amy = enrol_apprentice(
        db, COORDINATOR, apprentice_input(world, given_name="Amy", uln="9999999999")
    )
    soon = schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(amy, world["home"], date(2026, 3, 15), date(2026, 4, 30)),
    )
    schedule_placement(  # beyond the 4 weeks' notice period: not yet due
        db, COORDINATOR, PlacementInput(amy, world["ward"], date(2026, 5, 1), date(2026, 6, 30))
    )
    (due,) = dashboard(db, COORDINATOR, today=MARCH).notice_due
    assert (due.placement_id, due.name, due.host, due.setting, due.days_to_start) == (
        soon,
        "Amy Smith",
        "Shire County Council",
        "Oak Lodge",
        14,
    )
    record_notice_sent(db, COORDINATOR, soon, MARCH)
    assert dashboard(db, COORDINATOR, today=MARCH).notice_due == ()


def test_tiles_count_statuses_and_only_learners_count_towards_credits(db, world):
    amy = enrol_apprentice(
        db, COORDINATOR, apprentice_input(world, given_name="Amy", uln="9999999999")
    )
    ben = enrol_apprentice(
        db, COORDINATOR, apprentice_input(world, given_name="Ben", uln="9999999999")
    )
    change_status(db, COORDINATOR, ben, "withdrawn", date(2026, 2, 1), "Moved away")
    (tile,) = dashboard(db, COORDINATOR, today=MARCH).tiles
    assert dict(tile.by_status) == {"active": 1, "withdrawn": 1}
    progress = apprentice_progress(db, COORDINATOR, amy, today=MARCH).progress
    assert tile.credits_achieved == progress.achieved.total
    assert tile.credits_target == progress.achieved.total + progress.credits_needed > 0


def test_demo_figures_agree_with_the_cohort_view(demo, admin):
    figures = dashboard(demo, admin)
    statuses = Counter((r.cohort, r.status) for r in apprentice_list(demo, admin))
    for tile in figures.tiles:
        assert dict(tile.by_status) == {s: n for (c, s), n in statuses.items() if c == tile.name}
        view = cohort_view(demo, admin, tile.cohort_id)
        assert tile.at_risk == len(view.at_risk)
        assert [e.evidence_id for e in figures.evidence_waiting if e.cohort == tile.name] == [
            e.evidence_id for e in view.evidence_waiting
        ]
    at_risk = [r for r in figures.at_risk]
    assert at_risk and all(r.reasons for r in at_risk)
    assert [r.colour.value for r in at_risk] == sorted(
        (r.colour.value for r in at_risk), key=lambda c: c != "red"
    )


# The page


@pytest.fixture
def page(qtbot, demo, admin):
    shown = DashboardPage(demo, admin)
    qtbot.addWidget(shown)
    return shown


def test_page_shows_a_tile_per_cohort_with_a_credit_bar(page, demo, admin):
    figures = dashboard(demo, admin)
    assert [t.tile.name for t in page.tiles] == ["Council cohort", "NHS Trust cohort"]
    nhs = page.tiles[1]
    expected = figures.tiles[1]
    assert nhs.bar.fraction == pytest.approx(expected.credits_achieved / expected.credits_target)
    assert nhs.credits_label.text() == (
        f"{expected.credits_achieved} of {expected.credits_target} credits achieved"
    )
    assert nhs.risk_label.text() == f"{expected.at_risk} at risk"
    assert "3 active" in nhs.counts_label.text()
    council = page.tiles[0]
    assert council.bar.fraction == 0.0
    assert council.credits_label.text() == "No apprentices in learning"
    image = nhs.bar.grab().toImage()
    filled = image.pixelColor(2, image.height() // 2)
    empty = image.pixelColor(image.width() - 3, image.height() // 2)
    assert filled.green() < 150 < empty.green()  # the achieved part is painted dark green


def test_page_lists_who_is_at_risk_with_reasons_and_evidence_waiting(page, demo, admin):
    figures = dashboard(demo, admin)
    model = page.risk_table.source
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == [
        r.name for r in figures.at_risk
    ]
    assert model.data(model.index(0, 3)) == "\n".join(figures.at_risk[0].reasons)
    assert page.risk_heading.text() == f"At risk ({len(figures.at_risk)})"
    assert page.evidence_table.source.rowCount() == len(figures.evidence_waiting) > 0
    assert "no notice sent" in page.notice_heading.text()


def test_double_clicking_a_person_asks_to_open_them(qtbot, page):
    first = page.risk_table.source.row_at(0)
    with qtbot.waitSignal(page.open_apprentice_requested) as opened:
        page.risk_table.activated.emit(page.risk_table.proxy.index(0, 0))
    assert opened.args == [first.apprentice_id, first.name]


def test_nobody_signed_in_sees_no_figures(qtbot, demo):
    shown = DashboardPage(demo, None)
    qtbot.addWidget(shown)
    assert shown.tiles == [] and shown.risk_table.source.rowCount() == 0
    assert shown.status_label.text() == "Sign in to see the dashboard."


def test_window_starts_on_the_dashboard_and_opens_an_apprentice(qtbot, demo, admin, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(demo, settings, actor=admin)
    qtbot.addWidget(window)
    titles = [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())]
    assert titles[:7] == [
        "Dashboard",
        "Apprentices",
        "Cohorts",
        "Placements",
        "Organisations",
        "Catalogue",
        "Reports",
    ]
    assert window.tabs.currentWidget() is window.dashboard_page
    person = window.dashboard_page.risk_table.source.row_at(0)
    window.dashboard_page.open_apprentice_requested.emit(person.apprentice_id, person.name)
    assert window.tabs.currentWidget() is window.apprentices
    assert window.apprentices.apprentice_page.name_label.text() == person.name
    window.cohorts_page.open_apprentice_requested.emit(person.apprentice_id, person.name)
    assert window.apprentices.apprentice_page.name_label.text() == person.name
