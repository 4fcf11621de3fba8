"""The four kinds of import: their columns, and how each row becomes a call of the
service that a form would make (so the same rules and audit entries apply)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessor_app.domain.uln import UNKNOWN_ULN, UlnError, parse_uln
from assessor_app.services.apprentices import ApprenticeInput, enrol_in_session
from assessor_app.services.catalogue import add_learning_outcome_in_session
from assessor_app.services.evidence import (
    CONTEXTS,
    METHOD_LABELS,
    EvidenceInput,
    record_in_session,
)
from assessor_app.services.imports.spreadsheet import (
    REFUSED,
    CellProblem,
    CellValue,
    Column,
    Problem,
    SheetRow,
    as_date,
    as_decimal,
    as_text,
    as_uln_text,
    normalise_heading,
    shown,
)
from assessor_app.services.placements import PlacementInput, schedule_in_session
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.models import (
    EVIDENCE_METHODS,
    Apprentice,
    Cohort,
    Organisation,
    Placement,
    Qualification,
    Unit,
    User,
)

EXAMPLE_ULN = "9276308686"  # passes the check digit; not a real learner's
CONTEXT_LABELS = {"placement": "Placement", "off_the_job": "Off the job", "college": "College"}


@dataclass(frozen=True)
class Step:
    """One service call: the spreadsheet row a refusal is reported on, how many rows
    it imports, and which column each of the service's field names stands for."""

    row: int
    rows: int
    apply: Callable[[Session, Actor], object]
    fields: Mapping[str, str]
    column: str = ""  # for refusals that name no field


Planner = Callable[[Session, Sequence[SheetRow], list[Problem], date], list[Step]]


@dataclass(frozen=True)
class Kind:
    name: str
    title: str  # the data sheet's name in the template
    permission: Permission
    columns: tuple[Column, ...]
    plan: Planner


class RowReader:
    """Converts one row's cells, collecting every problem rather than stopping at
    the first, so a coordinator sees all of a row's problems at once."""

    def __init__(self, row: SheetRow, columns: Sequence[Column], problems: list[Problem]) -> None:
        self.row = row
        self.columns = {c.key: c for c in columns}
        self.problems = problems
        self.failed = any(v is REFUSED for v in row.values.values())

    def problem(self, key: str, message: str) -> None:
        self.failed = True
        self.problems.append(Problem(self.row.number, self.columns[key].heading, message))

    def _value(self, key: str) -> CellValue:
        value = self.row.values.get(key)
        if value is None and self.columns[key].required:
            self.problem(key, f"{self.columns[key].heading} is required.")
        return None if value is REFUSED else value

    def text(self, key: str) -> str:
        return as_text(self._value(key))

    def date(self, key: str) -> date | None:
        value = self._value(key)
        if value is None:
            return None
        try:
            return as_date(value)
        except CellProblem as exc:
            self.problem(key, str(exc))
            return None

    def decimal(self, key: str) -> Decimal | None:
        value = self._value(key)
        if value is None:
            return None
        try:
            return as_decimal(value, self.columns[key].heading)
        except CellProblem as exc:
            self.problem(key, str(exc))
            return None

    def uln(self, key: str) -> str:
        """The ULN as typed (digits, or the 'not yet known' placeholder), checked."""
        value = self._value(key)
        if value is None:
            return ""
        try:
            text = as_uln_text(value)
            parse_uln(text)
        except (CellProblem, UlnError) as exc:
            self.problem(key, str(exc))
            return ""
        return "".join(text.split())

    def apprentice(self, session: Session, key: str) -> Apprentice | None:
        uln = self.uln(key)
        if not uln:
            return None
        if uln == UNKNOWN_ULN:
            self.problem(
                key, f"{UNKNOWN_ULN} means 'not yet known', so it cannot say which apprentice."
            )
            return None
        found = session.scalar(select(Apprentice).where(Apprentice.uln == uln))
        if found is None:
            self.problem(
                key, f"No apprentice has ULN {uln}: check the number, or enrol them first."
            )
        return found


def _by_name(values: Mapping[str, str], text: str) -> str | None:
    return values.get(normalise_heading(text))


def name_key(name: str) -> str:
    """Names of cohorts, organisations and settings match ignoring case and spacing."""
    return " ".join(name.casefold().split())


# --- apprentices -------------------------------------------------------------------

APPRENTICE_COLUMNS = (
    Column("given_name", "Given name", True, ("First name", "Forename"), "Sam", 16),
    Column("family_name", "Family name", True, ("Surname", "Last name"), "Smith", 16),
    Column("uln", "ULN", True, ("Unique learner number",), EXAMPLE_ULN, 14, as_text=True),
    Column("date_of_birth", "Date of birth", False, ("DOB", "Birth date"), date(2007, 3, 1), 14),
    Column("cohort", "Cohort", True, ("Cohort name",), "Council 2026", 20),
    Column("start_date", "Start date", True, ("Start",), date(2026, 1, 5), 14),
    Column("planned_end_date", "Planned end date", True, ("End date",), date(2027, 4, 4), 16),
    Column("assessor", "Assessor", False, ("Assessor username",), "", 16),
    Column("email", "Email", False, ("Email address",), "sam.smith@example.org", 26),
    Column(
        "phone", "Phone", False, ("Telephone", "Phone number"), "07700 900123", 16, as_text=True
    ),
)
APPRENTICE_FIELDS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "uln": "ULN",
    "date_of_birth": "Date of birth",
    "cohort_id": "Cohort",
    "assessor_id": "Assessor",
    "start_date": "Start date",
    "planned_end_date": "Planned end date",
    "email": "Email",
    "phone": "Phone",
}


def plan_apprentices(
    session: Session, rows: Sequence[SheetRow], problems: list[Problem], today: date
) -> list[Step]:
    cohorts = {name_key(c.name): c.id for c in session.scalars(select(Cohort))}
    users = {u.username.casefold(): u.id for u in session.scalars(select(User))}
    first_row_of: dict[str, int] = {}
    steps = []
    for row in rows:
        r = RowReader(row, APPRENTICE_COLUMNS, problems)
        given, family = r.text("given_name"), r.text("family_name")
        uln = r.uln("uln")
        if uln and uln != UNKNOWN_ULN:
            if uln in first_row_of:
                r.problem("uln", f"ULN {uln} is also on row {first_row_of[uln]} of this file.")
            first_row_of.setdefault(uln, row.number)
        date_of_birth = r.date("date_of_birth")
        cohort_name = r.text("cohort")
        cohort_id = cohorts.get(name_key(cohort_name))
        if cohort_name and cohort_id is None:
            r.problem(
                "cohort", f"There is no cohort called '{shown(cohort_name)}': create it first."
            )
        start, end = r.date("start_date"), r.date("planned_end_date")
        assessor = r.text("assessor")
        assessor_id = users.get(assessor.casefold())
        if assessor and assessor_id is None:
            r.problem("assessor", f"There is no user '{shown(assessor)}': give their username.")
        email, phone = r.text("email"), r.text("phone")
        if r.failed or cohort_id is None or start is None or end is None:
            continue
        data = ApprenticeInput(
            given_name=given,
            family_name=family,
            uln=uln,
            date_of_birth=date_of_birth,
            cohort_id=cohort_id,
            start_date=start,
            planned_end_date=end,
            assessor_id=assessor_id,
            email=email,
            phone=phone,
        )
        steps.append(Step(row.number, 1, partial(_enrol, data), APPRENTICE_FIELDS))
    return steps


def _enrol(data: ApprenticeInput, session: Session, actor: Actor) -> int:
    return enrol_in_session(session, actor, data)


# --- placements --------------------------------------------------------------------

PLACEMENT_COLUMNS = (
    Column("uln", "Apprentice ULN", True, ("ULN",), EXAMPLE_ULN, 16, as_text=True),
    Column("host", "Host", True, ("Host organisation", "Organisation"), "Shire County Council", 28),
    Column("setting", "Setting", True, ("Setting name", "Ward"), "Oak Lodge", 24),
    Column("start_date", "Start", True, ("Start date",), date(2026, 2, 2), 14),
    Column("end_date", "End", True, ("End date",), date(2026, 4, 30), 14),
    Column("working_days", "Working days", False, ("Days",), "Monday to Friday", 20),
    Column("hours_per_week", "Hours per week", False, ("Hours",), 37.5, 14),
    Column("mentor", "Mentor", False, ("Mentor name",), "Jo Brown", 20),
    Column("line_manager", "Line manager", False, ("Manager",), "Alex Green", 20),
)
PLACEMENT_FIELDS = {
    "apprentice_id": "Apprentice ULN",
    "setting_id": "Setting",
    "start_date": "Start",
    "end_date": "End",
    "working_days": "Working days",
    "hours_per_week": "Hours per week",
    "mentor_name": "Mentor",
    "line_manager_name": "Line manager",
}


def plan_placements(
    session: Session, rows: Sequence[SheetRow], problems: list[Problem], today: date
) -> list[Step]:
    hosts = {name_key(o.name): o for o in session.scalars(select(Organisation))}
    steps = []
    for row in rows:
        r = RowReader(row, PLACEMENT_COLUMNS, problems)
        apprentice = r.apprentice(session, "uln")
        host_name, setting_name = r.text("host"), r.text("setting")
        host = hosts.get(name_key(host_name)) if host_name else None
        setting_id = None
        if host_name and host is None:
            r.problem("host", f"There is no organisation called '{shown(host_name)}'.")
        elif host is not None and setting_name:
            setting = next(
                (s for s in host.settings if name_key(s.name) == name_key(setting_name)), None
            )
            if setting is None:
                known = ", ".join(s.name for s in host.settings) or "none yet"
                r.problem(
                    "setting",
                    f"{host.name} has no setting called '{shown(setting_name)}' "
                    f"(its settings: {known}).",
                )
            else:
                setting_id = setting.id
        start, end = r.date("start_date"), r.date("end_date")
        working_days = r.text("working_days")
        hours = r.decimal("hours_per_week")
        mentor, manager = r.text("mentor"), r.text("line_manager")
        if r.failed or apprentice is None or setting_id is None or start is None or end is None:
            continue
        data = PlacementInput(
            apprentice_id=apprentice.id,
            setting_id=setting_id,
            start_date=start,
            end_date=end,
            working_days=working_days or PlacementInput.working_days,
            hours_per_week=hours,
            mentor_name=mentor,
            line_manager_name=manager,
        )
        steps.append(Step(row.number, 1, partial(_schedule, data), PLACEMENT_FIELDS))
    return steps


def _schedule(data: PlacementInput, session: Session, actor: Actor) -> int:
    return schedule_in_session(session, actor, data)


# --- catalogue ---------------------------------------------------------------------

CATALOGUE_COLUMNS = (
    Column("qualification", "Qualification code", True, ("Qualification",), "L2-CARE", 18),
    Column("unit", "Unit ref", True, ("Unit", "Unit reference"), "A4", 10, as_text=True),
    Column(
        "outcome", "Learning outcome number", True, ("Outcome number", "LO"), "1", 12, as_text=True
    ),
    Column(
        "outcome_text",
        "Outcome text",
        False,
        ("Learning outcome", "Learning outcome text"),
        "Understand the implications of duty of care",
        40,
    ),
    Column("criterion", "Criterion number", True, ("Criterion", "AC"), "1.1", 12, as_text=True),
    Column(
        "criterion_text",
        "Criterion text",
        True,
        ("Assessment criterion",),
        "Define the term 'duty of care'",
        50,
    ),
)


@dataclass
class _Outcome:
    row: int
    qualification: str
    unit: str
    number: str
    text: str = ""
    rows: int = 0
    failed: bool = False
    criteria: list[tuple[str, str]] = field(default_factory=list)
    criterion_rows: dict[str, int] = field(default_factory=dict)


def plan_catalogue(
    session: Session, rows: Sequence[SheetRow], problems: list[Problem], today: date
) -> list[Step]:
    """Rows of one unit's learning outcome (same qualification, unit and outcome
    number) become one learning outcome with its criteria, in the order given."""
    units = {
        (code.casefold(), ref.casefold()): (code, ref)
        for code, ref in session.execute(
            select(Qualification.code, Unit.ref).join(Unit.qualification)
        )
    }
    codes = {code for code, _ in units}
    outcomes: dict[tuple[str, str, str], _Outcome] = {}
    for row in rows:
        r = RowReader(row, CATALOGUE_COLUMNS, problems)
        code, ref = r.text("qualification"), r.text("unit")
        number, text = r.text("outcome"), r.text("outcome_text")
        criterion, criterion_text = r.text("criterion"), r.text("criterion_text")
        found = units.get((code.casefold(), ref.casefold()))
        if code and code.casefold() not in codes:
            r.problem("qualification", f"There is no qualification {shown(code)} in the catalogue.")
        elif code and ref and found is None:
            r.problem("unit", f"Qualification {shown(code)} has no unit {shown(ref)}.")
        if found is None or not number:
            continue
        key = (found[0], found[1], number)
        outcome = outcomes.setdefault(key, _Outcome(row.number, found[0], found[1], number))
        outcome.rows += 1
        if text and outcome.text and " ".join(text.split()) != " ".join(outcome.text.split()):
            r.problem(
                "outcome_text",
                f"Outcome {number} of unit {found[1]} has different text on row {outcome.row}: "
                "give it once, or the same on every row.",
            )
        outcome.text = outcome.text or text
        if criterion in outcome.criterion_rows:
            r.problem(
                "criterion",
                f"Criterion {shown(criterion)} is also on row "
                f"{outcome.criterion_rows[criterion]} for this outcome.",
            )
        outcome.criterion_rows.setdefault(criterion, row.number)
        outcome.criteria.append((criterion, criterion_text))
        outcome.failed |= r.failed
    steps = []
    for outcome in outcomes.values():
        if not outcome.text:
            problems.append(
                Problem(
                    outcome.row,
                    "Outcome text",
                    f"Outcome {outcome.number} of unit {outcome.unit} has no text: give it "
                    "on at least one of its rows.",
                )
            )
            continue
        if outcome.failed:
            continue
        steps.append(
            Step(
                outcome.row,
                outcome.rows,
                partial(_add_outcome, outcome),
                {},
                column="Learning outcome number",
            )
        )
    return steps


def _add_outcome(outcome: _Outcome, session: Session, actor: Actor) -> None:
    add_learning_outcome_in_session(
        session,
        actor,
        outcome.qualification,
        outcome.unit,
        outcome.number,
        outcome.text,
        outcome.criteria,
    )


# --- evidence ----------------------------------------------------------------------

_METHODS = {normalise_heading(m): m for m in EVIDENCE_METHODS} | {
    normalise_heading(label): m for m, label in METHOD_LABELS.items()
}
_CONTEXTS = {normalise_heading(c): c for c in CONTEXTS} | {
    normalise_heading(label): c for c, label in CONTEXT_LABELS.items()
}
_COVERAGE_ITEM = re.compile(r"^([^:/]+?)\s*(?:[:/]\s*(\S.*?))?$")

EVIDENCE_COLUMNS = (
    Column("uln", "Apprentice ULN", True, ("ULN",), EXAMPLE_ULN, 16, as_text=True),
    Column("on_date", "Date", True, ("Evidence date",), date(2026, 3, 2), 14),
    Column(
        "method",
        "Method",
        True,
        ("Evidence method",),
        METHOD_LABELS["observation"],
        26,
        choices=tuple(METHOD_LABELS.values()),
    ),
    Column("title", "Title", True, (), "Helping a resident to eat lunch", 32),
    Column(
        "context",
        "Where",
        False,
        ("Context",),
        "Placement",
        14,
        choices=tuple(CONTEXT_LABELS.values()),
    ),
    Column(
        "placement_start",
        "Placement start date",
        False,
        ("Placement start", "Placement"),
        date(2026, 2, 2),
        18,
    ),
    Column(
        "coverage",
        "Units and criteria covered",
        True,
        ("Covers", "Criteria covered", "Units covered"),
        "A4:1.1; A4:1.2",
        28,
    ),
    Column("description", "Description", False, (), "", 40),
    Column("witness_name", "Witness name", False, ("Witness",), "", 20),
    Column("witness_role", "Witness role", False, (), "", 20),
)
EVIDENCE_FIELDS = {
    "apprentice_id": "Apprentice ULN",
    "on_date": "Date",
    "method": "Method",
    "title": "Title",
    "context": "Where",
    "placement_id": "Placement start date",
    "coverage": "Units and criteria covered",
    "description": "Description",
    "witness_name": "Witness name",
}


def parse_coverage(text: str) -> list[tuple[str, str | None]]:
    """'B4:1.1; B4:1.2; A4' -> [('B4', '1.1'), ('B4', '1.2'), ('A4', None)]."""
    found: list[tuple[str, str | None]] = []
    for item in re.split(r"[;,\n]", text):
        item = item.strip()
        if not item:
            continue
        match = _COVERAGE_ITEM.match(item)
        if match is None or " " in match.group(1).strip() or item.endswith((":", "/")):
            raise CellProblem(
                f"'{shown(item)}' is not a unit or criterion: write units as A4 and criteria "
                "as unit:criterion (B4:1.1), separated by semicolons."
            )
        found.append((match.group(1).strip(), match.group(2)))
    return found


def plan_evidence(
    session: Session, rows: Sequence[SheetRow], problems: list[Problem], today: date
) -> list[Step]:
    steps = []
    for row in rows:
        r = RowReader(row, EVIDENCE_COLUMNS, problems)
        apprentice = r.apprentice(session, "uln")
        on = r.date("on_date")
        method_text = r.text("method")
        method = _by_name(_METHODS, method_text)
        if method_text and method is None:
            r.problem(
                "method",
                f"'{shown(method_text)}' is not a method: use one of "
                f"{', '.join(METHOD_LABELS.values())}.",
            )
        title = r.text("title")
        context_text = r.text("context")
        context = _by_name(_CONTEXTS, context_text) if context_text else "placement"
        if context is None:
            r.problem(
                "context",
                f"'{shown(context_text)}' is not a place: use Placement, Off the job or College.",
            )
        placement_start = r.date("placement_start")
        coverage: list[tuple[str, str | None]] = []
        try:
            coverage = parse_coverage(r.text("coverage"))
        except CellProblem as exc:
            r.problem("coverage", str(exc))
        placement_id = None
        if context in ("off_the_job", "college") and placement_start is not None:
            r.problem(
                "placement_start",
                "Evidence from college or off-the-job training has no placement: leave this "
                "blank, or set Where to Placement.",
            )
        elif context == "placement" and apprentice is not None and on is not None:
            placement_id = _placement(r, session, apprentice, on, placement_start)
        if r.failed or apprentice is None or on is None or method is None or context is None:
            continue
        data = EvidenceInput(
            apprentice_id=apprentice.id,
            on_date=on,
            method=method,
            title=title,
            context=context,
            placement_id=placement_id,
            description=r.text("description"),
            witness_name=r.text("witness_name"),
            witness_role=r.text("witness_role"),
            coverage=tuple(coverage),
        )
        steps.append(Step(row.number, 1, partial(_record, data, today), EVIDENCE_FIELDS))
    return steps


def _placement(
    r: RowReader, session: Session, apprentice: Apprentice, on: date, start: date | None
) -> int | None:
    """The placement named by its start date, or else the only one the date falls in."""
    placements = list(
        session.scalars(select(Placement).where(Placement.apprentice_id == apprentice.id))
    )
    if start is not None:
        match = [p for p in placements if p.start_date == start]
        if not match:
            r.problem(
                "placement_start",
                f"{apprentice.full_name} has no placement starting on {start:%d/%m/%Y}.",
            )
    else:
        match = [p for p in placements if p.start_date <= on <= p.end_date]
        if len(match) != 1:
            r.problem(
                "placement_start",
                f"{apprentice.full_name} had "
                f"{'no placement' if not match else 'more than one placement'} on "
                f"{on:%d/%m/%Y}: give the start date of the placement the evidence is from.",
            )
    return match[0].id if len(match) == 1 else None


def _record(data: EvidenceInput, today: date, session: Session, actor: Actor) -> int:
    return record_in_session(session, actor, data, today=today)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "apprentices",
            "Apprentices",
            Permission.MANAGE_APPRENTICES,
            APPRENTICE_COLUMNS,
            plan_apprentices,
        ),
        Kind(
            "placements",
            "Placements",
            Permission.SCHEDULE_PLACEMENTS,
            PLACEMENT_COLUMNS,
            plan_placements,
        ),
        Kind(
            "catalogue", "Catalogue", Permission.EDIT_CATALOGUE, CATALOGUE_COLUMNS, plan_catalogue
        ),
        Kind("evidence", "Evidence", Permission.RECORD_EVIDENCE, EVIDENCE_COLUMNS, plan_evidence),
    )
}


def importable_kinds(actor: Actor | None) -> list[str]:
    """The kinds of spreadsheet this person may import (none when signed out)."""
    if actor is None:
        return []
    return [name for name, kind in KINDS.items() if actor.can(kind.permission)]
