"""Backups: the daily one and its rotation, portable backups restored with every row and
evidence file intact, refusals that change nothing, and a damaged database on start."""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import NO_POSTGRES, POSTGRES_URL, apprentice_input, postgres_admin, postgres_url
from sqlalchemy import select

from assessor_app.cli import main
from assessor_app.services.app_settings import change_setting
from assessor_app.services.apprentices import choose_units, enrol_apprentice
from assessor_app.services.backups import (
    DamagedDatabaseError,
    export_backup,
    replace_damaged_database,
    restore_database,
)
from assessor_app.services.errors import ServiceError
from assessor_app.services.evidence import (
    EvidenceInput,
    assess_evidence,
    evidence_store,
    record_evidence,
    submit_evidence,
)
from assessor_app.services.placements import PlacementInput, schedule_placement
from assessor_app.services.roles import Actor, PermissionDenied, Role
from assessor_app.startup import open_app_database
from assessor_app.store import models
from assessor_app.store.backups import automatic_backups, daily_backup, prune_backups
from assessor_app.store.database import Database, open_database
from assessor_app.store.portable_export import PortableExportError, data_tables, load_export

ADMIN = Actor(None, "admin", Role.ADMIN)
COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
ASSESSOR = Actor(None, "ash", Role.ASSESSOR)
PDF = b"%PDF-1.4\n% observation record\n"
NOTES = "Witness notes: Mrs B. said Sam was patient and kind. £5 café ✓\n".encode()


@pytest.fixture
def filled(db, world, tmp_path) -> Database:
    """A database with an apprentice, a placement, assessed evidence and two files."""
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    choose_units(db, ASSESSOR, apprentice, ["B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13"])
    placement = schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(
            apprentice, world["home"], date(2026, 1, 5), date(2026, 4, 4), mentor_name="Jo Khan"
        ),
    )
    (tmp_path / "obs.pdf").write_bytes(PDF)
    (tmp_path / "notes.txt").write_bytes(NOTES)
    piece = record_evidence(
        db,
        ASSESSOR,
        EvidenceInput(
            apprentice_id=apprentice,
            on_date=date(2026, 2, 10),
            method="observation",
            title="Supporting a resident at breakfast",
            placement_id=placement,
            description="Line one\nline two, with “quotes” and é",
            coverage=[("A4", None)],
        ),
        [tmp_path / "obs.pdf", tmp_path / "notes.txt"],
        today=date(2026, 11, 23),
    )
    submit_evidence(db, ASSESSOR, piece)
    assess_evidence(db, ASSESSOR, piece, accept=True, feedback="Well evidenced.")
    change_setting(db, ADMIN, "backups_to_keep", 5)
    return db


def _plain(value: Any) -> Any:
    # PostgreSQL hands back aware datetimes, SQLite naive UTC ones: compare instants.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def content(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, in primary-key order."""
    tables = {}
    with db.engine.connect() as conn:
        for table in data_tables():
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            tables[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    return tables


def attachment_hashes(db: Database) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(models.Attachment.sha256)))


def test_a_portable_backup_restores_every_row_and_every_evidence_file(filled, tmp_path):
    out = tmp_path / "backup.zip"
    before = content(filled)
    summary = export_backup(filled, ADMIN, out)
    assert content(filled)["audit_entry"][-1]["action"] == "database.backup"
    assert summary.evidence_files == 2
    assert summary.rows["evidence"] == 1 and summary.rows["attachment"] == 2

    target = tmp_path / "restored" / "assessor.sqlite3"
    outcome = restore_database(str(target), out, ADMIN, tmp_path / "backups")
    assert outcome.rows == summary.total_rows and outcome.evidence_files == 2
    assert outcome.replaced is None

    restored = open_database(str(target))
    try:
        after = content(restored)
        # Restoring is itself audited: one entry more, after everything that was there.
        restore_entry = after["audit_entry"].pop()
        assert restore_entry["action"] == "database.restore"
        assert after == before
        assert sum(len(rows) for rows in before.values()) > 200  # the catalogue and more
        hashes = attachment_hashes(restored)
        store = evidence_store(restored)
        assert sorted(store.read_verified(h) for h in hashes) == sorted([PDF, NOTES])
    finally:
        restored.dispose()


@pytest.fixture
def empty_server_database() -> Iterator[str]:
    """A new, empty PostgreSQL database (no schema at all)."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    name = f"assessor_restore_{uuid.uuid4().hex[:12]}"
    postgres_admin(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url(name)
    finally:
        postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_portable_backup_loads_into_an_empty_server_database(
    filled, tmp_path, empty_server_database
):
    out = tmp_path / "backup.zip"
    before = content(filled)
    export_backup(filled, ADMIN, out)
    restore_database(empty_server_database, out, ADMIN, tmp_path / "backups")
    restored = open_database(empty_server_database)
    try:
        after = content(restored)
        assert after["audit_entry"].pop()["action"] == "database.restore"
        assert after == before
        store = evidence_store(restored)
        hashes = attachment_hashes(restored)
        assert sorted(store.read_verified(h) for h in hashes) == sorted([PDF, NOTES])
        # Ids carry on after the restored ones rather than colliding with them.
        enrol_apprentice(
            restored,
            COORDINATOR,
            apprentice_input(
                {"cohort": before["cohort"][0]["id"]}, uln="9999999999", family_name="Jones"
            ),
        )
    finally:
        restored.dispose()


def test_restore_refuses_a_database_that_holds_records_and_changes_nothing(
    filled, tmp_path, app_paths
):
    out = tmp_path / "backup.zip"
    export_backup(filled, ADMIN, out)
    before = content(filled)
    with pytest.raises(PortableExportError, match="is not empty"):
        load_export(filled, out, lambda: evidence_store(filled))
    assert content(filled) == before
    if filled.path is not None:
        with pytest.raises(ServiceError, match=r"already holds records.*--replace"):
            restore_database(str(filled.path), out, ADMIN, app_paths.backups)
        assert content(filled) == before


def test_restore_with_replace_keeps_the_old_database_aside(filled, tmp_path, app_paths):
    if filled.path is None:
        pytest.skip("replacing applies to SQLite files")
    out = tmp_path / "backup.zip"
    export_backup(filled, ADMIN, out)
    path = filled.path
    filled.dispose()
    outcome = restore_database(str(path), out, ADMIN, app_paths.backups, replace=True)
    assert outcome.replaced is not None and outcome.replaced.name.startswith(path.name)
    assert outcome.replaced.is_file()
    db = open_database(str(path))
    try:
        with db.reading() as session:
            assert session.scalar(select(models.Evidence.title)) == (
                "Supporting a resident at breakfast"
            )
    finally:
        db.dispose()


def test_only_an_administrator_backs_up(filled, tmp_path):
    with pytest.raises(PermissionDenied):
        export_backup(filled, ASSESSOR, tmp_path / "backup.zip")
    assert not (tmp_path / "backup.zip").exists()


def _rewrite(source: Path, out: Path, change) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            new.writestr(item, change(item.filename, old.read(item.filename)))


def test_an_export_from_a_newer_version_or_altered_is_refused(filled, tmp_path):
    out = tmp_path / "backup.zip"
    export_backup(filled, ADMIN, out)

    def newer(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["schema_revision"] = "9999"
        manifest["app_version"] = "9.0"
        return json.dumps(manifest).encode()

    _rewrite(out, tmp_path / "newer.zip", newer)
    target = tmp_path / "new" / "a.sqlite3"
    with pytest.raises(ServiceError, match=re.escape("newer version of Assessor (9.0)")):
        restore_database(str(target), tmp_path / "newer.zip", ADMIN, tmp_path / "b")
    assert not target.exists()

    def altered(name: str, data: bytes) -> bytes:
        return data + b"tampered" if name.startswith("evidence/") else data

    _rewrite(out, tmp_path / "altered.zip", altered)
    with pytest.raises(ServiceError, match="altered since the export"):
        restore_database(str(target), tmp_path / "altered.zip", ADMIN, tmp_path / "b")
    assert not target.exists()

    (tmp_path / "junk.zip").write_bytes(b"not a zip at all")
    with pytest.raises(ServiceError, match=re.escape("junk.zip is not an Assessor export")):
        restore_database(str(target), tmp_path / "junk.zip", ADMIN, tmp_path / "b")


def _fake_backup(folder: Path, stem: str, when: datetime, reason: str = "daily") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}-{when:%Y%m%d-%H%M%S}-{reason}.sqlite3"
    path.write_bytes(b"")
    return path


def test_rotation_keeps_only_the_newest_backups_of_that_database(tmp_path):
    folder = tmp_path / "backups"
    start = datetime(2026, 11, 1, 9, 0)
    made = [_fake_backup(folder, "assessor", start + timedelta(days=n)) for n in range(6)]
    other = _fake_backup(folder, "demo", start)
    mine = (folder / "notes.txt", folder / "assessor-final.sqlite3")
    for path in mine:
        path.write_text("kept")

    deleted = prune_backups(folder, Path("assessor.sqlite3"), keep=4)

    assert deleted == made[:2]
    assert [b.path for b in automatic_backups(folder, Path("assessor.sqlite3"))] == made[2:]
    assert other.exists() and all(path.exists() for path in mine)


def test_the_first_start_of_the_day_backs_up_once_keeping_the_setting(app_paths):
    open_app_database(app_paths).dispose()  # a new database: nothing to back up yet
    assert automatic_backups(app_paths.backups, app_paths.database) == []

    db = open_app_database(app_paths)
    db.dispose()
    db = open_app_database(app_paths)
    [first] = automatic_backups(app_paths.backups, app_paths.database)
    assert first.reason == "daily" and first.taken_at.date() == date.today()

    change_setting(db, ADMIN, "backups_to_keep", 3)
    try:
        for days in range(1, 6):
            made = daily_backup(
                db, app_paths.backups, keep=3, today=date.today() + timedelta(days=days)
            )
            assert made is not None
        assert len(automatic_backups(app_paths.backups, app_paths.database)) == 3
    finally:
        db.dispose()


def _damage_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(2 * page, min(len(data), 12 * page), page):
        data[offset : offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


def test_a_damaged_database_is_refused_on_start_offering_the_latest_good_backup(
    app_paths, world, db
):
    if db.path is None:
        pytest.skip("the start-up check is for SQLite files")
    enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    db.dispose()
    good = open_app_database(app_paths)  # the day's first start on an existing file
    good.dispose()
    [backup] = automatic_backups(app_paths.backups, app_paths.database)
    # A later backup that is itself damaged must be passed over.
    bad = app_paths.backups / f"assessor-{datetime.now() + timedelta(minutes=1):%Y%m%d-%H%M%S}"
    bad = bad.with_name(bad.name + "-daily.sqlite3")
    bad.write_bytes(backup.path.read_bytes())
    _damage_pages(bad)

    _damage_pages(app_paths.database)
    with pytest.raises(DamagedDatabaseError) as refused:
        open_app_database(app_paths)
    assert refused.value.backup is not None and refused.value.backup.path == backup.path
    assert str(app_paths.database) in str(refused.value)
    assert f"latest good backup is {backup.path}" in str(refused.value)

    kept = replace_damaged_database(app_paths.database, backup.path)
    assert kept is not None and kept.is_file()
    db = open_app_database(app_paths)
    try:
        with db.reading() as session:
            assert session.scalar(select(models.Apprentice.family_name)) == "Smith"
    finally:
        db.dispose()


def test_a_file_that_is_not_a_database_is_refused_with_a_message(app_paths, capsys):
    app_paths.data_dir.mkdir(parents=True)
    app_paths.database.write_bytes(b"this is a letter, not a database" * 200)
    with pytest.raises(DamagedDatabaseError, match="No backup of it was found"):
        open_app_database(app_paths)
    assert main(["backup", "--out", str(app_paths.data_dir / "x.zip")]) == 2
    err = capsys.readouterr().err
    assert "not a readable Assessor database" in err and "Traceback" not in err


def test_db_check_lists_altered_and_missing_evidence_files(filled, capsys):
    if filled.path is None:
        pytest.skip("the evidence folder belongs to SQLite installs")
    target = str(filled.path)
    assert main(["--db", target, "db", "check"]) == 0
    assert "Evidence files checked: 2" in capsys.readouterr().out

    store = evidence_store(filled)
    with filled.reading() as session:
        files = {
            k: v
            for k, v in session.execute(
                select(models.Attachment.original_name, models.Attachment.sha256)
            )
        }
    store.path_for(files["obs.pdf"]).write_bytes(PDF + b"changed")
    store.path_for(files["notes.txt"]).unlink()
    assert main(["--db", target, "db", "check"]) == 1
    out = capsys.readouterr().out
    problems = [line for line in out.splitlines() if line.startswith("  - ")]
    assert len(problems) == 2
    assert any("obs.pdf" in line and "altered" in line for line in problems), out
    assert any("notes.txt" in line and "missing" in line.lower() for line in problems), out


def test_backup_and_restore_from_the_command_line(filled, tmp_path, capsys):
    if filled.path is None:
        pytest.skip("the command line test uses SQLite files")
    source = str(filled.path)
    zipped, copied = tmp_path / "all.zip", tmp_path / "copy.sqlite3"
    assert main(["--db", source, "backup", "--out", str(zipped)]) == 0
    assert "2 evidence files" in capsys.readouterr().out
    assert main(["--db", source, "backup", "--out", str(copied)]) == 0
    assert main(["--db", source, "backup", "--out", str(tmp_path / "x.tar")]) == 2
    assert "ending in .zip or .sqlite3" in capsys.readouterr().err

    assert main(["--db", source, "restore", str(zipped)]) == 2
    assert "already holds records" in capsys.readouterr().err

    for n, backup in enumerate((zipped, copied)):
        target = tmp_path / f"restored{n}" / "assessor.sqlite3"
        assert main(["--db", str(target), "restore", str(backup)]) == 0
        assert main(["--db", str(target), "db", "check"]) == (0 if n == 0 else 1)
        out = capsys.readouterr().out
        assert "Restored" in out


def test_a_backup_into_a_file_posing_as_a_folder_is_explained(filled, tmp_path, capsys):
    if filled.path is None:
        pytest.skip("the command line test uses SQLite files")
    (tmp_path / "not-a-folder").write_text("x")
    out = tmp_path / "not-a-folder" / "all.zip"
    assert main(["--db", str(filled.path), "backup", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "not-a-folder" in err and "Traceback" not in err


@pytest.fixture
def inline_tasks():
    from assessor_app.ui import workers

    workers.use_pool(workers.InlinePool())
    yield
    workers.use_pool(None)


def _damaged_with_backup(app_paths) -> DamagedDatabaseError:
    open_app_database(app_paths).dispose()
    open_app_database(app_paths).dispose()  # the day's backup of an existing file
    _damage_pages(app_paths.database)
    with pytest.raises(DamagedDatabaseError) as refused:
        open_app_database(app_paths)
    return refused.value


def test_the_window_offers_the_latest_good_backup_and_restores_it(qtbot, app_paths, inline_tasks):
    from assessor_app.ui.dialogs.damaged_database import DamagedDatabaseDialog
    from assessor_app.ui.qt import QDialog

    error = _damaged_with_backup(app_paths)
    dialog = DamagedDatabaseDialog(error)
    qtbot.addWidget(dialog)
    assert str(app_paths.database) in dialog.message.text()
    assert "Restore the latest good backup" in dialog.offer.text()
    assert dialog.restore_button is not None and dialog.restore_button.isEnabled()

    dialog.restore_button.click()

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert list(app_paths.data_dir.glob("assessor.sqlite3.damaged-*"))
    open_app_database(app_paths).dispose()  # sound again


def test_without_a_backup_the_window_only_explains_and_run_app_exits(qtbot, app_paths, monkeypatch):
    from assessor_app.ui import app as ui_app
    from assessor_app.ui.dialogs.damaged_database import DamagedDatabaseDialog
    from assessor_app.ui.qt import QDialog, QMessageBox

    app_paths.data_dir.mkdir(parents=True)
    app_paths.database.write_bytes(b"not a database " * 300)
    with pytest.raises(DamagedDatabaseError) as refused:
        open_app_database(app_paths)
    dialog = DamagedDatabaseDialog(refused.value)
    qtbot.addWidget(dialog)
    assert dialog.restore_button is None
    assert "no good backup" in dialog.offer.text()
    dialog.close_button.click()
    assert dialog.result() == QDialog.DialogCode.Rejected

    offered, boxes = [], []
    monkeypatch.setattr(ui_app, "offer_latest_backup", lambda exc: offered.append(exc) or False)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: boxes.append(a))
    assert ui_app.run_app(app_paths, str(app_paths.database)) == ui_app.EXIT_CANNOT_OPEN
    assert len(offered) == 1 and boxes == []
    assert app_paths.database.read_bytes().startswith(b"not a database")


def test_an_export_from_an_older_version_loads_and_is_upgraded(tmp_path):
    from sqlalchemy import MetaData, create_engine
    from test_migrations import ROWS, fill_at

    from assessor_app.store import migrations
    from assessor_app.store.portable_export import FORMAT, encode

    # What an export written by the version whose schema was 0003 holds.
    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    out = tmp_path / "old.zip"
    with engine.begin() as conn, zipfile.ZipFile(out, "w") as archive:
        fill_at(conn, "0003")
        schema = MetaData()
        schema.reflect(conn)
        tables = []
        for table in schema.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = [dict(row) for row in conn.execute(select(table)).mappings()]
            lines = "".join(json.dumps({k: encode(v) for k, v in r.items()}) + "\n" for r in rows)
            archive.writestr(f"tables/{table.name}.jsonl", lines)
            tables.append({"name": table.name, "rows": len(rows)})
        manifest = {"format": FORMAT, "format_version": 1, "app_version": "0.0.9"}
        manifest |= {"schema_revision": "0003", "tables": tables, "evidence_files": []}
        archive.writestr("manifest.json", json.dumps(manifest))
    engine.dispose()
    assert len(ROWS["0003"]) == 4

    target = tmp_path / "new.sqlite3"
    outcome = restore_database(str(target), out, ADMIN, tmp_path / "backups")
    assert outcome.rows == sum(t["rows"] for t in tables)
    db = open_database(str(target), upgrade=False)
    try:
        with db.engine.connect() as conn:
            assert migrations.current_revision(conn) == migrations.head_revision()
        with db.reading() as session:
            apprentice = session.scalars(select(models.Apprentice)).one()
            assert (apprentice.family_name, apprentice.legal_hold) == ("Smith", False)
            assert session.get(models.Cohort, 30).contracted_hours_per_week == Decimal("37.50")
    finally:
        db.dispose()


def test_a_failed_replace_puts_the_old_database_back(filled, tmp_path, app_paths):
    if filled.path is None:
        pytest.skip("replacing applies to SQLite files")
    out = tmp_path / "backup.zip"
    export_backup(filled, ADMIN, out)
    _rewrite(out, tmp_path / "bad.zip", lambda name, data: data[:-3] if "unit" in name else data)
    before = content(filled)
    path = filled.path
    filled.dispose()
    with pytest.raises(ServiceError):
        restore_database(str(path), tmp_path / "bad.zip", ADMIN, app_paths.backups, replace=True)
    assert not list(path.parent.glob("*.replaced-*"))
    db = open_database(str(path))
    try:
        assert content(db) == before
    finally:
        db.dispose()
