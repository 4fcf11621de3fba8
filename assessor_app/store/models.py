"""The database schema as SQLAlchemy 2.x typed models.

Schema changes go through Alembic migrations (store/migrations); rows people edit
carry a version number so a stale edit is refused instead of overwriting.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names keep migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Qualification(Base):
    __tablename__ = "qualification"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    awarding_body: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[int | None] = mapped_column(Integer)
    total_qualification_time: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)

    groups: Mapped[list[UnitGroup]] = relationship(
        back_populates="qualification", order_by="UnitGroup.position", cascade="all, delete-orphan"
    )
    units: Mapped[list[Unit]] = relationship(
        back_populates="qualification", order_by="Unit.position", cascade="all, delete-orphan"
    )
    rules: Mapped[list[CreditRule]] = relationship(
        order_by="CreditRule.position", cascade="all, delete-orphan"
    )
    barred_pairs: Mapped[list[BarredPair]] = relationship(cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class UnitGroup(Base):
    __tablename__ = "unit_group"
    __table_args__ = (UniqueConstraint("qualification_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    qualification_id: Mapped[int] = mapped_column(
        ForeignKey("qualification.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    qualification: Mapped[Qualification] = relationship(back_populates="groups")


class Unit(Base):
    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("qualification_id", "ref"),
        CheckConstraint("credits IS NULL OR credits >= 1", name="credits_positive"),
        CheckConstraint(
            "value_status IN ('confirmed', 'indicative', 'missing')", name="value_status_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    qualification_id: Mapped[int] = mapped_column(
        ForeignKey("qualification.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("unit_group.id"), index=True)
    ref: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    credits: Mapped[int | None] = mapped_column(Integer)
    glh: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40), default="")
    value_status: Mapped[str] = mapped_column(String(20))
    awarding_body_ref: Mapped[str] = mapped_column(String(40), default="")
    source_unit_ref: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)

    qualification: Mapped[Qualification] = relationship(back_populates="units")
    group: Mapped[UnitGroup] = relationship()
    outcomes: Mapped[list[LearningOutcome]] = relationship(
        order_by="LearningOutcome.position", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class CreditRule(Base):
    __tablename__ = "credit_rule"
    __table_args__ = (
        CheckConstraint("scope IN ('total', 'optional', 'group')", name="scope_known"),
        CheckConstraint("min_credits IS NOT NULL OR max_credits IS NOT NULL", name="has_a_limit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    qualification_id: Mapped[int] = mapped_column(
        ForeignKey("qualification.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(20))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("unit_group.id"))
    min_credits: Mapped[int | None] = mapped_column(Integer)
    max_credits: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)

    group: Mapped[UnitGroup | None] = relationship()


class BarredPair(Base):
    __tablename__ = "barred_pair"
    __table_args__ = (UniqueConstraint("unit_a_id", "unit_b_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    qualification_id: Mapped[int] = mapped_column(
        ForeignKey("qualification.id", ondelete="CASCADE"), index=True
    )
    unit_a_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    unit_b_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    reason: Mapped[str] = mapped_column(Text, default="")

    unit_a: Mapped[Unit] = relationship(foreign_keys=[unit_a_id])
    unit_b: Mapped[Unit] = relationship(foreign_keys=[unit_b_id])


class LearningOutcome(Base):
    __tablename__ = "learning_outcome"
    __table_args__ = (UniqueConstraint("unit_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    criteria: Mapped[list[AssessmentCriterion]] = relationship(
        order_by="AssessmentCriterion.position", cascade="all, delete-orphan"
    )


class AssessmentCriterion(Base):
    __tablename__ = "assessment_criterion"
    __table_args__ = (UniqueConstraint("outcome_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("learning_outcome.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class CareCertificateStandard(Base):
    __tablename__ = "care_certificate_standard"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AuditEntry(Base):
    """Who changed what and when; never updated or deleted."""

    __tablename__ = "audit_entry"
    # A record's history page looks entries up by what they changed.
    __table_args__ = (Index("ix_audit_entry_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    username: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(80), index=True)
    entity: Mapped[str] = mapped_column(String(80))
    entity_id: Mapped[str] = mapped_column(String(80), default="")
    detail: Mapped[str] = mapped_column(Text, default="{}")
