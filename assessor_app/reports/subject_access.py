"""The subject access package for one apprentice: their progress report (PDF), a
workbook of everything held about them, their evidence files and record.json.

The record itself and the packaging live in services/subject_access.py; this
module adds the two printable documents, which belong to the reports layer.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from assessor_app.reports.progress_report import write_progress_report
from assessor_app.reports.safe_cells import text_cell
from assessor_app.services.roles import Actor
from assessor_app.services.subject_access import subject_access_record, write_package
from assessor_app.store.database import Database

REPORT_NAME = "progress-report.pdf"
WORKBOOK_NAME = "record.xlsx"
# (sheet title, record.json section) for every list the record holds.
SECTIONS = (
    ("Placements", "placements"),
    ("Prior placements", "prior_placements"),
    ("Units", "units"),
    ("Unit plans", "unit_plans"),
    ("Evidence", "evidence"),
    ("Attachments", "attachments"),
    ("Sign-offs", "sign_offs"),
    ("Care Certificate", "care_certificate"),
    ("Off-the-job", "off_the_job"),
    ("Reviews", "reviews"),
    ("Functional skills", "functional_skills"),
    ("Quality assurance", "quality_assurance"),
    ("Audit trail", "audit"),
)
MAX_WIDTH = 60


def export_apprentice(
    db: Database, actor: Actor, apprentice_id: int, out_zip: Path, *, today: date | None = None
) -> Path:
    """Write everything held about the apprentice to `out_zip` (audited)."""
    today = today or date.today()
    record = subject_access_record(db, actor, apprentice_id, today=today)
    with tempfile.TemporaryDirectory(prefix="assessor-export-") as work:
        report = write_progress_report(
            db,
            actor,
            apprentice_id,
            Path(work) / REPORT_NAME,
            today=today,
            provider=record["provider"],
        )
        workbook = write_record_workbook(record, Path(work) / WORKBOOK_NAME)
        return write_package(
            db,
            actor,
            apprentice_id,
            record,
            {REPORT_NAME: report, WORKBOOK_NAME: workbook},
            Path(out_zip),
        )


def _cell_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_cell_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell_value(v)}" for k, v in value.items())
    return str(value)


def _rows(record: Mapping[str, Any], section: str) -> list[dict[str, Any]]:
    if section == "attachments":
        return [
            {"evidence": e["number"], **f} for e in record["evidence"] for f in e["attachments"]
        ]
    if section == "evidence":
        return [
            {
                **{k: v for k, v in e.items() if k not in ("attachments", "covers")},
                "covers": [
                    f"{c['unit']}/{c['criterion']}" if c["criterion"] else c["unit"]
                    for c in e["covers"]
                ],
                "files": len(e["attachments"]),
            }
            for e in record["evidence"]
        ]
    rows: list[dict[str, Any]] = record.get(section, [])
    return rows


def write_record_workbook(record: Mapping[str, Any], out: Path) -> Path:
    """One sheet of personal details, then one sheet per kind of record held. Every
    value is written as text so nothing anyone typed can become a formula."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet: Any, names: Sequence[str]) -> None:
        cells = []
        for name in names:
            cell = text_cell(sheet, name.replace("_", " ").capitalize())
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    details = workbook.create_sheet("Personal details")
    details.column_dimensions["A"].width = 28
    details.column_dimensions["B"].width = MAX_WIDTH
    header(details, ("field", "value"))
    facts = {
        **record["apprentice"],
        "optional_units": record["optional_units"],
        "qualification": record["qualification"]["title"],
        "provider": record["provider"],
        "exported_at": record["exported_at"],
    }
    for key, value in facts.items():
        details.append([text_cell(details, key.replace("_", " ")), _text(details, value)])
    for title, section in SECTIONS:
        rows = _rows(record, section)
        sheet = workbook.create_sheet(title)
        names = list(dict.fromkeys(k for row in rows for k in row)) or ["none held"]
        for n, name in enumerate(names, start=1):
            longest = max([len(name), *(len(_cell_value(r.get(name))) for r in rows)])
            sheet.column_dimensions[get_column_letter(n)].width = min(MAX_WIDTH, longest + 2)
        header(sheet, names)
        for row in rows:
            sheet.append([_text(sheet, row.get(name)) for name in names])
    workbook.save(out)
    return out


def _text(sheet: Any, value: Any) -> WriteOnlyCell:
    cell: WriteOnlyCell = text_cell(sheet, _cell_value(value))
    return cell
