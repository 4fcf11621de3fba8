"""Make a provider-sized database for the benchmarks.

    python -m bench.generate [--apprentices N] [--seed S] [--out PATH] [--today YYYY-MM-DD]

Cohorts of apprentices (one of 500 and one of 200 when there are enough, the
rest of 25), five placements each, about 60 pieces of evidence each with unit
and criterion links, unit sign-offs, unit plans, Care Certificate standards,
off-the-job logs, reviews and English and maths. The same seed and date give the
same database.

Rows go in with bulk inserts on the store's tables rather than through the
services one by one (which would take an hour at this size); the catalogue and
schema come from the app itself, and every choice of units, date and status is
one the services would accept.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert, select

from assessor_app.domain.catalogue import Qualification
from assessor_app.domain.credit_rules import check_selection
from assessor_app.domain.dates import add_months
from assessor_app.domain.uln import uln_check_digit
from assessor_app.services.progress_records import OFF_THE_JOB_ACTIVITIES
from assessor_app.store.catalogue_files import DEFAULT_QUALIFICATION
from assessor_app.store.catalogue_rows import load_qualification_row, to_domain
from assessor_app.store.database import Database, open_database
from assessor_app.store.models import (
    EVIDENCE_METHODS,
    Apprentice,
    AssessmentCriterion,
    CareCertificateCompletion,
    CareCertificateStandard,
    ChosenUnit,
    Cohort,
    Evidence,
    EvidenceCoverage,
    FunctionalSkill,
    LearningOutcome,
    OffTheJobEntry,
    Organisation,
    Placement,
    Review,
    Setting,
    UnitPlan,
    UnitSignOff,
    User,
)

DEFAULT_OUT = Path(__file__).parent / "data" / "provider.sqlite3"
DEFAULT_TODAY = date(2026, 6, 1)  # fixed, so figures compare across runs and days
LARGE_COHORTS = (500, 200)  # the tracker export and the cohort report are timed on these
COHORT_SIZE = 25
EVIDENCE_PER_APPRENTICE = 60
PLACEMENTS = 5
PLACEMENT_MONTHS = 3

SETTING_TYPES = (
    "ward",
    "residential_home",
    "nursing_home",
    "day_centre",
    "mental_health_unit",
    "rehabilitation",
    "domiciliary_care",
    "ae_streaming",
    "community",
)
GIVEN = [
    "Sam",
    "Alex",
    "Jordan",
    "Priya",
    "Amira",
    "Tom",
    "Maria",
    "Dev",
    "Kate",
    "Jo",
    "Leah",
    "Ravi",
    "Chloe",
    "Owen",
    "Zara",
    "Ben",
    "Mia",
    "Noah",
    "Ella",
    "Omar",
    "Lucy",
    "Kiran",
    "Grace",
    "Liam",
    "Aisha",
    "Ruby",
    "Ethan",
    "Hana",
    "Isla",
    "Jack",
]
FAMILY = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Wright",
    "Khan",
    "Evans",
    "Walker",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Hughes",
    "Clarke",
    "Nair",
    "Okafor",
    "Shah",
    "Rowe",
    "Gill",
    "Santos",
    "Fletcher",
    "Morgan",
    "Brooks",
    "Price",
    "Bennett",
    "Hussain",
    "Murphy",
    "Ahmed",
    "Kelly",
    "Ward",
    "Cox",
    "Ali",
    "Mills",
    "Begum",
    "Rose",
]
# Valid choices of optional units (checked against the catalogue when generating).
CHOICES = (
    ("B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13"),
    ("B1", "B2", "B3", "B4", "B5", "B6", "C12"),
    ("B2", "B4", "B5", "B7", "B8", "B9", "C13", "C16"),
    ("B1", "B3", "B5", "B6", "B8", "B9", "C1", "C12"),
)
DRAFT_CHOICE = ("B1", "B2", "B4", "C1", "C12", "C13")  # group B short: kept as a draft


@dataclass(frozen=True)
class Summary:
    path: Path
    apprentices: int
    cohorts: dict[str, int]  # cohort name: apprentices
    rows: int
    seconds: float


def uln(seed: int) -> str:
    """A ULN with a valid check digit, from a nine-digit seed (the next one that has one)."""
    while True:
        prefix = f"{seed:09d}"
        check = uln_check_digit(prefix)
        if prefix[0] != "0" and check is not None:
            return prefix + str(check)
        seed += 1


def cohort_sizes(apprentices: int) -> list[int]:
    sizes = []
    left = apprentices
    for large in LARGE_COHORTS:
        if left >= large * 2:
            sizes.append(large)
            left -= large
    while left > 0:
        sizes.append(min(COHORT_SIZE, left))
        left -= sizes[-1]
    return sizes


def _chunks(rows: list[dict[str, Any]], size: int = 5000) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class _Writer:
    """Collects rows per table with ids given here, so links need no round trip."""

    def __init__(self) -> None:
        self.rows: dict[Table, list[dict[str, Any]]] = {}
        self.next_id: dict[Table, int] = {}

    def add(self, model: Any, **values: Any) -> int:
        table: Table = model.__table__
        new_id = self.next_id.get(table, 1)
        self.next_id[table] = new_id + 1
        self.rows.setdefault(table, []).append({"id": new_id, **values})
        return new_id

    def flush(self, db: Database) -> int:
        count = 0
        with db.engine.begin() as conn:
            for table in _insert_order(self.rows):
                _fill_defaults(table, self.rows[table])
                for chunk in _chunks(self.rows[table]):
                    conn.execute(insert(table), chunk)
                    count += len(chunk)
        return count


def _fill_defaults(table: Table, rows: list[dict[str, Any]]) -> None:
    """One executemany needs the same keys in every row: give each the column's
    own default (or NULL) where it was left out."""
    keys = {key for row in rows for key in row}
    defaults = {}
    for key in keys:
        column = table.c[key]
        default = column.default
        defaults[key] = default.arg if default is not None and default.is_scalar else None
    for row in rows:
        for key in keys - row.keys():
            row[key] = defaults[key]


def _insert_order(rows: dict[Table, list[dict[str, Any]]]) -> list[Table]:
    from assessor_app.store.models import Base

    return [t for t in Base.metadata.sorted_tables if t in rows]


def _criteria(db: Database, qual_code: str) -> tuple[dict[str, int], dict[str, list[int]]]:
    with db.reading() as session:
        row = load_qualification_row(session, qual_code)
        assert row is not None
        unit_ids = {u.ref: u.id for u in row.units}
        by_unit: dict[str, list[int]] = {ref: [] for ref in unit_ids}
        ref_of = {u.id: u.ref for u in row.units}
        for unit_id, criterion_id in session.execute(
            select(LearningOutcome.unit_id, AssessmentCriterion.id)
            .join(AssessmentCriterion, AssessmentCriterion.outcome_id == LearningOutcome.id)
            .where(LearningOutcome.unit_id.in_(ref_of))
            .order_by(LearningOutcome.unit_id, LearningOutcome.position, AssessmentCriterion.id)
        ):
            by_unit[ref_of[unit_id]].append(criterion_id)
    return unit_ids, by_unit


def _valid_choices(qual: Qualification) -> list[tuple[str, ...]]:
    known = {u.ref for u in qual.units}
    valid = [c for c in CHOICES if set(c) <= known and check_selection(qual, list(c)).errors == ()]
    if not valid:
        raise SystemExit("None of the benchmark's unit choices is valid for this catalogue.")
    return valid


def generate(
    out: Path, apprentices: int = 2000, *, seed: int = 7, today: date = DEFAULT_TODAY
) -> Summary:
    """Write a new database at `out` (replacing one there) and return what is in it."""
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    # The app's own opening: schema by migration, catalogue and standards installed.
    from assessor_app.services.catalogue import ensure_default_catalogue

    db = open_database(str(out), backup_dir=out.parent / "backups")
    try:
        ensure_default_catalogue(db)
        with db.reading() as session:
            qual_row = load_qualification_row(session, DEFAULT_QUALIFICATION)
            assert qual_row is not None
            qual, qual_id = to_domain(qual_row), qual_row.id
            standards = list(
                session.scalars(
                    select(CareCertificateStandard.id).order_by(CareCertificateStandard.number)
                )
            )
        unit_ids, criteria = _criteria(db, DEFAULT_QUALIFICATION)
        cohorts = _fill(
            _Writer(), db, qual, qual_id, unit_ids, criteria, standards, apprentices, seed, today
        )
        rows = cohorts.pop("")
        return Summary(out, apprentices, cohorts, rows, time.perf_counter() - started)
    finally:
        db.dispose()


def _fill(
    w: _Writer,
    db: Database,
    qual: Qualification,
    qual_id: int,
    unit_ids: dict[str, int],
    criteria: dict[str, list[int]],
    standards: Sequence[int],
    apprentices: int,
    seed: int,
    today: date,
) -> dict[str, int]:
    rng = random.Random(seed)
    choices = _valid_choices(qual)
    mandatory = list(qual.mandatory_refs)
    assessors = [
        w.add(
            User,
            username=f"assessor{i:02d}",
            display_name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            role="assessor",
            password_hash="",  # cannot sign in: the benchmark acts without signing in
            active=True,
        )
        for i in range(1, 41)
    ]
    employers = [
        w.add(
            Organisation,
            name=f"Employer {i}",
            is_employer=True,
            is_host=True,
            sector=sector,
            capacity=None,
        )
        for i, sector in enumerate(("social_care", "health", "health", "social_care"), start=1)
    ]
    providers = [
        w.add(Organisation, name=f"Training provider {i}", is_training_provider=True, sector="pvi")
        for i in (1, 2, 3)
    ]
    settings: list[tuple[int, str]] = []
    for i in range(1, 31):
        sector = ("health", "social_care", "pvi")[i % 3]
        org = w.add(
            Organisation,
            name=f"Host {i}",
            is_host=True,
            sector=sector,
            min_apprentice_age=18 if sector == "health" and i % 2 else None,
            capacity=None,
        )
        for j in range(3):
            kind = SETTING_TYPES[(i + j) % len(SETTING_TYPES)]
            settings.append(
                (
                    w.add(Setting, organisation_id=org, name=f"Setting {j + 1}", setting_type=kind),
                    kind,
                )
            )
    pvi_settings = settings[2::9] or settings

    counts: dict[str, int] = {}
    uln_seed = 100_000_000
    sizes = cohort_sizes(apprentices)
    for number, size in enumerate(sizes, start=1):
        months_ago = rng.randint(0, 24)
        start = add_months(today, -months_ago).replace(day=1)
        name = f"Cohort {number:03d} ({size})"
        cohort = w.add(
            Cohort,
            name=name,
            employer_id=employers[number % len(employers)],
            training_provider_id=providers[number % len(providers)],
            qualification_id=qual_id,
            awarding_body="City & Guilds",
            start_date=start,
            contracted_hours_per_week=Decimal("37.5") if number % 2 else Decimal("37"),
            off_the_job_pattern="1 day a week" if number % 2 else "1 day a fortnight",
            placement_count=PLACEMENTS,
            placement_months=PLACEMENT_MONTHS,
            last_placement_pvi=True,
        )
        counts[name] = size
        for _ in range(size):
            the_uln = uln(uln_seed + rng.randint(1, 50))
            uln_seed = int(the_uln[:9]) + 1  # the next one cannot repeat it
            _apprentice(
                w, rng, cohort, start, today, the_uln, assessors, settings, pvi_settings,
                qual, mandatory, choices, unit_ids, criteria, standards,
            )  # fmt: skip
    counts[""] = w.flush(db)
    return counts


def _apprentice(
    w: _Writer,
    rng: random.Random,
    cohort: int,
    start: date,
    today: date,
    the_uln: str,
    assessors: list[int],
    settings: list[tuple[int, str]],
    pvi_settings: list[tuple[int, str]],
    qual: Qualification,
    mandatory: list[str],
    choices: list[tuple[str, ...]],
    unit_ids: dict[str, int],
    criteria: dict[str, list[int]],
    standards: Sequence[int],
) -> None:
    end = add_months(start, PLACEMENTS * PLACEMENT_MONTHS) - timedelta(days=1)
    finished = end < today
    roll = rng.random()
    status, status_date, reason = "active", start, ""
    if finished:
        status, status_date = "completed", end
    elif roll < 0.05 and today > start + timedelta(days=60):
        status, status_date = (
            "withdrawn",
            start + timedelta(days=rng.randint(30, (today - start).days)),
        )
        reason = "Left for another job"
    elif roll < 0.07 and today > start + timedelta(days=60):
        status, status_date = "break_in_learning", today - timedelta(days=rng.randint(1, 30))
        reason = "Illness"
    as_of = min(today, status_date) if status != "active" else today
    apprentice = w.add(
        Apprentice,
        given_name=rng.choice(GIVEN),
        family_name=rng.choice(FAMILY),
        uln=the_uln,
        date_of_birth=date(rng.randint(1975, 2008), rng.randint(1, 12), rng.randint(1, 28)),
        email="",
        cohort_id=cohort,
        assessor_id=rng.choice(assessors),
        start_date=start,
        planned_end_date=end,
        status=status,
        status_date=status_date,
        status_reason=reason,
        employment_outcome="Care worker, same employer" if finished and rng.random() < 0.6 else "",
    )
    chosen = DRAFT_CHOICE if rng.random() < 0.05 else rng.choice(choices)
    for ref in chosen:
        w.add(ChosenUnit, apprentice_id=apprentice, unit_id=unit_ids[ref])
    in_scope = [*mandatory, *(r for r in chosen if r not in mandatory)]

    placements: list[tuple[int, date, date]] = []
    for period in range(PLACEMENTS):
        p_start = add_months(start, period * PLACEMENT_MONTHS)
        p_end = add_months(start, (period + 1) * PLACEMENT_MONTHS) - timedelta(days=1)
        setting, _kind = rng.choice(pvi_settings if period == PLACEMENTS - 1 else settings)
        begun = p_start <= today
        placement = w.add(
            Placement,
            apprentice_id=apprentice,
            setting_id=setting,
            start_date=p_start,
            end_date=p_end,
            working_days="Mon-Thu",
            hours_per_week=Decimal("30"),
            mentor_name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            line_manager_name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            notice_sent_on=p_start - timedelta(days=35) if begun or rng.random() < 0.8 else None,
            review_meeting_on=p_end if p_end < today else None,
            appraisal_received_on=p_end + timedelta(days=7)
            if p_end + timedelta(7) < today
            else None,
        )
        placements.append((placement, p_start, p_end))
    for index, ref in enumerate(in_scope):
        placement_id = placements[index * PLACEMENTS // len(in_scope)][0]
        w.add(UnitPlan, apprentice_id=apprentice, unit_id=unit_ids[ref], placement_id=placement_id)

    elapsed = max(0, (as_of - start).days)
    share = min(1.0, elapsed / max(1, (end - start).days))
    # Units signed off so far, in plan order, a little behind the calendar.
    pace = 1.0 if status == "completed" else rng.uniform(0.6, 1.0)
    signed = in_scope[: int(len(in_scope) * share * pace)]
    for ref in signed:
        w.add(
            UnitSignOff,
            apprentice_id=apprentice,
            unit_id=unit_ids[ref],
            signed_off_on=start + timedelta(days=int(elapsed * rng.uniform(0.3, 1.0))),
            signed_off_by_name="Assessor",
            judgement="All criteria met.",
        )
    # Evidence: every criterion of each signed-off unit is covered by accepted
    # evidence; the rest covers units in progress.
    open_units = in_scope[len(signed) : len(signed) + 3] or in_scope[:3]
    to_cover = [(ref, c) for ref in signed for c in criteria[ref]]
    for n in range(EVIDENCE_PER_APPRENTICE):
        day = start + timedelta(days=int(max(1, elapsed) * (n + 1) / (EVIDENCE_PER_APPRENTICE + 1)))
        where = [p for p in placements if p[1] <= day <= p[2]]
        context = (
            "placement" if where and rng.random() < 0.8 else rng.choice(("college", "off_the_job"))
        )
        if n < EVIDENCE_PER_APPRENTICE - 8 and to_cover:
            status = "accepted"
            links = [to_cover.pop() for _ in range(min(len(to_cover), rng.randint(2, 5)))]
        else:
            status = rng.choice(("accepted", "submitted", "draft", "referred"))
            ref = rng.choice(open_units)
            links = [(ref, c) for c in rng.sample(criteria[ref], min(2, len(criteria[ref])))]
            if not links:
                links = [(ref, None)]  # type: ignore[list-item]
        evidence = w.add(
            Evidence,
            apprentice_id=apprentice,
            on_date=day,
            context=context,
            placement_id=where[0][0] if context == "placement" else None,
            method=rng.choice(EVIDENCE_METHODS),
            title=f"Evidence {n + 1}: {rng.choice(('Observation', 'Account', 'Discussion'))}",
            description="",
            status=status,
            feedback="Please add detail." if status == "referred" else "",
            assessed_on=day + timedelta(days=7) if status in ("accepted", "referred") else None,
        )
        for ref, criterion in dict.fromkeys(links):
            w.add(
                EvidenceCoverage,
                evidence_id=evidence,
                unit_id=unit_ids[ref],
                criterion_id=criterion,
            )
    # Care Certificate in the first twelve weeks (most, for those far enough in).
    for i, standard in enumerate(standards):
        done = start + timedelta(days=5 * (i + 1))
        if done <= as_of and rng.random() < 0.97:
            w.add(
                CareCertificateCompletion,
                apprentice_id=apprentice,
                standard_id=standard,
                completed_on=done,
            )
    # Off the job: a day a week, now and then missed.
    day = start + timedelta(days=2)
    while day <= as_of:
        if rng.random() < 0.9:
            w.add(
                OffTheJobEntry,
                apprentice_id=apprentice,
                on_date=day,
                hours=Decimal("7.5"),
                activity=rng.choice(OFF_THE_JOB_ACTIVITIES),
                notes="",
            )
        day += timedelta(days=7)
    held = start + timedelta(weeks=12)
    while held <= as_of:
        w.add(
            Review,
            apprentice_id=apprentice,
            kind="progress_review",
            held_on=held,
            conducted_by="Tutor",
            summary="On track.",
            actions="Keep going.",
            next_due_on=held + timedelta(weeks=12),
        )
        held += timedelta(weeks=12)
    for subject in ("english", "maths"):
        if rng.random() < 0.7:
            w.add(
                FunctionalSkill,
                apprentice_id=apprentice,
                subject=subject,
                level="Level 2",
                achieved_on=start - timedelta(days=rng.randint(30, 900)),
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--apprentices", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--today", type=date.fromisoformat, default=DEFAULT_TODAY)
    args = parser.parse_args(argv)
    summary = generate(args.out, args.apprentices, seed=args.seed, today=args.today)
    big = ", ".join(f"{name}" for name, size in summary.cohorts.items() if size > COHORT_SIZE)
    print(
        f"{summary.path}: {summary.apprentices} apprentices in {len(summary.cohorts)} cohorts "
        f"({big or 'none larger than 25'}), {summary.rows} rows in {summary.seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
