"""The catalogue browser as a tutor sees it: the unit table, its filters, the
window around it, and what happens when the database cannot be opened."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from assessor_app import __version__
from assessor_app.domain.catalogue import ValueStatus
from assessor_app.paths import AppPaths
from assessor_app.services.catalogue_queries import load_qualification
from assessor_app.services.roles import Actor, Role
from assessor_app.startup import open_app_database
from assessor_app.ui import app as app_module
from assessor_app.ui.crash import CrashDialog, CrashHandler
from assessor_app.ui.main_window import MainWindow
from assessor_app.ui.models.sort_proxy import SortFilterProxy
from assessor_app.ui.models.unit_table_model import UnitTableModel
from assessor_app.ui.qt import QApplication, QGuiApplication, QMessageBox, QSettings, Qt

DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole


@pytest.fixture
def database(tmp_path: Path):
    db = open_app_database(AppPaths(tmp_path), None)
    yield db
    db.dispose()


@pytest.fixture
def qualification(database):
    return load_qualification(database)


@pytest.fixture
def unit_model(qapp, qualification):
    model = UnitTableModel()
    model.set_rows(qualification.units, {g.code: g.name for g in qualification.groups})
    return model


@pytest.fixture
def proxy(unit_model):
    proxy = SortFilterProxy(
        text_columns=(UnitTableModel.REF, UnitTableModel.TITLE),
        category_column=UnitTableModel.GROUP,
    )
    proxy.setSourceModel(unit_model)
    return proxy


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, database, settings):
    main = MainWindow(database, settings)
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    return main


def column(model, col: int, role: int = DISPLAY) -> list:
    return [model.index(row, col).data(role) for row in range(model.rowCount())]


def row_for(model, ref: str) -> int:
    return column(model, UnitTableModel.REF).index(ref)


# The model, without a view


def test_model_lists_every_unit_of_the_diploma(unit_model):
    assert unit_model.rowCount() == 55
    assert unit_model.headerData(UnitTableModel.CREDITS, Qt.Orientation.Horizontal) == "Credits"
    assert unit_model.index(0, UnitTableModel.REF).data(UnitTableModel.ROW_ROLE).ref == "A1"


def test_credits_sort_as_numbers_with_missing_values_last_both_ways(unit_model, proxy):
    raw = column(unit_model, UnitTableModel.CREDITS, UnitTableModel.SORT_ROLE)
    assert all(value is None or isinstance(value, int) for value in raw)

    proxy.sort(UnitTableModel.CREDITS, Qt.SortOrder.AscendingOrder)
    ascending = column(proxy, UnitTableModel.CREDITS, UnitTableModel.SORT_ROLE)
    known = [value for value in ascending if value is not None]
    assert known == sorted(known)
    assert ascending[len(known) :] == [None] * 19  # the 19 units with no value come last
    assert column(proxy, UnitTableModel.CREDITS)[-1] == "not confirmed"

    proxy.sort(UnitTableModel.CREDITS, Qt.SortOrder.DescendingOrder)
    descending = column(proxy, UnitTableModel.CREDITS, UnitTableModel.SORT_ROLE)
    assert descending[: len(known)] == sorted(known, reverse=True)
    assert descending[len(known) :] == [None] * 19


def test_guided_learning_hours_sort_numerically_not_as_text(proxy):
    proxy.sort(UnitTableModel.GLH, Qt.SortOrder.AscendingOrder)
    hours = [int(text) for text in column(proxy, UnitTableModel.GLH) if text != "—"]
    assert hours == sorted(hours)
    assert hours[0] < 10 < hours[-1]  # "7" before "26", which text order would get wrong


def test_refs_sort_in_catalogue_order_b10_after_b9(proxy):
    proxy.sort(UnitTableModel.REF, Qt.SortOrder.AscendingOrder)
    refs = column(proxy, UnitTableModel.REF)
    assert refs.index("B9") + 1 == refs.index("B10")


def test_missing_and_indicative_values_are_shown_and_explained(unit_model, qualification):
    missing = next(u for u in qualification.units if u.value_status is ValueStatus.MISSING)
    indicative = next(u for u in qualification.units if u.value_status is ValueStatus.INDICATIVE)

    row = row_for(unit_model, missing.ref)
    credits = unit_model.index(row, UnitTableModel.CREDITS)
    assert credits.data(DISPLAY) == "not confirmed"
    assert "cannot count" in credits.data(TOOLTIP)
    assert "Missing" in unit_model.index(row, UnitTableModel.STATUS).data(DISPLAY)
    assert credits.data(Qt.ItemDataRole.BackgroundRole) is not None

    row = row_for(unit_model, indicative.ref)
    credits = unit_model.index(row, UnitTableModel.CREDITS)
    assert credits.data(DISPLAY) == f"{indicative.credits} (indicative)"
    assert "similar unit" in credits.data(TOOLTIP)
    assert "confirming" in credits.data(TOOLTIP)
    assert "Indicative" in unit_model.index(row, UnitTableModel.STATUS).data(DISPLAY)

    confirmed = unit_model.index(row_for(unit_model, "A1"), UnitTableModel.CREDITS)
    assert confirmed.data(DISPLAY) == "3"
    assert confirmed.data(Qt.ItemDataRole.BackgroundRole) is None


# The shared proxy


def test_typing_dementia_leaves_the_dementia_units(proxy):
    proxy.set_text("DEMENTIA")
    titles = column(proxy, UnitTableModel.TITLE)
    assert len(titles) == 3
    assert all("dementia" in title.lower() for title in titles)


def test_every_word_typed_must_match(proxy):
    proxy.set_text("dementia communication")
    assert column(proxy, UnitTableModel.REF) == ["B6"]
    proxy.set_text("b10")
    assert column(proxy, UnitTableModel.REF) == ["B10"]


def test_group_filter_b_leaves_nineteen_units(proxy):
    proxy.set_category("B")
    assert proxy.rowCount() == 19
    assert set(column(proxy, UnitTableModel.GROUP)) == {"B"}
    proxy.set_category(None)
    assert proxy.rowCount() == 55


# The window


def test_main_window_shows_the_catalogue_and_its_rules(window):
    page = window.catalogue_page
    assert window.windowTitle() == "Assessor"
    assert page.table.model().rowCount() == 55
    assert page.title_label.text() == "Level 2 Diploma in Care"
    rules = page.rules_label.text()
    assert rules.startswith("At least 46 credits in total")
    assert "all group A units" in rules
    assert "at least 22 optional credits" in rules
    assert "at least 14 from group B" in rules
    assert "at most 8 from group C" in rules
    summary = page.summary_label.text()
    assert "9 in group A, 19 in group B, 27 in group C" in summary
    assert "13 indicative" in summary
    assert "19 missing" in summary
    assert page.count_label.text() == "Showing all 55 units"


def test_status_bar_names_the_database_and_nobody_signed_in(window, database):
    assert str(database.path) in window.database_label.text()
    assert window.user_label.text() == "Not signed in"


def test_search_box_and_group_chooser_filter_the_table(qtbot, window):
    page = window.catalogue_page
    qtbot.keyClicks(page.search_edit, "dementia")
    assert page.table.model().rowCount() == 3
    assert page.count_label.text() == "Showing 3 of 55 units"

    page.search_edit.clear()
    choices = [page.group_combo.itemText(i) for i in range(page.group_combo.count())]
    assert choices[0] == "All groups"
    assert [page.group_combo.itemData(i) for i in range(1, len(choices))] == ["A", "B", "C"]
    page.group_combo.setCurrentIndex(page.group_combo.findData("B"))
    assert page.table.model().rowCount() == 19

    qtbot.keyClicks(page.search_edit, "no such unit")
    assert page.table.model().rowCount() == 0
    assert page.count_label.text() == "No units match"


def test_help_about_shows_the_version(window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda *args: shown.append(args))
    window.about_action.trigger()
    assert len(shown) == 1
    assert __version__ in shown[0][2]


def test_window_size_is_remembered(qtbot, database, settings):
    first = MainWindow(database, settings)
    qtbot.addWidget(first)
    first.resize(760, 560)  # the offscreen screen is 800 pixels wide
    first.show()
    qtbot.waitExposed(first)
    first.close()

    second = MainWindow(database, settings)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (760, 560)


# Starting the app


@pytest.fixture
def no_lasting_excepthook(monkeypatch):
    """run_app installs the crash handler; put back whatever was there."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


@pytest.mark.parametrize("kind", ["random bytes", "folder"])
def test_unreadable_database_shows_a_message_and_exits_2(
    qapp, tmp_path, monkeypatch, no_lasting_excepthook, kind
):
    if kind == "folder":
        target = tmp_path / "not-a-file.sqlite3"
        target.mkdir()
    else:
        target = tmp_path / "damaged.sqlite3"
        target.write_bytes(os.urandom(8192))
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args))
    # A damaged file goes to the dialog offering the latest good backup; none is kept here.
    monkeypatch.setattr(
        app_module,
        "offer_latest_backup",
        lambda exc, parent=None: shown.append((parent, "Cannot open: damaged", str(exc))) or False,
    )

    code = app_module.run_app(AppPaths(tmp_path / "data"), str(target))

    assert code == 2
    assert len(shown) == 1
    _parent, title, message = shown[0]
    assert "cannot open" in title.lower()
    assert str(target) in message
    assert "Traceback" not in message
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]


def test_run_app_shows_the_window_and_returns_the_event_loop_code(
    qapp, tmp_path, monkeypatch, settings, no_lasting_excepthook
):
    seen = []

    def fake_exec(_app):
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.extend(w for w in windows if w.isVisible())
        for w in windows:
            w.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    code = app_module.run_app(
        AppPaths(tmp_path / "data"), None, settings=settings, actor=Actor(None, "admin", Role.ADMIN)
    )
    assert code == 0
    assert len(seen) == 1
    assert seen[0].catalogue_page.table.model().rowCount() == 55
    assert QApplication.applicationName() == "Assessor"
    assert QApplication.organizationName() == "Assessor"
    assert isinstance(sys.excepthook, CrashHandler)


# The crash handler


def test_crash_handler_logs_and_explains_without_a_bare_traceback(
    qapp, tmp_path, monkeypatch, caplog
):
    dialogs = []
    monkeypatch.setattr(CrashDialog, "exec", lambda self: dialogs.append(self) or 0)
    handler = CrashHandler(tmp_path / "assessor.log")
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        with caplog.at_level(logging.CRITICAL):
            handler(*sys.exc_info())

    assert any(r.levelno == logging.CRITICAL and r.exc_info for r in caplog.records)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert __version__ in dialog.version_label.text()
    assert str(tmp_path / "assessor.log") in dialog.where_label.text()
    assert not dialog.details.isVisibleTo(dialog)  # the traceback waits behind a button

    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert __version__ in copied
    assert "ZeroDivisionError" in copied
    assert "System:" in copied
    dialog.deleteLater()
