"""Validated spreadsheet imports of apprentices, placements, catalogue outcomes and
evidence: all problems reported at once, and nothing saved unless the whole file is
valid. Templates and error workbooks are written by `imports.workbooks`, imported
where they are needed (openpyxl is slow to import)."""

from assessor_app.services.imports.kinds import KINDS, importable_kinds
from assessor_app.services.imports.running import ImportReport, import_file
from assessor_app.services.imports.spreadsheet import ImportFileError, Problem

__all__ = [
    "KINDS",
    "ImportFileError",
    "ImportReport",
    "Problem",
    "import_file",
    "importable_kinds",
]
