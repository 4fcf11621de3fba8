"""The cohort's training schedule on landscape A4: where each apprentice is placed
in each period, the units planned to be evidenced in each period, and each
apprentice's chosen optional units. The one document showing all selected units
and the training schedule together."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from assessor_app.domain.dates import format_date, format_period
from assessor_app.reports.pdf_style import (
    DEFAULT_PROVIDER,
    STYLES,
    Page,
    build_pdf,
    cell,
    data_table,
    heading,
    para,
    status_text,
)
from assessor_app.services.report_queries import (
    CohortSchedule,
    ScheduleCell,
    SchedulePeriod,
    cohort_schedule,
)
from assessor_app.services.roles import Actor
from assessor_app.store.database import Database


def write_schedule_report(
    db: Database,
    actor: Actor,
    cohort_id: int,
    out: Path,
    *,
    today: date | None = None,
    provider: str = DEFAULT_PROVIDER,
    logo: Path | None = None,
) -> Path:
    """Write the cohort's schedule to `out` (landscape A4 PDF) and return its path."""
    today = today or date.today()
    schedule = cohort_schedule(db, actor, cohort_id)
    cohort = schedule.cohort
    page = Page(
        title=f"Training schedule: {cohort.name}",
        provider=provider,
        logo=logo,
        generated=today,
        wide=True,
    )
    width = page.frame_width
    qualification = cohort.qualification
    if cohort.awarding_body:
        qualification = f"{qualification} ({cohort.awarding_body})"
    story: list[Flowable] = [
        para("Training schedule and units", STYLES.title),
        para(
            f"{cohort.name}: {qualification}; employer {cohort.employer}; training provider "
            f"{cohort.provider}; as at {format_date(today)}",
            STYLES.subtitle,
        ),
        *_placements(schedule, width),
        *_units_by_period(schedule, width),
        *_choices(schedule, width),
    ]
    return build_pdf(out, page, story)


def _period_heading(period: SchedulePeriod) -> str:
    return f"Period {period.number}\n{format_period(period.start, period.end)}"


def _cell_text(cells: tuple[ScheduleCell, ...], period: SchedulePeriod) -> list[Any]:
    if not cells:
        return [cell("–")]
    parts: list[Any] = []
    for c in cells:
        parts.append(cell(c.host, bold=True))
        parts.append(cell(c.setting))
        if (c.start, c.end) != (period.start, period.end):
            parts.append(cell(format_period(c.start, c.end)))
    return parts


def _placements(schedule: CohortSchedule, width: float) -> list[Flowable]:
    story: list[Flowable] = [heading("Placements by period")]
    if not schedule.rows:
        return [*story, para("No apprentices have started in this cohort.")]
    name_w = 38 * mm
    period_w = (width - name_w) / max(len(schedule.periods), 1)
    rows = [
        [
            [cell(row.name, bold=True), cell(status_text(row.status))],
            *(
                _cell_text(cells, period)
                for cells, period in zip(row.cells, schedule.periods, strict=True)
            ),
        ]
        for row in schedule.rows
    ]
    return [
        *story,
        data_table(
            ("Apprentice", *(_period_heading(p) for p in schedule.periods)),
            rows,
            (name_w, *([period_w] * len(schedule.periods))),
        ),
        para(
            "Dates are shown in a cell only where they differ from the period's.",
            STYLES.small,
        ),
    ]


def _units_by_period(schedule: CohortSchedule, width: float) -> list[Flowable]:
    everyone = {row.name for row in schedule.rows if row.status in ("active", "break_in_learning")}
    rows: list[list[Any]] = []
    for period in schedule.periods:
        for number, planned in enumerate(period.units):
            unit = planned.unit
            who = set(planned.apprentices)
            if everyone and everyone <= who and len(who) == len(everyone):
                names = f"All in learning ({len(who)})"
            else:
                names = ", ".join(planned.apprentices)
            rows.append(
                [
                    # The dates once; the number on every row, so a page that
                    # starts mid-period still says which period it is.
                    cell(_period_heading(period), bold=True)
                    if number == 0
                    else para(f"Period {period.number}", STYLES.small),
                    cell(unit.ref, bold=True),
                    unit.title,
                    unit.group + (" (mandatory)" if planned.mandatory else ""),
                    cell("–" if unit.credits is None else unit.credits, right=True),
                    names,
                ]
            )
    story: list[Flowable] = [heading("Units planned in each period")]
    if not rows:
        return [*story, para("No units are planned in placements yet.")]
    fixed = 40 * mm + 14 * mm + 28 * mm + 16 * mm + 80 * mm
    story.append(
        data_table(
            ("Period", "Ref", "Unit", "Group", "Credits", "Planned for"),
            rows,
            (40 * mm, 14 * mm, width - fixed, 28 * mm, 16 * mm, 80 * mm),
        )
    )
    if schedule.unplanned:
        story.append(heading("Units not yet planned in a placement"))
        story.append(
            data_table(
                ("Apprentice", "Units"),
                [[name, ", ".join(refs)] for name, refs in schedule.unplanned],
                (50 * mm, width - 50 * mm),
            )
        )
    return story


def _choices(schedule: CohortSchedule, width: float) -> list[Flowable]:
    if not schedule.rows:
        return []
    rows = [
        [
            cell(row.name, bold=True),
            ", ".join(row.optional_units) or "none chosen",
            cell(row.optional_credits, right=True),
            cell(row.total_credits, right=True),
            "Meets the rules"
            if row.selection_valid
            else [
                cell("Does not meet the rules:"),
                *(cell(f"• {p}") for p in row.selection_problems),
            ],
        ]
        for row in schedule.rows
    ]
    fixed = 45 * mm + 22 * mm + 22 * mm + 100 * mm
    return [
        heading("Optional units chosen"),
        data_table(
            ("Apprentice", "Optional units", "Optional credits", "Total credits", "Rules check"),
            rows,
            (45 * mm, width - fixed, 22 * mm, 22 * mm, 100 * mm),
        ),
    ]
