"""Read-only views of an apprentice's evidence: each piece with what it covers, its
files and its quality assurance samples, and each unit in scope with its criteria,
sign-off state and samples."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from assessor_app.services.errors import NotFound
from assessor_app.services.evidence import METHOD_LABELS, units_in_scope
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database
from assessor_app.store.models import (
    Apprentice,
    AssessmentCriterion,
    Evidence,
    EvidenceCoverage,
    IqaSample,
    LearningOutcome,
    Placement,
    Setting,
    UnitSignOff,
    User,
)

CONTEXT_LABELS = {
    "placement": "On placement",
    "off_the_job": "Off-the-job training",
    "college": "College",
}
# The evidence statuses record_iqa_sample accepts: an assessor has decided on them.
SAMPLED_STATUSES = ("accepted", "referred")


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    id: int
    name: str
    media_type: str
    size: int


@dataclass(frozen=True, slots=True)
class SampleRow:
    """An internal quality assurer's decision on an assessed piece or a signed-off unit."""

    id: int
    sampled_on: date
    decision: str  # 'agreed' or 'action_required'
    comments: str
    sampled_by: str


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    id: int
    on_date: date
    method: str
    title: str
    description: str
    context: str
    placement_id: int | None
    where: str  # the placement's setting and host, or the context in words
    witness_name: str
    witness_role: str
    status: str
    feedback: str
    assessed_by: str
    assessed_on: date | None
    # (unit reference, criterion number) pairs; None covers a unit as a whole.
    coverage: tuple[tuple[str, str | None], ...]
    attachments: tuple[AttachmentRow, ...]
    version: int
    samples: tuple[SampleRow, ...] = ()  # newest first

    @property
    def assessed(self) -> bool:
        """Accepted or referred: an assessor's decision a quality assurer may sample."""
        return self.status in SAMPLED_STATUSES

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.method, self.method.replace("_", " "))

    @property
    def covers_text(self) -> str:
        """'B4 1.1, 1.2; A2' - the units in the order given, criteria after each."""
        by_unit: dict[str, list[str]] = {}
        for ref, number in self.coverage:
            numbers = by_unit.setdefault(ref, [])
            if number is not None:
                numbers.append(number)
        return "; ".join(
            f"{ref} {', '.join(numbers)}" if numbers else ref for ref, numbers in by_unit.items()
        )


@dataclass(frozen=True, slots=True)
class CriterionInfo:
    number: str
    text: str
    covered: bool  # by accepted evidence


@dataclass(frozen=True, slots=True)
class UnitEvidenceState:
    ref: str
    title: str
    mandatory: bool
    criteria: tuple[CriterionInfo, ...]  # empty when the catalogue has none for the unit
    accepted_pieces: int
    signed_off_on: date | None
    signed_off_by: str
    samples: tuple[SampleRow, ...] = ()  # newest first, of every sign-off the unit had

    @property
    def covered(self) -> int:
        return sum(1 for c in self.criteria if c.covered)

    @property
    def ready(self) -> bool:
        """Accepted evidence covers every criterion (or the unit, when it has none)."""
        if self.criteria:
            return self.covered == len(self.criteria)
        return self.accepted_pieces > 0


@dataclass(frozen=True, slots=True)
class EvidenceBook:
    apprentice_id: int
    apprentice_name: str
    start_date: date
    version: int
    evidence: tuple[EvidenceRow, ...]  # newest first
    units: tuple[UnitEvidenceState, ...]  # catalogue order


def evidence_book(db: Database, actor: Actor, apprentice_id: int) -> EvidenceBook:
    """The apprentice's evidence and units, for the evidence tab and its editor."""
    actor.require(Permission.VIEW_RECORDS)
    with db.reading() as session:
        apprentice = session.get(Apprentice, apprentice_id)
        if apprentice is None:
            raise NotFound("That apprentice no longer exists.")
        names = {uid: name for uid, name in session.execute(select(User.id, User.display_name))}
        evidence_samples: dict[int, list[SampleRow]] = defaultdict(list)
        unit_samples: dict[int, list[SampleRow]] = defaultdict(list)
        for taken in session.scalars(
            select(IqaSample)
            .where(IqaSample.apprentice_id == apprentice_id)
            .order_by(IqaSample.sampled_on.desc(), IqaSample.id.desc())
        ):
            sample = SampleRow(
                id=taken.id,
                sampled_on=taken.sampled_on,
                decision=taken.decision,
                comments=taken.comments,
                sampled_by=names.get(taken.sampled_by_id, "") if taken.sampled_by_id else "",
            )
            if taken.evidence_id is not None:
                evidence_samples[taken.evidence_id].append(sample)
            if taken.unit_id is not None:
                unit_samples[taken.unit_id].append(sample)
        rows = session.scalars(
            select(Evidence)
            .where(Evidence.apprentice_id == apprentice_id)
            .options(
                selectinload(Evidence.coverage).selectinload(EvidenceCoverage.unit),
                selectinload(Evidence.coverage).selectinload(EvidenceCoverage.criterion),
                selectinload(Evidence.attachments),
                selectinload(Evidence.placement)
                .selectinload(Placement.setting)
                .selectinload(Setting.organisation),
            )
            .order_by(Evidence.on_date.desc(), Evidence.id.desc())
        ).all()
        evidence = tuple(
            EvidenceRow(
                id=e.id,
                on_date=e.on_date,
                method=e.method,
                title=e.title,
                description=e.description,
                context=e.context,
                placement_id=e.placement_id,
                where=(
                    f"{e.placement.setting.name}, {e.placement.setting.organisation.name}"
                    if e.placement is not None
                    else CONTEXT_LABELS.get(e.context, e.context)
                ),
                witness_name=e.witness_name,
                witness_role=e.witness_role,
                status=e.status,
                feedback=e.feedback,
                assessed_by=names.get(e.assessed_by_id, "") if e.assessed_by_id else "",
                assessed_on=e.assessed_on,
                coverage=tuple(
                    (c.unit.ref, c.criterion.number if c.criterion is not None else None)
                    for c in e.coverage
                ),
                attachments=tuple(
                    AttachmentRow(a.id, a.original_name, a.media_type, a.size)
                    for a in e.attachments
                ),
                version=e.version,
                samples=tuple(evidence_samples[e.id]),
            )
            for e in rows
        )
        units = sorted(
            units_in_scope(session, apprentice).values(), key=lambda u: (u.position, u.id)
        )
        criteria: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for unit_id, number, text in session.execute(
            select(LearningOutcome.unit_id, AssessmentCriterion.number, AssessmentCriterion.text)
            .join(AssessmentCriterion, AssessmentCriterion.outcome_id == LearningOutcome.id)
            .where(LearningOutcome.unit_id.in_([u.id for u in units]))
            .order_by(LearningOutcome.position, AssessmentCriterion.position)
        ):
            criteria[unit_id].append((number, text))
        signed = {
            s.unit_id: s
            for s in session.scalars(
                select(UnitSignOff).where(
                    UnitSignOff.apprentice_id == apprentice_id, UnitSignOff.revoked_on.is_(None)
                )
            )
        }
        mandatory = {u.id: u.group.mandatory for u in units}
        title = {u.id: u.title for u in units}
        accepted = [e for e in evidence if e.status == "accepted"]
        states = []
        for unit in units:
            covered = {n for e in accepted for ref, n in e.coverage if ref == unit.ref and n}
            pieces = sum(1 for e in accepted if any(ref == unit.ref for ref, _ in e.coverage))
            sign_off = signed.get(unit.id)
            states.append(
                UnitEvidenceState(
                    ref=unit.ref,
                    title=title[unit.id],
                    mandatory=mandatory[unit.id],
                    criteria=tuple(
                        CriterionInfo(number, text, number in covered)
                        for number, text in criteria[unit.id]
                    ),
                    accepted_pieces=pieces,
                    signed_off_on=sign_off.signed_off_on if sign_off else None,
                    signed_off_by=(
                        names.get(sign_off.signed_off_by_id or 0, sign_off.signed_off_by_name)
                        if sign_off
                        else ""
                    ),
                    samples=tuple(unit_samples[unit.id]),
                )
            )
        return EvidenceBook(
            apprentice_id=apprentice.id,
            apprentice_name=apprentice.full_name,
            start_date=apprentice.start_date,
            version=apprentice.version,
            evidence=evidence,
            units=tuple(states),
        )
