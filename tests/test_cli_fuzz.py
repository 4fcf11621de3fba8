"""Whatever a selection file holds, check-selection answers 0, 1 or 2 and never a traceback."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessor_app.cli import main
from assessor_app.paths import AppPaths
from assessor_app.startup import open_app_database

UNIT_LINES = st.sampled_from(
    ["B1", "b4", "C12", "A4", "Awareness of Dementia", "B7", "# note", "", "  ", "Z9"]
)
LINE_ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    open_app_database(AppPaths(folder)).dispose()
    return folder / "assessor.sqlite3"


def run(database, path, *extra):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", str(database), "check-selection", str(path), *extra])
    return code, out.getvalue(), err.getvalue()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@given(content=st.binary(max_size=400))
def test_any_bytes_get_an_answer_not_a_traceback(database, tmp_path, content):
    path = tmp_path / "selection.txt"
    path.write_bytes(content)
    code, out, err = run(database, path, "--json")
    assert code in (0, 1, 2)
    assert "Traceback" not in out + err
    assert "error" in json.loads(out) if code == 2 else json.loads(out)["valid"] is (code == 0)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@given(
    lines=st.lists(st.one_of(UNIT_LINES, st.text(max_size=40)), max_size=15),
    ending=LINE_ENDINGS,
    bom=st.booleans(),
)
def test_any_text_gets_a_verdict_or_names_the_line(database, tmp_path, lines, ending, bom):
    path = tmp_path / "selection.txt"
    text = ending.join(lines)
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8", "surrogatepass"))
    code, out, err = run(database, path)
    assert code in (0, 1, 2)
    assert "Traceback" not in out + err
    if code == 2:
        assert str(path) in err
    else:
        assert "Level 2 Diploma in Care (L2-CARE)" in out
