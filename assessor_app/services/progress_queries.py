"""An apprentice's progress with every rule applied: units and credits achieved,
RAG status with reasons, the unit-to-placement map, gateway readiness, and the
what-if check of a different unit choice. Read-only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
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
from assessor_app.services.apprentice_queries import (
    ApprenticeOverview,
    ApprenticeRecords,
    Catalogue,
    overview_of,
    read_records,
)
from assessor_app.services.errors import NotFound
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import (
    Apprentice,
    AssessmentCriterion,
    Evidence,
    EvidenceCoverage,
    FunctionalSkill,
    LearningOutcome,
    Unit,
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


@dataclass(frozen=True)
class _Shared:
    """What is the same for every apprentice on a qualification."""

    criteria: dict[int, tuple[str, ...]]  # criterion numbers by unit id
    affinity: dict[tuple[str, str], str]  # (unit ref, setting type): affinity


def _shared(session: Session, catalogue: Catalogue) -> _Shared:
    criteria: dict[int, list[str]] = defaultdict(list)
    for unit_id, number in session.execute(
        select(LearningOutcome.unit_id, AssessmentCriterion.number)
        .join(AssessmentCriterion, AssessmentCriterion.outcome_id == LearningOutcome.id)
        .where(LearningOutcome.unit_id.in_(catalogue.unit_ids.values()))
    ):
        criteria[unit_id].append(number)
    ref_by_id = {uid: ref for ref, uid in catalogue.unit_ids.items()}
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
    return _Shared({k: tuple(v) for k, v in criteria.items()}, affinity)


def _facts(
    session: Session,
    apprentice_ids: Sequence[int],
    records: dict[int, ApprenticeRecords],
    shared: dict[int, _Shared],
    *,
    evidence: bool = True,
) -> dict[int, _Facts]:
    """What the evidence and sign-offs say, per unit of each apprentice's qualification.
    Without `evidence`, only the sign-offs are read: all that credits achieved,
    percent complete and RAG depend on."""
    covered: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    pieces: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    sources: dict[int, dict[str, set[int | str]]] = defaultdict(lambda: defaultdict(set))
    accepted_units: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    coverage = (
        select(
            Evidence.apprentice_id,
            EvidenceCoverage.evidence_id,
            Evidence.placement_id,
            Evidence.context,
            Unit.ref,
            AssessmentCriterion.number,
        )
        .join(Evidence, Evidence.id == EvidenceCoverage.evidence_id)
        .join(Unit, Unit.id == EvidenceCoverage.unit_id)
        .outerjoin(AssessmentCriterion, AssessmentCriterion.id == EvidenceCoverage.criterion_id)
        .where(Evidence.apprentice_id.in_(apprentice_ids), Evidence.status == "accepted")
    )
    for apprentice_id, evidence_id, placement_id, context, ref, number in (
        session.execute(coverage) if evidence else ()
    ):
        pieces[apprentice_id][ref].add(evidence_id)
        accepted_units[apprentice_id][evidence_id].add(ref)
        # Evidence from another provider's placement (prior assessment) has no placement here.
        if placement_id is not None or context != "placement":
            sources[apprentice_id][ref].add(placement_id if placement_id is not None else context)
        if number is not None:
            covered[apprentice_id][ref].add(number)
    signed: dict[int, dict[str, tuple[date, str]]] = defaultdict(dict)
    for apprentice_id, ref, on, by in session.execute(
        select(
            UnitSignOff.apprentice_id,
            Unit.ref,
            UnitSignOff.signed_off_on,
            UnitSignOff.signed_off_by_name,
        )
        .join(Unit, Unit.id == UnitSignOff.unit_id)
        .where(UnitSignOff.apprentice_id.in_(apprentice_ids), UnitSignOff.revoked_on.is_(None))
        .order_by(UnitSignOff.id)
    ):
        signed[apprentice_id][ref] = (on, by)
    facts = {}
    for apprentice_id in apprentice_ids:
        catalogue = records[apprentice_id].catalogue
        criteria = shared[catalogue.id].criteria
        their_signed = signed[apprentice_id]
        their_covered = covered[apprentice_id]
        their_pieces = pieces[apprentice_id]
        # progress() reads only the units in scope: the mandatory ones and those chosen.
        qual = catalogue.qual
        chosen = set(records[apprentice_id].chosen_units)
        by_unit = {
            ref: UnitEvidence(
                ref=ref,
                criteria=criteria.get(unit_id, ()),
                covered=frozenset(their_covered.get(ref, ())),
                accepted_pieces=len(their_pieces.get(ref, ())),
                signed_off_on=their_signed[ref][0] if ref in their_signed else None,
                signed_off_by=their_signed[ref][1] if ref in their_signed else "",
            )
            for ref, unit_id in catalogue.unit_ids.items()
            if ref in chosen or qual.is_mandatory(ref)
        }
        facts[apprentice_id] = _Facts(
            evidence=by_unit,
            signed_off={ref: when for ref, (when, _who) in their_signed.items()},
            evidenced_in={ref: frozenset(s) for ref, s in sources[apprentice_id].items()},
            accepted_units={k: frozenset(v) for k, v in accepted_units[apprentice_id].items()},
        )
    return facts


BATCH = 400  # apprentices read together: few queries, and memory stays flat


def apprentice_progress(
    db: Database, actor: Actor, apprentice_id: int, *, today: date | None = None
) -> ApprenticeProgress:
    """One apprentice's progress: the batch of one, so a page and a list agree."""
    result = progress_of_many(db, actor, [apprentice_id], today=today)
    if apprentice_id not in result:
        raise NotFound("That apprentice no longer exists.")
    return result[apprentice_id]


@dataclass(frozen=True)
class _Batch:
    records: ApprenticeRecords
    facts: _Facts
    shared: _Shared
    planned: dict[int, int]  # unit id: placement id
    skills: dict[str, tuple[str, date]]


def _read(
    db: Database,
    apprentice_ids: Sequence[int],
    settings: dict[str, int],
    today: date,
    *,
    evidence: bool = True,
) -> Iterator[_Batch]:
    """Everything progress is worked out from, apprentice by apprentice (those that
    exist), read a batch at a time with a fixed number of queries per batch and
    each qualification read once."""
    catalogues: dict[int, Catalogue] = {}
    shared: dict[int, _Shared] = {}
    ids = list(dict.fromkeys(apprentice_ids))
    for start in range(0, len(ids), BATCH):
        with db.reading() as session:
            records = read_records(session, ids[start : start + BATCH], settings, today, catalogues)
            for catalogue in catalogues.values():
                if catalogue.id not in shared:
                    shared[catalogue.id] = _shared(session, catalogue)
            found = list(records)
            facts = _facts(session, found, records, shared, evidence=evidence)
            planned: dict[int, dict[int, int]] = defaultdict(dict)
            for apprentice_id, unit_id, placement_id in session.execute(
                select(UnitPlan.apprentice_id, UnitPlan.unit_id, UnitPlan.placement_id)
                .where(UnitPlan.apprentice_id.in_(found))
                .order_by(UnitPlan.id)
            ):
                planned[apprentice_id][unit_id] = placement_id
            skills: dict[int, dict[str, tuple[str, date]]] = defaultdict(dict)
            for apprentice_id, subject, level, achieved_on in session.execute(
                select(
                    FunctionalSkill.apprentice_id,
                    FunctionalSkill.subject,
                    FunctionalSkill.level,
                    FunctionalSkill.achieved_on,
                ).where(FunctionalSkill.apprentice_id.in_(found))
            ):
                skills[apprentice_id][subject] = (level, achieved_on)
        for apprentice_id in found:
            record = records[apprentice_id]
            yield _Batch(
                record,
                facts[apprentice_id],
                shared[record.catalogue.id],
                planned[apprentice_id],
                skills[apprentice_id],
            )


def overview_and_progress(
    db: Database, actor: Actor, apprentice_id: int, *, today: date | None = None
) -> tuple[ApprenticeOverview, ApprenticeProgress]:
    """The same as `apprentice_overview` and `apprentice_progress`, read once."""
    actor.require(Permission.VIEW_RECORDS)
    today = today or date.today()
    settings = get_settings(db)
    for read in _read(db, [apprentice_id], settings, today):
        return overview_of(read.records, settings, today), _progress(read, settings, today)
    raise NotFound("That apprentice no longer exists.")


def progress_of_many(
    db: Database, actor: Actor, apprentice_ids: Sequence[int], *, today: date | None = None
) -> dict[int, ApprenticeProgress]:
    """Each apprentice's progress, by id, worked out exactly as for one apprentice;
    one removed meanwhile is left out."""
    actor.require(Permission.VIEW_RECORDS)
    today = today or date.today()
    settings = get_settings(db)
    return {
        read.records.apprentice.id: _progress(read, settings, today)
        for read in _read(db, apprentice_ids, settings, today)
    }


@dataclass(frozen=True)
class ProgressSummary:
    """What lists and cohort reports show of an apprentice's progress: the same
    figures and RAG status as `apprentice_progress` gives."""

    credits_achieved: int
    selection_credits: int
    percent_complete: int
    complete: bool
    rag: RagStatus
    credits_needed: int  # to reach the qualification's total minimum; never below 0


def progress_summaries(
    db: Database, actor: Actor, apprentice_ids: Sequence[int], *, today: date | None = None
) -> dict[int, ProgressSummary]:
    """Credits, percent complete and RAG status, for lists of many apprentices:
    these depend on sign-offs, not on which criteria evidence covers, so the
    evidence is not read, nor the unit map and gateway worked out."""
    actor.require(Permission.VIEW_RECORDS)
    today = today or date.today()
    settings = get_settings(db)
    summaries = {}
    for read in _read(db, apprentice_ids, settings, today, evidence=False):
        result, rag = _progress_and_rag(read)
        summaries[read.records.apprentice.id] = ProgressSummary(
            credits_achieved=result.achieved.total,
            selection_credits=result.selection_credits,
            percent_complete=result.percent_complete,
            complete=result.complete,
            rag=rag,
            credits_needed=result.credits_needed,
        )
    return summaries


def _progress_and_rag(read: _Batch) -> tuple[Progress, RagStatus]:
    records, facts = read.records, read.facts
    qual = records.catalogue.qual
    chosen = records.chosen_units
    result = progress(qual, chosen, facts.evidence)
    placements = {p.id: p for p in records.placements}
    expected = [
        (ref, qual.unit(ref).countable_credits, placements[pid].end_date)
        for ref, pid in _planned_refs(read).items()
        if pid in placements and (qual.is_mandatory(ref) or ref in chosen)
    ]
    rag = rag_status(
        today=records.as_of,
        expected_units=expected,
        signed_off=facts.signed_off,
        care_certificate=records.care_certificate,
        off_the_job=records.off_the_job,
        titles={u.ref: u.title for u in qual.units},
    )
    return result, rag


def _planned_refs(read: _Batch) -> dict[str, int]:
    unit_ids = read.records.catalogue.unit_ids
    ref_by_id = {uid: ref for ref, uid in unit_ids.items()}
    return {ref_by_id[uid]: pid for uid, pid in read.planned.items() if uid in ref_by_id}


def _progress(read: _Batch, settings: dict[str, int], today: date) -> ApprenticeProgress:
    records, facts = read.records, read.facts
    qual = records.catalogue.qual
    chosen = records.chosen_units
    result, rag = _progress_and_rag(read)
    in_scope = [u for u in qual.units if qual.is_mandatory(u.ref) or u.ref in chosen]
    the_map = unit_map(
        [
            MapPlacement(
                p.id,
                p.setting.organisation.name,
                p.setting.name,
                p.setting.setting_type,
                p.start_date,
                p.end_date,
            )
            for p in records.placements
        ],
        in_scope,
        _planned_refs(read),
        read.shared.affinity,
        facts.evidenced_in,
        facts.signed_off,
        today=records.as_of,
    )
    reviews = records.review_dates
    skills = read.skills
    return ApprenticeProgress(
        progress=result,
        rag=rag,
        unit_map=the_map,
        gateway=gateway_readiness(
            progress=result,
            care_certificate=records.care_certificate,
            off_the_job=records.off_the_job,
            start=records.apprentice.start_date,
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
    settings = get_settings(db)
    with db.reading() as session:
        apprentice = session.get(Apprentice, apprentice_id)
        if apprentice is None:
            raise NotFound("That apprentice no longer exists.")
        current = [c.unit.ref for c in apprentice.chosen_units]
        records = read_records(session, [apprentice_id], settings, date.today())
        catalogue = records[apprentice_id].catalogue
        shared = {catalogue.id: _shared(session, catalogue)}
        facts = _facts(session, [apprentice_id], records, shared)[apprentice_id]
    return what_if(catalogue.qual, current, proposed, set(facts.signed_off), facts.accepted_units)
