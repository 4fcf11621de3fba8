"""Read a qualification catalogue from its folder of CSV files and a TOML header.

A catalogue folder holds qualification.toml, groups.csv, units.csv, rules.csv and
barred_pairs.csv. Every problem is reported with the file, row and field.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Callable, Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import TypeVar

from assessor_app.domain.catalogue import (
    BarredPair,
    CreditRule,
    Qualification,
    RuleScope,
    Unit,
    UnitGroup,
    ValueStatus,
)

T = TypeVar("T")

DEFAULT_QUALIFICATION = "L2-CARE"


class CatalogueError(ValueError):
    """A catalogue file that cannot be read, with where and what to fix."""


def resources() -> Traversable:
    return files("assessor_app") / "resources"


def default_catalogue_dir() -> Traversable:
    return resources() / "catalogue" / "l2-diploma-care"


def load_default_catalogue() -> Qualification:
    return load_catalogue(default_catalogue_dir())


def load_default_affinity_text() -> str:
    return (resources() / "affinity" / "setting_affinity.csv").read_text(encoding="utf-8-sig")


def load_care_certificate_standards() -> list[tuple[int, str]]:
    folder = resources() / "care_certificate"
    return [
        (_int(row, "number", where), row["title"].strip())
        for row, where in _rows(folder / "standards.csv", ("number", "title"))
    ]


def load_catalogue(folder: Traversable) -> Qualification:
    header_file = folder / "qualification.toml"
    try:
        header = tomllib.loads(header_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"{header_file.name}: cannot be read ({exc})") from exc
    for key in ("code", "title"):
        if not str(header.get(key, "")).strip():
            raise CatalogueError(f"{header_file.name}: '{key}' is missing")

    groups = [
        UnitGroup(
            code=_text(row, "code", where),
            name=_text(row, "name", where),
            mandatory=_bool(row, "mandatory", where),
        )
        for row, where in _rows(folder / "groups.csv", ("code", "name", "mandatory"))
    ]
    units = [
        _parse_row(_unit, row, where)
        for row, where in _rows(
            folder / "units.csv", ("ref", "group", "title", "credits", "value_status")
        )
    ]
    rules = [
        _parse_row(_rule, row, where)
        for row, where in _rows(
            folder / "rules.csv", ("scope", "group", "min_credits", "max_credits")
        )
    ]
    barred = [
        BarredPair(
            unit_a=_text(row, "unit_a", where),
            unit_b=_text(row, "unit_b", where),
            reason=(row.get("reason") or "").strip(),
        )
        for row, where in _rows(folder / "barred_pairs.csv", ("unit_a", "unit_b"))
    ]
    try:
        return Qualification(
            code=str(header["code"]).strip(),
            title=str(header["title"]).strip(),
            awarding_body=str(header.get("awarding_body", "")).strip(),
            level=_header_int(header, "level", header_file.name),
            total_qualification_time=_header_int(
                header, "total_qualification_time", header_file.name
            ),
            groups=tuple(groups),
            units=tuple(units),
            rules=tuple(rules),
            barred_pairs=tuple(barred),
        )
    except ValueError as exc:
        raise CatalogueError(f"catalogue {header.get('code')}: {exc}") from exc


def _header_int(header: dict[str, object], key: str, where: str) -> int | None:
    value = header.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise CatalogueError(f"{where}: '{key}' must be a whole number")
    return value


def _rows(path: Traversable, required: tuple[str, ...]) -> Iterator[tuple[dict[str, str], str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path.name}: cannot be read ({exc})") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise CatalogueError(f"{path.name}: column(s) {', '.join(missing)} missing")
    for number, row in enumerate(reader, start=2):
        yield {k: (v or "") for k, v in row.items() if k is not None}, f"{path.name} row {number}"


def _parse_row(build: Callable[[dict[str, str], str], T], row: dict[str, str], where: str) -> T:
    try:
        return build(row, where)
    except ValueError as exc:
        if isinstance(exc, CatalogueError):
            raise
        raise CatalogueError(f"{where}: {exc}") from exc


def _text(row: dict[str, str], field: str, where: str) -> str:
    value = row.get(field, "").strip()
    if not value:
        raise CatalogueError(f"{where}: '{field}' is empty")
    return value


def _int(row: dict[str, str], field: str, where: str) -> int:
    value = row.get(field, "").strip()
    try:
        return int(value)
    except ValueError:
        raise CatalogueError(f"{where}: '{field}' must be a whole number, not '{value}'") from None


def _opt_int(row: dict[str, str], field: str, where: str) -> int | None:
    return _int(row, field, where) if row.get(field, "").strip() else None


def _bool(row: dict[str, str], field: str, where: str) -> bool:
    value = row.get(field, "").strip().lower()
    if value in ("true", "yes", "1"):
        return True
    if value in ("false", "no", "0", ""):
        return False
    raise CatalogueError(f"{where}: '{field}' must be true or false, not '{value}'")


def _unit(row: dict[str, str], where: str) -> Unit:
    status_text = _text(row, "value_status", where).lower()
    try:
        status = ValueStatus(status_text)
    except ValueError:
        allowed = ", ".join(s.value for s in ValueStatus)
        raise CatalogueError(
            f"{where}: 'value_status' must be one of {allowed}, not '{status_text}'"
        ) from None
    return Unit(
        ref=_text(row, "ref", where),
        title=_text(row, "title", where),
        group=_text(row, "group", where),
        credits=_opt_int(row, "credits", where),
        value_status=status,
        glh=_opt_int(row, "glh", where),
        level=_opt_int(row, "level", where),
        kind=row.get("kind", "").strip(),
        awarding_body_ref=row.get("awarding_body_ref", "").strip(),
        source_unit_ref=row.get("source_unit_ref", "").strip(),
        source=row.get("source", "").strip(),
    )


def _rule(row: dict[str, str], where: str) -> CreditRule:
    scope_text = _text(row, "scope", where).lower()
    try:
        scope = RuleScope(scope_text)
    except ValueError:
        allowed = ", ".join(s.value for s in RuleScope)
        raise CatalogueError(
            f"{where}: 'scope' must be one of {allowed}, not '{scope_text}'"
        ) from None
    group = row.get("group", "").strip() or None
    return CreditRule(
        scope=scope,
        group=group,
        min_credits=_opt_int(row, "min_credits", where),
        max_credits=_opt_int(row, "max_credits", where),
    )
