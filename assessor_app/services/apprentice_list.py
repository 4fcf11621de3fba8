"""Every apprentice with their RAG colour and percent complete: the apprentices list.

Read-only. Progress and RAG come from `progress_summaries`, which reads a batch
of apprentices at a time; the UI calls it off the window's thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from assessor_app.services.apprentice_queries import list_apprentices
from assessor_app.services.progress_queries import progress_summaries
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import Apprentice


@dataclass(frozen=True, slots=True)
class ApprenticeListRow:
    id: int
    name: str
    sort_name: str  # family name first, folded: how a register is ordered
    uln: str | None
    cohort: str
    status: str
    status_date: date | None
    start_date: date
    planned_end_date: date
    assessor: str  # "" when none is assigned
    rag: str  # "red", "amber" or "green"
    percent_complete: int


def apprentice_list(
    db: Database, actor: Actor, *, today: date | None = None
) -> list[ApprenticeListRow]:
    actor.require(Permission.VIEW_RECORDS)
    today = today or date.today()
    with db.reading() as session:
        sort_names = {
            apprentice_id: f"{family} {given}".casefold()
            for apprentice_id, family, given in session.execute(
                select(Apprentice.id, Apprentice.family_name, Apprentice.given_name)
            )
        }
    listed = list_apprentices(db, actor)
    summaries = progress_summaries(db, actor, [row.id for row in listed], today=today)
    rows = []
    for row in listed:
        found = summaries.get(row.id)
        if found is None:  # removed while the list was being read
            continue
        rows.append(
            ApprenticeListRow(
                id=row.id,
                name=row.name,
                sort_name=sort_names.get(row.id, row.name.casefold()),
                uln=row.uln,
                cohort=row.cohort,
                status=row.status,
                status_date=row.status_date,
                start_date=row.start_date,
                planned_end_date=row.planned_end_date,
                assessor=row.assessor,
                rag=str(found.rag.colour),
                percent_complete=found.percent_complete,
            )
        )
    return rows
