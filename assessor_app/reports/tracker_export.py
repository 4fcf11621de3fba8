"""The cohort tracker workbook: the spreadsheet providers keep beside the app.

Sheets: Summary; Units (apprentices by units, coloured by status, with credits
achieved, percent complete and RAG); Placements; Evidence; Off-the-job (each
apprentice's pace) and Off-the-job entries (every entry: a second table on the
same sheet could not have its own filter). Dates are real dates and numbers are
numbers, so filters and sorts work; every piece of text goes through
`safe_cells`, so nothing anyone typed can become a formula.

The workbook is written with XlsxWriter, row by row (its constant-memory mode):
openpyxl, which stays for reading imports, spent most of a large export in its
own cell-writing code. It goes into a temporary file beside the destination,
renamed over it only once complete, so a failed export never leaves half a file
where the last good one was.
"""

from __future__ import annotations

import os
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl.utils.cell import coordinate_to_tuple
from xlsxwriter import Workbook  # type: ignore[import-untyped]
from xlsxwriter.exceptions import FileCreateError  # type: ignore[import-untyped]

from assessor_app.domain.dates import format_date
from assessor_app.domain.off_the_job import Pace
from assessor_app.domain.progress import UnitStatus
from assessor_app.domain.rag import Rag
from assessor_app.reports.safe_cells import looks_like_formula, safe_text
from assessor_app.services.catalogue_queries import load_qualification
from assessor_app.services.errors import ServiceError
from assessor_app.services.evidence import METHOD_LABELS
from assessor_app.services.progress_queries import ApprenticeProgress, progress_of_many
from assessor_app.services.report_queries import CohortDetails, cohort_details
from assessor_app.services.roles import Actor
from assessor_app.services.tracker_queries import (
    CohortMember,
    CohortOffTheJob,
    cohort_evidence,
    cohort_members,
    cohort_off_the_job,
    cohort_placements,
)

if TYPE_CHECKING:
    from assessor_app.domain.catalogue import Qualification
    from assessor_app.store.database import Database

SHEETS = ("Summary", "Units", "Placements", "Evidence", "Off-the-job", "Off-the-job entries")

DATE_FORMAT = "d mmm yyyy"
HOURS_FORMAT = "0.0"
WHOLE_PERCENT = "0%"
TENTH_PERCENT = "0.0%"

STATUS_LABELS = {
    "active": "Active",
    "break_in_learning": "Break in learning",
    "withdrawn": "Withdrawn",
    "transferred": "Transferred",
    "completed": "Completed",
}
RAG_LABELS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green"}
PACE_LABELS = {"ahead": "Ahead", "on_track": "On track", "behind": "Behind"}
CONTEXT_LABELS = {"placement": "Placement", "off_the_job": "Off the job", "college": "College"}
EVIDENCE_STATUS_LABELS = {
    "draft": "Draft",
    "submitted": "Submitted",
    "accepted": "Accepted",
    "referred": "Referred",
}
UNIT_LABELS = {
    UnitStatus.READY_FOR_SIGN_OFF: "Ready",
    UnitStatus.IN_PROGRESS: "In progress",
}
PLANNED = "Planned"

# Fill colours (Excel's own "good", "neutral" and "bad" cell style colours, so the
# sheet looks familiar).
GREEN = "C6EFCE"
AMBER = "FFEB9C"
RED = "FFC7CE"
BLUE = "DDEBF7"
PALE = "F2F2F2"
GREY = "BFBFBF"
HEADER = "D9E1F2"
UNIT_FILLS = {
    UnitStatus.SIGNED_OFF: GREEN,
    UnitStatus.READY_FOR_SIGN_OFF: BLUE,
    UnitStatus.IN_PROGRESS: AMBER,
}
RAG_FILLS = {Rag.RED: RED, Rag.AMBER: AMBER, Rag.GREEN: GREEN}

Value = str | int | Decimal | date | None


@dataclass(frozen=True, slots=True)
class _Cell:
    value: Value
    fill: str | None = None
    number_format: str | None = None
    bold: bool = False
    note: str = ""  # shown as a cell comment


Entry = _Cell | Value


@dataclass
class _Table:
    title: str
    headers: Sequence[Entry]
    rows: list[list[Entry]]
    freeze: str = "B2"
    filtered: bool = True
    widths: dict[int, float] = field(default_factory=dict)  # column index (1-based): width


class _Formats:
    """One XlsxWriter format per combination of properties used: each distinct
    format becomes a style in the file."""

    def __init__(self, workbook: Any) -> None:
        self._workbook = workbook
        self._made: dict[tuple[Any, ...], Any] = {}

    def get(
        self,
        *,
        fill: str | None = None,
        bold: bool = False,
        number_format: str | None = None,
        wrap: bool = False,
        quote: bool = False,
    ) -> Any:
        key = (fill, bold, number_format, wrap, quote)
        if key == (None, False, None, False, False):
            return None
        if key not in self._made:
            spec: dict[str, Any] = {}
            if fill:
                spec.update(pattern=1, bg_color=f"#{fill}")
            if bold:
                spec["bold"] = True
            if number_format:
                spec["num_format"] = number_format
            if wrap:
                spec.update(text_wrap=True, valign="top")
            if quote:
                spec["quote_prefix"] = True
            self._made[key] = self._workbook.add_format(spec)
        return self._made[key]


def export_tracker(
    db: Database, actor: Actor, cohort_id: int, out: Path, *, today: date | None = None
) -> Path:
    """Write the cohort's tracker workbook to `out` (replacing it) and return `out`."""
    today = today or date.today()
    if not out.parent.is_dir():
        raise ServiceError(f"The tracker cannot be saved: there is no folder {out.parent}.")
    cohort = cohort_details(db, actor, cohort_id)
    members = cohort_members(db, actor, cohort_id)
    qual = load_qualification(db, cohort.qualification_code)
    progress = progress_of_many(db, actor, [m.id for m in members], today=today)
    members = [m for m in members if m.id in progress]  # not one removed meanwhile
    off_the_job = cohort_off_the_job(db, actor, cohort_id, today=today)
    tables = [
        _summary(cohort, members, progress, today),
        _units(qual, members, progress),
        _placements(db, actor, cohort_id),
        _evidence(db, actor, cohort_id),
        *_off_the_job(off_the_job),
    ]
    return _save(tables, f"{cohort.name} tracker", out)


def _save(tables: list[_Table], title: str, out: Path) -> Path:
    # A fresh name beside `out` (same folder, so the rename cannot cross drives).
    partial = out.with_name(f".{out.name}.{secrets.token_hex(6)}.part")
    try:
        try:
            workbook = Workbook(
                str(partial),
                {"constant_memory": True, "strings_to_formulas": False, "in_memory": False},
            )
            workbook.set_properties({"title": title, "author": "Assessor"})
            formats = _Formats(workbook)
            for table in tables:
                _write(workbook, table, formats)
            workbook.close()
        except (OSError, FileCreateError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise ServiceError(f"The tracker cannot be saved in {out.parent}: {reason}.") from None
        try:
            os.replace(partial, out)
        except PermissionError:
            raise ServiceError(
                f"{out.name} cannot be replaced: if it is open in Excel or LibreOffice, close "
                "it and export again."
            ) from None
        except OSError as exc:
            raise ServiceError(f"The tracker cannot be saved as {out}: {exc.strerror}.") from None
    finally:
        partial.unlink(missing_ok=True)
    return out


def _percent(whole: int | Decimal | None) -> Decimal | None:
    """A percentage such as 45 as the fraction a percent-formatted cell shows as 45%."""
    return None if whole is None else Decimal(whole) / 100


def _summary(
    cohort: CohortDetails,
    members: list[CohortMember],
    progress: dict[int, ApprenticeProgress],
    today: date,
) -> _Table:
    def heading(text: str) -> list[Entry]:
        return [_Cell(text, bold=True)]

    def line(label: str, value: Entry) -> list[Entry]:
        return [label, value]

    statuses = Counter(m.status for m in members)
    in_learning = [m for m in members if m.status == "active"]
    colours = Counter(progress[m.id].rag.colour for m in in_learning)
    rows: list[list[Entry]] = [
        ["Employer", cohort.employer],
        ["Training provider", cohort.provider],
        ["Qualification", f"{cohort.qualification} ({cohort.qualification_code})"],
        ["Awarding body", cohort.awarding_body],
        ["Cohort start", _Cell(cohort.start_date, number_format=DATE_FORMAT)],
        ["Off-the-job pattern", cohort.off_the_job_pattern],
        ["Generated on", _Cell(today, number_format=DATE_FORMAT)],
        [],
        heading("Apprentices by status"),
        *(line(label, statuses[key]) for key, label in STATUS_LABELS.items()),
        ["All apprentices", len(members)],
        [],
        heading("RAG of apprentices in learning"),
        *(line(RAG_LABELS[rag], colours[rag]) for rag in (Rag.RED, Rag.AMBER, Rag.GREEN)),
        [],
        heading("Percent complete"),
        ["Average, apprentices in learning", _average(progress, in_learning)],
        ["Average, all apprentices", _average(progress, members)],
        [],
        heading("Colours on the Units sheet"),
        [_Cell("Signed off 3 Mar 2026", fill=GREEN), "Signed off on that date"],
        [_Cell(UNIT_LABELS[UnitStatus.READY_FOR_SIGN_OFF], fill=BLUE), "Ready for sign-off"],
        [_Cell(UNIT_LABELS[UnitStatus.IN_PROGRESS], fill=AMBER), "Some evidence accepted"],
        [_Cell(PLANNED, fill=PALE), "Planned in a placement, no evidence accepted yet"],
        [_Cell(None), "Not started and not planned"],
        [_Cell(None, fill=GREY), "Not one of the apprentice's units"],
    ]
    return _Table(
        "Summary",
        [_Cell("Cohort tracker", bold=True), cohort.name],
        rows,
        freeze="A2",
        filtered=False,
        widths={1: 30, 2: 60},
    )


def _average(progress: dict[int, ApprenticeProgress], members: list[CohortMember]) -> _Cell:
    if not members:
        return _Cell(None)
    total = sum(progress[m.id].progress.percent_complete for m in members)
    return _Cell(Decimal(total) / len(members) / 100, number_format=WHOLE_PERCENT)


def _unit_header(qual: Qualification, ref: str) -> _Cell:
    unit = qual.unit(ref)
    value = f"{unit.credits} cr" if unit.has_credit_value else "no credit value"
    group = qual.group(unit.group)
    return _Cell(f"{ref} ({value})", bold=True, note=f"{unit.title}\n{group.name}")


def _units(
    qual: Qualification, members: list[CohortMember], progress: dict[int, ApprenticeProgress]
) -> _Table:
    headers: list[Entry] = [
        "Apprentice",
        "ULN",
        "Status",
        *(_unit_header(qual, u.ref) for u in qual.units),
        *(f"Group {g.code} credits" for g in qual.groups),
        "Total credits",
        "Percent complete",
        "RAG",
    ]
    rows: list[list[Entry]] = []
    for m in members:
        result = progress[m.id]
        in_scope = {u.ref: u for u in result.progress.units}
        planned = {r.ref for r in result.unit_map.rows if r.planned_placement is not None}
        cells: list[Entry] = [m.name, m.uln, STATUS_LABELS.get(m.status, m.status)]
        for unit in qual.units:
            done = in_scope.get(unit.ref)
            if done is None:
                cells.append(_Cell(None, fill=GREY))
            elif done.status is UnitStatus.SIGNED_OFF and done.signed_off_on is not None:
                text = f"Signed off {format_date(done.signed_off_on)}"
                cells.append(_Cell(text, fill=GREEN))
            elif done.status in UNIT_LABELS:
                cells.append(_Cell(UNIT_LABELS[done.status], fill=UNIT_FILLS[done.status]))
            elif unit.ref in planned:
                cells.append(_Cell(PLANNED, fill=PALE))
            else:
                cells.append(_Cell(None))
        achieved = result.progress.achieved
        cells.extend(achieved.groups.get(g.code, 0) for g in qual.groups)
        cells.append(achieved.total)
        cells.append(_Cell(_percent(result.progress.percent_complete), number_format=WHOLE_PERCENT))
        colour = result.rag.colour
        cells.append(
            _Cell(RAG_LABELS[colour], fill=RAG_FILLS[colour], note="\n".join(result.rag.reasons))
        )
        rows.append(cells)
    first_unit = 4
    widths = {i: 12.0 for i in range(first_unit, first_unit + len(qual.units))}
    return _Table("Units", headers, rows, freeze="D2", widths=widths)


def _placements(db: Database, actor: Actor, cohort_id: int) -> _Table:
    headers: list[Entry] = [
        "Apprentice",
        "Period",
        "Host",
        "Setting",
        "Start",
        "End",
        "Mentor",
        "Notice sent",
        "Appraisal received",
    ]
    rows: list[list[Entry]] = [
        [
            p.apprentice,
            p.period,
            p.host,
            p.setting,
            p.start,
            p.end,
            p.mentor,
            p.notice_sent_on,
            p.appraisal_received_on,
        ]
        for p in cohort_placements(db, actor, cohort_id)
    ]
    return _Table("Placements", headers, rows)


def _evidence(db: Database, actor: Actor, cohort_id: int) -> _Table:
    headers: list[Entry] = [
        "Apprentice",
        "Date",
        "Title",
        "Method",
        "Where",
        "Units covered",
        "Status",
        "Assessed on",
    ]
    rows: list[list[Entry]] = []
    for e in cohort_evidence(db, actor, cohort_id):
        where = CONTEXT_LABELS.get(e.context, e.context)
        if e.setting:
            where = f"{e.setting}, {e.host}"
        rows.append(
            [
                e.apprentice,
                e.on_date,
                e.title,
                METHOD_LABELS.get(e.method, e.method),
                where,
                ", ".join(e.units),
                EVIDENCE_STATUS_LABELS.get(e.status, e.status),
                e.assessed_on,
            ]
        )
    return _Table("Evidence", headers, rows, widths={3: 40})


def _off_the_job(data: CohortOffTheJob) -> tuple[_Table, _Table]:
    headers: list[Entry] = [
        "Apprentice",
        "Status",
        "Programme hours",
        "Expected by today",
        "Logged",
        "Percent of expected",
        "Difference",
        "Pace",
    ]
    hours = HOURS_FORMAT
    rows: list[list[Entry]] = [
        [
            s.apprentice,
            STATUS_LABELS.get(s.status, s.status),
            _Cell(s.pace.programme_total, number_format=hours),
            _Cell(s.pace.expected, number_format=hours),
            _Cell(s.pace.logged, number_format=hours),
            _Cell(_percent(s.pace.percent_of_expected), number_format=TENTH_PERCENT),
            _Cell(s.pace.difference, number_format=hours),
            _Cell(
                PACE_LABELS.get(s.pace.pace, s.pace.pace),
                fill=AMBER if s.pace.pace is Pace.BEHIND else None,
            ),
        ]
        for s in data.apprentices
    ]
    entries: list[list[Entry]] = [
        [e.apprentice, e.on_date, _Cell(e.hours, number_format=hours), e.activity, e.notes]
        for e in data.entries
    ]
    return (
        _Table("Off-the-job", headers, rows),
        _Table(
            "Off-the-job entries",
            ["Apprentice", "Date", "Hours", "Activity", "Notes"],
            entries,
            widths={5: 50},
        ),
    )


def _text_of(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return format_date(value)
    return str(value)


def _widths(table: _Table) -> list[float]:
    """Wide enough for the longest value in the column, within reason."""
    count = max([len(table.headers), *(len(r) for r in table.rows)])
    longest = [0] * count
    for row in [table.headers, *table.rows]:
        for i, entry in enumerate(row):
            value = entry.value if isinstance(entry, _Cell) else entry
            longest[i] = max(longest[i], len(_text_of(value)))
    return [
        table.widths.get(i + 1, min(max(length + 2, 8), 50)) for i, length in enumerate(longest)
    ]


def _write(workbook: Any, table: _Table, formats: _Formats) -> None:
    sheet = workbook.add_worksheet(table.title)
    widths = _widths(table)
    for i, width in enumerate(widths):
        sheet.set_column(i, i, width)
    row, col = coordinate_to_tuple(table.freeze)
    sheet.freeze_panes(row - 1, col - 1)
    if table.filtered and widths:
        sheet.autofilter(0, 0, len(table.rows), len(widths) - 1)
    for c, entry in enumerate(table.headers):
        _cell(sheet, 0, c, _as_header(entry), formats)
    for r, cells in enumerate(table.rows, start=1):
        for c, entry in enumerate(cells):
            _cell(sheet, r, c, entry, formats)


def _as_header(entry: Entry) -> _Cell:
    cell = entry if isinstance(entry, _Cell) else _Cell(entry)
    return _Cell(cell.value, fill=cell.fill or HEADER, bold=True, note=cell.note)


def _cell(sheet: Any, row: int, col: int, entry: Entry, formats: _Formats) -> None:
    spec = entry if isinstance(entry, _Cell) else _Cell(entry)
    value = spec.value
    if isinstance(value, str):
        # Always a string cell, never a formula; text a spreadsheet would read as a
        # formula if retyped also gets the quote prefix (see safe_cells).
        text = safe_text(value)
        style = formats.get(
            fill=spec.fill,
            bold=spec.bold,
            wrap="\n" in text,
            quote=looks_like_formula(text),
        )
        sheet.write_string(row, col, text, style)
    elif isinstance(value, date):
        style = formats.get(
            fill=spec.fill, bold=spec.bold, number_format=spec.number_format or DATE_FORMAT
        )
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), style)
    elif value is None:
        style = formats.get(fill=spec.fill, bold=spec.bold, number_format=spec.number_format)
        if style is not None:
            sheet.write_blank(row, col, None, style)
    else:
        style = formats.get(fill=spec.fill, bold=spec.bold, number_format=spec.number_format)
        sheet.write_number(row, col, value, style)
    if spec.note:
        sheet.write_comment(
            row, col, safe_text(spec.note), {"author": "Assessor", "width": 320, "height": 120}
        )
