"""An apprentice's progress report, printed for a review meeting or sent to the
employer: programme, RAG status with reasons, credits against the rules, every
unit with its plan and sign-off, placements, Care Certificate, off-the-job
hours, recent evidence, review actions and lines to sign."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from assessor_app.domain.catalogue import RuleScope
from assessor_app.domain.credit_rules import check_selection, rule_sum
from assessor_app.domain.dates import format_date, format_period
from assessor_app.domain.progress import UnitProgress, UnitStatus
from assessor_app.reports.pdf_style import (
    DEFAULT_PROVIDER,
    STYLES,
    Page,
    build_pdf,
    cell,
    data_table,
    date_text,
    details_table,
    escape,
    heading,
    hours_text,
    markup,
    para,
    rag_badge,
    signature_block,
    status_text,
    words,
)
from assessor_app.services.apprentice_queries import ApprenticeOverview
from assessor_app.services.progress_queries import ApprenticeProgress, overview_and_progress
from assessor_app.services.report_queries import (
    EvidenceLine,
    ProgrammeDetails,
    ReviewLine,
    programme_details,
    recent_evidence,
    review_actions,
)
from assessor_app.services.roles import Actor
from assessor_app.store.database import Database

REVIEWS_SHOWN = 5
EVIDENCE_SHOWN = 10


def write_progress_report(
    db: Database,
    actor: Actor,
    apprentice_id: int,
    out: Path,
    *,
    today: date | None = None,
    provider: str = DEFAULT_PROVIDER,
    logo: Path | None = None,
) -> Path:
    """Write the apprentice's progress report to `out` (A4 PDF) and return its path."""
    today = today or date.today()
    details = programme_details(db, actor, apprentice_id)
    overview, result = overview_and_progress(db, actor, apprentice_id, today=today)
    evidence = recent_evidence(db, actor, apprentice_id, limit=EVIDENCE_SHOWN)
    reviews = review_actions(db, actor, apprentice_id, limit=REVIEWS_SHOWN)
    page = Page(
        title=f"Progress report: {details.name}",
        provider=provider,
        logo=logo,
        generated=today,
    )
    width = page.frame_width
    story: list[Flowable] = [
        para("Progress report", STYLES.title),
        para(f"{details.name}, as at {format_date(today)}", STYLES.subtitle),
        *_programme(details, width),
        *_rag(result, width),
        *_credits(overview, result, width),
        *_units(overview, result, width),
        *_placements(overview, width),
        *_care_and_off_the_job(overview, details, width),
        *_evidence(evidence, width),
        *_reviews(reviews, overview, width),
        heading("Signatures"),
        para(
            "We have discussed this report and agree the actions above.",
            STYLES.body,
        ),
        signature_block(("Apprentice", "Assessor", "Employer"), width),
    ]
    return build_pdf(out, page, story)


def _programme(details: ProgrammeDetails, width: float) -> list[Flowable]:
    half = width / 2
    status = status_text(details.status, details.status_date)
    if details.status_reason.strip():
        status = f"{status}: {details.status_reason.strip()}"
    left = [
        ("Apprentice", details.name),
        ("ULN", details.uln or "not yet known"),
        ("Cohort", details.cohort),
        ("Employer", details.employer),
        ("Training provider", details.provider),
    ]
    qualification = details.qualification
    if details.awarding_body:
        qualification = f"{qualification} ({details.awarding_body})"
    right = [
        ("Qualification", qualification),
        ("Start date", format_date(details.start_date)),
        ("Planned end", format_date(details.planned_end_date)),
        ("Status", status),
        ("Assessor", details.assessor or "not assigned"),
    ]
    if details.employment_outcome.strip():
        right.append(("Employment", details.employment_outcome))
    label = 27 * mm
    both = Table(
        [
            [
                details_table(left, (label, half - label - 4 * mm)),
                details_table(right, (label, half - label)),
            ]
        ],
        colWidths=[half, half],
    )
    both.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [heading("Apprentice and programme"), both]


def _rag(result: ApprenticeProgress, width: float) -> list[Flowable]:
    reasons = [para(f"• {reason}", STYLES.body) for reason in result.rag.reasons]
    badge_width = 26 * mm
    table = Table(
        [[rag_badge(result.rag.colour.value, badge_width), reasons]],
        colWidths=[badge_width + 4 * mm, width - badge_width - 4 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
            ]
        )
    )
    return [heading("Overall status (RAG)"), table]


def _credits(
    overview: ApprenticeOverview,
    result: ApprenticeProgress,
    width: float,
) -> list[Flowable]:
    qual = overview.qualification
    chosen = list(overview.chosen_units)
    planned = check_selection(qual, chosen, suggest=False).credits
    achieved = result.progress.achieved
    rows: list[list[Any]] = []
    for group in qual.groups:
        rules = [r for r in qual.rules if r.scope is RuleScope.GROUP and r.group == group.code]
        if rules:
            needed = "; ".join(_requirement(r.min_credits, r.max_credits) for r in rules)
        else:
            needed = "all units" if group.mandatory else "–"
        rows.append(
            [
                f"Group {group.code}: {group.name}",
                needed,
                cell(planned.groups.get(group.code, 0), right=True),
                cell(achieved.groups.get(group.code, 0), right=True),
            ]
        )
    for rule in qual.rules:
        if rule.scope is RuleScope.GROUP:
            continue
        rows.append(
            [
                cell("Optional units" if rule.scope is RuleScope.OPTIONAL else "Total", bold=True),
                _requirement(rule.min_credits, rule.max_credits),
                cell(rule_sum(qual, rule, planned.groups), right=True),
                cell(rule_sum(qual, rule, achieved.groups), right=True),
            ]
        )
    story: list[Flowable] = [
        heading("Credits against the rules of combination"),
        data_table(
            ("Credits from", "Rule", "Planned", "Achieved"),
            rows,
            (width - 100 * mm, 50 * mm, 25 * mm, 25 * mm),
        ),
        Spacer(1, 2 * mm),
        para(
            f"{result.progress.achieved.total} of {result.progress.selection_credits} planned "
            f"credits achieved ({result.progress.percent_complete}%). "
            f"{result.progress.message}",
            STYLES.body,
        ),
    ]
    verdict = overview.units_verdict
    if verdict.valid:
        story.append(
            markup("<b>Choice of units:</b> meets the qualification's rules.", STYLES.body)
        )
    else:
        story.append(markup("<b>Choice of units:</b> does not yet meet the rules.", STYLES.body))
    for finding in verdict.findings:
        story.append(para(f"• {words(finding.severity.value)}: {finding.message}", STYLES.body))
    return story


def _requirement(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"{minimum} to {maximum} credits"
    if minimum is not None:
        return f"at least {minimum} credits"
    return f"at most {maximum} credits"


_STATUS = {
    UnitStatus.SIGNED_OFF: "Signed off",
    UnitStatus.READY_FOR_SIGN_OFF: "Ready for sign-off",
    UnitStatus.IN_PROGRESS: "In progress",
    UnitStatus.NOT_STARTED: "Not started",
}


def _unit_status(unit: UnitProgress) -> str:
    if unit.status is UnitStatus.IN_PROGRESS and unit.criteria_total:
        return f"In progress ({unit.criteria_covered} of {unit.criteria_total} criteria)"
    return _STATUS[unit.status]


def _units(
    overview: ApprenticeOverview, result: ApprenticeProgress, width: float
) -> list[Flowable]:
    hosts = {p.id: f"{p.host}, {p.setting}" for p in overview.placements}
    planned = {row.ref: row.planned_placement for row in result.unit_map.rows}
    rows = []
    for unit in result.progress.units:
        where = planned.get(unit.ref)
        rows.append(
            [
                unit.group,
                cell(unit.ref, bold=True),
                unit.title,
                cell("–" if unit.credits is None else unit.credits, right=True),
                hosts.get(where, "not in a current placement") if where else "not planned",
                _unit_status(unit),
                date_text(unit.signed_off_on, ""),
                unit.signed_off_by,
            ]
        )
    widths = (13 * mm, 11 * mm, None, 15 * mm, 40 * mm, 25 * mm, 21 * mm, 22 * mm)
    fixed = sum(w for w in widths if w is not None)
    return [
        heading("Units"),
        data_table(
            (
                "Group",
                "Ref",
                "Title",
                "Credits",
                "Planned placement",
                "Status",
                "Signed off",
                "Assessor",
            ),
            rows,
            [w if w is not None else width - fixed for w in widths],
        ),
    ]


def _placements(overview: ApprenticeOverview, width: float) -> list[Flowable]:
    if not overview.placements:
        return [heading("Placements"), para("No placements are scheduled yet.")]
    rows = [
        [
            str(number),
            p.host,
            p.setting,
            format_period(p.start, p.end),
            p.mentor or "not named",
            date_text(p.review_meeting_on),
            date_text(p.appraisal_received_on),
        ]
        for number, p in enumerate(overview.placements, start=1)
    ]
    widths = [8 * mm, None, 38 * mm, 40 * mm, 24 * mm, 20 * mm, 20 * mm]
    fixed = sum(w for w in widths if w is not None)
    return [
        heading("Placements"),
        data_table(
            ("#", "Host", "Setting", "Dates", "Mentor", "Review", "Appraisal"),
            rows,
            [w if w is not None else width - fixed for w in widths],
        ),
    ]


def _care_and_off_the_job(
    overview: ApprenticeOverview, details: ProgrammeDetails, width: float
) -> list[Flowable]:
    care = overview.care_certificate
    otj = overview.off_the_job
    percent = f"{otj.percent_of_expected}%" if otj.percent_of_expected is not None else "–"
    pattern = details.off_the_job_pattern or "not recorded"
    rows = [
        [
            cell("Care Certificate", bold=True),
            f"{care.completed} of {care.standards} standards complete; due {format_date(care.due)}",
            care.message,
        ],
        [
            cell("Off-the-job training", bold=True),
            f"{hours_text(otj.logged)} hours logged of {hours_text(otj.expected)} expected "
            f"by now ({percent}); {hours_text(otj.programme_total)} hours for the whole "
            f"programme. Pattern: {pattern}.",
            otj.message,
        ],
    ]
    return [
        heading("Care Certificate and off-the-job training"),
        data_table(("", "Position", "Judgement"), rows, (36 * mm, 70 * mm, width - 106 * mm)),
    ]


def _evidence(evidence: tuple[EvidenceLine, ...], width: float) -> list[Flowable]:
    title = f"Recent evidence (latest {EVIDENCE_SHOWN})"
    if not evidence:
        return [heading(title), para("No evidence has been recorded yet.")]
    rows = [
        [
            format_date(e.on_date),
            e.title,
            words(e.method),
            ", ".join(e.units) or "–",
            words(e.status),
            f"{e.assessed_by}, {format_date(e.assessed_on)}"
            if e.assessed_by and e.assessed_on
            else e.assessed_by,
        ]
        for e in evidence
    ]
    widths = [20 * mm, None, 28 * mm, 26 * mm, 18 * mm, 36 * mm]
    fixed = sum(w for w in widths if w is not None)
    return [
        heading(title),
        data_table(
            ("Date", "Evidence", "Method", "Units", "Status", "Assessed"),
            rows,
            [w if w is not None else width - fixed for w in widths],
        ),
    ]


def _reviews(
    reviews: tuple[ReviewLine, ...], overview: ApprenticeOverview, width: float
) -> list[Flowable]:
    story: list[Flowable] = [heading("Reviews and actions")]
    due = markup(
        f"<b>Next progress review due:</b> {escape(format_date(overview.next_review_due))}",
        STYLES.body,
    )
    if not reviews:
        return [*story, para("No reviews have been recorded yet."), due]
    rows = [
        [
            format_date(r.held_on),
            f"{words(r.kind)}\n{r.conducted_by}",
            r.summary,
            r.actions or "none recorded",
            date_text(r.next_due_on),
        ]
        for r in reviews
    ]
    widths = [20 * mm, 32 * mm, None, None, 20 * mm]
    share = (width - 72 * mm) / 2
    return [
        *story,
        data_table(
            ("Held", "Kind and by", "Summary", "Actions agreed", "Next due"),
            rows,
            [w if w is not None else share for w in widths],
        ),
        Spacer(1, 2 * mm),
        due,
    ]
