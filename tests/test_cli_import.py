"""`assessor-app import KIND FILE [--dry-run]` and `--template`."""

from __future__ import annotations

import contextlib
import io

import openpyxl

from assessor_app.cli import main
from assessor_app.services.apprentice_queries import list_apprentices
from assessor_app.services.roles import Actor, Role


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def filled_template(tmp_path, db_path, rows):
    template = tmp_path / "apprentices.xlsx"
    assert run("--db", str(db_path), "import", "apprentices", "--template", str(template))[0] == 0
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    headings = [c.value for c in sheet[1]]
    for number, row in enumerate(rows, start=2):
        for column, heading in enumerate(headings, start=1):
            sheet.cell(row=number, column=column, value=row.get(heading))
    workbook.save(template)
    return template


def test_import_then_dry_run_and_problems(db, world, tmp_path):
    db_path = db.url  # a file or a server: the command line takes either
    good = {
        "Given name": "Priya",
        "Family name": "Das",
        "ULN": "9276308686",
        "Date of birth": "2001-05-02",
        "Cohort": "Council 2026",
        "Start date": "2026-01-05",
        "Planned end date": "2027-04-04",
    }
    bad = {**good, "Given name": "Sam", "ULN": "123"}
    file = filled_template(tmp_path, db_path, [good, bad])
    errors = tmp_path / "problems.xlsx"
    code, out, _ = run("--db", db_path, "import", "apprentices", str(file), "--errors", str(errors))
    assert code == 2
    assert "Nothing was imported" in out
    assert f"{file} row 3, column 'ULN'" in out
    assert errors.exists()
    assert list_apprentices(db, Actor(None, "t", Role.ADMIN)) == []

    file = filled_template(tmp_path, db_path, [good])
    code, out, _ = run("--db", db_path, "import", "apprentices", str(file), "--dry-run")
    assert code == 0
    assert list_apprentices(db, Actor(None, "t", Role.ADMIN)) == []
    code, out, _ = run("--db", db_path, "import", "apprentices", str(file))
    assert code == 0
    [row] = list_apprentices(db, Actor(None, "t", Role.ADMIN))
    assert row.name == "Priya Das"


def test_a_file_that_is_not_a_workbook_exits_2(db, tmp_path):
    fake = tmp_path / "list.xlsx"
    fake.write_text("name,uln\nSam,9276308686\n")
    code, _, err = run("--db", db.url, "import", "apprentices", str(fake))
    assert code == 2
    assert "is not an Excel workbook" in err
    assert "Traceback" not in err
