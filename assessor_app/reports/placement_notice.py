"""Advance notice of a placement, for the apprentice and the host: when and where,
working days and hours, who to ask for, and the units planned there."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from assessor_app.domain.dates import format_date, format_period
from assessor_app.reports.pdf_style import (
    DEFAULT_PROVIDER,
    STYLES,
    Page,
    build_pdf,
    cell,
    data_table,
    details_table,
    heading,
    hours_text,
    para,
    signature_block,
    words,
)
from assessor_app.services.report_queries import placement_notice
from assessor_app.services.roles import Actor
from assessor_app.store.database import Database

NOT_RECORDED = "to be confirmed"


def write_placement_notice(
    db: Database,
    actor: Actor,
    placement_id: int,
    out: Path,
    *,
    today: date | None = None,
    provider: str = DEFAULT_PROVIDER,
    logo: Path | None = None,
) -> Path:
    """Write the placement notice to `out` (A4 PDF) and return its path."""
    today = today or date.today()
    notice = placement_notice(db, actor, placement_id)
    page = Page(
        title=f"Placement notice: {notice.apprentice}",
        provider=provider,
        logo=logo,
        generated=today,
    )
    width = page.frame_width
    label = 40 * mm

    def value(text: str) -> str:
        return text.strip() or NOT_RECORDED

    where = ", ".join(part for part in (notice.setting, notice.location) if part.strip())
    contact = "; ".join(
        part for part in (notice.host_contact, notice.host_email, notice.host_phone) if part.strip()
    )
    hours = (
        f"{hours_text(notice.hours_per_week)} hours a week"
        if notice.hours_per_week is not None
        else NOT_RECORDED
    )
    story: list[Flowable] = [
        para("Placement notice", STYLES.title),
        para(
            f"For {notice.apprentice} and {notice.host}: a placement from "
            f"{format_date(notice.start)} to {format_date(notice.end)}",
            STYLES.subtitle,
        ),
        heading("The placement"),
        details_table(
            [
                ("Dates", format_period(notice.start, notice.end)),
                ("Host", notice.host),
                ("Setting", f"{where} ({words(notice.setting_type)})"),
                ("Address", value(notice.host_address)),
                ("Working days", value(notice.working_days)),
                ("Hours", hours),
            ],
            (label, width - label),
        ),
        heading("People"),
        details_table(
            [
                ("Apprentice", f"{notice.apprentice} (ULN {notice.uln or 'not yet known'})"),
                (
                    "Apprentice contact",
                    "; ".join(p for p in (notice.apprentice_email, notice.apprentice_phone) if p)
                    or NOT_RECORDED,
                ),
                ("Host contact", contact or NOT_RECORDED),
                ("Mentor / buddy", value(notice.mentor)),
                ("Line manager", value(notice.line_manager)),
                ("Assessor", value(notice.assessor)),
                ("Employer", notice.employer),
                ("Training provider", notice.provider),
                ("Cohort", notice.cohort),
            ],
            (label, width - label),
        ),
        heading("Units planned in this placement"),
    ]
    if notice.units:
        story.append(
            data_table(
                ("Ref", "Unit", "Group", "Credits"),
                [
                    [
                        cell(u.ref, bold=True),
                        u.title,
                        u.group,
                        cell("–" if u.credits is None else u.credits, right=True),
                    ]
                    for u in notice.units
                ],
                (16 * mm, width - 52 * mm, 18 * mm, 18 * mm),
            )
        )
    else:
        story.append(para("No units are planned in this placement yet."))
    story += [
        Spacer(1, 2 * mm),
        para(
            "The placement ends with a handover and review meeting and a written appraisal "
            "from the host. Please tell the training provider straight away if any of these "
            "details change.",
            STYLES.body,
        ),
        heading("Received"),
        signature_block(("Apprentice", "Host"), width),
    ]
    return build_pdf(out, page, story)
