"""`assessor-app demo` on a shared server: what it prints names the database without
the password, as `db check` does, since a terminal's output is often pasted on."""

from __future__ import annotations

import contextlib
import dataclasses
import io

from assessor_app import cli
from assessor_app.services import passwords
from assessor_app.startup import open_app_database

SERVER = "postgresql+psycopg://assessor:s3cret@db.example.org/care"
SHOWN = "postgresql+psycopg://assessor:***@db.example.org/care"


def test_the_demo_on_a_server_is_named_without_its_password(tmp_path, monkeypatch):
    monkeypatch.setattr(passwords, "CURRENT", passwords.ScryptParams(log2_n=10, r=8, p=1))

    def as_if_on_the_server(app_paths, target):
        assert target == SERVER
        # A SQLite file stands in for the server: the demo is built the same way.
        local = open_app_database(app_paths, str(tmp_path / "stand-in.sqlite3"))
        return dataclasses.replace(local, url=SERVER, path=None)

    monkeypatch.setattr(cli, "open_app_database", as_if_on_the_server)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["--db", SERVER, "demo"])
    printed = out.getvalue()
    assert code == 0, err.getvalue()
    assert f"Demo database: {SHOWN}" in printed
    assert f"Open it with: assessor-app --db {SHOWN}" in printed
    assert "s3cret" not in printed + err.getvalue()
    assert "None" not in printed
