"""An apprentice's progress with every rule applied: units and credits achieved,
RAG status with reasons, the unit-to-placement map, gateway readiness, and the
what-if check of a different unit choice. Read-only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessor_app.domain.gateway import Gateway, gateway_readiness
from assessor_app.domain.progress import Progress, UnitEvidence, progress
from assessor_app.domain.rag import RagStatus, rag_status
from assessor_app.domain.unit_map import MapPlacement, UnitMap, unit_map
from assessor_app.domain.what_if import WhatIf, what_if
from assessor_app.services.app_settings import get_settings
from assessor_app.services.apprentice_queries import apprentice_overview, as_of_date
from assessor_app.services.errors import NotFound
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.catalogue_rows import load_qualification_row, to_domain
from assessor_app.store.database import Database
from assessor_app.store.models import (
    Apprentice,
    AssessmentCriterion,
    Evidence,
    EvidenceCoverage,
    FunctionalSkill,
    LearningOutcome,
    Placement,
    Review,
    UnitPlan,
    UnitSettingAffinity,
    UnitSignOff,
)


@dataclass(frozen=True)
class ApprenticeProgress:
    progress: Progress
    rag: RagStatus
    unit_map: UnitMap
    gateway: Gateway


@dataclass(frozen=True)
class _Facts:
    evidence: dict[str, UnitEvidence]
    signed_off: dict[str, date]
    evidenced_in: dict[str, frozenset[int | str]]
    accepted_units: dict[int, frozenset[str]]


def _facts(session: Session, apprentice: Apprentice, unit_ids: dict[str, int]) -> _Facts:
    """What the evidence and sign-offs say, per unit of the qualification."""
    criteria: dict[int, list[str]] = defaultdict(list)
    for unit_id, number in session.execute(
        select(LearningOutcome.unit_id, AssessmentCriterion.number)
        .join(AssessmentCriterion, AssessmentCriterion.outcome_id == LearningOutcome.id)
        .where(LearningOutcome.unit_id.in_(unit_ids.values()))
    ):
        criteria[unit_id].append(number)
    covered: dict[str, set[str]] = defaultdict(set)
    pieces: dict[str, set[int]] = defaultdict(set)
    sources: dict[str, set[int | str]] = defaultdict(set)
    accepted_units: dict[int, set[str]] = defaultdict(set)
    for cov in session.scalars(
        select(EvidenceCoverage)
        .join(Evidence)
        .where(Evidence.apprentice_id == apprentice.id, Evidence.status == "accepted")
    ):
        ref = cov.unit.ref
        pieces[ref].add(cov.evidence_id)
        accepted_units[cov.evidence_id].add(ref)
        if cov.criterion is not None:
            covered[ref].add(cov.criterion.number)
    for evidence in session.scalars(
        select(Evidence).where(
            Evidence.apprentice_id == apprentice.id, Evidence.status == "accepted"
        )
    ):
        source: int | str = (
            evidence.placement_id if evidence.placement_id is not None else evidence.context
        )
        for ref in accepted_units[evidence.id]:
            sources[ref].add(source)
    signed: dict[str, tuple[date, str]] = {
        s.unit.ref: (s.signed_off_on, s.signed_off_by_name)
        for s in session.scalars(
            select(UnitSignOff).where(
                UnitSignOff.apprentice_id == apprentice.id, UnitSignOff.revoked_on.is_(None)
            )
        )
    }
    by_unit = {
        ref: UnitEvidence(
            ref=ref,
            criteria=tuple(criteria.get(unit_ids[ref], ())),
            covered=frozenset(covered[ref]),
            accepted_pieces=len(pieces[ref]),
            signed_off_on=signed[ref][0] if ref in signed else None,
            signed_off_by=signed[ref][1] if ref in signed else "",
        )
        for ref in unit_ids
    }
    return _Facts(
        evidence=by_unit,
        signed_off={ref: when for ref, (when, _who) in signed.items()},
        evidenced_in={ref: frozenset(s) for ref, s in sources.items()},
        accepted_units={k: frozenset(v) for k, v in accepted_units.items()},
    )


def apprentice_progress(
    db: Database, actor: Actor, apprentice_id: int, *, today: date | None = None
) -> ApprenticeProgress:
    actor.require(Permission.VIEW_RECORDS)
    today = today or date.today()
    settings = get_settings(db)
    overview = apprentice_overview(db, actor, apprentice_id, today=today)
    with db.reading() as session:
        apprentice = session.get(Apprentice, apprentice_id)
        if apprentice is None:
            raise NotFound("That apprentice no longer exists.")
        qual_row = load_qualification_row(session, apprentice.cohort.qualification.code)
        assert qual_row is not None
        qual = to_domain(qual_row)
        facts = _facts(session, apprentice, {u.ref: u.id for u in qual_row.units})
        chosen = list(overview.chosen_units)
        as_of = as_of_date(apprentice.status, apprentice.status_date, today)
        result = progress(qual, chosen, facts.evidence)
        in_scope = [u for u in qual.units if qual.is_mandatory(u.ref) or u.ref in chosen]
        placements = {
            p.id: p
            for p in session.scalars(
                select(Placement).where(Placement.apprentice_id == apprentice_id)
            )
        }
        planned = {
            plan.unit_id: plan.placement_id
            for plan in session.scalars(
                select(UnitPlan).where(UnitPlan.apprentice_id == apprentice_id)
            )
        }
        ref_by_id = {u.id: u.ref for u in qual_row.units}
        planned_refs = {ref_by_id[uid]: pid for uid, pid in planned.items() if uid in ref_by_id}
        affinity = {
            (ref_by_id[unit_id], setting_type): level
            for unit_id, setting_type, level in session.execute(
                select(
                    UnitSettingAffinity.unit_id,
                    UnitSettingAffinity.setting_type,
                    UnitSettingAffinity.affinity,
                ).where(UnitSettingAffinity.unit_id.in_(ref_by_id))
            )
        }
        skills = {
            s.subject: (s.level, s.achieved_on)
            for s in session.scalars(
                select(FunctionalSkill).where(FunctionalSkill.apprentice_id == apprentice_id)
            )
        }
        reviews = list(
            session.scalars(
                select(Review.held_on).where(
                    Review.apprentice_id == apprentice_id, Review.kind == "progress_review"
                )
            )
        )
    expected = [
        (ref, qual.unit(ref).countable_credits, placements[pid].end_date)
        for ref, pid in planned_refs.items()
        if pid in placements and (qual.is_mandatory(ref) or ref in chosen)
    ]
    the_map = unit_map(
        [
            MapPlacement(p.id, view.host, view.setting, view.setting_type, p.start_date, p.end_date)
            for view in overview.placements
            for p in [placements[view.id]]
        ],
        in_scope,
        planned_refs,
        affinity,
        facts.evidenced_in,
        facts.signed_off,
        today=as_of,
    )
    return ApprenticeProgress(
        progress=result,
        rag=rag_status(
            today=as_of,
            expected_units=expected,
            signed_off=facts.signed_off,
            care_certificate=overview.care_certificate,
            off_the_job=overview.off_the_job,
            titles={u.ref: u.title for u in qual.units},
        ),
        unit_map=the_map,
        gateway=gateway_readiness(
            progress=result,
            care_certificate=overview.care_certificate,
            off_the_job=overview.off_the_job,
            start=overview.start_date,
            today=today,
            minimum_months=settings["minimum_programme_months"],
            english=skills.get("english"),
            maths=skills.get("maths"),
            last_review=max(reviews) if reviews else None,
            review_weeks=settings["review_interval_weeks"],
        ),
    )


def try_unit_choice(db: Database, actor: Actor, apprentice_id: int, proposed: list[str]) -> WhatIf:
    """What a different choice of optional units would mean, without saving it."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        apprentice = session.get(Apprentice, apprentice_id)
        if apprentice is None:
            raise NotFound("That apprentice no longer exists.")
        qual_row = load_qualification_row(session, apprentice.cohort.qualification.code)
        assert qual_row is not None
        qual = to_domain(qual_row)
        current = [c.unit.ref for c in apprentice.chosen_units]
        facts = _facts(session, apprentice, {u.ref: u.id for u in qual_row.units})
    return what_if(qual, current, proposed, set(facts.signed_off), facts.accepted_units)
