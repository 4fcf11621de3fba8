"""`assessor-app report ...` and `export tracker`: files written, read back, and
bad input named."""

from __future__ import annotations

import contextlib
import io

import openpyxl
import pytest
from pypdf import PdfReader

from assessor_app.cli import main
from assessor_app.paths import AppPaths
from assessor_app.services import passwords
from assessor_app.services.apprentice_queries import list_apprentices
from assessor_app.services.demo import build_demo
from assessor_app.services.roles import Actor, Role
from assessor_app.startup import open_app_database


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "CURRENT", passwords.ScryptParams(log2_n=10, r=8, p=1))
        db = open_app_database(AppPaths(folder))
        build_demo(db)
        uln = next(
            r.uln
            for r in list_apprentices(db, Actor(None, "t", Role.ADMIN))
            if r.name == "Ella Thompson"
        )
        db.dispose()
    return folder / "assessor.sqlite3", uln


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def pdf_text(path):
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_progress_report_by_uln(demo_path, tmp_path):
    db, uln = demo_path
    out = tmp_path / "ella.pdf"
    code, printed, _ = run(
        "--db", str(db), "report", "progress", "--apprentice", uln, "--out", str(out)
    )
    assert code == 0
    assert f"Written {out}" in printed
    text = pdf_text(out)
    assert "Ella Thompson" in text and uln in text
    assert "Shire College" in text  # the cohort's training provider heads the page


@pytest.mark.parametrize("kind", ["cohort", "schedule"])
def test_cohort_reports_by_name_ignoring_case(demo_path, tmp_path, kind):
    db, _ = demo_path
    out = tmp_path / f"{kind}.pdf"
    code, _, err = run(
        "--db", str(db), "report", kind, "--cohort", "nhs trust cohort", "--out", str(out)
    )
    assert code == 0, err
    assert "Harvey Singh" in pdf_text(out)


def test_placement_notice(demo_path, tmp_path):
    db, _ = demo_path
    out = tmp_path / "notice.pdf"
    assert run("--db", str(db), "report", "notice", "--placement", "1", "--out", str(out))[0] == 0
    assert "placement" in pdf_text(out).lower()


def test_tracker_export(demo_path, tmp_path):
    db, _ = demo_path
    out = tmp_path / "tracker.xlsx"
    code, _, err = run(
        "--db", str(db), "export", "tracker", "--cohort", "Council cohort", "--out", str(out)
    )
    assert code == 0, err
    workbook = openpyxl.load_workbook(out)
    assert "Units" in workbook.sheetnames
    names = [row[0] for row in workbook["Units"].iter_rows(min_row=2, values_only=True)]
    assert "Amira Hussain" in names


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["report", "progress", "--apprentice", "9276308686", "--out", "{tmp}/x.pdf"],
            "No apprentice has the ULN 9276308686",
        ),
        (
            ["report", "cohort", "--cohort", "Nope", "--out", "{tmp}/x.pdf"],
            "There is no cohort called 'Nope'",
        ),
        (["report", "notice", "--placement", "9999", "--out", "{tmp}/x.pdf"], "no longer exists"),
        (
            ["report", "cohort", "--cohort", "Council cohort", "--out", "{tmp}/x.txt"],
            "ending in .pdf",
        ),
        (
            ["export", "tracker", "--cohort", "Council cohort", "--out", "{tmp}/no/such/x.xlsx"],
            "does not exist",
        ),
        (["report", "progress", "--out", "{tmp}/x.pdf"], "--apprentice"),
    ],
)
def test_bad_input_exits_2_with_a_message(demo_path, tmp_path, args, message):
    db, _ = demo_path
    code, _, err = run("--db", str(db), *[a.format(tmp=tmp_path) for a in args])
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not list(tmp_path.glob("x.*"))
