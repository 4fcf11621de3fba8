"""An installed copy carries everything it needs from outside the Python modules."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_wheel_carries_catalogue_migrations_and_icon(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("assessor_app-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    source = {
        str(p.relative_to(ROOT)).replace("\\", "/")
        for folder in ("assessor_app/resources", "assessor_app/store/migrations")
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert source - names == set()
    assert "assessor_app/store/migrations/versions/0001_catalogue_users_and_audit_trail.py" in names
