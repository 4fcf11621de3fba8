"""Reading an untrusted .xlsx workbook into plain rows, refusing what is unsafe or
unreadable with a message a coordinator can act on.

The file is checked as a zip archive before openpyxl parses anything, so a zip
bomb or an oversized file is refused in well under a second. Python's zipfile
never inflates a member beyond its declared size (and fails its CRC check if the
data would go on), so checking the declared sizes bounds what parsing can cost.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from assessor_app.services.errors import ServiceError

MAX_TOTAL_BYTES = 200 * 1024 * 1024  # uncompressed, all members together
MAX_RATIO = 100  # uncompressed size / compressed size of one member
RATIO_CHECKED_ABOVE = 1024 * 1024  # tiny members can compress very well and harmlessly
MAX_MEMBERS = 10_000
MAX_DATA_ROWS = 50_000
MAX_COLUMNS = 200
_SHOWN = 40  # longest cell text quoted back in a message

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
_ZIP_MAGIC = b"PK"


class ImportFileError(ServiceError):
    """The file as a whole cannot be imported; the message names it and says why."""


class Problem(NamedTuple):
    """One thing to fix: the spreadsheet row (1 is the heading row), the column's
    heading (empty for the row as a whole) and what is wrong."""

    row: int
    column: str
    message: str


class Refused:
    """A cell already reported as a problem (a formula or an error value)."""

    def __repr__(self) -> str:
        return "REFUSED"


REFUSED = Refused()
CellValue = str | int | float | bool | date | datetime | time | timedelta | Refused | None


@dataclass(frozen=True)
class Column:
    """A column of an import: the heading shown in templates and messages, other
    headings accepted for it, and whether it must have a value."""

    key: str
    heading: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: str | int | float | date | None = None
    width: int = 18
    choices: tuple[str, ...] = ()  # offered as a drop-down list in the template
    as_text: bool = False  # formatted as text in the template (ULNs, numbers like 1.10)


@dataclass(frozen=True)
class SheetRow:
    number: int  # as Excel shows it
    values: dict[str, CellValue]


@dataclass
class Sheet:
    rows: list[SheetRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def normalise_heading(text: str) -> str:
    """Case, spaces and punctuation ignored: 'Date of birth' matches 'DATE_OF_BIRTH'."""
    return "".join(c for c in text.casefold() if c.isalnum())


def shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def check_archive(path: Path) -> None:
    """Refuse anything that is not a reasonably sized .xlsx, before parsing it."""
    name = path.name
    try:
        with path.open("rb") as f:
            start = f.read(8)
    except FileNotFoundError:
        raise ImportFileError(f"{name} was not found; choose the file again.") from None
    except OSError as exc:
        raise ImportFileError(f"{name} could not be opened: {exc.strerror}.") from None
    if start.startswith(_OLE_MAGIC):
        raise ImportFileError(
            f"{name} is an old-style Excel 97-2003 workbook (.xls) or is protected by a "
            "password: open it in Excel or LibreOffice, remove any password and save it as "
            "an Excel Workbook (.xlsx)."
        )
    if not start.startswith(_ZIP_MAGIC):
        raise ImportFileError(
            f"{name} is not an Excel workbook (.xlsx); it may be a CSV or text file with "
            "another name. Open it in Excel or LibreOffice and save it as an Excel "
            "Workbook (.xlsx)."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except Exception:  # a damaged archive fails in many ways: BadZipFile, NotImplementedError...
        raise ImportFileError(
            f"{name} is damaged or incomplete (it may not have finished copying or "
            "downloading): open it in Excel, save it again and import the saved copy."
        ) from None
    if len(members) > MAX_MEMBERS:
        raise ImportFileError(f"{name} has too many parts to be a workbook of records.")
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportFileError(
            f"{name} is a zip archive but not an Excel workbook (.xlsx): open it in Excel "
            "or LibreOffice and save it as an Excel Workbook."
        )
    total = 0
    for member in members:
        total += member.file_size
        if total > MAX_TOTAL_BYTES:
            raise ImportFileError(
                f"{name} would take more than {MAX_TOTAL_BYTES // (1024 * 1024)} MB once "
                "opened, far more than a workbook of records needs: split it into smaller "
                "files, or check it is the right file."
            )
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECKED_ABOVE and ratio > MAX_RATIO:
            raise ImportFileError(
                f"{name} contains a part that expands more than {MAX_RATIO} times when "
                "opened, which a real workbook does not do; it was refused as unsafe."
            )


def read_sheet(path: Path, kind: str, columns: Sequence[Column]) -> Sheet:
    """The rows of the sheet named after `kind` (or else the first sheet), keyed by
    column; unknown, missing or repeated headings and refused cells are problems."""
    check_archive(path)
    # Imported here: openpyxl takes a fifth of a second to import, and the window
    # loads this module as it starts.
    from openpyxl import load_workbook

    try:
        # An untrusted file can fail inside openpyxl in many ways (bad XML, missing
        # parts, odd values); each means the same thing to the user: damaged.
        workbook = load_workbook(path, read_only=True, data_only=False)
    except Exception:
        raise ImportFileError(
            f"{path.name} could not be read as an Excel workbook (it may be damaged): open "
            "it in Excel, save it again and import the saved copy."
        ) from None
    try:
        sheets = list(workbook.worksheets)
        if not sheets:
            raise ImportFileError(f"{path.name} has no worksheets.")
        wanted = normalise_heading(kind)
        sheet = next((s for s in sheets if normalise_heading(s.title) == wanted), sheets[0])
        return _read_rows(path.name, sheet.iter_rows(), columns)
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(
            f"{path.name} could not be read to the end (it may be damaged): open it in "
            "Excel, save it again and import the saved copy."
        ) from None
    finally:
        workbook.close()


def _read_rows(name: str, rows: Iterable[Sequence[object]], columns: Sequence[Column]) -> Sheet:
    result = Sheet()
    layout: list[Column | None] | None = None
    data_rows = 0
    for number, cells in enumerate(rows, start=1):
        cells = cells[:MAX_COLUMNS]
        if all(_blank(_raw(c)) for c in cells):
            continue
        if layout is None:
            layout, complete = _match_headings(number, cells, columns, result.problems)
            if not complete:
                # Without a required column every row would repeat the same problem.
                return result
            continue
        data_rows += 1
        if data_rows > MAX_DATA_ROWS:
            raise ImportFileError(
                f"{name} has more than {MAX_DATA_ROWS:,} rows: split it into smaller files."
            )
        result.rows.append(_read_row(number, cells, layout, result.problems))
    if layout is None:
        raise ImportFileError(
            f"{name} is empty: the first row should hold the column headings "
            f"({', '.join(c.heading for c in columns if c.required)}...)."
        )
    return result


def _raw(cell: object) -> object:
    return getattr(cell, "value", None)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _match_headings(
    number: int, cells: Sequence[object], columns: Sequence[Column], problems: list[Problem]
) -> tuple[list[Column | None], bool]:
    by_name: dict[str, Column] = {}
    for column in columns:
        for name in (column.heading, *column.aliases):
            by_name[normalise_heading(name)] = column
    layout: list[Column | None] = []
    seen: dict[str, str] = {}
    for cell in cells:
        value = _raw(cell)
        text = "" if value is None else str(value).strip()
        match = by_name.get(normalise_heading(text)) if text else None
        if text and match is None:
            problems.append(
                Problem(
                    number,
                    shown(text),
                    f"'{shown(text)}' is not a column of this import: rename it to one of "
                    f"{', '.join(c.heading for c in columns)}, or delete the column.",
                )
            )
        elif match is not None and match.key in seen:
            problems.append(
                Problem(
                    number,
                    match.heading,
                    f"Two columns are headed {match.heading} ('{seen[match.key]}' and "
                    f"'{shown(text)}'): keep one.",
                )
            )
            match = None
        elif match is not None:
            seen[match.key] = text
        layout.append(match)
    missing = [c for c in columns if c.required and c.key not in seen]
    problems.extend(
        Problem(number, c.heading, f"This column is missing: add a column headed '{c.heading}'.")
        for c in missing
    )
    return layout, not missing


def _read_row(
    number: int, cells: Sequence[object], layout: list[Column | None], problems: list[Problem]
) -> SheetRow:
    values: dict[str, CellValue] = {}
    for index, cell in enumerate(cells):
        value = _raw(cell)
        if _blank(value):
            continue
        column = layout[index] if index < len(layout) else None
        if column is None:
            problems.append(
                Problem(
                    number,
                    f"column {index + 1}",
                    "This cell has a value but its column has no (known) heading: give the "
                    "column a heading or clear the cell.",
                )
            )
            continue
        kind = getattr(cell, "data_type", None)
        if kind == "f":
            problems.append(
                Problem(
                    number,
                    column.heading,
                    "A formula, not a value: type the value itself (or paste it as a value).",
                )
            )
            values[column.key] = REFUSED
        elif kind == "e":
            problems.append(
                Problem(
                    number,
                    column.heading,
                    f"The cell shows an error ({shown(str(value))}): type the value itself.",
                )
            )
            values[column.key] = REFUSED
        elif isinstance(value, str | int | float | bool | date | time | timedelta):
            values[column.key] = value
        else:
            problems.append(
                Problem(number, column.heading, "This cell's content could not be read.")
            )
            values[column.key] = REFUSED
    return SheetRow(number, values)


class CellProblem(ValueError):
    """A cell's value cannot be used; the message says why."""


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})$")
_SCIENTIFIC = re.compile(r"^[0-9.,]+[eE][+-]?\d+$")
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


def as_text(value: CellValue) -> str:
    if value is None or isinstance(value, Refused):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def as_date(value: CellValue) -> date:
    """An Excel date, or text as YYYY-MM-DD or dd/mm/yyyy."""
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif isinstance(value, str):
        found = _date_from_text(value.strip())
    elif isinstance(value, bool):
        raise CellProblem(f"'{as_text(value)}' is not a date: type it as dd/mm/yyyy.")
    elif isinstance(value, int | float):
        raise CellProblem(
            f"{as_text(value)} is a number, not a date: format the cell as a date, or type "
            "the date as dd/mm/yyyy."
        )
    else:
        raise CellProblem("This is a time or duration, not a date: type it as dd/mm/yyyy.")
    if not EARLIEST <= found <= LATEST:
        raise CellProblem(f"{found:%d/%m/%Y} is not a plausible date: check the year.")
    return found


def _date_from_text(text: str) -> date:
    iso, uk = _ISO_DATE.match(text), _UK_DATE.match(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif uk:
        if len(uk.group(3)) != 4:
            raise CellProblem(f"'{shown(text)}' has a two-digit year: type it as dd/mm/yyyy.")
        day, month, year = (int(g) for g in uk.groups())
    else:
        raise CellProblem(
            f"'{shown(text)}' is not a date: type it as dd/mm/yyyy (e.g. 05/01/2026) or YYYY-MM-DD."
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise CellProblem(f"'{shown(text)}' is not a real date: check the day and month.") from None


def as_uln_text(value: CellValue) -> str:
    """A ULN typed as text or as a number (Excel stores 9276308686 as 9276308686.0)."""
    if isinstance(value, bool | date | time | timedelta):
        raise CellProblem(f"'{as_text(value)}' is not a ULN: a ULN is 10 digits.")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not value.is_integer() or not 0 <= value < 1e10:
            raise CellProblem(f"{value} is not a ULN: a ULN is 10 digits.")
        return str(int(value))
    text = as_text(value)
    if _SCIENTIFIC.match(text.replace(" ", "")):
        raise CellProblem(
            f"'{shown(text)}' is a number Excel has shortened to scientific notation, so "
            "digits are lost: format the column as Text and type the ULN again."
        )
    return text


def as_decimal(value: CellValue, label: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise CellProblem(f"{label} must be a number, not '{shown(as_text(value))}'.")
    text = str(value).strip() if isinstance(value, str) else repr(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellProblem(f"{label} must be a number, not '{shown(text)}'.") from None
    if not number.is_finite():
        raise CellProblem(f"{label} must be a number, not '{shown(text)}'.")
    return number
