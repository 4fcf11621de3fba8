"""A demo database modelled on the integrated apprenticeship pilot: two cohorts
(a county council with one day a week off the job, an NHS trust with one day a
fortnight), eight apprentices in varied states, hosts across health and social
care, five placements each, Care Certificate progress, off-the-job hours and
reviews. Dates are relative to today so statuses look current.

Everything is made through the services, as a person using the app would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from assessor_app.domain.dates import add_months
from assessor_app.domain.uln import uln_check_digit
from assessor_app.services import users
from assessor_app.services.apprentice_queries import apprentice_overview, list_apprentices
from assessor_app.services.apprentices import (
    ApprenticeInput,
    change_status,
    choose_units,
    enrol_apprentice,
    record_employment_outcome,
)
from assessor_app.services.cohorts import CohortInput, create_cohort
from assessor_app.services.errors import ServiceError
from assessor_app.services.evidence import (
    EvidenceInput,
    assess_evidence,
    record_evidence,
    record_iqa_sample,
    sign_off_unit,
    submit_evidence,
)
from assessor_app.services.organisations import OrganisationInput, add_setting, create_organisation
from assessor_app.services.placements import (
    record_notice_sent,
    record_placement_contacts,
    record_placement_outcome,
)
from assessor_app.services.progress_queries import apprentice_progress
from assessor_app.services.progress_records import (
    complete_care_certificate_standard,
    log_off_the_job,
    record_review,
)
from assessor_app.services.roles import Actor, Role
from assessor_app.services.rotation_planning import propose_cohort_rotation, schedule_rotation
from assessor_app.services.unit_plans import (
    apply_cohort_template,
    record_functional_skill,
    set_cohort_template,
)
from assessor_app.store.database import Database


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    display_name: str


ACCOUNTS = (
    DemoAccount("admin", "demo-admin-pass", Role.ADMIN, "Alex Morgan"),
    DemoAccount("coordinator", "demo-coordinator-pass", Role.COORDINATOR, "Chris Patel"),
    DemoAccount("tutor", "demo-tutor-pass", Role.TUTOR, "Taylor Brooks"),
    DemoAccount("assessor", "demo-assessor-pass", Role.ASSESSOR, "Ash Williams"),
    DemoAccount("assessor2", "demo-assessor2-pass", Role.ASSESSOR, "Sam Okafor"),
    DemoAccount("iqa", "demo-iqa-pass", Role.IQA, "Indira Shah"),
)

# (organisation, roles, sector, min age, capacity, [(setting, type, location)])
_Host = tuple[str, tuple[str, ...], str, int | None, int | None, list[tuple[str, str, str]]]
HOSTS: tuple[_Host, ...] = (
    (
        "Shire County Council",
        ("employer", "host"),
        "social_care",
        None,
        4,
        [
            ("Short-term rehabilitation centre", "rehabilitation", "Shiretown"),
            ("Oak Lodge residential home", "residential_home", "Shiretown"),
            ("Home care team", "domiciliary_care", "North Shire"),
        ],
    ),
    (
        "Royal Shire Hospitals NHS Trust",
        ("employer", "host"),
        "health",
        18,
        4,
        [
            ("Ward 7 (elderly care)", "ward", "Royal Shire Hospital"),
            ("Ward 12 (medical)", "ward", "Royal Shire Hospital"),
        ],
    ),
    (
        "Shire Community Health NHS Trust",
        ("host",),
        "health",
        18,
        2,
        [
            ("Rehabilitation ward", "rehabilitation", "Shiretown Community Hospital"),
        ],
    ),
    (
        "Shire Healthcare NHS Foundation Trust",
        ("host",),
        "health",
        18,
        2,
        [
            ("Recovery inpatient service", "mental_health_unit", "Hillside Unit"),
        ],
    ),
    (
        "Shire Urgent Care",
        ("host",),
        "health",
        None,
        2,
        [
            ("A&E minor injuries streaming", "ae_streaming", "Royal Shire Hospital"),
        ],
    ),
    (
        "Brook House Care",
        ("host",),
        "pvi",
        None,
        2,
        [
            ("Brook House nursing home", "nursing_home", "Brookfield"),
        ],
    ),
    (
        "Meadowview Day Services",
        ("host",),
        "pvi",
        None,
        2,
        [
            ("Meadowview day centre", "day_centre", "Meadowview"),
        ],
    ),
    ("Shire Adult Community Education Service", ("provider",), "social_care", None, None, []),
    ("Shire College", ("provider",), "pvi", None, None, []),
)

MENTORS = ("Jo Khan", "Priya Nair", "Tom Fletcher", "Maria Santos", "Dev Gill", "Kate Rowe")
VALID_UNITS = ["B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13"]
DRAFT_UNITS = ["B1", "B2", "B4", "C1", "C12", "C13"]  # group B short: shown as invalid


@dataclass(frozen=True)
class DemoSummary:
    accounts: tuple[DemoAccount, ...]
    cohorts: int
    apprentices: int
    placements: int


def _uln(seed: int) -> str:
    """A ULN that passes the check digit, made from a nine-digit seed."""
    while True:
        prefix = f"{seed:09d}"
        check = uln_check_digit(prefix)
        if prefix[0] != "0" and check is not None:
            return prefix + str(check)
        seed += 1


def build_demo(db: Database, *, today: date | None = None) -> DemoSummary:
    """Fill an empty database with the demo data; refuses one that has users."""
    today = today or date.today()
    if not users.needs_first_admin(db):
        raise ServiceError(
            "This database already has user accounts; the demo needs a new, empty database. "
            "Give another file with --db."
        )
    first, *others = ACCOUNTS
    admin = users.create_first_admin(db, first.username, first.display_name, first.password)
    ids = {first.username: admin.user_id}
    for account in others:
        ids[account.username] = users.create_user(
            db, admin, account.username, account.display_name, account.role, account.password
        )
    coordinator = Actor(ids["coordinator"], "coordinator", Role.COORDINATOR)
    tutor = Actor(ids["tutor"], "tutor", Role.TUTOR)
    assessor = Actor(ids["assessor"], "assessor", Role.ASSESSOR)

    orgs: dict[str, int] = {}
    for name, roles, sector, min_age, capacity, places in HOSTS:
        orgs[name] = create_organisation(
            db,
            coordinator,
            OrganisationInput(
                name=name,
                sector=sector,
                is_employer="employer" in roles,
                is_host="host" in roles,
                is_training_provider="provider" in roles,
                contact_name="Placement lead",
                contact_email=f"placements@{name.split()[0].lower()}.example.org",
                min_apprentice_age=min_age,
                capacity=capacity,
            ),
        )
        for setting, kind, location in places:
            add_setting(db, coordinator, orgs[name], setting, kind, location)

    council_start = add_months(today.replace(day=1), -16)
    trust_start = add_months(today.replace(day=1), -4)
    council = create_cohort(
        db,
        coordinator,
        CohortInput(
            "Council cohort",
            orgs["Shire County Council"],
            orgs["Shire Adult Community Education Service"],
            "L2-CARE",
            council_start,
            Decimal("37"),
            awarding_body="City & Guilds",
            off_the_job_pattern="1 day a week",
        ),
    )
    trust = create_cohort(
        db,
        coordinator,
        CohortInput(
            "NHS Trust cohort",
            orgs["Royal Shire Hospitals NHS Trust"],
            orgs["Shire College"],
            "L2-CARE",
            trust_start,
            Decimal("37.5"),
            awarding_body="Pearson BTEC",
            off_the_job_pattern="1 day a fortnight",
        ),
    )

    people = (
        # (given, family, cohort, start, age at start in years, assessor)
        ("Amira", "Hussain", council, council_start, 19, "assessor"),
        ("Ben", "Carter", council, council_start, 24, "assessor"),
        ("Chloe", "Evans", council, council_start, 18, "assessor2"),
        ("Daniel", "Nowak", council, council_start, 31, "assessor2"),
        ("Ella", "Thompson", trust, trust_start, 20, "assessor"),
        ("Finn", "O'Brien", trust, trust_start, 17, "assessor"),
        ("Grace", "Adeyemi", trust, trust_start, 22, "assessor2"),
        ("Harvey", "Singh", trust, trust_start, 45, "assessor2"),
    )
    apprentice_ids: dict[str, int] = {}
    for n, (given, family, cohort, start, age, who) in enumerate(people):
        apprentice_ids[given] = enrol_apprentice(
            db,
            coordinator,
            ApprenticeInput(
                given_name=given,
                family_name=family,
                uln=_uln(410_237_500 + n * 7919),
                date_of_birth=add_months(start, -12 * age - 3),
                cohort_id=cohort,
                start_date=start,
                planned_end_date=add_months(start, 15) - timedelta(days=1),
                assessor_id=ids[who],
                email=f"{given.lower()}.{family.lower()}@example.org".replace("'", ""),
            ),
        )
        choose_units(
            db, tutor, apprentice_ids[given], DRAFT_UNITS if given == "Grace" else VALID_UNITS
        )

    # Finn is 17: the trust's wards take apprentices from 18, so he moves to the council's
    # social care route before his placements are planned.
    change_status(
        db,
        coordinator,
        apprentice_ids["Finn"],
        "transferred",
        trust_start + timedelta(days=21),
        "Under 18: the trust's wards cannot host placements, so transferred to the council's "
        "social care apprenticeship.",
    )

    placements = 0
    for cohort in (council, trust):
        plan = propose_cohort_rotation(db, coordinator, cohort)
        placed = schedule_rotation(db, coordinator, cohort, plan)
        placements += len(placed)
        for slot, placement_id in zip(plan.slots, placed, strict=True):
            # One host has not yet named a mentor, so the check has something to show.
            if not (slot.apprentice_name == "Harvey Singh" and slot.period == 3):
                record_placement_contacts(
                    db,
                    coordinator,
                    placement_id,
                    mentor_name=MENTORS[placement_id % len(MENTORS)],
                    line_manager_name="Ward or service manager",
                )
            notice = slot.start - timedelta(weeks=6 if slot.period % 2 else 2)
            if notice <= today:
                record_notice_sent(db, coordinator, placement_id, notice)
            if slot.end < today:
                record_placement_outcome(
                    db,
                    coordinator,
                    placement_id,
                    review_meeting_on=slot.end - timedelta(days=2),
                    appraisal_received_on=slot.end,
                    appraisal_summary="Settled in well; kind with residents; keep building "
                    "confidence with handovers.",
                )

    # Council cohort: two completed, one withdrawn, one on a break in learning.
    ids_by_name = apprentice_ids
    withdrawn_on = add_months(council_start, 7)
    change_status(
        db,
        coordinator,
        ids_by_name["Chloe"],
        "withdrawn",
        withdrawn_on,
        "Left for a job outside care.",
    )
    break_from = add_months(council_start, 12)
    change_status(
        db,
        coordinator,
        ids_by_name["Daniel"],
        "break_in_learning",
        break_from,
        "Family illness; plans to return next month.",
    )
    finished = min(add_months(council_start, 15) - timedelta(days=1), today)
    for name in ("Amira", "Ben"):
        if finished <= today:
            change_status(
                db,
                coordinator,
                ids_by_name[name],
                "completed",
                finished,
                "Diploma and Care Certificate achieved.",
            )
    record_employment_outcome(
        db,
        coordinator,
        ids_by_name["Amira"],
        "Healthcare assistant, Royal Shire Hospitals NHS Trust",
    )
    record_employment_outcome(
        db, coordinator, ids_by_name["Ben"], "Care worker, Shire County Council home care team"
    )

    progress = {  # Care Certificate standards met by each apprentice
        "Amira": 15,
        "Ben": 15,
        "Chloe": 9,
        "Daniel": 15,
        "Ella": 15,
        "Finn": 4,
        "Grace": 11,
        "Harvey": 15,
    }
    for given, (_g, _f, cohort, start, _age, _who) in zip(
        (p[0] for p in people), people, strict=True
    ):
        apprentice = ids_by_name[given]
        for standard in range(1, progress[given] + 1):
            when = min(start + timedelta(days=5 * standard), today)
            complete_care_certificate_standard(
                db, assessor, apprentice, standard, when, today=today
            )
        last_day = {
            "Chloe": withdrawn_on,
            "Daniel": break_from,
            "Amira": finished,
            "Ben": finished,
        }.get(given, today)
        step = 7 if cohort == council else 14
        day = start + timedelta(days=2)
        week = 0
        while day <= last_day:
            # Harvey has fallen behind: he logs only every other session.
            if not (given == "Harvey" and week % 2):
                log_off_the_job(
                    db,
                    tutor,
                    apprentice,
                    day,
                    Decimal("7.5"),
                    "taught session" if week % 3 else "e-learning",
                    "Training day at the provider",
                    today=today,
                )
            for extra in (3, 10) if cohort == trust else ():
                # The trust's day a fortnight is topped up with weekly shadowing on the wards.
                if day + timedelta(days=extra) <= last_day:
                    log_off_the_job(
                        db,
                        tutor,
                        apprentice,
                        day + timedelta(days=extra),
                        Decimal("4"),
                        "shadowing",
                        "Shadowing a senior healthcare assistant",
                        today=today,
                    )
            day += timedelta(days=step)
            week += 1
        review_day = start + timedelta(weeks=12)
        while review_day <= min(last_day, today):
            record_review(
                db,
                tutor,
                apprentice,
                "progress_review",
                review_day,
                "Taylor Brooks",
                "Progress against the plan discussed with the apprentice and their line manager.",
                "Complete the next unit's reflective account.",
                review_day + timedelta(weeks=12),
                today=today,
            )
            review_day += timedelta(weeks=12)

    _evidence_and_sign_off(db, tutor, assessor, coordinator, (council, trust), ids, today)
    return DemoSummary(ACCOUNTS, 2, len(people), placements)


# The placement period (1 = first) in which each unit is usually evidenced.
UNIT_TEMPLATE = {
    "A1": 1,
    "A2": 1,
    "A4": 1,
    "A5": 1,
    "B4": 1,
    "B5": 1,
    "A3": 2,
    "A7": 2,
    "B1": 2,
    "B2": 2,
    "A6": 3,
    "A8": 3,
    "B8": 3,
    "B9": 3,
    "A9": 4,
    "C1": 4,
    "C12": 4,
    "C13": 5,
}


def _evidence_and_sign_off(
    db: Database,
    tutor: Actor,
    assessor: Actor,
    coordinator: Actor,
    cohorts: tuple[int, int],
    ids: dict[str, int | None],
    today: date,
) -> None:
    """Plans from the cohort template; accepted evidence and sign-offs for every
    placement that has ended, except where the demo shows something outstanding."""
    for cohort in cohorts:
        for ref, period in UNIT_TEMPLATE.items():
            set_cohort_template(db, tutor, cohort, ref, period)
        apply_cohort_template(db, tutor, cohort)
    iqa = Actor(ids["iqa"], "iqa", Role.IQA)
    sampled = False
    for row in list_apprentices(db, coordinator):
        if row.status == "transferred":
            continue
        overview = apprentice_overview(db, coordinator, row.id, today=today)
        plans = apprentice_progress(db, coordinator, row.id, today=today).unit_map
        stop = today
        if row.status != "active" and row.status_date is not None:
            stop = min(today, row.status_date)
        for number, placement in enumerate(overview.placements, start=1):
            if placement.end > stop:
                break
            units = [r.ref for r in plans.rows if r.planned_placement == placement.id]
            # Harvey's units from his first placement are still waiting for assessment.
            behind = row.name == "Harvey Singh" and number == 1
            if not units:
                continue
            piece = record_evidence(
                db,
                tutor,
                EvidenceInput(
                    row.id,
                    placement.end - timedelta(days=14),
                    "observation",
                    f"Observed practice at {placement.setting}",
                    placement_id=placement.id,
                    description="Observed by the assessor during a placement visit, with the "
                    "mentor's witness statement.",
                    coverage=[(ref, None) for ref in units],
                ),
                today=today,
            )
            submit_evidence(db, tutor, piece)
            if behind:
                continue
            assess_evidence(db, assessor, piece, accept=True, on=placement.end - timedelta(days=10))
            for ref in units:
                sign_off_unit(
                    db,
                    assessor,
                    row.id,
                    ref,
                    on=placement.end - timedelta(days=7),
                    judgement="Observed practice meets every learning outcome of "
                    "the unit; confirmed with the mentor.",
                )
            if not sampled:
                record_iqa_sample(
                    db,
                    iqa,
                    row.id,
                    decision="agreed",
                    comments="Judgements sound and well evidenced.",
                    unit_ref=units[0],
                    on=placement.end,
                )
                sampled = True
        if row.status == "completed":
            record_functional_skill(
                db, coordinator, row.id, "english", "Level 2", row.start_date + timedelta(days=200)
            )
            record_functional_skill(
                db, coordinator, row.id, "maths", "Level 2", row.start_date + timedelta(days=230)
            )
