"""`assessor-app selftest`: the end-to-end check a bundle runs on a PC, run here from
source (tests/test_bundle.py runs it in the built bundle)."""

from __future__ import annotations

import ast
import socket
import tempfile
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from assessor_app import cli
from assessor_app.selftest import STEPS, run_selftest

PACKAGE = Path(__file__).resolve().parent.parent / "assessor_app"


def test_selftest_passes_every_step_and_leaves_readable_files(tmp_path, capsys):
    keep = tmp_path / "kept"

    assert cli.main(["selftest", "--keep", str(keep)]) == cli.EXIT_OK

    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "selftest passed"
    for name, _step in STEPS:
        assert any(line.startswith(f"ok     {name}: ") for line in out), name
    # What it wrote is what a user would get from the report and export commands.
    text = "\n".join(page.extract_text() for page in PdfReader(keep / "progress.pdf").pages)
    assert "Selftest Apprentice" in text
    book = load_workbook(keep / "tracker.xlsx", read_only=True)
    cells = {
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
    }
    book.close()
    assert any("Apprentice" in c and "Selftest" in c for c in cells)


def test_selftest_leaves_nothing_behind_in_the_temporary_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    assert run_selftest() is True

    assert list(tmp_path.iterdir()) == []


def test_a_folder_in_use_fails_with_the_step_and_the_reason(tmp_path, capsys):
    keep = tmp_path / "kept"
    keep.mkdir()
    (keep / "other.txt").write_text("not the selftest's", encoding="utf-8")

    assert cli.main(["selftest", "--keep", str(keep)]) == cli.EXIT_FAILED

    out = capsys.readouterr().out
    assert f"FAILED folder: {keep} is not empty" in out
    assert "selftest failed" in out
    assert "Traceback" not in out


def test_a_database_that_cannot_be_opened_is_reported_not_raised(tmp_path, monkeypatch):
    def disk_full(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("assessor_app.selftest.open_database", disk_full)
    said: list[str] = []

    assert run_selftest(work_dir=tmp_path / "new", say=said.append) is False

    assert said[-2:] == ["FAILED database: disk full", "selftest failed"]
    assert not any(line.startswith("ok     catalogue") for line in said)


def test_selftest_needs_no_network(tmp_path, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("the selftest tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    said: list[str] = []

    assert run_selftest(work_dir=tmp_path / "run", say=said.append) is True, said


NETWORK_MODULES = ("socket", "ssl", "urllib", "http", "requests", "httpx", "ftplib", "smtplib")


def test_the_app_has_no_code_that_reaches_the_network():
    """No update checks, no fetched fonts or files: nothing in the app imports a network
    client (PostgreSQL's connection is made by the database driver, from a URL the user
    gives)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            found += [
                f"{path.relative_to(PACKAGE.parent)}: {n}"
                for n in names
                if n.split(".")[0] in NETWORK_MODULES
            ]
    assert found == []


def test_selftest_is_listed_in_the_help(capsys):
    assert cli.main(["selftest", "--help"]) == cli.EXIT_OK
    assert "--keep FOLDER" in capsys.readouterr().out
