"""The database schema as SQLAlchemy 2.x typed models.

Schema changes go through Alembic migrations (store/migrations); rows people edit
carry a version number so a stale edit is refused instead of overwriting.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
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
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_signed_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
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


class AppSetting(Base):
    """A provider-wide setting (notice period, Care Certificate weeks...) as text."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Organisation(Base):
    """An employer, placement host, training provider or apprenticeship training agency."""

    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint("sector IN ('health', 'social_care', 'pvi')", name="sector_known"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    is_employer: Mapped[bool] = mapped_column(Boolean, default=False)
    is_host: Mapped[bool] = mapped_column(Boolean, default=False)
    is_training_provider: Mapped[bool] = mapped_column(Boolean, default=False)
    is_training_agency: Mapped[bool] = mapped_column(Boolean, default=False)
    sector: Mapped[str] = mapped_column(String(20))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    min_apprentice_age: Mapped[int | None] = mapped_column(Integer)
    capacity: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    settings: Mapped[list[Setting]] = relationship(
        back_populates="organisation", order_by="Setting.name"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Setting(Base):
    """A place within an organisation: a ward, a residential home, a day centre..."""

    __tablename__ = "setting"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    setting_type: Mapped[str] = mapped_column(String(40))
    location: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    organisation: Mapped[Organisation] = relationship(back_populates="settings")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Cohort(Base):
    __tablename__ = "cohort"
    __table_args__ = (
        CheckConstraint("contracted_hours_per_week > 0", name="hours_positive"),
        CheckConstraint("placement_count >= 1 AND placement_months >= 1", name="pattern_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    training_provider_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    qualification_id: Mapped[int] = mapped_column(ForeignKey("qualification.id"), index=True)
    awarding_body: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date] = mapped_column(Date)
    contracted_hours_per_week: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    off_the_job_pattern: Mapped[str] = mapped_column(String(120), default="")
    placement_count: Mapped[int] = mapped_column(Integer, default=5)
    placement_months: Mapped[int] = mapped_column(Integer, default=3)
    last_placement_pvi: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    employer: Mapped[Organisation] = relationship(foreign_keys=[employer_id])
    training_provider: Mapped[Organisation] = relationship(foreign_keys=[training_provider_id])
    qualification: Mapped[Qualification] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


APPRENTICE_STATUSES = ("active", "break_in_learning", "withdrawn", "transferred", "completed")


class Apprentice(Base):
    __tablename__ = "apprentice"
    __table_args__ = (
        CheckConstraint(
            "status IN ('active', 'break_in_learning', 'withdrawn', 'transferred', 'completed')",
            name="status_known",
        ),
        CheckConstraint("planned_end_date > start_date", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100), index=True)
    uln: Mapped[str | None] = mapped_column(String(10), unique=True)  # None: not yet known
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    planned_end_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    status_date: Mapped[date | None] = mapped_column(Date)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    employment_outcome: Mapped[str] = mapped_column(Text, default="")
    # Data protection: a legal hold stops erasure; an erasure request inside the
    # retention period restricts processing (view only) instead.
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    legal_hold_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    processing_restricted: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    restricted_on: Mapped[date | None] = mapped_column(Date)
    restriction_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    erased_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    cohort: Mapped[Cohort] = relationship()
    assessor: Mapped[User | None] = relationship()
    chosen_units: Mapped[list[ChosenUnit]] = relationship(cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class ChosenUnit(Base):
    """An optional unit an apprentice has chosen (mandatory units are implied)."""

    __tablename__ = "chosen_unit"
    __table_args__ = (UniqueConstraint("apprentice_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    apprentice_id: Mapped[int] = mapped_column(
        ForeignKey("apprentice.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)

    unit: Mapped[Unit] = relationship()


class Placement(Base):
    __tablename__ = "placement"
    __table_args__ = (CheckConstraint("end_date >= start_date", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    apprentice_id: Mapped[int] = mapped_column(ForeignKey("apprentice.id"), index=True)
    setting_id: Mapped[int] = mapped_column(ForeignKey("setting.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date, index=True)
    end_date: Mapped[date] = mapped_column(Date)
    working_days: Mapped[str] = mapped_column(String(120), default="")
    hours_per_week: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    mentor_name: Mapped[str] = mapped_column(String(200), default="")
    line_manager_name: Mapped[str] = mapped_column(String(200), default="")
    notice_sent_on: Mapped[date | None] = mapped_column(Date)
    review_meeting_on: Mapped[date | None] = mapped_column(Date)
    appraisal_received_on: Mapped[date | None] = mapped_column(Date)
    appraisal_summary: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    apprentice: Mapped[Apprentice] = relationship()
    setting: Mapped[Setting] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class CareCertificateCompletion(Base):
    __tablename__ = "care_certificate_completion"
    __table_args__ = (UniqueConstraint("apprentice_id", "standard_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    apprentice_id: Mapped[int] = mapped_column(ForeignKey("apprentice.id"), index=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("care_certificate_standard.id"))
    completed_on: Mapped[date] = mapped_column(Date)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    standard: Mapped[CareCertificateStandard] = relationship()
    signed_off_by: Mapped[User | None] = relationship()


class OffTheJobEntry(Base):
    __tablename__ = "off_the_job_entry"
    __table_args__ = (CheckConstraint("hours > 0 AND hours <= 24", name="hours_in_a_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    apprentice_id: Mapped[int] = mapped_column(ForeignKey("apprentice.id"), index=True)
    on_date: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    activity: Mapped[str] = mapped_column(String(60))
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Review(Base):
    """A progress review (about every 12 weeks) or a supervision note."""

    __tablename__ = "review"
    __table_args__ = (
        CheckConstraint("kind IN ('progress_review', 'supervision')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    apprentice_id: Mapped[int] = mapped_column(ForeignKey("apprentice.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    held_on: Mapped[date] = mapped_column(Date)
    conducted_by: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[str] = mapped_column(Text, default="")
    next_due_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


EVIDENCE_METHODS = (
    "observation",
    "witness_testimony",
    "professional_discussion",
    "questioning",
    "reflective_account",
    "product",
    "written_assignment",
    "recognition_of_prior_learning",
)
EVIDENCE_STATUSES = ("draft", "submitted", "accepted", "referred")


class Evidence(Base):
    """One piece of assessment evidence; it may cover criteria in several units."""

    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'submitted', 'accepted', 'referred')", name="status_known"
        ),
        CheckConstraint("context IN ('placement', 'off_the_job', 'college')", name="context_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    apprentice_id: Mapped[int] = mapped_column(ForeignKey("apprentice.id"), index=True)
    on_date: Mapped[date] = mapped_column(Date)
    context: Mapped[str] = mapped_column(String(20))
    placement_id: Mapped[int | None] = mapped_column(ForeignKey("placement.id"), index=True)
    method: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    witness_name: Mapped[str] = mapped_column(String(200), default="")
    witness_role: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    feedback: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    assessed_on: Mapped[date | None] = mapped_column(Date)
    # Set on evidence brought from another provider (a transfer): prior assessment.
    prior_provider: Mapped[str] = mapped_column(String(200), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    coverage: Mapped[list[EvidenceCoverage]] = relationship(cascade="all, delete-orphan")
    attachments: Mapped[list[Attachment]] = relationship(cascade="all, delete-orphan")
    placement: Mapped[Placement | None] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class EvidenceCoverage(Base):
    """A unit (as a whole, when criterion_id is empty) or one of its criteria that a
    piece of evidence covers."""

    __tablename__ = "evidence_coverage"
    __table_args__ = (UniqueConstraint("evidence_id", "unit_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("assessment_criterion.id"))

    unit: Mapped[Unit] = relationship()
    criterion: Mapped[AssessmentCriterion | None] = relationship()


class Attachment(Base):
    """A file kept in the content-addressed evidence store, named by its SHA-256."""

    __tablename__ = "attachment"
    __table_args__ = (UniqueConstraint("evidence_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class EvidenceBlob(Base):
    """An attachment's contents kept in the database itself, for shared PostgreSQL
    installs where every PC must see the same files (store/evidence_blobs.py)."""

    __tablename__ = "evidence_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UnitSignOff(Base):
    """An assessor's judgement that a unit is achieved; revoked only with a reason."""

    __tablename__ = "unit_sign_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    apprentice_id: Mapped[int] = mapped_column(ForeignKey("apprentice.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    signed_off_on: Mapped[date] = mapped_column(Date)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    signed_off_by_name: Mapped[str] = mapped_column(String(200))
    judgement: Mapped[str] = mapped_column(Text, default="")
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoked_by_name: Mapped[str] = mapped_column(String(200), default="")
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    # A sign-off made at another provider and brought in with a transfer.
    prior_provider: Mapped[str] = mapped_column(String(200), default="", server_default="")
    imported_on: Mapped[date | None] = mapped_column(Date)

    unit: Mapped[Unit] = relationship()


class PriorPlacement(Base):
    """A placement at another provider, kept as history: its host need not exist here."""

    __tablename__ = "prior_placement"

    id: Mapped[int] = mapped_column(primary_key=True)
    apprentice_id: Mapped[int] = mapped_column(
        ForeignKey("apprentice.id", ondelete="CASCADE"), index=True
    )
    provider: Mapped[str] = mapped_column(String(200))
    host: Mapped[str] = mapped_column(String(200))
    setting: Mapped[str] = mapped_column(String(200))
    setting_type: Mapped[str] = mapped_column(String(40), default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    mentor_name: Mapped[str] = mapped_column(String(200), default="")


class IqaSample(Base):
    """An internal quality assurer's sampling decision on a unit or a piece of evidence."""

    __tablename__ = "iqa_sample"
    __table_args__ = (
        CheckConstraint("decision IN ('agreed', 'action_required')", name="decision_known"),
        CheckConstraint("unit_id IS NOT NULL OR evidence_id IS NOT NULL", name="samples_something"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    apprentice_id: Mapped[int] = mapped_column(ForeignKey("apprentice.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    decision: Mapped[str] = mapped_column(String(20))
    comments: Mapped[str] = mapped_column(Text, default="")
    sampled_on: Mapped[date] = mapped_column(Date)
    sampled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class UnitPlan(Base):
    """The placement in which an apprentice's unit is planned to be evidenced."""

    __tablename__ = "unit_plan"
    __table_args__ = (UniqueConstraint("apprentice_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    apprentice_id: Mapped[int] = mapped_column(
        ForeignKey("apprentice.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"))


class CohortUnitPlan(Base):
    """A cohort's template: the placement period (1 = first) planned for each unit."""

    __tablename__ = "cohort_unit_plan"
    __table_args__ = (
        UniqueConstraint("cohort_id", "unit_id"),
        CheckConstraint("period >= 1", name="period_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    period: Mapped[int] = mapped_column(Integer)


class UnitSettingAffinity(Base):
    """How often a setting type offers the chance to evidence a unit (editable)."""

    __tablename__ = "unit_setting_affinity"
    __table_args__ = (
        UniqueConstraint("unit_id", "setting_type"),
        CheckConstraint("affinity IN ('often', 'sometimes', 'rarely')", name="affinity_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    setting_type: Mapped[str] = mapped_column(String(40))
    affinity: Mapped[str] = mapped_column(String(20))

    unit: Mapped[Unit] = relationship()


class FunctionalSkill(Base):
    """English or maths achieved (level and date), needed at the gateway."""

    __tablename__ = "functional_skill"
    __table_args__ = (
        UniqueConstraint("apprentice_id", "subject"),
        CheckConstraint("subject IN ('english', 'maths')", name="subject_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    apprentice_id: Mapped[int] = mapped_column(ForeignKey("apprentice.id"), index=True)
    subject: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(40))
    achieved_on: Mapped[date] = mapped_column(Date)
