"""Convert between catalogue rows in the database and the domain's plain values."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from assessor_app.domain import catalogue as domain
from assessor_app.store import models


def qualification_query(code: str) -> Select[Any]:
    return (
        select(models.Qualification)
        .where(models.Qualification.code == code)
        .options(
            selectinload(models.Qualification.groups),
            selectinload(models.Qualification.units).selectinload(models.Unit.group),
            selectinload(models.Qualification.rules).selectinload(models.CreditRule.group),
            selectinload(models.Qualification.barred_pairs).selectinload(models.BarredPair.unit_a),
            selectinload(models.Qualification.barred_pairs).selectinload(models.BarredPair.unit_b),
        )
    )


def load_qualification_row(session: Session, code: str) -> models.Qualification | None:
    return session.scalars(qualification_query(code)).one_or_none()


def to_domain_unit(row: models.Unit) -> domain.Unit:
    return domain.Unit(
        ref=row.ref,
        title=row.title,
        group=row.group.code,
        credits=row.credits,
        value_status=domain.ValueStatus(row.value_status),
        glh=row.glh,
        level=row.level,
        kind=row.kind,
        awarding_body_ref=row.awarding_body_ref,
        source_unit_ref=row.source_unit_ref,
        source=row.source,
    )


def to_domain(row: models.Qualification) -> domain.Qualification:
    return domain.Qualification(
        code=row.code,
        title=row.title,
        awarding_body=row.awarding_body,
        level=row.level,
        total_qualification_time=row.total_qualification_time,
        groups=tuple(
            domain.UnitGroup(code=g.code, name=g.name, mandatory=g.mandatory) for g in row.groups
        ),
        units=tuple(to_domain_unit(u) for u in row.units),
        rules=tuple(
            domain.CreditRule(
                scope=domain.RuleScope(r.scope),
                group=r.group.code if r.group else None,
                min_credits=r.min_credits,
                max_credits=r.max_credits,
            )
            for r in row.rules
        ),
        barred_pairs=tuple(
            domain.BarredPair(unit_a=p.unit_a.ref, unit_b=p.unit_b.ref, reason=p.reason)
            for p in row.barred_pairs
        ),
    )


def from_domain(qual: domain.Qualification) -> models.Qualification:
    row = models.Qualification(
        code=qual.code,
        title=qual.title,
        awarding_body=qual.awarding_body,
        level=qual.level,
        total_qualification_time=qual.total_qualification_time,
    )
    groups = {}
    for position, group in enumerate(qual.groups):
        groups[group.code] = models.UnitGroup(
            code=group.code, name=group.name, mandatory=group.mandatory, position=position
        )
        row.groups.append(groups[group.code])
    units = {}
    for position, unit in enumerate(qual.units):
        units[unit.ref] = models.Unit(
            ref=unit.ref,
            title=unit.title,
            group=groups[unit.group],
            credits=unit.credits,
            glh=unit.glh,
            level=unit.level,
            kind=unit.kind,
            value_status=unit.value_status.value,
            awarding_body_ref=unit.awarding_body_ref,
            source_unit_ref=unit.source_unit_ref,
            source=unit.source,
            position=position,
        )
        row.units.append(units[unit.ref])
    for position, rule in enumerate(qual.rules):
        row.rules.append(
            models.CreditRule(
                scope=rule.scope.value,
                group=groups[rule.group] if rule.group else None,
                min_credits=rule.min_credits,
                max_credits=rule.max_credits,
                position=position,
            )
        )
    for pair in qual.barred_pairs:
        row.barred_pairs.append(
            models.BarredPair(
                unit_a=units[pair.unit_a], unit_b=units[pair.unit_b], reason=pair.reason
            )
        )
    return row
