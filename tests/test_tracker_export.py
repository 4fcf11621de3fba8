"""The cohort tracker workbook, read back with openpyxl: sheets, values, styles, and
text that looks like a formula staying text."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from assessor_app.domain.dates import format_date
from assessor_app.domain.progress import UnitStatus
from assessor_app.paths import AppPaths
from assessor_app.reports.safe_cells import safe_text, set_text, text_cell
from assessor_app.reports.tracker_export import SHEETS, export_tracker
from assessor_app.services import passwords
from assessor_app.services.apprentice_queries import apprentice_overview, list_apprentices
from assessor_app.services.apprentices import ApprenticeInput, enrol_apprentice
from assessor_app.services.demo import build_demo
from assessor_app.services.errors import NotFound, ServiceError
from assessor_app.services.evidence import (
    EvidenceInput,
    assess_evidence,
    record_evidence,
    submit_evidence,
)
from assessor_app.services.progress_queries import apprentice_progress
from assessor_app.services.progress_records import log_off_the_job
from assessor_app.services.report_queries import cohort_details, find_cohort_by_name
from assessor_app.services.roles import Actor, Role
from assessor_app.services.tracker_queries import (
    cohort_evidence,
    cohort_members,
    cohort_off_the_job,
    cohort_placements,
)
from assessor_app.startup import open_app_database

TODAY = date(2026, 11, 23)
ADMIN = Actor(None, "admin", Role.ADMIN)
FAST = passwords.ScryptParams(log2_n=10, r=8, p=1)
COHORT = "NHS Trust cohort"
TITLE = '=HYPERLINK("http://example.org/x","click")'
NOTES = "-2+3 hours swapped with Friday"
GIVEN, FAMILY = "@Sam", "=1+2"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo, plus text a spreadsheet would take for formulas and one unit made
    ready for sign-off; these tests only read it afterwards."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "CURRENT", FAST)
        database = open_app_database(AppPaths(tmp_path_factory.mktemp("demo")))
        build_demo(database, today=TODAY)
    ella = next(r for r in list_apprentices(database, ADMIN) if r.name == "Ella Thompson")
    tutor = Actor(None, "tutor", Role.TUTOR)
    assessor = Actor(None, "assessor", Role.ASSESSOR)
    piece = record_evidence(
        database,
        tutor,
        EvidenceInput(
            ella.id,
            TODAY - timedelta(days=3),
            "reflective_account",
            TITLE,
            context="college",
            coverage=[("A3", None)],
        ),
        today=TODAY,
    )
    submit_evidence(database, tutor, piece)
    assess_evidence(database, assessor, piece, accept=True, on=TODAY - timedelta(days=1))
    log_off_the_job(
        database,
        tutor,
        ella.id,
        TODAY - timedelta(days=2),
        Decimal("2"),
        "shadowing",
        NOTES,
        today=TODAY,
    )
    cohort = find_cohort(database, ADMIN, COHORT)
    enrol_apprentice(
        database,
        Actor(None, "coordinator", Role.COORDINATOR),
        ApprenticeInput(
            GIVEN, FAMILY, "9999999999", None, cohort.id, TODAY, TODAY + timedelta(days=450)
        ),
    )
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def exported(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "tracker.xlsx"
    cohort = find_cohort(demo, ADMIN, COHORT)
    assert export_tracker(demo, ADMIN, cohort.id, out, today=TODAY) == out
    return out


@pytest.fixture(scope="module")
def book(exported):
    return load_workbook(exported)


def rows_by_name(sheet):
    return {row[0].value: row for row in sheet.iter_rows(min_row=2)}


def header(sheet):
    return [c.value for c in sheet[1]]


def test_sheets_and_header_rows(book):
    assert book.sheetnames == list(SHEETS)
    units = header(book["Units"])
    assert units[:4] == ["Apprentice", "ULN", "Status", "A1 (3 cr)"]
    assert "B6 (no credit value)" in units
    assert units[-6:] == [
        "Group A credits",
        "Group B credits",
        "Group C credits",
        "Total credits",
        "Percent complete",
        "RAG",
    ]
    assert len(units) == 3 + 55 + 6
    assert book["Units"]["D1"].comment.text.startswith("Safeguarding and protection")
    assert header(book["Placements"]) == [
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
    assert header(book["Evidence"]) == [
        "Apprentice",
        "Date",
        "Title",
        "Method",
        "Where",
        "Units covered",
        "Status",
        "Assessed on",
    ]
    assert header(book["Off-the-job"])[:5] == [
        "Apprentice",
        "Status",
        "Programme hours",
        "Expected by today",
        "Logged",
    ]
    assert header(book["Off-the-job entries"]) == [
        "Apprentice",
        "Date",
        "Hours",
        "Activity",
        "Notes",
    ]


def test_a_known_apprentices_units_row(book):
    sheet = book["Units"]
    refs = [v.split(" ")[0] for v in header(sheet)[3:58]]
    ella = rows_by_name(sheet)["Ella Thompson"]
    cell = {ref: ella[3 + i] for i, ref in enumerate(refs)}
    assert ella[1].value == "4102691765" and ella[1].data_type == "s"
    assert ella[2].value == "Active"
    assert cell["A1"].value == "Signed off 23 Sep 2026"
    assert cell["A1"].fill.fgColor.rgb.endswith("C6EFCE")
    assert cell["A3"].value == "Ready"  # the evidence the fixture accepted
    assert cell["A6"].value == "Planned"
    assert cell["B3"].value is None  # not one of her units: greyed
    assert cell["B3"].fill.fgColor.rgb.endswith("BFBFBF")
    *_, group_a, group_b, group_c, total, percent, rag = (c.value for c in ella)
    assert (group_a, group_b, group_c, total) == (7, 4, 0, 11)
    assert percent == pytest.approx(0.23)
    assert sheet.cell(1, len(header(sheet)) - 1).value == "Percent complete"
    assert ella[-2].number_format == "0%"
    assert rag == "Green"


def test_every_unit_cell_agrees_with_the_apprentices_progress(demo, book):
    sheet = book["Units"]
    refs = [v.split(" ")[0] for v in header(sheet)[3:58]]
    by_name = rows_by_name(sheet)
    members = cohort_members(demo, ADMIN, find_cohort(demo, ADMIN, COHORT).id)
    assert list(by_name) == [m.name for m in members]
    for member in members:
        result = apprentice_progress(demo, ADMIN, member.id, today=TODAY)
        row = by_name[member.name]
        units = {u.ref: u for u in result.progress.units}
        for i, ref in enumerate(refs):
            value = row[3 + i].value
            unit = units.get(ref)
            if unit is None:
                assert value is None, (member.name, ref)
            elif unit.status is UnitStatus.SIGNED_OFF:
                assert value == f"Signed off {format_date(unit.signed_off_on)}"
            elif unit.status is UnitStatus.READY_FOR_SIGN_OFF:
                assert value == "Ready"
        assert row[-3].value == result.progress.achieved.total
        assert row[-1].value == result.rag.colour.value.capitalize()


def test_summary(book):
    values = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert values["Cohort tracker"] == COHORT
    assert values["Employer"] == "Royal Shire Hospitals NHS Trust"
    assert values["Training provider"] == "Shire College"
    assert values["Qualification"] == "Level 2 Diploma in Care (L2-CARE)"
    assert values["Generated on"] == datetime(2026, 11, 23)
    assert (values["Active"], values["Transferred"], values["All apprentices"]) == (4, 1, 5)
    assert values["Red"] + values["Amber"] + values["Green"] == 4
    assert 0 < values["Average, apprentices in learning"] < 1
    assert values["Average, all apprentices"] < values["Average, apprentices in learning"]


def test_dates_are_dates_and_numbers_are_numbers(book):
    placement = next(book["Placements"].iter_rows(min_row=2))
    assert placement[0].value == "Grace Adeyemi"
    assert placement[1].value == 1
    for cell in (placement[4], placement[5], placement[7]):
        assert cell.is_date and isinstance(cell.value, datetime)
        assert cell.number_format == "d mmm yyyy"
    evidence = next(book["Evidence"].iter_rows(min_row=2))
    assert evidence[1].is_date
    otj = rows_by_name(book["Off-the-job"])["Harvey Singh"]
    assert [c.data_type for c in otj[2:7]] == ["n"] * 5
    assert otj[7].value == "Behind"
    entry = next(book["Off-the-job entries"].iter_rows(min_row=2))
    assert entry[1].is_date and entry[2].value == 7.5


def test_panes_are_frozen_and_tables_filtered(book):
    assert book["Summary"].freeze_panes == "A2"
    assert book["Units"].freeze_panes == "D2"
    for name in SHEETS[1:]:
        sheet = book[name]
        assert sheet.freeze_panes in ("B2", "D2"), name
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" + (
            f"{sheet.max_row}"
        ), name
        assert sheet.column_dimensions["A"].width >= 12, name


def test_text_that_looks_like_a_formula_stays_text(book, exported):
    evidence = [r for r in book["Evidence"].iter_rows(min_row=2) if r[2].value == TITLE]
    assert len(evidence) == 1
    title = evidence[0][2]
    assert title.data_type == "s" and title.quotePrefix
    assert evidence[0][4].value == "College"
    apprentice = book["Units"]["A2"]  # "=1+2" sorts first by family name
    assert apprentice.value == f"{GIVEN} {FAMILY}"
    assert apprentice.data_type == "s" and apprentice.quotePrefix
    notes = [r[4] for r in book["Off-the-job entries"].iter_rows(min_row=2) if r[4].value == NOTES]
    assert len(notes) == 1 and notes[0].data_type == "s" and notes[0].quotePrefix
    with zipfile.ZipFile(exported) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        assert not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)


@pytest.mark.parametrize(
    "text",
    ["=1+2", '=HYPERLINK("x")', "+44 7700 900123", "-3", "@SUM(A1:A2)", "\tx", "\nx", "#N/A"],
)
@pytest.mark.parametrize("write_only", [False, True])
def test_safe_cells_write_text_never_a_formula(tmp_path, text, write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("S")
    if write_only:
        sheet.append([text_cell(sheet, text), text_cell(sheet, "plain")])
    else:
        set_text(sheet.cell(1, 1), text)
        set_text(sheet.cell(1, 2), "plain")
    workbook.save(tmp_path / "s.xlsx")
    back = load_workbook(tmp_path / "s.xlsx")["S"]
    assert back["A1"].value == text and back["A1"].data_type == "s"
    assert back["A1"].quotePrefix is (text[0] in "=+-@\t\r\n")
    assert back["B1"].value == "plain" and not back["B1"].quotePrefix


def test_safe_text_drops_what_xml_cannot_hold():
    assert safe_text("a\x00b\x1fc") == "abc"
    assert safe_text("one\r\ntwo\rthree") == "one\ntwo\nthree"
    assert len(safe_text("x" * 40000)) == 32767


def test_tracker_queries_answer_for_the_whole_cohort(demo):
    cohort = find_cohort(demo, ADMIN, "  nhs trust COHORT ")
    assert cohort.name == COHORT and cohort.awarding_body == "Pearson BTEC"
    with pytest.raises(NotFound, match="cohorts: Council cohort, NHS Trust cohort"):
        find_cohort(demo, ADMIN, "No such cohort")
    placements = cohort_placements(demo, ADMIN, cohort.id)
    assert {p.apprentice for p in placements} == {"Ella Thompson", "Grace Adeyemi", "Harvey Singh"}
    assert [p.period for p in placements if p.apprentice == "Harvey Singh"] == [1, 2, 3, 4, 5]
    pieces = cohort_evidence(demo, ADMIN, cohort.id)
    assert [e.units for e in pieces if e.title == TITLE] == [("A3",)]
    assert all(e.units for e in pieces)


def test_off_the_job_pace_is_judged_as_the_overview_judges_it(demo):
    cohort = find_cohort(demo, ADMIN, COHORT)
    data = cohort_off_the_job(demo, ADMIN, cohort.id, today=TODAY)
    assert len(data.apprentices) == 5
    for summary in data.apprentices:
        overview = apprentice_overview(demo, ADMIN, summary.apprentice_id, today=TODAY)
        assert summary.pace == overview.off_the_job, summary.apprentice
    assert sum(1 for e in data.entries if e.notes == NOTES) == 1


def test_export_replaces_the_file_and_leaves_no_partial_file(demo, tmp_path):
    cohort = find_cohort(demo, ADMIN, "Council cohort")
    out = tmp_path / "tracker.xlsx"
    out.write_bytes(b"an older export")
    export_tracker(demo, ADMIN, cohort.id, out, today=TODAY)
    assert load_workbook(out).sheetnames == list(SHEETS)
    assert [p.name for p in tmp_path.iterdir()] == ["tracker.xlsx"]
    with pytest.raises(ServiceError, match="cannot be saved"):
        export_tracker(demo, ADMIN, cohort.id, tmp_path / "missing" / "t.xlsx", today=TODAY)
    assert [p.name for p in tmp_path.iterdir()] == ["tracker.xlsx"]


OFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_the_text_not_a_formula(exported, tmp_path):
    assert OFFICE is not None
    subprocess.run(
        [
            OFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(exported),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    evidence = (tmp_path / "tracker-Evidence.csv").read_text(encoding="utf-8")
    assert TITLE.replace('"', '""') in evidence
    units = (tmp_path / "tracker-Units.csv").read_text(encoding="utf-8")
    assert f"{GIVEN} {FAMILY}" in units


def find_cohort(db, actor, name):
    return cohort_details(db, actor, find_cohort_by_name(db, actor, name))
