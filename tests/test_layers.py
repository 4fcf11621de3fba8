"""The layers hold: each package imports only what its layer allows."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "assessor_app"

QT = ("PySide6", "shiboken6", "assessor_app.ui")
DATABASE = ("sqlalchemy", "alembic", "sqlite3", "psycopg", "assessor_app.store")
IO = ("os", "io", "pathlib", "shutil", "socket", "subprocess", "tempfile", "urllib", "http")
UPPER = ("assessor_app.services", "assessor_app.reports", "assessor_app.cli")


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def offenders(layer: str, banned: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in imports_of(path):
            if any(name == b or name.startswith(b + ".") for b in banned):
                found.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    return found


def test_domain_is_pure():
    assert offenders("domain", QT + DATABASE + IO + UPPER + ("openpyxl", "reportlab")) == []


@pytest.mark.parametrize("layer", ["store", "services", "reports"])
def test_lower_layers_never_import_qt(layer):
    assert offenders(layer, QT) == []


def test_store_does_not_reach_up_into_services():
    assert offenders("store", ("assessor_app.services", "assessor_app.reports")) == []


def test_ui_asks_services_and_never_queries_the_database_itself():
    assert offenders("ui", ("sqlalchemy", "alembic", "sqlite3", "assessor_app.store.models")) == []


def test_only_ui_qt_imports_pyside():
    outside = [
        line
        for line in offenders("ui", ("PySide6", "shiboken6"))
        if not line.startswith("assessor_app/ui/qt.py")
    ]
    assert outside == []


def test_the_checker_sees_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import Qt\nimport sqlalchemy.orm\n", encoding="utf-8")
    assert imports_of(bad) == {"PySide6.QtCore", "sqlalchemy.orm"}
