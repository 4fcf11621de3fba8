"""Importing a spreadsheet from the window (File > Import a spreadsheet…): a blank
template saved from the dialog, filled in, checked and then imported adds the
apprentices; a file with a bad ULN shows the row and column to fix, keeps Import
disabled and adds no one; the menu item is offered only to those who may import.
No real file dialog opens: the functions that ask for paths are replaced."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import click, sign_in

from assessor_app.domain.uln import uln_check_digit
from assessor_app.services.apprentice_queries import list_apprentices
from assessor_app.services.planner_queries import cohort_rows
from assessor_app.ui.dialogs import import_dialog
from assessor_app.ui.dialogs.import_dialog import ImportDialog
from assessor_app.ui.main_window import MainWindow

pytestmark = [
    pytest.mark.usefixtures("inline_tasks"),
    pytest.mark.qt_log_ignore("propagateSizeHints"),  # the offscreen platform, on showing
]


def valid_uln(first_nine: str) -> str:
    digit = uln_check_digit(first_nine)
    assert digit is not None
    return f"{first_nine}{digit}"


def rows_for(demo, actor, ulns: list[str]) -> list[dict[str, object]]:
    council = next(c for c in cohort_rows(demo, actor) if c.name == "Council cohort")
    start = council.start_date
    return [
        {
            "Given name": given,
            "Family name": "Imported",
            "ULN": uln,
            "Date of birth": start.replace(year=start.year - 20),
            "Cohort": "Council cohort",
            "Start date": start,
            "Planned end date": start.replace(year=start.year + 1),
        }
        for given, uln in zip(("Priya", "Tomasz"), ulns, strict=False)
    ]


def fill(path: Path, rows: list[dict[str, object]]) -> None:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    headings = [c.value for c in sheet[1]]
    for number, row in enumerate(rows, start=2):
        for column, heading in enumerate(headings, start=1):
            sheet.cell(row=number, column=column, value=row.get(str(heading)))
    workbook.save(path)


@pytest.fixture
def dialog(qtbot, demo):
    actor = sign_in(demo, "coordinator")
    shown = ImportDialog(demo, actor)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def choose(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(import_dialog, "ask_import_file", lambda parent: path)


def names(demo) -> set[str]:
    return {r.name for r in list_apprentices(demo, sign_in(demo, "coordinator"))}


def test_template_filled_checked_then_imported(qtbot, demo, dialog, monkeypatch, tmp_path):
    template = tmp_path / "new starters.xlsx"
    monkeypatch.setattr(import_dialog, "ask_save_path", lambda parent, title, suggested: template)
    assert dialog.kind() == "apprentices"
    click(qtbot, dialog.template_button)
    assert template.exists()
    assert str(template) in dialog.status_label.text()

    actor = sign_in(demo, "coordinator")
    fill(template, rows_for(demo, actor, [valid_uln("927630861"), valid_uln("927630862")]))
    before = names(demo)
    choose(monkeypatch, template)
    click(qtbot, dialog.choose_button)
    assert not dialog.import_button.isEnabled()  # not checked yet

    click(qtbot, dialog.check_button)
    assert "2 rows checked" in dialog.status_label.text()
    assert dialog.problems_view.isHidden()
    assert names(demo) == before  # a check saves nothing
    assert dialog.import_button.isEnabled()
    assert not dialog.imported  # the window's lists need no reload yet

    click(qtbot, dialog.import_button)
    assert "Imported 2 rows" in dialog.status_label.text()
    assert dialog.imported
    assert names(demo) - before == {"Priya Imported", "Tomasz Imported"}
    assert not dialog.import_button.isEnabled()  # not twice by a second click


def test_bad_uln_shows_row_and_column_and_imports_nothing(
    qtbot, demo, dialog, monkeypatch, tmp_path
):
    file = tmp_path / "starters.xlsx"
    import_dialog.write_template("apprentices", file)
    actor = sign_in(demo, "coordinator")
    fill(file, rows_for(demo, actor, [valid_uln("927630861"), "123"]))
    before = names(demo)
    choose(monkeypatch, file)
    click(qtbot, dialog.choose_button)
    click(qtbot, dialog.check_button)

    model = dialog.problems_model
    assert dialog.problems_view.isVisible()
    cells = [[model.index(r, c).data() for c in range(3)] for r in range(model.rowCount())]
    assert ["3", "ULN"] in [row[:2] for row in cells]
    assert "Nothing was imported" in dialog.status_label.text()
    assert not dialog.import_button.isEnabled()
    assert names(demo) == before

    errors = tmp_path / "problems.xlsx"
    monkeypatch.setattr(import_dialog, "ask_save_path", lambda parent, title, suggested: errors)
    click(qtbot, dialog.errors_button)
    sheet = openpyxl.load_workbook(errors)["Problems"]
    assert [sheet.cell(2, 1).value, sheet.cell(2, 2).value] == [3, "ULN"]


def test_a_file_that_is_not_a_workbook_is_explained(qtbot, demo, dialog, monkeypatch, tmp_path):
    fake = tmp_path / "list.xlsx"
    fake.write_text("name,uln\nSam,9276308686\n")
    choose(monkeypatch, fake)
    click(qtbot, dialog.choose_button)
    click(qtbot, dialog.check_button)
    assert "not an Excel workbook" in dialog.status_label.text()
    assert not dialog.import_button.isEnabled()


def test_menu_item_only_for_those_who_may_import(qtbot, demo):
    window = MainWindow(demo)
    qtbot.addWidget(window)
    window.set_actor(sign_in(demo, "coordinator"))
    assert window.import_action.isVisible()
    window.set_actor(sign_in(demo, "iqa"))
    assert not window.import_action.isVisible()
    window.set_actor(None)
    assert not window.import_action.isVisible()
