"""Units mapped alongside placements: where each unit is planned and evidenced.

One row per selected unit, one cell per placement (in date order). Each cell is
planned, evidenced, both or neither; the row also says whether evidence came
from off-the-job training or college and when the unit was signed off.

The checks, with stable codes:

- UNIT_NOT_PLANNED (warning): not planned in any placement and not signed off.
- UNIT_PLANNED_IN_RARE_SETTING (warning): planned in a setting type where the
  unit can rarely be evidenced, and not signed off.
- UNIT_PLAN_PASSED (warning): the planned placement has ended, and the unit has
  no accepted evidence from anywhere and is not signed off.
- PLANNED_PLACEMENT_MISSING (error): the plan points to a placement that is not
  in the apprentice's list.

How often a unit can be evidenced in a setting type ('often', 'sometimes',
'rarely') comes from an affinity table keyed by unit title, so another awarding
body's catalogue with the same titles can use it.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from assessor_app.domain.catalogue import Unit
from assessor_app.domain.credit_rules import Severity, unit_label
from assessor_app.domain.dates import format_date, format_period
from assessor_app.domain.unit_matching import title_key

OFF_THE_JOB = "off_the_job"
COLLEGE = "college"

SETTING_TYPE_LABELS = {
    "ward": "ward",
    "residential_home": "residential home",
    "nursing_home": "nursing home",
    "day_centre": "day centre",
    "mental_health_unit": "mental health unit",
    "ae_streaming": "A&E streaming service",
    "rehabilitation": "rehabilitation setting",
    "domiciliary_care": "domiciliary care service",
    "community": "community setting",
    "other": "setting",
}


class Affinity(StrEnum):
    OFTEN = "often"
    SOMETIMES = "sometimes"
    RARELY = "rarely"


# Suggestions put settings with no judgement recorded between 'sometimes' and 'rarely'.
_AFFINITY_RANK = {Affinity.OFTEN: 0, Affinity.SOMETIMES: 1, None: 2, Affinity.RARELY: 3}


class CellState(StrEnum):
    NONE = "none"
    PLANNED = "planned"
    EVIDENCED = "evidenced"
    PLANNED_AND_EVIDENCED = "planned_and_evidenced"


class MapCode(StrEnum):
    """Stable codes: reports and scripts key on these, so never rename one."""

    UNIT_NOT_PLANNED = "UNIT_NOT_PLANNED"
    UNIT_PLANNED_IN_RARE_SETTING = "UNIT_PLANNED_IN_RARE_SETTING"
    UNIT_PLAN_PASSED = "UNIT_PLAN_PASSED"
    PLANNED_PLACEMENT_MISSING = "PLANNED_PLACEMENT_MISSING"


@dataclass(frozen=True, slots=True)
class MapPlacement:
    id: int
    host: str
    setting: str
    setting_type: str
    start: date
    end: date  # the last day of the placement


@dataclass(frozen=True, slots=True)
class MapCell:
    placement_id: int
    state: CellState
    affinity: Affinity | None  # None when the table has no judgement for this setting type


@dataclass(frozen=True, slots=True)
class MapRow:
    ref: str
    title: str
    group: str
    credits: int | None  # None while the unit has no credit value
    cells: tuple[MapCell, ...]  # one per placement, in the order of UnitMap.placements
    planned_placement: int | None  # the placement id the plan names, even if it is missing
    evidenced_off_the_job: bool
    evidenced_at_college: bool
    signed_off_on: date | None


@dataclass(frozen=True, slots=True)
class MapFinding:
    code: MapCode
    severity: Severity
    message: str
    unit: str
    placement_id: int | None = None


@dataclass(frozen=True, slots=True)
class UnitMap:
    placements: tuple[MapPlacement, ...]  # by start date, then id
    rows: tuple[MapRow, ...]  # in the order the units were given
    findings: tuple[MapFinding, ...]  # by unit, in row order


# Looked up by value: calling the enum costs more than the whole map's other work.
_AFFINITIES = {level.value: level for level in Affinity}


def setting_type_label(setting_type: str) -> str:
    return SETTING_TYPE_LABELS.get(setting_type, setting_type.replace("_", " "))


def _affinity(
    affinity: Mapping[tuple[str, str], str], ref: str, setting_type: str
) -> Affinity | None:
    value = affinity.get((ref, setting_type))
    return _AFFINITIES.get(value) if value is not None else None


def _ordered(placements: Sequence[MapPlacement]) -> list[MapPlacement]:
    return sorted(placements, key=lambda p: (p.start, p.id))


def suggest_placements(
    unit: Unit, placements: Sequence[MapPlacement], affinity: Mapping[tuple[str, str], str]
) -> list[int]:
    """Placement ids best suited to `unit` first: 'often', 'sometimes', not judged,
    'rarely'; then by start date (and id, so the order never depends on the input's)."""
    ranked = sorted(
        placements,
        key=lambda p: (
            _AFFINITY_RANK[_affinity(affinity, unit.ref, p.setting_type)],
            p.start,
            p.id,
        ),
    )
    return [p.id for p in ranked]


def _where(placement: MapPlacement) -> str:
    return (
        f"{placement.setting} at {placement.host} ({format_period(placement.start, placement.end)})"
    )


def _better_placement(
    unit: Unit,
    placements: Sequence[MapPlacement],
    affinity: Mapping[tuple[str, str], str],
    today: date,
    exclude: int | None = None,
) -> MapPlacement | None:
    """The first placement not yet ended where the unit can often be evidenced."""
    by_id = {p.id: p for p in placements}
    for pid in suggest_placements(unit, placements, affinity):
        candidate = by_id[pid]
        if pid == exclude or candidate.end < today:
            continue
        if _affinity(affinity, unit.ref, candidate.setting_type) is Affinity.OFTEN:
            return candidate
        return None
    return None


def unit_map(
    placements: Sequence[MapPlacement],
    units: Sequence[Unit],
    planned: Mapping[str, int],
    affinity: Mapping[tuple[str, str], str],
    evidenced_in: Mapping[str, frozenset[int | str]],
    signed_off: Mapping[str, date],
    *,
    today: date,
) -> UnitMap:
    """The map of `units` (the selected units, mandatory included) across `placements`.

    `planned` maps unit reference to the placement id it is planned in;
    `affinity` maps (unit reference, setting type) to 'often', 'sometimes' or
    'rarely'; `evidenced_in` maps unit reference to where its accepted evidence
    came from: placement ids, 'off_the_job' or 'college'; `signed_off` maps unit
    reference to the sign-off date.
    """
    ordered = _ordered(placements)
    by_id = {p.id: p for p in ordered}
    rows: list[MapRow] = []
    findings: list[MapFinding] = []

    for unit in units:
        sources = evidenced_in.get(unit.ref, frozenset())
        unknown = [s for s in sources if isinstance(s, str) and s not in (OFF_THE_JOB, COLLEGE)]
        if unknown:
            raise ValueError(f"unit {unit.ref}: unknown evidence source {unknown[0]!r}")
        plan = planned.get(unit.ref)
        cells = []
        for p in ordered:
            is_planned = plan == p.id
            is_evidenced = p.id in sources
            if is_planned and is_evidenced:
                state = CellState.PLANNED_AND_EVIDENCED
            elif is_planned:
                state = CellState.PLANNED
            elif is_evidenced:
                state = CellState.EVIDENCED
            else:
                state = CellState.NONE
            cells.append(MapCell(p.id, state, _affinity(affinity, unit.ref, p.setting_type)))
        signed_on = signed_off.get(unit.ref)
        rows.append(
            MapRow(
                ref=unit.ref,
                title=unit.title,
                group=unit.group,
                credits=unit.credits if unit.has_credit_value else None,
                cells=tuple(cells),
                planned_placement=plan,
                evidenced_off_the_job=OFF_THE_JOB in sources,
                evidenced_at_college=COLLEGE in sources,
                signed_off_on=signed_on,
            )
        )
        findings.extend(
            _unit_findings(unit, plan, by_id, ordered, affinity, bool(sources), signed_on, today)
        )

    return UnitMap(placements=tuple(ordered), rows=tuple(rows), findings=tuple(findings))


def _unit_findings(
    unit: Unit,
    plan: int | None,
    by_id: Mapping[int, MapPlacement],
    placements: Sequence[MapPlacement],
    affinity: Mapping[tuple[str, str], str],
    has_evidence: bool,
    signed_on: date | None,
    today: date,
) -> list[MapFinding]:
    label = unit_label(unit)
    if plan is not None and plan not in by_id:
        return [
            MapFinding(
                MapCode.PLANNED_PLACEMENT_MISSING,
                Severity.ERROR,
                f"{label} is planned for a placement that is not among this apprentice's "
                f"placements (record {plan}): plan it again in one of them.",
                unit.ref,
                plan,
            )
        ]
    if signed_on is not None:
        return []
    if plan is None:
        better = _better_placement(unit, placements, affinity, today)
        hint = (
            f", for example {_where(better)}, a {setting_type_label(better.setting_type)} "
            "where it can often be evidenced"
            if better
            else ""
        )
        return [
            MapFinding(
                MapCode.UNIT_NOT_PLANNED,
                Severity.WARNING,
                f"{label} is not planned for any placement and is not signed off: plan it "
                f"for a placement{hint}.",
                unit.ref,
            )
        ]

    placement = by_id[plan]
    findings = []
    if _affinity(affinity, unit.ref, placement.setting_type) is Affinity.RARELY:
        better = _better_placement(unit, placements, affinity, today, exclude=plan)
        advice = (
            f"consider {_where(better)}, a {setting_type_label(better.setting_type)} "
            "where it can often be evidenced"
            if better
            else "check that the placement can offer it, or plan another way to evidence it"
        )
        findings.append(
            MapFinding(
                MapCode.UNIT_PLANNED_IN_RARE_SETTING,
                Severity.WARNING,
                f"{label} is planned for {_where(placement)}, a "
                f"{setting_type_label(placement.setting_type)} where it can rarely be "
                f"evidenced: {advice}.",
                unit.ref,
                plan,
            )
        )
    if placement.end < today and not has_evidence:
        findings.append(
            MapFinding(
                MapCode.UNIT_PLAN_PASSED,
                Severity.WARNING,
                f"{label} was planned for {placement.setting} at {placement.host}, which "
                f"ended on {format_date(placement.end)}, but has no accepted evidence and is "
                "not signed off: plan it for a later placement or gather evidence another way.",
                unit.ref,
                plan,
            )
        )
    return findings


AFFINITY_COLUMNS = ("unit_title", "setting_type", "affinity")
SETTING_TYPES = tuple(SETTING_TYPE_LABELS)


def parse_affinity_csv(
    text: str, units: Sequence[Unit], *, setting_types: Collection[str] = SETTING_TYPES
) -> dict[tuple[str, str], str]:
    """Read an affinity table (unit_title, setting_type, affinity) for `units`.

    Returns (unit reference, setting type) -> 'often', 'sometimes' or 'rarely'.
    Titles match without case, spacing or punctuation; rows for titles that
    none of `units` has are skipped, so one table serves several catalogues.
    Raises ValueError naming the row and field of the first bad row (row 1 is
    the header): an empty field, an unknown setting type or affinity, or a
    unit title and setting type given twice.
    """
    refs_by_title: dict[str, list[str]] = {}
    for unit in units:
        refs_by_title.setdefault(title_key(unit.title), []).append(unit.ref)

    reader = csv.reader(text.lstrip("\ufeff").splitlines(keepends=True))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in AFFINITY_COLUMNS if c not in header]
    if missing:
        raise ValueError(f"Affinity table row 1: column(s) {', '.join(missing)} missing.")
    index = {name: header.index(name) for name in AFFINITY_COLUMNS}

    table: dict[tuple[str, str], str] = {}
    seen: dict[tuple[str, str], int] = {}
    for cells in reader:
        row = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        title, setting_type, value = (_field(cells, index[n], n, row) for n in AFFINITY_COLUMNS)
        setting_type, value = setting_type.lower(), value.lower()
        if setting_type not in setting_types:
            raise ValueError(
                f"Affinity table row {row}: 'setting_type' must be one of "
                f"{', '.join(setting_types)}, not '{setting_type}'."
            )
        if value not in {a.value for a in Affinity}:
            raise ValueError(
                f"Affinity table row {row}: 'affinity' must be often, sometimes or rarely, "
                f"not '{value}'."
            )
        key = (title_key(title), setting_type)
        if key in seen:
            raise ValueError(
                f"Affinity table row {row}: 'unit_title' {title} and 'setting_type' "
                f"{setting_type} were already given in row {seen[key]}."
            )
        seen[key] = row
        for ref in refs_by_title.get(key[0], ()):
            table[(ref, setting_type)] = value
    return table


def _field(cells: Sequence[str], position: int, name: str, row: int) -> str:
    value = cells[position].strip() if position < len(cells) else ""
    if not value:
        raise ValueError(f"Affinity table row {row}: '{name}' is empty.")
    return value
