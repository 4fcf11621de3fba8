"""Subject access and transfer between providers.

Everything held about one apprentice goes into one package: a machine-readable
record.json (format version, schema revision, every record about them and the
audit entries that concern them), their evidence files under attachments/ by
original name and SHA-256, and the printable documents the reports layer adds
(progress report PDF, workbook of everything held).

The same package imports into another installation when an apprentice moves
provider. Their evidence and sign-offs arrive as prior assessment (from which
provider, imported when), so progress counts the units they achieved. Placements
arrive as history only (PriorPlacement rows with the host's name as text): the
hosts are the other provider's partners, and creating them as organisations here
would put strangers into the host lists, capacity checks and rotation planner.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from assessor_app.services import audit
from assessor_app.services.apprentices import ApprenticeInput, enrol_in_session
from assessor_app.services.errors import FieldError, NotFound, ServiceError
from assessor_app.services.evidence import evidence_store
from assessor_app.services.progress_queries import apprentice_progress
from assessor_app.services.progress_records import OFF_THE_JOB_ACTIVITIES, REVIEW_KINDS
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.database import Database, schema_revisions
from assessor_app.store.evidence_files import EvidenceFileError, StoredFile
from assessor_app.store.models import (
    EVIDENCE_METHODS,
    EVIDENCE_STATUSES,
    Apprentice,
    AssessmentCriterion,
    Attachment,
    AuditEntry,
    CareCertificateCompletion,
    CareCertificateStandard,
    ChosenUnit,
    Cohort,
    Evidence,
    EvidenceCoverage,
    FunctionalSkill,
    IqaSample,
    LearningOutcome,
    OffTheJobEntry,
    Placement,
    PriorPlacement,
    Review,
    Unit,
    UnitPlan,
    UnitSignOff,
    User,
)

FORMAT = "assessor-apprentice-record"
FORMAT_VERSION = 1
RECORD_NAME = "record.json"
ATTACHMENTS = "attachments/"
# A record.json larger than this is not one this application wrote.
MAX_RECORD_BYTES = 64 * 1024 * 1024
CONTEXTS = ("placement", "off_the_job", "college")


class PackageError(ServiceError):
    """A package that cannot be imported; the message names the file and what to do."""


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}


def attachment_path(evidence_number: int, name: str, sha256: str, taken: set[str]) -> str:
    """Where an attachment goes in the package: under its piece of evidence, by its
    original name (made safe for any file system), kept apart from a namesake."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .") or "file"
    path = f"{ATTACHMENTS}{evidence_number}/{safe}"
    if path in taken:
        path = f"{ATTACHMENTS}{evidence_number}/{sha256[:12]}-{safe}"
    taken.add(path)
    return path


def subject_access_record(
    db: Database, actor: Actor, apprentice_id: int, *, today: date | None = None
) -> dict[str, Any]:
    """Everything held about the apprentice as plain JSON-ready data."""
    actor.require(Permission.MANAGE_APPRENTICES)
    actor.require(Permission.VIEW_AUDIT)  # the package holds their audit entries
    today = today or date.today()
    progress = apprentice_progress(db, actor, apprentice_id, today=today).progress
    revision, _head = schema_revisions(db)
    with db.reading() as session:
        a = session.get(Apprentice, apprentice_id)
        if a is None:
            raise NotFound("That apprentice no longer exists.")
        cohort = a.cohort
        qual = cohort.qualification
        provider = cohort.training_provider.name
        placements = list(
            session.scalars(
                select(Placement)
                .where(Placement.apprentice_id == a.id)
                .order_by(Placement.start_date, Placement.id)
            )
        )
        placement_number = {p.id: n for n, p in enumerate(placements, start=1)}
        evidence = list(
            session.scalars(
                select(Evidence)
                .where(Evidence.apprentice_id == a.id)
                .order_by(Evidence.on_date, Evidence.id)
            )
        )
        sign_offs = list(
            session.scalars(
                select(UnitSignOff)
                .where(UnitSignOff.apprentice_id == a.id)
                .order_by(UnitSignOff.signed_off_on, UnitSignOff.id)
            )
        )
        users = _user_names(
            session, {e.assessed_by_id for e in evidence} | {e.created_by_id for e in evidence}
        )
        taken: set[str] = set()
        evidence_rows = []
        for n, e in enumerate(evidence, start=1):
            evidence_rows.append(
                {
                    "number": n,
                    "on_date": _iso(e.on_date),
                    "context": e.context,
                    "placement": placement_number.get(e.placement_id) if e.placement_id else None,
                    "method": e.method,
                    "title": e.title,
                    "description": e.description,
                    "witness_name": e.witness_name,
                    "witness_role": e.witness_role,
                    "status": e.status,
                    "feedback": e.feedback,
                    "recorded_by": users.get(e.created_by_id or 0, ""),
                    "assessed_by": users.get(e.assessed_by_id or 0, ""),
                    "assessed_on": _iso(e.assessed_on),
                    "prior_provider": e.prior_provider,
                    "covers": [
                        {
                            "unit": c.unit.ref,
                            "criterion": c.criterion.number if c.criterion else None,
                        }
                        for c in e.coverage
                    ],
                    "attachments": [
                        {
                            "name": f.original_name,
                            "sha256": f.sha256,
                            "media_type": f.media_type,
                            "size": f.size,
                            "added_at": _iso(f.added_at),
                            "path": attachment_path(n, f.original_name, f.sha256, taken),
                        }
                        for f in e.attachments
                    ],
                }
            )
        care = session.execute(
            select(CareCertificateCompletion, CareCertificateStandard)
            .join(CareCertificateStandard)
            .where(CareCertificateCompletion.apprentice_id == a.id)
            .order_by(CareCertificateStandard.number)
        ).all()
        care_users = _user_names(session, {c.signed_off_by_id for c, _s in care})
        otj = list(
            session.scalars(
                select(OffTheJobEntry)
                .where(OffTheJobEntry.apprentice_id == a.id)
                .order_by(OffTheJobEntry.on_date, OffTheJobEntry.id)
            )
        )
        reviews = list(
            session.scalars(
                select(Review).where(Review.apprentice_id == a.id).order_by(Review.held_on)
            )
        )
        skills = list(
            session.scalars(select(FunctionalSkill).where(FunctionalSkill.apprentice_id == a.id))
        )
        samples = list(
            session.scalars(
                select(IqaSample)
                .where(IqaSample.apprentice_id == a.id)
                .order_by(IqaSample.sampled_on)
            )
        )
        unit_refs = {i: ref for i, ref in session.execute(select(Unit.id, Unit.ref))}
        evidence_number = {e.id: n for n, e in enumerate(evidence, start=1)}
        plans = list(session.scalars(select(UnitPlan).where(UnitPlan.apprentice_id == a.id)))
        prior = list(
            session.scalars(
                select(PriorPlacement)
                .where(PriorPlacement.apprentice_id == a.id)
                .order_by(PriorPlacement.start_date)
            )
        )
        entries = list(
            session.scalars(
                select(AuditEntry)
                .where(
                    or_(
                        (AuditEntry.entity == "apprentice") & (AuditEntry.entity_id == str(a.id)),
                        (AuditEntry.entity == "placement")
                        & AuditEntry.entity_id.in_([str(p.id) for p in placements]),
                    )
                )
                .order_by(AuditEntry.id)
            )
        )
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_revision": revision,
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "exported_by": actor.username,
            "provider": provider,
            "qualification": {
                "code": qual.code,
                "title": qual.title,
                "awarding_body": cohort.awarding_body or qual.awarding_body,
            },
            "apprentice": {
                "given_name": a.given_name,
                "family_name": a.family_name,
                "uln": a.uln,
                "date_of_birth": _iso(a.date_of_birth),
                "email": a.email,
                "phone": a.phone,
                "address": a.address,
                "cohort": cohort.name,
                "employer": cohort.employer.name,
                "assessor": a.assessor.display_name if a.assessor else "",
                "start_date": _iso(a.start_date),
                "planned_end_date": _iso(a.planned_end_date),
                "status": a.status,
                "status_date": _iso(a.status_date),
                "status_reason": a.status_reason,
                "employment_outcome": a.employment_outcome,
                "legal_hold": a.legal_hold,
                "processing_restricted": a.processing_restricted,
                "restricted_on": _iso(a.restricted_on),
                "restriction_reason": a.restriction_reason,
            },
            "optional_units": sorted(c.unit.ref for c in a.chosen_units),
            "units": [
                {
                    "ref": u.ref,
                    "title": u.title,
                    "group": u.group,
                    "credits": u.credits,
                    "status": u.status.value,
                    "criteria_covered": u.criteria_covered,
                    "criteria_total": u.criteria_total,
                    "signed_off_on": _iso(u.signed_off_on),
                    "signed_off_by": u.signed_off_by,
                }
                for u in progress.units
            ],
            "placements": [
                {
                    "number": placement_number[p.id],
                    "host": p.setting.organisation.name,
                    "setting": p.setting.name,
                    "setting_type": p.setting.setting_type,
                    "location": p.setting.location,
                    "start_date": _iso(p.start_date),
                    "end_date": _iso(p.end_date),
                    "working_days": p.working_days,
                    "hours_per_week": str(p.hours_per_week) if p.hours_per_week else None,
                    "mentor_name": p.mentor_name,
                    "line_manager_name": p.line_manager_name,
                    "notice_sent_on": _iso(p.notice_sent_on),
                    "review_meeting_on": _iso(p.review_meeting_on),
                    "appraisal_received_on": _iso(p.appraisal_received_on),
                    "appraisal_summary": p.appraisal_summary,
                }
                for p in placements
            ],
            "prior_placements": [
                {
                    "provider": p.provider,
                    "host": p.host,
                    "setting": p.setting,
                    "setting_type": p.setting_type,
                    "start_date": _iso(p.start_date),
                    "end_date": _iso(p.end_date),
                    "mentor_name": p.mentor_name,
                }
                for p in prior
            ],
            "unit_plans": [
                {"unit": unit_refs[p.unit_id], "placement": placement_number.get(p.placement_id)}
                for p in plans
            ],
            "evidence": evidence_rows,
            "sign_offs": [
                {
                    "unit": s.unit.ref,
                    "signed_off_on": _iso(s.signed_off_on),
                    "signed_off_by": s.signed_off_by_name,
                    "judgement": s.judgement,
                    "revoked_on": _iso(s.revoked_on),
                    "revoked_by": s.revoked_by_name,
                    "revoke_reason": s.revoke_reason,
                    "prior_provider": s.prior_provider,
                    "imported_on": _iso(s.imported_on),
                }
                for s in sign_offs
            ],
            "care_certificate": [
                {
                    "standard": s.number,
                    "title": s.title,
                    "completed_on": _iso(c.completed_on),
                    "signed_off_by": care_users.get(c.signed_off_by_id or 0, ""),
                }
                for c, s in care
            ],
            "off_the_job": [
                {
                    "on_date": _iso(o.on_date),
                    "hours": str(o.hours),
                    "activity": o.activity,
                    "notes": o.notes,
                }
                for o in otj
            ],
            "reviews": [
                {
                    "kind": r.kind,
                    "held_on": _iso(r.held_on),
                    "conducted_by": r.conducted_by,
                    "summary": r.summary,
                    "actions": r.actions,
                    "next_due_on": _iso(r.next_due_on),
                }
                for r in reviews
            ],
            "functional_skills": [
                {"subject": s.subject, "level": s.level, "achieved_on": _iso(s.achieved_on)}
                for s in skills
            ],
            "quality_assurance": [
                {
                    "unit": unit_refs.get(s.unit_id) if s.unit_id else None,
                    "evidence": evidence_number.get(s.evidence_id) if s.evidence_id else None,
                    "decision": s.decision,
                    "comments": s.comments,
                    "sampled_on": _iso(s.sampled_on),
                }
                for s in samples
            ],
            "audit": [
                {
                    "at": _iso(e.at),
                    "user": e.username,
                    "action": e.action,
                    "entity": e.entity,
                    "entity_id": e.entity_id,
                    "detail": json.loads(e.detail or "{}"),
                }
                for e in entries
            ],
        }


def write_package(
    db: Database,
    actor: Actor,
    apprentice_id: int,
    record: Mapping[str, Any],
    documents: Mapping[str, Path],
    out_zip: Path,
) -> Path:
    """Write the package: record.json, the documents (name in the zip -> file) and every
    attachment, verified against its hash on the way out. The zip appears at `out_zip`
    only when complete; the export is audited (who, when, what, never where to)."""
    actor.require(Permission.MANAGE_APPRENTICES)
    actor.require(Permission.VIEW_AUDIT)
    attachments = [f for e in record["evidence"] for f in e["attachments"]]
    store = evidence_store(db) if attachments else None
    out_zip = Path(out_zip)
    fd, temp_name = tempfile.mkstemp(prefix=".export-", suffix=".zip", dir=out_zip.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as package:
            package.writestr(RECORD_NAME, json.dumps(record, indent=2, ensure_ascii=False))
            for name, path in documents.items():
                package.write(path, name)
            for f in attachments:
                assert store is not None
                try:
                    data = store.read_verified(f["sha256"], name=f["name"])
                except EvidenceFileError as exc:
                    raise ServiceError(
                        f"The package was not written: {exc} Restore the evidence folder from "
                        "a backup, then export again."
                    ) from None
                package.writestr(f["path"], data)
        digest = hashlib.sha256(temp.read_bytes()).hexdigest()
        os.replace(temp, out_zip)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    with db.transaction() as session:
        audit.record(
            session,
            actor,
            "apprentice.subject_access_export",
            "apprentice",
            apprentice_id,
            package_sha256=digest,
            attachments=len(attachments),
        )
    return out_zip


# ----------------------------------------------------------------------
# Import


@dataclass(frozen=True)
class ImportSummary:
    apprentice_id: int
    name: str
    from_provider: str
    units_signed_off: int
    evidence: int
    attachments: int
    prior_placements: int


class _Reader:
    """Typed access to record.json values, refusing a bad one with where it was."""

    def __init__(self, zip_name: str) -> None:
        self.zip_name = zip_name

    def fail(self, where: str, what: str) -> PackageError:
        return PackageError(
            f"{self.zip_name}: {RECORD_NAME}, {where}: {what}. The package is damaged or was "
            "not written by Assessor; ask the sending provider to export it again."
        )

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "expected a set of fields")
        return value

    def items(self, record: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
        value = record.get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, "expected a list")
        return [self.obj(v, f"{key} item {n}") for n, v in enumerate(value, start=1)]

    def text(self, row: Mapping[str, Any], key: str, where: str, *, max_length: int) -> str:
        value = row.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(f"{where}, field '{key}'", "expected text")
        if len(value) > max_length:
            raise self.fail(f"{where}, field '{key}'", f"longer than {max_length} characters")
        return value

    def day(self, row: Mapping[str, Any], key: str, where: str, *, required: bool) -> date | None:
        value = row.get(key)
        if value is None and not required:
            return None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(f"{where}, field '{key}'", f"'{value}' is not a date") from None

    def must_day(self, row: Mapping[str, Any], key: str, where: str) -> date:
        value = self.day(row, key, where, required=True)
        assert value is not None
        return value

    def choice(self, row: Mapping[str, Any], key: str, where: str, allowed: tuple[str, ...]) -> str:
        value = row.get(key)
        if value not in allowed:
            raise self.fail(f"{where}, field '{key}'", f"'{value}' is not one of {allowed}")
        return str(value)


@contextmanager
def _open_package(zip_path: Path) -> Iterator[zipfile.ZipFile]:
    name = zip_path.name
    if not zip_path.is_file():
        raise PackageError(f"{zip_path} does not exist or is not a file; check the path.")
    try:
        package = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageError(
            f"{name} is not a readable zip file ({exc}); it may be damaged or incomplete. "
            "Copy it again or ask the sending provider to export it again."
        ) from None
    with package:
        yield package


def _read_member(package: zipfile.ZipFile, member: str, zip_name: str, *, limit: int) -> bytes:
    try:
        info = package.getinfo(member)
    except KeyError:
        raise PackageError(
            f"{zip_name} has no {member}; it is not a complete Assessor apprentice package. "
            "Ask the sending provider to export it again."
        ) from None
    if info.file_size > limit:
        raise PackageError(f"{zip_name}: {member} is larger than a package entry can be.")
    try:
        return package.read(info)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
        raise PackageError(
            f"{zip_name}: {member} cannot be read ({exc}); the package is damaged. Copy it "
            "again or ask the sending provider to export it again."
        ) from None


def read_record(zip_path: Path) -> dict[str, Any]:
    """The package's record.json, checked to be ours and of a version we read."""
    zip_path = Path(zip_path)
    with _open_package(zip_path) as package:
        raw = _read_member(package, RECORD_NAME, zip_path.name, limit=MAX_RECORD_BYTES)
    return _parse_record(raw, zip_path.name)


def _parse_record(raw: bytes, zip_name: str) -> dict[str, Any]:
    try:
        record = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(
            f"{zip_name}: {RECORD_NAME} is not valid JSON ({exc}); the package is damaged."
        ) from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise PackageError(
            f"{zip_name} is not an Assessor apprentice package ({RECORD_NAME} does not say "
            f"format '{FORMAT}'). Import only packages exported by Assessor."
        )
    version = record.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise PackageError(
            f"{zip_name} is in package format version {version}; this version of Assessor "
            f"reads version {FORMAT_VERSION}. Update Assessor, then import it again."
        )
    return record


def _verified_files(
    db: Database, package: zipfile.ZipFile, zip_name: str, reader: _Reader, record: dict[str, Any]
) -> dict[str, StoredFile]:
    """Every attachment, checked against its recorded SHA-256 and put into the evidence
    store. Storing is content-addressed and idempotent, so files stored before a later
    refusal are harmless unreferenced copies."""
    wanted: dict[str, dict[str, Any]] = {}
    for n, e in enumerate(reader.items(record, "evidence"), start=1):
        for f in reader.items(e, "attachments"):
            sha = f.get("sha256")
            if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
                raise reader.fail(f"evidence item {n}, attachment", "no valid sha256")
            if not isinstance(f.get("path"), str) or not str(f["path"]).startswith(ATTACHMENTS):
                raise reader.fail(f"evidence item {n}, attachment", "no path in attachments/")
            wanted.setdefault(sha, f)
    if not wanted:
        return {}
    store = evidence_store(db)
    stored: dict[str, StoredFile] = {}
    with tempfile.TemporaryDirectory(prefix="assessor-import-") as work:
        for sha, f in wanted.items():
            member = str(f["path"])
            data = _read_member(package, member, zip_name, limit=store.max_bytes)
            if hashlib.sha256(data).hexdigest() != sha:
                raise PackageError(
                    f"{zip_name}: {member} does not match the fingerprint (SHA-256) recorded "
                    "for it: the file was changed or damaged after export. Nothing was "
                    "imported; ask the sending provider to export the package again."
                )
            folder = Path(work) / sha
            folder.mkdir()
            copy = folder / Path(member).name
            copy.write_bytes(data)
            try:
                stored[sha] = store.add(copy)
            except EvidenceFileError as exc:
                raise PackageError(f"{zip_name}: {member}: {exc}") from None
    return stored


def import_apprentice(
    db: Database, actor: Actor, zip_path: Path, cohort_id: int, *, today: date | None = None
) -> ImportSummary:
    """Create the apprentice from a package exported by another installation.

    Everything is checked, then written in one transaction: on any problem nothing
    is imported and the message says what is wrong with which part of the package.
    """
    actor.require(Permission.MANAGE_APPRENTICES)
    today = today or date.today()
    zip_path = Path(zip_path)
    zip_name = zip_path.name
    reader = _Reader(zip_name)
    with _open_package(zip_path) as package:
        record = _parse_record(
            _read_member(package, RECORD_NAME, zip_name, limit=MAX_RECORD_BYTES), zip_name
        )
        try:
            bad = package.testzip()
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError):
            bad = "one of its files"
        if bad is not None:
            raise PackageError(
                f"{zip_name}: {bad} is damaged (its checksum does not match). Copy the package "
                "again or ask the sending provider to export it again."
            )
        stored = _verified_files(db, package, zip_name, reader, record)
    with db.transaction() as session:
        return _import(session, actor, record, stored, reader, cohort_id, today)


def _import(
    session: Session,
    actor: Actor,
    record: dict[str, Any],
    stored: Mapping[str, StoredFile],
    reader: _Reader,
    cohort_id: int,
    today: date,
) -> ImportSummary:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise FieldError("cohort_id", "Choose the cohort the apprentice joins.")
    provider = reader.text(record, "provider", "top level", max_length=200).strip()
    if not provider:
        raise reader.fail("top level", "the sending provider is not named")
    qual_data = reader.obj(record.get("qualification"), "qualification")
    code = qual_data.get("code")
    if code != cohort.qualification.code:
        raise PackageError(
            f"The package's units are for {qual_data.get('title', code)} ({code}), but cohort "
            f"{cohort.name} is on {cohort.qualification.title} ({cohort.qualification.code}). "
            "Choose a cohort on the same qualification."
        )
    units = {
        u.ref: u
        for u in session.scalars(
            select(Unit).where(Unit.qualification_id == cohort.qualification_id)
        )
    }
    criteria: dict[tuple[str, str], AssessmentCriterion] = {
        (ref, c.number): c
        for ref, c in session.execute(
            select(Unit.ref, AssessmentCriterion)
            .join(LearningOutcome, LearningOutcome.unit_id == Unit.id)
            .join(AssessmentCriterion, AssessmentCriterion.outcome_id == LearningOutcome.id)
            .where(Unit.qualification_id == cohort.qualification_id)
        )
    }

    def unit(ref: Any, where: str) -> Unit:
        found = units.get(ref) if isinstance(ref, str) else None
        if found is None:
            raise PackageError(
                f"{reader.zip_name}: {where} names unit '{ref}', which is not in this "
                f"installation's {cohort.qualification.title}. Add the unit to the catalogue "
                "(or check the catalogue versions match), then import again."
            )
        return found

    person = reader.obj(record.get("apprentice"), "apprentice")
    data = ApprenticeInput(
        given_name=reader.text(person, "given_name", "apprentice", max_length=100),
        family_name=reader.text(person, "family_name", "apprentice", max_length=100),
        uln=reader.text(person, "uln", "apprentice", max_length=20),
        date_of_birth=reader.day(person, "date_of_birth", "apprentice", required=False),
        cohort_id=cohort.id,
        start_date=reader.must_day(person, "start_date", "apprentice"),
        planned_end_date=reader.must_day(person, "planned_end_date", "apprentice"),
        email=reader.text(person, "email", "apprentice", max_length=200),
        phone=reader.text(person, "phone", "apprentice", max_length=50),
        address=reader.text(person, "address", "apprentice", max_length=1000),
    )
    try:
        apprentice_id = enrol_in_session(session, actor, data)
    except FieldError as exc:
        raise PackageError(
            f"{reader.zip_name}: the apprentice cannot be added here: {exc}"
        ) from None
    apprentice = session.get(Apprentice, apprentice_id)
    assert apprentice is not None
    optional = record.get("optional_units", [])
    if not isinstance(optional, list):
        raise reader.fail("optional_units", "expected a list of unit references")
    for ref in dict.fromkeys(optional):
        picked = unit(ref, "optional_units")
        if not picked.group.mandatory:
            apprentice.chosen_units.append(ChosenUnit(unit=picked))

    prior = 0
    for n, p in enumerate(reader.items(record, "placements"), start=1):
        where = f"placements item {n}"
        session.add(_prior_placement(reader, apprentice_id, p, where, provider))
        prior += 1
    for n, p in enumerate(reader.items(record, "prior_placements"), start=1):
        where = f"prior_placements item {n}"
        earlier = reader.text(p, "provider", where, max_length=200) or provider
        session.add(_prior_placement(reader, apprentice_id, p, where, earlier))
        prior += 1

    attachments = 0
    pieces = reader.items(record, "evidence")
    for n, e in enumerate(pieces, start=1):
        where = f"evidence item {n}"
        coverage = []
        for c in reader.items(e, "covers"):
            covered = unit(c.get("unit"), where)
            number = c.get("criterion")
            criterion = None
            if number is not None:
                criterion = criteria.get((covered.ref, str(number)))
                if criterion is None:
                    raise PackageError(
                        f"{reader.zip_name}: {where} covers criterion {number} of unit "
                        f"{covered.ref}, which this installation's catalogue does not have. "
                        "Add the unit's learning outcomes, then import again."
                    )
            coverage.append(EvidenceCoverage(unit=covered, criterion=criterion))
        row = Evidence(
            apprentice_id=apprentice_id,
            on_date=reader.must_day(e, "on_date", where),
            context=reader.choice(e, "context", where, CONTEXTS),
            placement_id=None,  # placements came over as history only
            method=reader.choice(e, "method", where, EVIDENCE_METHODS),
            title=reader.text(e, "title", where, max_length=200) or "Evidence",
            description=reader.text(e, "description", where, max_length=20000),
            witness_name=reader.text(e, "witness_name", where, max_length=200),
            witness_role=reader.text(e, "witness_role", where, max_length=200),
            status=reader.choice(e, "status", where, EVIDENCE_STATUSES),
            feedback=reader.text(e, "feedback", where, max_length=10000),
            assessed_on=reader.day(e, "assessed_on", where, required=False),
            prior_provider=reader.text(e, "prior_provider", where, max_length=200) or provider,
            coverage=coverage,
        )
        for f in reader.items(e, "attachments"):
            file = stored[str(f["sha256"])]
            if all(x.sha256 != file.sha256 for x in row.attachments):
                row.attachments.append(
                    Attachment(
                        sha256=file.sha256,
                        original_name=reader.text(f, "name", where, max_length=300)
                        or file.original_name,
                        media_type=file.media_type,
                        size=file.size,
                        added_by_id=actor.user_id,
                    )
                )
                attachments += 1
        session.add(row)

    signed = 0
    for n, s in enumerate(reader.items(record, "sign_offs"), start=1):
        where = f"sign_offs item {n}"
        earlier = reader.text(s, "prior_provider", where, max_length=200)
        by = reader.text(s, "signed_off_by", where, max_length=120) or "assessor"
        revoked_on = reader.day(s, "revoked_on", where, required=False)
        session.add(
            UnitSignOff(
                apprentice_id=apprentice_id,
                unit=unit(s.get("unit"), where),
                signed_off_on=reader.must_day(s, "signed_off_on", where),
                signed_off_by_id=None,
                # Shown wherever the sign-off is: whose judgement it was, and where.
                signed_off_by_name=(by if earlier else f"{by} (prior assessment, {provider})")[
                    :200
                ],
                judgement=reader.text(s, "judgement", where, max_length=20000),
                revoked_on=revoked_on,
                revoked_by_name=reader.text(s, "revoked_by", where, max_length=200),
                revoke_reason=reader.text(s, "revoke_reason", where, max_length=5000),
                prior_provider=earlier or provider,
                imported_on=reader.day(s, "imported_on", where, required=False) or today,
            )
        )
        if revoked_on is None:
            signed += 1

    standards = {s.number: s for s in session.scalars(select(CareCertificateStandard))}
    for n, c in enumerate(reader.items(record, "care_certificate"), start=1):
        where = f"care_certificate item {n}"
        number = c.get("standard")
        standard = standards.get(number) if isinstance(number, int) else None
        if standard is None:
            raise reader.fail(where, f"there is no Care Certificate standard {c.get('standard')}")
        session.add(
            CareCertificateCompletion(
                apprentice_id=apprentice_id,
                standard_id=standard.id,
                completed_on=reader.must_day(c, "completed_on", where),
            )
        )
    for n, o in enumerate(reader.items(record, "off_the_job"), start=1):
        where = f"off_the_job item {n}"
        try:
            hours = Decimal(str(o.get("hours")))
        except InvalidOperation:
            raise reader.fail(where, f"'{o.get('hours')}' is not a number of hours") from None
        if not Decimal(0) < hours <= Decimal(24):
            raise reader.fail(where, f"{hours} hours is not between 0 and 24")
        session.add(
            OffTheJobEntry(
                apprentice_id=apprentice_id,
                on_date=reader.must_day(o, "on_date", where),
                hours=hours,
                activity=reader.choice(o, "activity", where, OFF_THE_JOB_ACTIVITIES),
                notes=reader.text(o, "notes", where, max_length=5000),
            )
        )
    for n, r in enumerate(reader.items(record, "reviews"), start=1):
        where = f"reviews item {n}"
        session.add(
            Review(
                apprentice_id=apprentice_id,
                kind=reader.choice(r, "kind", where, REVIEW_KINDS),
                held_on=reader.must_day(r, "held_on", where),
                conducted_by=reader.text(r, "conducted_by", where, max_length=200),
                summary=reader.text(r, "summary", where, max_length=20000),
                actions=reader.text(r, "actions", where, max_length=20000),
                next_due_on=reader.day(r, "next_due_on", where, required=False),
            )
        )
    seen_subjects: set[str] = set()
    for n, f in enumerate(reader.items(record, "functional_skills"), start=1):
        where = f"functional_skills item {n}"
        subject = reader.choice(f, "subject", where, ("english", "maths"))
        if subject in seen_subjects:
            raise reader.fail(where, f"{subject} is listed twice")
        seen_subjects.add(subject)
        session.add(
            FunctionalSkill(
                apprentice_id=apprentice_id,
                subject=subject,
                level=reader.text(f, "level", where, max_length=40),
                achieved_on=reader.must_day(f, "achieved_on", where),
            )
        )
    session.flush()
    audit.record(
        session,
        actor,
        "apprentice.transfer_import",
        "apprentice",
        apprentice_id,
        from_provider=provider,
        exported_at=record.get("exported_at"),
        units_signed_off=signed,
        evidence=len(pieces),
        attachments=attachments,
    )
    return ImportSummary(
        apprentice_id=apprentice_id,
        name=apprentice.full_name,
        from_provider=provider,
        units_signed_off=signed,
        evidence=len(pieces),
        attachments=attachments,
        prior_placements=prior,
    )


def _prior_placement(
    reader: _Reader, apprentice_id: int, p: Mapping[str, Any], where: str, provider: str
) -> PriorPlacement:
    start = reader.must_day(p, "start_date", where)
    end = reader.must_day(p, "end_date", where)
    if end < start:
        raise reader.fail(where, "the placement ends before it starts")
    return PriorPlacement(
        apprentice_id=apprentice_id,
        provider=provider,
        host=reader.text(p, "host", where, max_length=200),
        setting=reader.text(p, "setting", where, max_length=200),
        setting_type=reader.text(p, "setting_type", where, max_length=40),
        start_date=start,
        end_date=end,
        mentor_name=reader.text(p, "mentor_name", where, max_length=200),
    )
