"""Validated spreadsheet imports of apprentices, placements, catalogue outcomes and
evidence: all problems reported at once, and nothing saved unless the whole file is
valid."""

from assessor_app.services.imports.kinds import KINDS
from assessor_app.services.imports.running import ImportReport, import_file
from assessor_app.services.imports.spreadsheet import ImportFileError, Problem
from assessor_app.services.imports.workbooks import write_error_workbook, write_template

__all__ = [
    "KINDS",
    "ImportFileError",
    "ImportReport",
    "Problem",
    "import_file",
    "write_error_workbook",
    "write_template",
]
