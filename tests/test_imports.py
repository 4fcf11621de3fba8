"""Spreadsheet imports: every problem reported at once with its row and column,
nothing saved unless the whole file is valid, and unsafe or unreadable files
refused with a message rather than a traceback."""

from __future__ import annotations

import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import apprentice_input
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from assessor_app.services.apprentices import enrol_apprentice
from assessor_app.services.catalogue import add_learning_outcome
from assessor_app.services.imports import (
    KINDS,
    ImportFileError,
    ImportReport,
    import_file,
)
from assessor_app.services.imports.workbooks import write_error_workbook, write_template
from assessor_app.services.placements import PlacementInput, schedule_placement
from assessor_app.services.roles import Actor, PermissionDenied, Role
from assessor_app.store import models

ADMIN = Actor(None, "admin", Role.ADMIN)
COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
TUTOR = Actor(None, "tutor", Role.TUTOR)
TODAY = date(2026, 11, 23)
HEADINGS = [
    "Given name",
    "Family name",
    "ULN",
    "Date of birth",
    "Cohort",
    "Start date",
    "Planned end date",
    "Assessor",
    "Email",
    "Phone",
]
# Valid ULNs (the check digit fits); none belongs to a real learner.
ULNS = ["9276308686", "1234567899", "2000000001", "3000000002"]


def sam(uln="9276308686", **changes):
    row = {
        "Given name": "Sam",
        "Family name": "Smith",
        "ULN": uln,
        "Date of birth": date(2007, 3, 1),
        "Cohort": "Council 2026",
        "Start date": date(2026, 1, 5),
        "Planned end date": date(2027, 4, 4),
        "Email": "sam@example.org",
    }
    row.update(changes)
    return row


def write_book(path: Path, headings, rows, *, title=None, before=()):
    """A workbook whose sheet has the headings and one row per dict (by heading)."""
    book = openpyxl.Workbook()
    sheet = book.active
    for other in before:
        sheet.title = other
        sheet = book.create_sheet()
    if title:
        sheet.title = title
    sheet.append(list(headings))
    for row in rows:
        if row is None:
            sheet.append([])
        else:
            sheet.append([row.get(h) for h in headings])
    book.save(path)
    return path


def fill_template(kind, path: Path, rows):
    write_template(kind, path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    headings = [c.value for c in sheet[1]]
    for number, row in enumerate(rows, start=2):
        for index, heading in enumerate(headings, start=1):
            if heading in row:
                sheet.cell(number, index, row[heading])
    book.save(path)
    return path


def count(db, model):
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def actions(db):
    with db.reading() as session:
        return list(
            session.scalars(select(models.AuditEntry.action).order_by(models.AuditEntry.id))
        )


def cells(report: ImportReport):
    return {(p.row, p.column) for p in report.problems}


# --- templates and round trips ------------------------------------------------------


def test_template_has_bold_frozen_headings_and_a_separate_example(tmp_path):
    path = write_template("evidence", tmp_path / "evidence.xlsx")
    book = openpyxl.load_workbook(path)
    data, example = book.worksheets
    assert data.title == "Evidence" and example.title == "Example"
    headings = [c.value for c in data[1]]
    assert headings == [c.heading for c in KINDS["evidence"].columns]
    assert all(c.font.bold for c in data[1]) and data.freeze_panes == "A2"
    assert data.max_row == 1 or all(c.value is None for c in data[2])
    assert example.cell(2, 1).font.italic and example.cell(2, 1).value == "9276308686"
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in data.data_validations.dataValidation}
    assert "Direct observation" in lists["C2"] and "Off the job" in lists["E2"]
    assert data.column_dimensions["A"].width > 10


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_template_imports_as_an_empty_file(db, tmp_path, kind):
    path = write_template(kind, tmp_path / f"{kind}.xlsx")
    report = import_file(db, ADMIN if kind != "evidence" else TUTOR, kind, path)
    assert report == ImportReport(kind, 0, 0, ())


def test_apprentices_template_round_trip(db, world, tmp_path):
    path = fill_template(
        "apprentices",
        tmp_path / "in.xlsx",
        [sam(), sam(ULNS[1], **{"Given name": "Ravi", "Family name": "Patel", "Phone": "0123"})],
    )
    report = import_file(db, COORDINATOR, "apprentices", path)
    assert report.problems == ()
    assert (report.rows_read, report.rows_imported) == (2, 2)
    with db.reading() as session:
        rows = session.scalars(select(models.Apprentice).order_by(models.Apprentice.id)).all()
        assert [(a.full_name, a.uln, a.cohort_id) for a in rows] == [
            ("Sam Smith", "9276308686", world["cohort"]),
            ("Ravi Patel", "1234567899", world["cohort"]),
        ]
        assert rows[1].phone == "0123" and rows[0].email == "sam@example.org"
    assert actions(db).count("apprentice.enrol") == 2
    assert actions(db)[-1] == "import.apprentices"


def test_placements_round_trip_finds_host_and_setting_by_name(db, world, tmp_path):
    enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    row = {
        "Apprentice ULN": 9276308686,
        "Host": "shire county council",
        "Setting": "OAK LODGE",
        "Start": "2026-02-02",
        "End": "30/04/2026",
        "Hours per week": 37.5,
        "Mentor": "Jo Brown",
    }
    path = fill_template("placements", tmp_path / "p.xlsx", [row])
    report = import_file(db, COORDINATOR, "placements", path)
    assert report.ok and report.rows_imported == 1
    with db.reading() as session:
        placement = session.scalars(select(models.Placement)).one()
        assert placement.setting_id == world["home"]
        assert (placement.start_date, placement.end_date) == (date(2026, 2, 2), date(2026, 4, 30))
        assert str(placement.hours_per_week) == "37.50"
        assert placement.working_days == "Monday to Friday"


def test_placement_with_unknown_setting_lists_the_hosts_settings(db, world, tmp_path):
    enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    row = {"Apprentice ULN": "9276308686", "Host": "Shire County Council", "Setting": "Elm"}
    row |= {"Start": date(2026, 2, 2), "End": date(2026, 1, 2), "Hours per week": "lots"}
    report = import_file(
        db, COORDINATOR, "placements", fill_template("placements", tmp_path / "p.xlsx", [row])
    )
    assert cells(report) == {(2, "Setting"), (2, "Hours per week")}
    assert "Oak Lodge" in report.problems[0].message + report.problems[1].message


def test_catalogue_rows_become_learning_outcomes_with_criteria(db, tmp_path):
    rows = [
        {
            "Qualification code": "L2-CARE",
            "Unit ref": "A4",
            "Learning outcome number": "1",
            "Outcome text": "Understand duty of care",
            "Criterion number": "1.1",
            "Criterion text": "Define duty of care",
        },
        {
            "Qualification code": "l2-care",
            "Unit ref": "a4",
            "Learning outcome number": 1,
            "Criterion number": "1.10",
            "Criterion text": "Describe how it affects the role",
        },
        {
            "Qualification code": "L2-CARE",
            "Unit ref": "A4",
            "Learning outcome number": "2",
            "Outcome text": "Know how to handle complaints",
            "Criterion number": "2.1",
            "Criterion text": "Describe how to respond",
        },
    ]
    report = import_file(
        db, ADMIN, "catalogue", fill_template("catalogue", tmp_path / "c.xlsx", rows)
    )
    assert report.ok and report.rows_imported == 3
    with db.reading() as session:
        unit = session.scalars(select(models.Unit).where(models.Unit.ref == "A4")).one()
        assert [(o.number, [c.number for c in o.criteria]) for o in unit.outcomes] == [
            ("1", ["1.1", "1.10"]),
            ("2", ["2.1"]),
        ]
    assert actions(db).count("catalogue.add_learning_outcome") == 2


def test_catalogue_problems_name_their_rows(db, tmp_path):
    base = {"Qualification code": "L2-CARE", "Unit ref": "A4", "Learning outcome number": "1"}
    rows = [
        base | {"Outcome text": "One", "Criterion number": "1.1", "Criterion text": "x"},
        base | {"Outcome text": "Other", "Criterion number": "1.1", "Criterion text": "y"},
        base | {"Unit ref": "Z9", "Criterion number": "1.1", "Criterion text": "z"},
        base | {"Qualification code": "L9", "Criterion number": "1.1", "Criterion text": "z"},
    ]
    report = import_file(
        db, ADMIN, "catalogue", fill_template("catalogue", tmp_path / "c.xlsx", rows)
    )
    assert cells(report) == {
        (3, "Outcome text"),
        (3, "Criterion number"),
        (4, "Unit ref"),
        (5, "Qualification code"),
    }
    assert count(db, models.LearningOutcome) == 0


def test_evidence_finds_the_placement_and_maps_criteria(db, world, tmp_path):
    add_learning_outcome(
        db, ADMIN, "L2-CARE", "A1", "1", "Safeguarding", [("1.1", "a"), ("1.2", "b")]
    )
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(apprentice, world["home"], date(2026, 1, 5), date(2026, 4, 4)),
    )
    common = {"Apprentice ULN": "9276308686", "Title": "Lunch"}
    rows = [
        common | {"Date": date(2026, 2, 10), "Method": "Direct observation"},
        common
        | {"Date": "2026-03-01", "Method": "observation", "Placement start date": "05/01/2026"},
        common | {"Date": date(2026, 5, 1), "Method": "Questioning", "Where": "college"},
    ]
    for row in rows:
        row["Units and criteria covered"] = "A1:1.1; A1:1.2, A4"
    report = import_file(
        db,
        TUTOR,
        "evidence",
        fill_template("evidence", tmp_path / "e.xlsx", rows),
        today=TODAY,
    )
    assert report.problems == () and report.rows_imported == 3
    with db.reading() as session:
        found = session.scalars(select(models.Evidence).order_by(models.Evidence.id)).all()
        assert [(e.context, e.placement_id is not None, len(e.coverage)) for e in found] == [
            ("placement", True, 3),
            ("placement", True, 3),
            ("college", False, 3),
        ]


def test_evidence_problems(db, world, tmp_path):
    enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    common = {"Apprentice ULN": "9276308686", "Title": "Lunch", "Method": "observation"}
    rows = [
        common | {"Date": date(2026, 2, 10), "Units and criteria covered": "A4"},
        common | {"Date": date(2026, 2, 10), "Where": "moon", "Units and criteria covered": "A4"},
        common
        | {"Date": date(2026, 2, 10), "Where": "college", "Units and criteria covered": "A4:"},
        common
        | {"Date": date(2026, 2, 10), "Where": "college", "Units and criteria covered": "Z9"},
        common | {"Apprentice ULN": "1234567899", "Date": date(2026, 2, 10), "Method": "mime"},
    ]
    report = import_file(
        db, TUTOR, "evidence", fill_template("evidence", tmp_path / "e.xlsx", rows), today=TODAY
    )
    assert cells(report) == {
        (2, "Placement start date"),
        (3, "Where"),
        (4, "Units and criteria covered"),
        (5, "Units and criteria covered"),
        (6, "Apprentice ULN"),
        (6, "Method"),
        (6, "Units and criteria covered"),
    }


# --- all or nothing ----------------------------------------------------------------


def test_all_problems_are_reported_at_once_and_nothing_is_imported(db, world, tmp_path):
    rows = [
        sam(),  # row 2: fine on its own
        sam("9276308687"),  # row 3: check digit
        sam(ULNS[1], Cohort="Nowhere 2030"),  # row 4
        sam(ULNS[2], **{"Start date": "05/01/26"}),  # row 5: two-digit year
        sam(ULNS[3], **{"Planned end date": date(2025, 1, 1)}),  # row 6: the service refuses
        sam("9276308686", **{"Given name": None}),  # row 7: repeated ULN, no given name
        sam("9999999999", Email="not an email", Assessor="nobody"),  # row 8
    ]
    before = count(db, models.AuditEntry)
    report = import_file(
        db, COORDINATOR, "apprentices", write_book(tmp_path / "a.xlsx", HEADINGS, rows)
    )
    assert cells(report) == {
        (3, "ULN"),
        (4, "Cohort"),
        (5, "Start date"),
        (6, "Planned end date"),
        (7, "ULN"),
        (7, "Given name"),
        (8, "Assessor"),
    }
    assert (report.rows_read, report.rows_imported) == (7, 0)
    assert [p.row for p in report.problems] == sorted(p.row for p in report.problems)
    assert count(db, models.Apprentice) == 0
    assert count(db, models.AuditEntry) == before
    assert "row 2" in next(p.message for p in report.problems if p[:2] == (7, "ULN"))


def test_a_row_refused_by_the_service_after_conversion_names_the_field(db, world, tmp_path):
    rows = [sam(Email="not an email")]
    report = import_file(
        db, COORDINATOR, "apprentices", write_book(tmp_path / "a.xlsx", HEADINGS, rows)
    )
    assert cells(report) == {(2, "Email")}


def test_dry_run_reports_but_writes_nothing(db, world, tmp_path):
    path = write_book(tmp_path / "a.xlsx", HEADINGS, [sam(), sam(ULNS[1])])
    before = count(db, models.AuditEntry)
    report = import_file(db, COORDINATOR, "apprentices", path, dry_run=True)
    assert report == ImportReport("apprentices", 2, 0, (), dry_run=True)
    assert "dry run" in report.summary()
    assert count(db, models.Apprentice) == 0 and count(db, models.AuditEntry) == before
    assert import_file(db, COORDINATOR, "apprentices", path).rows_imported == 2
    assert count(db, models.Apprentice) == 2


def test_dry_run_finds_the_same_problems(db, world, tmp_path):
    path = write_book(tmp_path / "a.xlsx", HEADINGS, [sam(), sam()])
    assert import_file(db, COORDINATOR, "apprentices", path, dry_run=True).problems == (
        import_file(db, COORDINATOR, "apprentices", path).problems
    )


def test_import_needs_the_permission_of_the_change(db, world, tmp_path):
    path = write_book(tmp_path / "a.xlsx", HEADINGS, [sam()])
    with pytest.raises(PermissionDenied):
        import_file(db, Actor(None, "vic", Role.VIEWER), "apprentices", path)
    with pytest.raises(ImportFileError, match="apprentices, placements"):
        import_file(db, COORDINATOR, "pets", path)


# --- reading cells and headings ------------------------------------------------------


def test_a_formula_cell_is_refused(db, world, tmp_path):
    path = write_book(tmp_path / "a.xlsx", HEADINGS, [sam(**{"Date of birth": "=DATE(2007,3,1)"})])
    report = import_file(db, COORDINATOR, "apprentices", path)
    assert [tuple(p[:2]) for p in report.problems] == [(2, "Date of birth")]
    assert "formula, not a value" in report.problems[0].message
    assert count(db, models.Apprentice) == 0


def test_uln_as_a_number_is_accepted_but_scientific_notation_is_not(db, world, tmp_path):
    rows = [sam(9276308686), sam(1234567899.0), sam("9.27631E+09")]
    report = import_file(
        db, COORDINATOR, "apprentices", write_book(tmp_path / "a.xlsx", HEADINGS, rows)
    )
    assert cells(report) == {(4, "ULN")}
    assert "scientific notation" in report.problems[0].message
    report = import_file(
        db, COORDINATOR, "apprentices", write_book(tmp_path / "b.xlsx", HEADINGS, rows[:2])
    )
    assert report.rows_imported == 2
    with db.reading() as session:
        assert set(session.scalars(select(models.Apprentice.uln))) == {"9276308686", "1234567899"}


def test_dates_as_excel_dates_iso_text_or_day_month_year(db, world, tmp_path):
    rows = [
        sam(ULNS[0], **{"Start date": datetime(2026, 1, 5)}),
        sam(ULNS[1], **{"Start date": "2026-01-05"}),
        sam(ULNS[2], **{"Start date": "5/1/2026", "Date of birth": "01/03/2007"}),
    ]
    report = import_file(
        db, COORDINATOR, "apprentices", write_book(tmp_path / "a.xlsx", HEADINGS, rows)
    )
    assert report.ok, report.problems
    with db.reading() as session:
        assert set(session.scalars(select(models.Apprentice.start_date))) == {date(2026, 1, 5)}
        assert set(session.scalars(select(models.Apprentice.date_of_birth))) == {date(2007, 3, 1)}


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("31/02/2026", "not a real date"),
        ("tomorrow", "dd/mm/yyyy"),
        (45000, "a number, not a date"),
        ("0026-01-05", "plausible"),
    ],
)
def test_bad_dates_say_how_to_write_one(db, world, tmp_path, value, words):
    path = write_book(tmp_path / "a.xlsx", HEADINGS, [sam(**{"Start date": value})])
    report = import_file(db, COORDINATOR, "apprentices", path)
    assert cells(report) == {(2, "Start date")}
    assert words in report.problems[0].message


def test_headings_in_another_case_order_and_punctuation(db, world, tmp_path):
    headings = {
        "COHORT NAME": "Cohort",
        "family_name": "Family name",
        "planned end-date": "Planned end date",
        "Surname ": None,
        "uln": "ULN",
        "  start DATE": "Start date",
        "First name": "Given name",
    }
    headings.pop("Surname ")
    row = sam()
    path = write_book(
        tmp_path / "a.xlsx", list(headings), [{h: row[k] for h, k in headings.items()}]
    )
    report = import_file(db, COORDINATOR, "apprentices", path)
    assert report.ok and report.rows_imported == 1


def test_unknown_repeated_and_missing_columns_are_named(db, world, tmp_path):
    headings = ["Given name", "Family name", "Nickname", "Cohort", "Start date", "Surname"]
    report = import_file(
        db, COORDINATOR, "apprentices", write_book(tmp_path / "a.xlsx", headings, [{}])
    )
    assert cells(report) == {
        (1, "Nickname"),
        (1, "Family name"),
        (1, "ULN"),
        (1, "Planned end date"),
    }
    assert "missing" in next(p.message for p in report.problems if p.column == "ULN")


def test_blank_rows_are_skipped_and_rows_keep_excel_numbers(db, world, tmp_path):
    rows = [None, sam(), None, None, sam(ULNS[1], Cohort="Nope")]
    report = import_file(
        db, COORDINATOR, "apprentices", write_book(tmp_path / "a.xlsx", HEADINGS, rows)
    )
    assert report.rows_read == 2
    assert cells(report) == {(6, "Cohort")}  # heading, blank, Sam, blank, blank, this


def test_a_value_under_no_heading_is_a_problem(db, world, tmp_path):
    path = write_book(tmp_path / "a.xlsx", [*HEADINGS, None], [sam() | {None: "stray"}])
    report = import_file(db, COORDINATOR, "apprentices", path)
    assert cells(report) == {(2, "column 11")}


def test_the_sheet_named_after_the_kind_is_used(db, world, tmp_path):
    path = write_book(tmp_path / "a.xlsx", HEADINGS, [sam()], title="APPRENTICES", before=["Notes"])
    report = import_file(db, COORDINATOR, "apprentices", path)
    assert report.ok and report.rows_imported == 1


# --- untrusted files ----------------------------------------------------------------


def minimal_parts(archive: zipfile.ZipFile) -> None:
    archive.writestr("[Content_Types].xml", "<Types/>")
    archive.writestr("xl/workbook.xml", "<workbook/>")


def test_a_zip_bomb_is_refused_quickly(db, world, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        minimal_parts(archive)
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(20):
                member.write(block)
    assert path.stat().st_size < 200_000
    started = time.perf_counter()
    with pytest.raises(ImportFileError, match="unsafe"):
        import_file(db, COORDINATOR, "apprentices", path)
    assert time.perf_counter() - started < 1


def test_a_member_declaring_a_huge_size_is_refused_before_parsing(db, world, tmp_path):
    path = tmp_path / "huge.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        minimal_parts(archive)
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x01\x02")  # the last member's central directory entry
    data[at + 24 : at + 28] = (0xF0000000).to_bytes(4, "little")  # its uncompressed size
    path.write_bytes(bytes(data))
    started = time.perf_counter()
    with pytest.raises(ImportFileError, match="MB once opened"):
        import_file(db, COORDINATOR, "apprentices", path)
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"Given name,Family name\nSam,Smith\n", "CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls"),
        (b"", "CSV"),
    ],
)
def test_files_that_are_not_xlsx_are_refused(db, world, tmp_path, content, words):
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=r"renamed\.xlsx") as raised:
        import_file(db, COORDINATOR, "apprentices", path)
    assert words in str(raised.value)


def test_a_zip_that_is_not_a_workbook_is_refused(db, world, tmp_path):
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8")
    with pytest.raises(ImportFileError, match="not an Excel workbook"):
        import_file(db, COORDINATOR, "apprentices", path)


def test_a_truncated_or_damaged_workbook_is_refused_without_a_traceback(db, world, tmp_path):
    good = write_book(tmp_path / "good.xlsx", HEADINGS, [sam()] * 50).read_bytes()
    for cut in (len(good) // 2, len(good) - 10, 100):
        path = tmp_path / "cut.xlsx"
        path.write_bytes(good[:cut])
        with pytest.raises(ImportFileError, match=r"cut\.xlsx"):
            import_file(db, COORDINATOR, "apprentices", path)
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(tmp_path / "good.xlsx") as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            body = source.read(item)
            target.writestr(item, body[: len(body) // 2] if "sheet1" in item.filename else body)
    with pytest.raises(ImportFileError, match="damaged"):
        import_file(db, COORDINATOR, "apprentices", path)
    with pytest.raises(ImportFileError, match="not found"):
        import_file(db, COORDINATOR, "apprentices", tmp_path / "missing.xlsx")
    assert count(db, models.Apprentice) == 0


@settings(
    max_examples=100,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@given(
    stored=st.booleans(),
    damage=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1),
)
def test_a_damaged_workbook_gives_a_report_or_a_refusal_never_a_crash(
    db, world, tmp_path, stored, damage
):
    path = tmp_path / "damaged.xlsx"
    write_book(path, HEADINGS, [sam("9999999999")] * 5)
    if stored:  # uncompressed, so damage reaches the XML parser
        with zipfile.ZipFile(path) as source:
            parts = {item.filename: source.read(item) for item in source.infolist()}
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as target:
            for name, body in parts.items():
                target.writestr(name, body)
    content = bytearray(path.read_bytes())
    for where, byte in damage:
        content[int(where * len(content))] = byte
    path.write_bytes(bytes(content))
    try:
        report = import_file(db, COORDINATOR, "apprentices", path, dry_run=True)
    except ImportFileError as exc:
        assert "damaged.xlsx" in str(exc)
    else:
        assert report.rows_imported == 0


# --- the error workbook ---------------------------------------------------------------


def test_error_workbook_lists_every_problem_as_text(db, world, tmp_path):
    rows = [sam(Cohort="=HYPERLINK(1)"), sam(ULNS[1], Cohort="Nope")]
    report = import_file(
        db, COORDINATOR, "apprentices", write_book(tmp_path / "a.xlsx", HEADINGS, rows)
    )
    path = write_error_workbook(report, tmp_path / "problems.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Problems"]
    listed = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]
    assert listed == [tuple(p) for p in report.problems]
    assert all(c.data_type == "s" for row in sheet.iter_rows(min_row=2) for c in row[1:])
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert "Nothing was imported" in book["About"]["A1"].value


# --- any cell content -----------------------------------------------------------------

CELLS = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=25),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 31)),
    st.booleans(),
    st.sampled_from(
        ["9276308686", "Council 2026", "05/01/2026", "2026-01-05", "=1+1", "9.2E+09", " "]
    ),
)


@settings(
    max_examples=60,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@given(
    changes=st.lists(
        st.dictionaries(st.sampled_from(HEADINGS), CELLS, max_size=4), min_size=1, max_size=3
    )
)
def test_any_cell_contents_give_an_import_or_problems(db, world, tmp_path, changes):
    # Valid rows (the placeholder ULN may repeat) with a few cells replaced by anything.
    rows = [sam("9999999999") | change for change in changes]
    path = write_book(tmp_path / "random.xlsx", HEADINGS, rows)
    before = count(db, models.Apprentice)
    report = import_file(db, COORDINATOR, "apprentices", path)
    assert isinstance(report, ImportReport)
    assert all(
        isinstance(p.row, int) and p.row >= 1 and isinstance(p.column, str) and p.message
        for p in report.problems
    )
    if report.problems:
        assert report.rows_imported == 0 and count(db, models.Apprentice) == before
    else:
        assert report.rows_imported == report.rows_read == len(rows)
        assert count(db, models.Apprentice) == before + len(rows)


def test_a_cell_of_spaces_is_blank(db, world, tmp_path):
    rows = [sam(Cohort="   ", Phone=" ")]
    report = import_file(
        db, COORDINATOR, "apprentices", write_book(tmp_path / "a.xlsx", HEADINGS, rows)
    )
    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (2, "Cohort", "Cohort is required.")
    ]
