"""`assessor-app check-selection`: the stable command-line contract."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from assessor_app.cli import main
from assessor_app.services.catalogue import install_qualification
from assessor_app.services.roles import Actor, Role
from assessor_app.startup import open_app_database

VALID_TITLES = [
    "Understand Mental Wellbeing and Mental Health Promotion",
    "understand mental ill health",
    "AWARENESS OF DEMENTIA",
    "The Person Centred Approach to the Care and Support of Individuals with Dementia",
    "B8",
    "Cleaning Decontamination and Waste Management",
    "Undertake Agreed Pressure Area Care",
    "c13",
]


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def selection(tmp_path):
    def write(lines, *, encoding="utf-8", newline="\n", name="selection.txt"):
        path = tmp_path / name
        path.write_bytes(newline.join(lines).encode(encoding))
        return path

    return write


def test_valid_selection_exits_0(capsys, selection):
    code, out, err = run(capsys, "check-selection", str(selection(VALID_TITLES)))
    assert code == 0, err
    assert "Level 2 Diploma in Care (L2-CARE): VALID" in out
    assert "46 credits in total" in out


def test_json_has_the_contracted_shape(capsys, selection):
    code, out, _ = run(capsys, "check-selection", str(selection(VALID_TITLES[:-1])), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["valid"] is False
    assert data["credits"] == {
        "total": 42,
        "optional": 18,
        "groups": {"A": 24, "B": 14, "C": 4},
    }
    assert {f["code"] for f in data["findings"]} == {"TOTAL_BELOW_MIN", "OPTIONAL_BELOW_MIN"}
    for finding in data["findings"]:
        assert finding["severity"] in ("error", "warning")
        assert finding["message"]
    assert data["suggestions"]
    first = data["suggestions"][0]
    assert first["changes"] == 1
    assert first["remove"] == []
    assert first["credits_after"]["total"] >= 46
    assert first["add"][0]["group"] == "C"
    assert [line["ref"] for line in data["lines"]][:2] == ["B1", "B2"]


def test_bom_crlf_comments_and_blank_lines_are_accepted(capsys, selection):
    lines = ["# Cohort 1 choices", "", *VALID_TITLES, "   ", "  # end"]
    path = selection(lines, encoding="utf-8-sig", newline="\r\n")
    code, out, _ = run(capsys, "check-selection", str(path), "--json")
    assert code == 0
    assert json.loads(out)["valid"] is True


def test_old_mac_line_endings_are_accepted(capsys, selection):
    code, _, _ = run(capsys, "check-selection", str(selection(VALID_TITLES, newline="\r")))
    assert code == 0


def test_unknown_title_exits_2_naming_the_line_and_the_closest_titles(capsys, selection):
    path = selection(["B1", "# note", "Awarness of dementia"])
    code, out, err = run(capsys, "check-selection", str(path))
    assert code == 2
    assert out == ""
    assert f"{path} line 3: 'Awarness of dementia' is not a unit" in err
    assert "'Awareness of Dementia' (B4)" in err
    assert "Traceback" not in err


def test_unknown_title_with_json_prints_the_problem_as_json(capsys, selection):
    code, out, _ = run(capsys, "check-selection", str(selection(["Stroke care"])), "--json")
    assert code == 2
    problem = json.loads(out)["problems"][0]
    assert problem["line"] == 1
    assert problem["closest"][0]["ref"] == "B17"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is not a text file"),
        (
            "Awareness of Dementia\nCaf\u00e9 skills\n".encode("latin-1"),
            "line 2: the text is not UTF-8",
        ),
    ],
)
def test_files_that_are_not_utf8_text_exit_2(capsys, tmp_path, content, expected):
    path = tmp_path / "choices.txt"
    path.write_bytes(content)
    code, _, err = run(capsys, "check-selection", str(path))
    assert code == 2
    assert expected in err


def test_missing_file_and_folder_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "check-selection", str(tmp_path / "nope.txt"))
    assert code == 2
    assert f"{tmp_path / 'nope.txt'} does not exist" in err
    code, _, err = run(capsys, "check-selection", str(tmp_path))
    assert code == 2
    assert "is a folder" in err


def test_an_empty_file_is_an_incomplete_selection(capsys, selection):
    code, out, _ = run(capsys, "check-selection", str(selection([])), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["credits"]["total"] == 24
    assert data["suggestions"]


def test_unknown_qualification_exits_2_listing_the_codes(capsys, selection):
    code, _, err = run(
        capsys, "check-selection", str(selection(VALID_TITLES)), "--qualification", "L9-XX"
    )
    assert code == 2
    assert "no qualification L9-XX" in err
    assert "L2-CARE" in err


def test_a_unit_of_another_qualification_is_a_finding(capsys, selection, app_paths, diploma):
    other = replace(
        diploma,
        code="L3-CARE",
        title="Level 3 Diploma in Care",
        units=tuple(
            replace(u, title=f"Lead {u.title.lower()}") if u.ref == "C17" else u
            for u in diploma.units
        ),
    )
    db = open_app_database(app_paths)
    install_qualification(db, Actor(None, "admin", Role.ADMIN), other)
    db.dispose()
    path = selection([*VALID_TITLES, "Lead promoting positive behaviour"])
    code, out, _ = run(capsys, "check-selection", str(path), "--json")
    assert code == 1
    data = json.loads(out)
    [finding] = [f for f in data["findings"] if f["code"] == "UNIT_NOT_IN_QUALIFICATION"]
    assert "Lead promoting positive behaviour" in finding["message"]
    assert data["suggestions"][0]["remove"][0]["ref"] == "L3-CARE/C17"


def test_achieved_units_that_rule_out_a_valid_choice(capsys, selection):
    chosen = selection(VALID_TITLES)
    achieved = selection(["C12", "C13", "C7"], name="achieved.txt")
    code, out, _ = run(
        capsys, "check-selection", str(chosen), "--achieved", str(achieved), "--json"
    )
    assert code == 1
    data = json.loads(out)
    assert data["completable"] is False
    assert "NO_VALID_COMPLETION" in {f["code"] for f in data["findings"]}


def test_usage_errors_exit_2_without_a_traceback(capsys):
    code, _, err = run(capsys, "check-selection")
    assert code == 2
    assert "FILE" in err or "file" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "no-such-command")
    assert code == 2
    assert "invalid choice" in err


def test_a_damaged_database_exits_2_with_a_message(capsys, selection, tmp_path):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, "--db", str(broken), "check-selection", str(selection(["B1"])))
    assert code == 2
    assert "not a readable Assessor database" in err


def test_the_module_entry_point_works(tmp_path, selection):
    path = selection(VALID_TITLES)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "assessor_app",
            "--data-dir",
            str(tmp_path / "d"),
            "check-selection",
            str(path),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["valid"] is True
    version = subprocess.run(
        [sys.executable, "-m", "assessor_app", "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0
    assert version.stdout.startswith("assessor-app ")
