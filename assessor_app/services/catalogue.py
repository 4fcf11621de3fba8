"""Catalogue use cases: install a qualification, correct a unit's credit value,
record barred pairs. Each checks the role, runs in one transaction and is audited.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assessor_app.domain import catalogue as domain
from assessor_app.domain.unit_map import SETTING_TYPES, Affinity, parse_affinity_csv
from assessor_app.domain.wording import plural
from assessor_app.services import audit
from assessor_app.services.errors import FieldError, NotFound, ServiceError, StaleEdit
from assessor_app.services.roles import SYSTEM, Actor, Permission
from assessor_app.store import models
from assessor_app.store.catalogue_files import (
    load_care_certificate_standards,
    load_default_affinity_text,
    load_default_catalogue,
)
from assessor_app.store.catalogue_rows import from_domain, load_qualification_row, to_domain_unit
from assessor_app.store.database import Database

MAX_UNIT_CREDITS = 60
MAX_RULE_CREDITS = 1000
MAX_GROUP_NAME = 200


def install_qualification(db: Database, actor: Actor, qual: domain.Qualification) -> None:
    """Add a whole qualification (units, groups, rules, barred pairs) to the catalogue."""
    actor.require(Permission.EDIT_CATALOGUE)
    with db.transaction() as session:
        _install(session, actor, qual)


def _install(session: Session, actor: Actor, qual: domain.Qualification) -> None:
    exists = session.scalar(
        select(models.Qualification.id).where(models.Qualification.code == qual.code)
    )
    if exists is not None:
        raise ServiceError(
            f"The catalogue already has a qualification with code {qual.code}; "
            "give the new one another code."
        )
    row = from_domain(qual)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "catalogue.install",
        "qualification",
        qual.code,
        title=qual.title,
        units=len(qual.units),
    )


def ensure_default_catalogue(db: Database) -> bool:
    """First run: load the Level 2 Diploma and the Care Certificate standards.

    Returns True when anything was installed. Safe to call on every start.
    """
    qual = load_default_catalogue()
    standards = load_care_certificate_standards()
    with db.transaction() as session:
        installed = False
        if session.scalar(select(func.count()).select_from(models.Qualification)) == 0:
            _install(session, SYSTEM, qual)
            installed = True
        if session.scalar(select(func.count()).select_from(models.UnitSettingAffinity)) == 0:
            installed |= _install_affinity(session, qual.code)
        if session.scalar(select(func.count()).select_from(models.CareCertificateStandard)) == 0:
            session.add_all(models.CareCertificateStandard(number=n, title=t) for n, t in standards)
            audit.record(
                session, SYSTEM, "catalogue.install", "care_certificate", standards=len(standards)
            )
            installed = True
        return installed


def _install_affinity(session: Session, code: str) -> bool:
    """The default table of how often each setting type offers each unit."""
    row = load_qualification_row(session, code)
    if row is None:
        return False
    units = [to_domain_unit(u) for u in row.units]
    table = parse_affinity_csv(load_default_affinity_text(), units)
    by_ref = {u.ref: u for u in row.units}
    session.add_all(
        models.UnitSettingAffinity(unit=by_ref[ref], setting_type=kind, affinity=level)
        for (ref, kind), level in table.items()
    )
    audit.record(
        session, SYSTEM, "catalogue.install", "unit_setting_affinity", code, rows=len(table)
    )
    return bool(table)


AFFINITY_LEVELS = tuple(level.value for level in Affinity)


def set_unit_affinities(
    db: Database,
    actor: Actor,
    qualification: str,
    ref: str,
    levels: Mapping[str, str | None],
) -> int:
    """Set how often each setting type offers the chance to evidence a unit (None
    clears one), all or nothing. Returns how many changed; each change is audited."""
    actor.require(Permission.EDIT_CATALOGUE)
    for setting_type, affinity in levels.items():
        if setting_type not in SETTING_TYPES:
            raise ServiceError(
                f"'{setting_type}' is not a setting type ({', '.join(SETTING_TYPES)})."
            )
        if affinity is not None and affinity not in AFFINITY_LEVELS:
            raise ServiceError("Affinity must be often, sometimes or rarely.")
    changed = 0
    with db.transaction() as session:
        unit = _unit_row(session, qualification, ref)
        rows = {
            row.setting_type: row
            for row in session.scalars(
                select(models.UnitSettingAffinity).where(
                    models.UnitSettingAffinity.unit_id == unit.id
                )
            )
        }
        for setting_type, affinity in levels.items():
            row = rows.get(setting_type)
            before = row.affinity if row is not None else None
            if before == affinity:
                continue
            if affinity is None:
                session.delete(row)
            elif row is None:
                session.add(
                    models.UnitSettingAffinity(
                        unit=unit, setting_type=setting_type, affinity=affinity
                    )
                )
            else:
                row.affinity = affinity
            changed += 1
            audit.record(
                session,
                actor,
                "catalogue.set_affinity",
                "unit",
                f"{qualification}/{ref}",
                setting_type=setting_type,
                changes={"affinity": [before, affinity]},
            )
    return changed


def set_unit_credits(
    db: Database,
    actor: Actor,
    qualification: str,
    ref: str,
    credits: int | None,
    status: domain.ValueStatus,
    *,
    expected_version: int | None = None,
) -> int:
    """Enter or correct a unit's credit value; returns the unit's new version.

    A value entered from the awarding body's specification is `confirmed`; one
    borrowed from a similar unit stays `indicative`; `missing` clears it.
    """
    actor.require(Permission.EDIT_CATALOGUE)
    if status is domain.ValueStatus.MISSING:
        if credits is not None:
            raise ServiceError("A unit whose value is missing cannot have credits; clear them.")
    elif credits is None:
        raise ServiceError(f"Enter the credits for a {status.value} value (a whole number).")
    elif not 1 <= credits <= MAX_UNIT_CREDITS:
        raise ServiceError(f"Credits must be between 1 and {MAX_UNIT_CREDITS}, not {credits}.")
    with db.transaction() as session:
        unit = _unit_row(session, qualification, ref)
        if expected_version is not None and unit.version != expected_version:
            raise StaleEdit(
                f"Unit {ref} was changed by someone else since you opened it; "
                "reload it and enter your change again."
            )
        before = {"credits": unit.credits, "value_status": unit.value_status}
        unit.credits = credits
        unit.value_status = status.value
        session.flush()
        audit.record(
            session,
            actor,
            "catalogue.set_unit_credits",
            "unit",
            f"{qualification}/{ref}",
            before=before,
            after={"credits": credits, "value_status": status.value},
        )
        return unit.version


def add_barred_pair(
    db: Database, actor: Actor, qualification: str, ref_a: str, ref_b: str, reason: str = ""
) -> None:
    """Record that two units may not both count towards the qualification."""
    actor.require(Permission.EDIT_CATALOGUE)
    if ref_a == ref_b:
        raise ServiceError("A unit cannot be barred with itself; choose two different units.")
    with db.transaction() as session:
        qual = load_qualification_row(session, qualification)
        if qual is None:
            raise NotFound(f"There is no qualification {qualification} in the catalogue.")
        a = _unit_row(session, qualification, ref_a)
        b = _unit_row(session, qualification, ref_b)
        for pair in qual.barred_pairs:
            if {pair.unit_a_id, pair.unit_b_id} == {a.id, b.id}:
                raise ServiceError(f"{ref_a} and {ref_b} are already a barred pair.")
        qual.barred_pairs.append(models.BarredPair(unit_a=a, unit_b=b, reason=reason.strip()))
        session.flush()
        audit.record(
            session,
            actor,
            "catalogue.add_barred_pair",
            "qualification",
            qualification,
            units=[ref_a, ref_b],
            reason=reason,
        )


def remove_barred_pair(
    db: Database, actor: Actor, qualification: str, ref_a: str, ref_b: str
) -> None:
    """Let two units count together again (the pair was recorded in error)."""
    actor.require(Permission.EDIT_CATALOGUE)
    with db.transaction() as session:
        qual = _qualification_row(session, qualification)
        refs = {ref_a, ref_b}
        for pair in qual.barred_pairs:
            if {pair.unit_a.ref, pair.unit_b.ref} == refs:
                reason = pair.reason
                qual.barred_pairs.remove(pair)
                session.flush()
                audit.record(
                    session,
                    actor,
                    "catalogue.remove_barred_pair",
                    "qualification",
                    qualification,
                    units=[ref_a, ref_b],
                    reason=reason,
                )
                return
        raise NotFound(f"{ref_a} and {ref_b} are not a barred pair in {qualification}.")


def set_credit_rule(
    db: Database,
    actor: Actor,
    qualification: str,
    scope: domain.RuleScope,
    min_credits: int | None,
    max_credits: int | None,
    *,
    group: str | None = None,
) -> None:
    """Set the limits of one rule of combination: the total, the optional units or
    one group (`group`). No minimum and no maximum removes the rule.

    Refused when the limits contradict each other or a group's minimum asks for
    more credits than its units hold, since no apprentice could then be valid.
    """
    actor.require(Permission.EDIT_CATALOGUE)
    field = "min_credits"
    for name, value in (("min_credits", min_credits), ("max_credits", max_credits)):
        if value is not None and not 0 <= value <= MAX_RULE_CREDITS:
            raise FieldError(
                name, f"Credits must be between 0 and {MAX_RULE_CREDITS}, not {value}."
            )
    if min_credits is not None and max_credits is not None and min_credits > max_credits:
        raise FieldError(
            field,
            f"The minimum ({min_credits}) is more than the maximum ({max_credits}); "
            "lower the minimum or raise the maximum.",
        )
    if (scope is domain.RuleScope.GROUP) != (group is not None):
        raise ServiceError("A group rule names its group; the total and optional rules do not.")
    with db.transaction() as session:
        qual = _qualification_row(session, qualification)
        group_row = None
        if group is not None:
            group_row = next((g for g in qual.groups if g.code == group), None)
            if group_row is None:
                raise NotFound(f"There is no group {group} in qualification {qualification}.")
            available = sum(u.credits or 0 for u in qual.units if u.group_id == group_row.id)
            if min_credits is not None and min_credits > available:
                raise FieldError(
                    field,
                    f"Group {group}'s units hold {available} credits in all, fewer than the "
                    f"minimum of {min_credits}; no choice of units could meet it.",
                )
        existing = next(
            (
                r
                for r in qual.rules
                if r.scope == scope.value and (r.group.code if r.group else None) == group
            ),
            None,
        )
        before = (
            None
            if existing is None
            else {"min_credits": existing.min_credits, "max_credits": existing.max_credits}
        )
        if min_credits is None and max_credits is None:
            if existing is None:
                return
            qual.rules.remove(existing)
        elif existing is None:
            qual.rules.append(
                models.CreditRule(
                    scope=scope.value,
                    group=group_row,
                    min_credits=min_credits,
                    max_credits=max_credits,
                    position=max((r.position for r in qual.rules), default=-1) + 1,
                )
            )
        else:
            existing.min_credits = min_credits
            existing.max_credits = max_credits
        session.flush()
        after = (
            None
            if min_credits is None and max_credits is None
            else {"min_credits": min_credits, "max_credits": max_credits}
        )
        audit.record(
            session,
            actor,
            "catalogue.set_credit_rule",
            "qualification",
            qualification,
            scope=scope.value,
            group=group,
            before=before,
            after=after,
        )


def rename_group(db: Database, actor: Actor, qualification: str, group: str, name: str) -> None:
    """Give a unit group a clearer name (its code, which rules refer to, stays)."""
    actor.require(Permission.EDIT_CATALOGUE)
    shown = name.strip()
    if not shown:
        raise FieldError("name", "Give the group a name, e.g. Optional units (health).")
    if len(shown) > MAX_GROUP_NAME:
        raise FieldError("name", f"A group name has at most {MAX_GROUP_NAME} characters.")
    with db.transaction() as session:
        qual = _qualification_row(session, qualification)
        row = next((g for g in qual.groups if g.code == group), None)
        if row is None:
            raise NotFound(f"There is no group {group} in qualification {qualification}.")
        before = row.name
        if before == shown:
            return
        row.name = shown
        session.flush()
        audit.record(
            session,
            actor,
            "catalogue.rename_group",
            "qualification",
            qualification,
            group=group,
            before=before,
            after=shown,
        )


def _qualification_row(session: Session, qualification: str) -> models.Qualification:
    qual = load_qualification_row(session, qualification)
    if qual is None:
        raise NotFound(f"There is no qualification {qualification} in the catalogue.")
    return qual


def _unit_row(session: Session, qualification: str, ref: str) -> models.Unit:
    unit = session.scalar(
        select(models.Unit)
        .join(models.Qualification)
        .where(models.Qualification.code == qualification, models.Unit.ref == ref)
    )
    if unit is None:
        raise NotFound(f"There is no unit {ref} in qualification {qualification}.")
    return unit


def add_learning_outcome(
    db: Database,
    actor: Actor,
    qualification: str,
    ref: str,
    number: str,
    text: str,
    criteria: list[tuple[str, str]],
) -> None:
    """A unit's learning outcome with its assessment criteria (number, text), as the
    awarding body's specification lists them; evidence is then mapped to criteria."""
    actor.require(Permission.EDIT_CATALOGUE)
    _check_outcome(number, text, criteria)
    with db.transaction() as session:
        add_learning_outcome_in_session(session, actor, qualification, ref, number, text, criteria)


def _check_outcome(number: str, text: str, criteria: list[tuple[str, str]]) -> None:
    if not number.strip() or not text.strip():
        raise ServiceError("A learning outcome needs a number and its text.")
    if not criteria or any(not n.strip() or not t.strip() for n, t in criteria):
        raise ServiceError("Give each assessment criterion a number and its text.")


def add_learning_outcome_in_session(
    session: Session,
    actor: Actor,
    qualification: str,
    ref: str,
    number: str,
    text: str,
    criteria: list[tuple[str, str]],
) -> None:
    """The addition inside a caller's transaction (an import runs many in one); the
    caller has checked the actor's permission."""
    _check_outcome(number, text, criteria)
    unit = _unit_row(session, qualification, ref)
    if any(o.number == number.strip() for o in unit.outcomes):
        raise ServiceError(f"Unit {ref} already has learning outcome {number}.")
    taken = {
        c.number
        for c in session.scalars(
            select(models.AssessmentCriterion)
            .join(models.LearningOutcome)
            .where(models.LearningOutcome.unit_id == unit.id)
        )
    }
    clash = sorted({n.strip() for n, _ in criteria} & taken)
    if clash or len({n.strip() for n, _ in criteria}) != len(criteria):
        repeated = ", ".join(clash) or "repeated"
        raise ServiceError(f"Criterion numbers must be unique within unit {ref}: {repeated}.")
    outcome = models.LearningOutcome(
        number=number.strip(), text=text.strip(), position=len(unit.outcomes)
    )
    outcome.criteria = [
        models.AssessmentCriterion(number=n.strip(), text=t.strip(), position=i)
        for i, (n, t) in enumerate(criteria)
    ]
    unit.outcomes.append(outcome)
    session.flush()
    audit.record(
        session,
        actor,
        "catalogue.add_learning_outcome",
        "unit",
        f"{qualification}/{ref}",
        outcome=number,
        criteria=[n for n, _ in criteria],
    )


def remove_learning_outcome(
    db: Database, actor: Actor, qualification: str, ref: str, number: str
) -> None:
    """Take a learning outcome and its criteria out of a unit (entered by mistake, or
    not in the specification). Refused while any evidence is recorded against one of
    its criteria: that evidence would lose what it shows."""
    actor.require(Permission.EDIT_CATALOGUE)
    with db.transaction() as session:
        unit = _unit_row(session, qualification, ref)
        outcome = next((o for o in unit.outcomes if o.number == number.strip()), None)
        if outcome is None:
            raise NotFound(f"Unit {ref} has no learning outcome {number}.")
        criteria = [c.id for c in outcome.criteria]
        pieces = session.scalar(
            select(func.count(func.distinct(models.EvidenceCoverage.evidence_id))).where(
                models.EvidenceCoverage.criterion_id.in_(criteria)
            )
        )
        if pieces:
            raise ServiceError(
                f"Outcome {outcome.number} of {ref} cannot be removed: "
                f"{plural(pieces, 'piece')} of evidence "
                f"{'is' if pieces == 1 else 'are'} recorded against its criteria."
            )
        unit.outcomes.remove(outcome)
        session.flush()
        audit.record(
            session,
            actor,
            "catalogue.remove_learning_outcome",
            "unit",
            f"{qualification}/{ref}",
            outcome=outcome.number,
            criteria=[c.number for c in outcome.criteria],
        )
