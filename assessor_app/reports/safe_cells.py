"""Text typed by people, written to a workbook as text and never as a formula.

openpyxl turns any string starting with "=" into a formula and a string such as
"#N/A" into an error value. A name or evidence title like '=HYPERLINK("http://x")'
would then run in Excel or LibreOffice when the tracker is opened (formula
injection). Every piece of text is therefore written as an inline string
(data type 's'), which both programs show as the text itself. Text that a
spreadsheet would read as a formula if retyped (starting with = + - @, a tab or a
line break) also gets the quote-prefix style, Excel's equivalent of typing a
leading apostrophe: editing the cell and pressing Enter keeps it text. The text
itself is unchanged, so it reads back exactly as it was entered.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell import WriteOnlyCell

# The characters a spreadsheet reads as the start of a formula, plus the ones CSV
# exports and pasting turn into a new cell before one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# What XML 1.0 cannot hold at all; openpyxl refuses such text.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_CELL_TEXT = 32767  # the most characters an Excel cell holds


def safe_text(value: str) -> str:
    """`value` as a cell can hold it: characters XML forbids are dropped, line
    breaks become the plain line feed a cell uses (XML would turn a lone carriage
    return into one when the file is read anyway) and text beyond Excel's 32,767
    characters per cell is cut off. Leading formula characters are kept: the cell
    is marked as text instead (see `set_text`)."""
    text = _ILLEGAL.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
    return text[:MAX_CELL_TEXT]


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def set_text(cell: Any, value: str) -> None:
    """Put `value` in an openpyxl cell (ordinary or write-only) as plain text."""
    text = safe_text(value)
    cell.value = text
    cell.data_type = "s"  # after the value: assigning it guesses formulas and errors
    if looks_like_formula(text):
        cell.quotePrefix = True


def text_cell(sheet: Any, value: str) -> Any:
    """A write-only cell holding `value` as plain text, ready to style and append."""
    cell = WriteOnlyCell(sheet)
    set_text(cell, value)
    return cell
