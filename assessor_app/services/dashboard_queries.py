"""What the dashboard shows at a glance: a tile per cohort (apprentices by status,
credits achieved against the qualification's target, how many are at risk), who is
at risk and why, placements starting within the notice period with no notice sent,
and evidence waiting for an assessor. Read-only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from assessor_app.domain.rag import Rag
from assessor_app.services.app_settings import get_settings
from assessor_app.services.progress_queries import progress_summaries
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import Apprentice, Cohort, Evidence, Placement, Setting

# Only apprentices still learning are judged for risk and counted towards credits.
_IN_LEARNING = "active"


@dataclass(frozen=True)
class CohortTile:
    cohort_id: int
    name: str
    by_status: tuple[tuple[str, int], ...]  # (status, how many), most first
    credits_achieved: int  # signed-off credits of the apprentices in learning
    credits_target: int  # what they need between them to achieve the qualification
    at_risk: int  # red or amber, in learning


@dataclass(frozen=True)
class RiskLine:
    apprentice_id: int
    name: str
    cohort: str
    colour: Rag
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class NoticeDue:
    placement_id: int
    apprentice_id: int
    name: str
    cohort: str
    host: str
    setting: str
    starts: date
    days_to_start: int


@dataclass(frozen=True)
class EvidenceDue:
    evidence_id: int
    apprentice_id: int
    name: str
    cohort: str
    title: str
    on_date: date
    days_waiting: int


@dataclass(frozen=True)
class Dashboard:
    today: date
    notice_weeks: int
    tiles: tuple[CohortTile, ...]  # by cohort name
    at_risk: tuple[RiskLine, ...]  # red before amber, then by name
    notice_due: tuple[NoticeDue, ...]  # soonest first
    evidence_waiting: tuple[EvidenceDue, ...]  # longest waiting first


def dashboard(db: Database, actor: Actor, *, today: date | None = None) -> Dashboard:
    actor.require(Permission.VIEW_RECORDS)
    today = today or date.today()
    notice_weeks = get_settings(db)["placement_notice_weeks"]
    with db.reading() as session:
        cohorts = [(c.id, c.name) for c in session.scalars(select(Cohort).order_by(Cohort.name))]
        people = [
            (a.id, a.full_name, a.cohort_id, a.status)
            for a in session.scalars(
                select(Apprentice).order_by(
                    Apprentice.family_name, Apprentice.given_name, Apprentice.id
                )
            )
        ]
        cohort_names = dict(cohorts)
        cohort_of = {a_id: cohort_names[c_id] for a_id, _, c_id, _ in people}
        names = {a_id: name for a_id, name, _, _ in people}
        learning = [a_id for a_id, _, _, status in people if status == _IN_LEARNING]
        notice_due = [
            NoticeDue(
                p.id,
                p.apprentice_id,
                names[p.apprentice_id],
                cohort_of[p.apprentice_id],
                p.setting.organisation.name,
                p.setting.name,
                p.start_date,
                (p.start_date - today).days,
            )
            for p in session.scalars(
                select(Placement)
                .where(
                    Placement.apprentice_id.in_(learning),
                    Placement.notice_sent_on.is_(None),
                    Placement.start_date >= today,
                    Placement.start_date <= today + timedelta(weeks=notice_weeks),
                )
                .options(selectinload(Placement.setting).selectinload(Setting.organisation))
                .order_by(Placement.start_date, Placement.id)
            )
        ]
        waiting = [
            EvidenceDue(
                e.id,
                e.apprentice_id,
                names[e.apprentice_id],
                cohort_of[e.apprentice_id],
                e.title,
                e.on_date,
                max((today - e.on_date).days, 0),
            )
            for e in session.scalars(
                select(Evidence)
                .where(Evidence.apprentice_id.in_(learning), Evidence.status == "submitted")
                .order_by(Evidence.on_date, Evidence.id)
            )
        ]
    achieved: Counter[int] = Counter()
    target: Counter[int] = Counter()
    risky: Counter[int] = Counter()
    at_risk: list[RiskLine] = []
    cohort_id_of = {a_id: c_id for a_id, _, c_id, _ in people}
    # Credits and RAG depend on sign-offs, not evidence: read for all at once.
    summaries = progress_summaries(db, actor, learning, today=today)
    for apprentice_id in learning:
        result = summaries.get(apprentice_id)
        if result is None:  # removed while the dashboard was being read
            continue
        cohort_id = cohort_id_of[apprentice_id]
        got = result.credits_achieved
        achieved[cohort_id] += got
        target[cohort_id] += got + result.credits_needed
        if result.rag.colour is not Rag.GREEN:
            risky[cohort_id] += 1
            at_risk.append(
                RiskLine(
                    apprentice_id,
                    names[apprentice_id],
                    cohort_of[apprentice_id],
                    result.rag.colour,
                    result.rag.reasons,
                )
            )
    at_risk.sort(key=lambda r: (r.colour is not Rag.RED, r.name.casefold()))
    statuses: dict[int, Counter[str]] = {cohort_id: Counter() for cohort_id, _ in cohorts}
    for _, _, cohort_id, status in people:
        statuses[cohort_id][status] += 1
    tiles = []
    for cohort_id, name in cohorts:
        counts = statuses[cohort_id]
        tiles.append(
            CohortTile(
                cohort_id,
                name,
                tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
                achieved[cohort_id],
                target[cohort_id],
                risky[cohort_id],
            )
        )
    return Dashboard(
        today, notice_weeks, tuple(tiles), tuple(at_risk), tuple(notice_due), tuple(waiting)
    )
