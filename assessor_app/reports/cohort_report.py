"""A cohort report for coordinators and funders: every apprentice who started,
with status, credits, progress and RAG status, and the outcome totals."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from assessor_app.domain.dates import format_date
from assessor_app.reports.pdf_style import (
    DEFAULT_PROVIDER,
    RAG_WORDS,
    STYLES,
    Page,
    build_pdf,
    cell,
    data_table,
    details_table,
    heading,
    para,
    rag_cell_style,
    status_text,
)
from assessor_app.services.report_queries import CohortSummary, CohortTotals, cohort_summary
from assessor_app.services.roles import Actor
from assessor_app.store.database import Database


def write_cohort_report(
    db: Database,
    actor: Actor,
    cohort_id: int,
    out: Path,
    *,
    today: date | None = None,
    provider: str = DEFAULT_PROVIDER,
    logo: Path | None = None,
) -> Path:
    """Write the cohort report to `out` (A4 PDF) and return its path."""
    today = today or date.today()
    summary = cohort_summary(db, actor, cohort_id, today=today)
    cohort = summary.cohort
    page = Page(
        title=f"Cohort report: {cohort.name}", provider=provider, logo=logo, generated=today
    )
    width = page.frame_width
    qualification = cohort.qualification
    if cohort.awarding_body:
        qualification = f"{qualification} ({cohort.awarding_body})"
    story: list[Flowable] = [
        para("Cohort report", STYLES.title),
        para(f"{cohort.name}, as at {format_date(today)}", STYLES.subtitle),
        details_table(
            [
                ("Employer", cohort.employer),
                ("Training provider", cohort.provider),
                ("Qualification", qualification),
                ("Started", format_date(cohort.start_date)),
                (
                    "Pattern",
                    f"{cohort.placement_count} placements of {cohort.placement_months} "
                    f"months; {cohort.contracted_hours_per_week.normalize():f} contracted hours "
                    f"a week; off the job {cohort.off_the_job_pattern or 'not recorded'}",
                ),
            ],
            (32 * mm, width - 32 * mm),
        ),
        *_totals(summary.totals, width),
        *_members(summary, width),
    ]
    return build_pdf(out, page, story)


def _totals(totals: CohortTotals, width: float) -> list[Flowable]:
    rows = [
        ("Starts", totals.starts),
        ("In learning", totals.in_learning),
        ("On a break in learning", totals.breaks_in_learning),
        ("Withdrawals", totals.withdrawals),
        ("Transfers", totals.transfers),
        ("Completions", totals.completions),
        ("Care Certificates complete", totals.care_certificates),
        ("Diplomas achieved (completed with every unit signed off)", totals.diplomas),
        ("Employment outcomes recorded", totals.employment_outcomes),
    ]
    return [
        heading("Outcomes"),
        data_table(
            ("Measure", "Apprentices"),
            [[label, cell(value, right=True)] for label, value in rows],
            (110 * mm, 28 * mm),
        ),
    ]


def _members(summary: CohortSummary, width: float) -> list[Flowable]:
    if not summary.members:
        return [heading("Apprentices"), para("No apprentices have started in this cohort.")]
    rows: list[list[Any]] = []
    colours: list[tuple[Any, ...]] = []
    for index, m in enumerate(summary.members, start=1):
        status = status_text(m.status, m.status_date)
        if m.status_reason.strip() and m.status != "active":
            status = f"{status}: {m.status_reason.strip()}"
        extras = []
        if m.care_certificate_complete:
            extras.append("Care Certificate complete")
        if m.diploma_achieved:
            extras.append("Diploma achieved")
        if m.employment_outcome.strip():
            extras.append(f"Employment: {m.employment_outcome.strip()}")
        rows.append(
            [
                [cell(m.name, bold=True), cell(f"ULN {m.uln or 'not yet known'}")],
                [cell(status), *(cell(e) for e in extras)],
                cell(f"{m.credits_achieved} of {m.credits_planned}", right=True),
                cell(f"{m.percent_complete}%", right=True),
                cell(RAG_WORDS[m.rag.value], bold=True),
                [cell(f"• {reason}") for reason in m.rag_reasons],
            ]
        )
        colours.append(rag_cell_style(m.rag.value, 4, index))
    fixed = 36 * mm + 36 * mm + 17 * mm + 11 * mm + 16 * mm
    return [
        heading("Apprentices"),
        data_table(
            ("Apprentice", "Status", "Credits", "%", "RAG", "Reasons"),
            rows,
            (36 * mm, 36 * mm, 17 * mm, 11 * mm, 16 * mm, width - fixed),
            extra=colours,
        ),
        Spacer(1, 2 * mm),
        para(
            "Credits: achieved (signed-off units) of those planned (mandatory units and the "
            "optional units chosen). RAG is judged on the day the apprentice left or paused "
            "for those no longer in learning.",
            STYLES.small,
        ),
    ]
