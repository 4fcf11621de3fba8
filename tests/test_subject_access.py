"""Subject access and transfer: one apprentice's package exported from one
installation and imported into another, with evidence, files and sign-offs kept
as prior assessment; damaged or foreign packages refused with nothing changed."""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from conftest import apprentice_input
from openpyxl import load_workbook
from sqlalchemy import func, select

from assessor_app.cli import main
from assessor_app.domain.progress import UnitStatus
from assessor_app.reports.subject_access import export_apprentice
from assessor_app.services.apprentices import choose_units, enrol_apprentice
from assessor_app.services.catalogue import add_learning_outcome, ensure_default_catalogue
from assessor_app.services.cohorts import CohortInput, create_cohort
from assessor_app.services.errors import ServiceError
from assessor_app.services.evidence import (
    EvidenceInput,
    assess_evidence,
    evidence_store,
    record_evidence,
    sign_off_unit,
    submit_evidence,
)
from assessor_app.services.organisations import OrganisationInput, create_organisation
from assessor_app.services.placements import PlacementInput, schedule_placement
from assessor_app.services.progress_queries import apprentice_progress
from assessor_app.services.progress_records import (
    complete_care_certificate_standard,
    log_off_the_job,
    record_review,
)
from assessor_app.services.roles import Actor, PermissionDenied, Role
from assessor_app.services.subject_access import PackageError, import_apprentice
from assessor_app.store import models
from assessor_app.store.database import open_database

ADMIN = Actor(None, "admin", Role.ADMIN)
COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
TUTOR = Actor(None, "tutor", Role.TUTOR)
ASSESSOR = Actor(None, "ash", Role.ASSESSOR)
TODAY = date(2026, 11, 23)
UNITS = ["B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13"]
PDF = b"%PDF-1.4\n% observation record\n"
PHOTO_NOTES = b"%PDF-1.4\n% second page of notes\n"
B4_CRITERIA = [
    ("1.1", "Explain what is meant by dementia"),
    ("1.2", "Describe the key functions of the brain"),
]


@pytest.fixture
def sam(db, world, tmp_path):
    """An apprentice with evidence (two files), two units signed off, Care Certificate,
    off-the-job hours and a review."""
    add_learning_outcome(db, ADMIN, "L2-CARE", "B4", "1", "Understand dementia", B4_CRITERIA)
    apprentice = enrol_apprentice(
        db, COORDINATOR, apprentice_input(world, email="sam.smith@example.org")
    )
    choose_units(db, TUTOR, apprentice, UNITS)
    placement = schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(
            apprentice, world["home"], date(2026, 1, 5), date(2026, 4, 4), mentor_name="Jo Khan"
        ),
    )
    record = tmp_path / "record.pdf"
    record.write_bytes(PDF)
    notes = tmp_path / "notes.pdf"
    notes.write_bytes(PHOTO_NOTES)
    piece = record_evidence(
        db,
        TUTOR,
        EvidenceInput(
            apprentice_id=apprentice,
            on_date=date(2026, 2, 10),
            method="observation",
            title="Supporting a resident at breakfast",
            placement_id=placement,
            coverage=[("B4", "1.1"), ("B4", "1.2"), ("A4", None)],
        ),
        [record, notes],
        today=TODAY,
    )
    submit_evidence(db, TUTOR, piece)
    assess_evidence(db, ASSESSOR, piece, accept=True, on=TODAY)
    sign_off_unit(db, ASSESSOR, apprentice, "B4", on=TODAY)
    sign_off_unit(db, ASSESSOR, apprentice, "A4", on=TODAY, judgement="Duty of care observed.")
    complete_care_certificate_standard(db, TUTOR, apprentice, 1, date(2026, 2, 1), today=TODAY)
    log_off_the_job(
        db, TUTOR, apprentice, date(2026, 2, 3), Decimal("7.5"), "taught session", today=TODAY
    )
    record_review(
        db,
        TUTOR,
        apprentice,
        "progress_review",
        date(2026, 3, 30),
        "Tina Tutor",
        "Good progress on dementia care.",
        today=TODAY,
    )
    return apprentice


@pytest.fixture
def other(tmp_path):
    """A second, fresh installation with the default catalogue and its own cohort."""
    db2 = open_database(str(tmp_path / "other" / "assessor.sqlite3"))
    ensure_default_catalogue(db2)
    add_learning_outcome(db2, ADMIN, "L2-CARE", "B4", "1", "Understand dementia", B4_CRITERIA)
    employer = create_organisation(
        db2,
        COORDINATOR,
        OrganisationInput("Northshire Care Ltd", "pvi", is_employer=True, is_host=True),
    )
    college = create_organisation(
        db2,
        COORDINATOR,
        OrganisationInput("Northshire College", "social_care", is_training_provider=True),
    )
    cohort = create_cohort(
        db2,
        COORDINATOR,
        CohortInput(
            "Northshire 2026", employer, college, "L2-CARE", date(2026, 1, 5), Decimal("37.5")
        ),
    )
    yield db2, cohort
    db2.dispose()


def count(db, model):
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_the_package_holds_everything_about_the_apprentice(db, sam, tmp_path):
    out = export_apprentice(db, ADMIN, sam, tmp_path / "sam.zip", today=TODAY)
    with zipfile.ZipFile(out) as package:
        names = set(package.namelist())
        record = json.loads(package.read("record.json"))
        assert package.read("progress-report.pdf").startswith(b"%PDF")
        assert package.read("attachments/1/record.pdf") == PDF
        assert package.read("attachments/1/notes.pdf") == PHOTO_NOTES
        workbook = load_workbook(BytesIO(package.read("record.xlsx")))
    assert {"record.json", "progress-report.pdf", "record.xlsx"} <= names
    assert record["format_version"] == 1
    assert record["schema_revision"]
    assert record["apprentice"]["uln"] == "9276308686"
    assert record["apprentice"]["email"] == "sam.smith@example.org"
    assert [s["unit"] for s in record["sign_offs"]] == ["B4", "A4"]
    [piece] = record["evidence"]
    assert {f["name"] for f in piece["attachments"]} == {"record.pdf", "notes.pdf"}
    assert piece["placement"] == 1
    assert record["placements"][0]["host"] == "Shire County Council"
    assert record["care_certificate"][0]["standard"] == 1
    assert record["off_the_job"][0]["hours"] == "7.50"
    assert record["reviews"][0]["summary"] == "Good progress on dementia care."
    assert "apprentice.enrol" in {e["action"] for e in record["audit"]}
    assert "placement.schedule" in {e["action"] for e in record["audit"]}
    details = {r[0]: r[1] for r in workbook["Personal details"].iter_rows(values_only=True)}
    assert details["family name"] == "Smith"
    assert details["uln"] == "9276308686"
    assert workbook["Sign-offs"].max_row == 3  # header and two sign-offs
    assert workbook["Audit trail"].max_row == len(record["audit"]) + 1
    with db.reading() as session:
        exported = session.scalars(
            select(models.AuditEntry).where(
                models.AuditEntry.action == "apprentice.subject_access_export"
            )
        ).one()
    assert exported.username == "admin"
    assert exported.entity_id == str(sam)
    assert "sam.zip" not in exported.detail  # where it went may name the person


def test_only_staff_who_may_see_the_audit_trail_export(db, sam, tmp_path):
    with pytest.raises(PermissionDenied):
        export_apprentice(db, COORDINATOR, sam, tmp_path / "sam.zip", today=TODAY)
    assert not (tmp_path / "sam.zip").exists()


def test_the_package_imports_into_another_installation_as_prior_assessment(
    db, sam, tmp_path, other
):
    db2, cohort = other
    package = export_apprentice(db, ADMIN, sam, tmp_path / "sam.zip", today=TODAY)
    summary = import_apprentice(db2, ADMIN, package, cohort, today=TODAY)

    assert summary.name == "Sam Smith"
    assert summary.from_provider == "Shire Adult Education"
    assert (summary.units_signed_off, summary.evidence, summary.attachments) == (2, 1, 2)
    with db2.reading() as session:
        apprentice = session.get(models.Apprentice, summary.apprentice_id)
        assert apprentice.uln == "9276308686"
        assert apprentice.cohort_id == cohort
        assert sorted(c.unit.ref for c in apprentice.chosen_units) == sorted(UNITS)
        [piece] = session.scalars(
            select(models.Evidence).where(models.Evidence.apprentice_id == apprentice.id)
        )
        assert piece.status == "accepted"
        assert piece.prior_provider == "Shire Adult Education"
        files = {a.original_name: a.sha256 for a in piece.attachments}
        sign_offs = list(
            session.scalars(
                select(models.UnitSignOff).where(models.UnitSignOff.apprentice_id == apprentice.id)
            )
        )
        signed_refs = {s.unit.ref for s in sign_offs}
        [prior] = session.scalars(select(models.PriorPlacement))
        assert (prior.host, prior.setting, prior.provider) == (
            "Shire County Council",
            "Oak Lodge",
            "Shire Adult Education",
        )
        # The sending provider's hosts do not join this provider's organisations.
        assert session.scalar(select(func.count()).select_from(models.Organisation)) == 2
    store = evidence_store(db2)
    assert store.read_verified(files["record.pdf"]) == PDF
    assert store.read_verified(files["notes.pdf"]) == PHOTO_NOTES
    assert signed_refs == {"B4", "A4"}
    for s in sign_offs:
        assert s.prior_provider == "Shire Adult Education"
        assert s.imported_on == TODAY
        assert s.signed_off_by_name == "ash (prior assessment, Shire Adult Education)"
    units = {
        u.ref: u
        for u in apprentice_progress(db2, ADMIN, summary.apprentice_id, today=TODAY).progress.units
    }
    assert units["B4"].status is UnitStatus.SIGNED_OFF
    assert units["A4"].status is UnitStatus.SIGNED_OFF
    assert "prior assessment" in units["B4"].message
    before = apprentice_progress(db, ADMIN, sam, today=TODAY).progress.achieved.total
    after = apprentice_progress(db2, ADMIN, summary.apprentice_id, today=TODAY)
    assert after.progress.achieved.total == before > 0
    assert count(db2, models.CareCertificateCompletion) == 1
    assert count(db2, models.OffTheJobEntry) == 1
    assert count(db2, models.Review) == 1
    with db2.reading() as session:
        imported = session.scalars(
            select(models.AuditEntry).where(
                models.AuditEntry.action == "apprentice.transfer_import"
            )
        ).one()
    assert json.loads(imported.detail)["from_provider"] == "Shire Adult Education"


def test_a_second_transfer_keeps_the_first_provider_named(db, sam, tmp_path, other):
    db2, cohort = other
    first = export_apprentice(db, ADMIN, sam, tmp_path / "sam.zip", today=TODAY)
    moved = import_apprentice(db2, ADMIN, first, cohort, today=TODAY)
    again = export_apprentice(db2, ADMIN, moved.apprentice_id, tmp_path / "again.zip", today=TODAY)
    with zipfile.ZipFile(again) as package:
        record = json.loads(package.read("record.json"))
    assert record["provider"] == "Northshire College"
    assert {s["prior_provider"] for s in record["sign_offs"]} == {"Shire Adult Education"}
    assert record["prior_placements"][0]["provider"] == "Shire Adult Education"


def rewrite(source: Path, target: Path, change) -> Path:
    """A copy of the package with each member's bytes passed through `change`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
    return target


def snapshot_counts(db):
    return [
        count(db, m)
        for m in (
            models.Apprentice,
            models.Evidence,
            models.Attachment,
            models.UnitSignOff,
            models.PriorPlacement,
            models.AuditEntry,
        )
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda name, data: data + b"tampered" if name == "attachments/1/notes.pdf" else data,
            "does not match the fingerprint",
        ),
        (
            lambda name, data: None if name == "attachments/1/record.pdf" else data,
            "has no attachments/1/record.pdf",
        ),
        (
            lambda name, data: data[:-40] if name == "record.json" else data,
            "record.json is not valid JSON",
        ),
        (
            lambda name, data: data.replace(b'"B4"', b'"Z9"') if name == "record.json" else data,
            "unit 'Z9', which is not in this installation",
        ),
        (
            lambda name, data: (
                data.replace(b'"status": "accepted"', b'"status": "lost"')
                if name == "record.json"
                else data
            ),
            "evidence item 1, field 'status'",
        ),
        (
            lambda name, data: (
                data.replace(b'"format_version": 1', b'"format_version": 9')
                if name == "record.json"
                else data
            ),
            "format version 9",
        ),
    ],
    ids=["altered file", "missing file", "cut record", "unknown unit", "bad value", "newer"],
)
def test_a_damaged_package_is_refused_and_nothing_changes(
    db, sam, tmp_path, other, change, message
):
    db2, cohort = other
    package = export_apprentice(db, ADMIN, sam, tmp_path / "sam.zip", today=TODAY)
    damaged = rewrite(package, tmp_path / "damaged.zip", change)
    before = snapshot_counts(db2)
    with pytest.raises(PackageError, match=message):
        import_apprentice(db2, ADMIN, damaged, cohort, today=TODAY)
    assert snapshot_counts(db2) == before


def test_a_truncated_or_foreign_zip_is_refused(db, sam, tmp_path, other):
    db2, cohort = other
    package = export_apprentice(db, ADMIN, sam, tmp_path / "sam.zip", today=TODAY)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(package.read_bytes()[: package.stat().st_size // 2])
    foreign = tmp_path / "photos.zip"
    with zipfile.ZipFile(foreign, "w") as z:
        z.writestr("record.json", json.dumps({"format": "something-else"}))
    before = snapshot_counts(db2)
    with pytest.raises(PackageError, match=r"cut\.zip is not a readable zip file"):
        import_apprentice(db2, ADMIN, cut, cohort, today=TODAY)
    with pytest.raises(PackageError, match=r"photos\.zip is not an Assessor apprentice package"):
        import_apprentice(db2, ADMIN, foreign, cohort, today=TODAY)
    assert snapshot_counts(db2) == before


def test_a_flipped_byte_inside_the_zip_is_caught(db, sam, tmp_path, other):
    db2, cohort = other
    package = export_apprentice(db, ADMIN, sam, tmp_path / "sam.zip", today=TODAY)
    data = bytearray(package.read_bytes())
    with zipfile.ZipFile(package) as z:
        info = z.getinfo("progress-report.pdf")
    data[info.header_offset + 30 + len(info.filename) + 40] ^= 0xFF
    broken = tmp_path / "broken.zip"
    broken.write_bytes(bytes(data))
    before = snapshot_counts(db2)
    with pytest.raises(PackageError, match="damaged"):
        import_apprentice(db2, ADMIN, broken, cohort, today=TODAY)
    assert snapshot_counts(db2) == before


def test_the_same_apprentice_cannot_be_imported_twice(db, sam, tmp_path, other):
    db2, cohort = other
    package = export_apprentice(db, ADMIN, sam, tmp_path / "sam.zip", today=TODAY)
    import_apprentice(db2, ADMIN, package, cohort, today=TODAY)
    before = snapshot_counts(db2)
    with pytest.raises(ServiceError, match="ULN 9276308686 already belongs to Sam Smith"):
        import_apprentice(db2, ADMIN, package, cohort, today=TODAY)
    assert snapshot_counts(db2) == before


def test_a_cohort_on_another_qualification_is_refused(db, sam, tmp_path, other):
    db2, cohort = other
    package = export_apprentice(db, ADMIN, sam, tmp_path / "sam.zip", today=TODAY)
    renamed = rewrite(
        package,
        tmp_path / "l3.zip",
        lambda name, data: (
            data.replace(b'"code": "L2-CARE"', b'"code": "L3-CARE"')
            if name == "record.json"
            else data
        ),
    )
    with pytest.raises(PackageError, match="Choose a cohort on the same qualification"):
        import_apprentice(db2, ADMIN, renamed, cohort, today=TODAY)
    assert count(db2, models.Apprentice) == 0


def run_cli(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_exports_and_imports(db, sam, tmp_path, other):
    db2, _cohort = other
    out = tmp_path / "sam.zip"
    code, printed, _ = run_cli(
        "--db", db.url, "apprentice", "export", "9276308686", "--out", str(out)
    )
    assert (code, printed.strip()) == (0, f"Written {out}")
    assert "record.json" in zipfile.ZipFile(out).namelist()
    code, printed, _ = run_cli(
        "--db", db2.url, "apprentice", "import", str(out), "--cohort", "northshire 2026"
    )
    assert code == 0
    assert "Imported Sam Smith" in printed
    assert "2 units signed off as prior assessment" in printed
    code, _, err = run_cli(
        "--db", db2.url, "apprentice", "import", str(out), "--cohort", "Northshire 2026"
    )
    assert code == 2
    assert "ULN 9276308686 already belongs to Sam Smith" in err
    code, _, err = run_cli(
        "--db", db2.url, "apprentice", "import", str(tmp_path / "none.zip"), "--cohort", "1"
    )
    assert code == 2
    assert "none.zip does not exist" in err
    code, _, err = run_cli("--db", db.url, "apprentice", "export", "Sam", "--out", str(out))
    assert code == 2
    assert "give the apprentice's number or their 10-digit ULN" in err
