"""Workbooks written for coordinators: an empty template to fill in for each kind
of import, and the problems of a refused import as a list to work through."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from assessor_app.services.imports.running import ImportReport, kind_named
from assessor_app.services.imports.spreadsheet import Column

TEMPLATE_ROWS = 1000  # rows given drop-down lists and text formatting
_BOLD = Font(bold=True)
_EXAMPLE = Font(italic=True, color="808080")
_DATE_FORMAT = "dd/mm/yyyy"


def write_template(kind: str, path: Path | str) -> Path:
    """An empty workbook for `kind`: the headings (bold, frozen) on the data sheet,
    one example row on a separate sheet so the data sheet stays clean."""
    spec = kind_named(kind)
    workbook = Workbook()
    data = workbook.active
    assert isinstance(data, Worksheet)
    data.title = spec.title
    example = workbook.create_sheet("Example")
    for sheet in (data, example):
        _headings(sheet, spec.columns)
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        if column.as_text:
            # Typed ULNs keep all their digits and criterion 1.10 stays 1.10.
            for row in range(2, TEMPLATE_ROWS + 2):
                data.cell(row, index).number_format = "@"
        if column.choices:
            lists = DataValidation(
                type="list",
                formula1=_list_formula(column.choices),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.heading,
                error=f"Choose one of: {', '.join(column.choices)}.",
            )
            lists.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            data.add_data_validation(lists)
        cell = example.cell(2, index, column.example)
        cell.font = _EXAMPLE
        if isinstance(column.example, date):
            cell.number_format = _DATE_FORMAT
        elif column.as_text:
            cell.number_format = "@"
    path = Path(path)
    workbook.save(path)
    return path


def _list_formula(choices: tuple[str, ...]) -> str:
    return '"' + ",".join(choices) + '"'


def _headings(sheet: Worksheet, columns: tuple[Column, ...]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(1, index, column.heading)
        cell.font = _BOLD
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"


def _text(cell: Cell) -> None:
    """Text from a file stays text: a quoted '=...' must never become a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"


def write_error_workbook(report: ImportReport, path: Path | str) -> Path:
    """The problems of an import, one a row, in spreadsheet order, to fix the file from."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Problems"
    for index, (heading, width) in enumerate(
        (("Row", 8), ("Column", 26), ("Problem", 100)), start=1
    ):
        sheet.cell(1, index, heading).font = _BOLD
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    for number, problem in enumerate(report.problems, start=2):
        sheet.cell(number, 1, problem.row)
        for index, value in ((2, problem.column), (3, problem.message)):
            cell = sheet.cell(number, index, value)
            _text(cell)
        sheet.cell(number, 3).alignment = Alignment(wrap_text=True, vertical="top")
    if report.problems:
        sheet.auto_filter.ref = f"A1:C{len(report.problems) + 1}"
    about = workbook.create_sheet("About")
    about["A1"] = report.summary()
    about["A2"] = (
        f"Import of {report.kind}: {report.rows_read} rows read. Row numbers are those Excel "
        "shows in the imported file; fix each problem there and import the whole file again."
    )
    about.column_dimensions["A"].width = 120
    path = Path(path)
    workbook.save(path)
    return path
