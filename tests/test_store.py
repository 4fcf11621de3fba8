"""The SQLite store: schema from migrations, engine settings, upgrades with backups."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, func, select

from assessor_app.services.catalogue_queries import care_certificate_standards, load_qualification
from assessor_app.startup import open_app_database
from assessor_app.store import migrations, models
from assessor_app.store.database import DatabaseError, check_database, open_database


def test_first_open_creates_the_schema_and_the_default_catalogue(app_paths):
    db = open_app_database(app_paths)
    try:
        assert db.path == app_paths.database
        qual = load_qualification(db)
        assert qual.code == "L2-CARE"
        assert len(qual.units) == 55
        assert len(care_certificate_standards(db)) == 15
        report = check_database(db)
        assert report.ok, report.problems
        assert report.revision == migrations.head_revision()
    finally:
        db.dispose()


def test_reopening_does_not_install_the_catalogue_twice(app_paths):
    open_app_database(app_paths).dispose()
    db = open_app_database(app_paths)
    try:
        with db.reading() as session:
            assert session.scalar(select(func.count()).select_from(models.Unit)) == 55
            assert session.scalar(select(func.count()).select_from(models.AuditEntry)) == 3
    finally:
        db.dispose()


@pytest.mark.sqlite_only
def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_foreign_keys_are_enforced(db):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db.transaction() as session:
        session.add(models.LearningOutcome(unit_id=99999, number="1", text="Orphan"))
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(models.LearningOutcome)) == 0


def test_an_older_database_is_backed_up_then_migrated(tmp_path, app_paths):
    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrations.upgrade(conn, "0001")
        conn.exec_driver_sql(
            "INSERT INTO user_account (username, display_name, role, password_hash, active, "
            "created_at, version) VALUES ('jo', 'Jo Bloggs', 'tutor', '', 1, "
            "'2026-01-05 09:00:00', 1)"
        )
    engine.dispose()

    db = open_app_database(app_paths, str(path))
    try:
        with db.reading() as session:
            assert session.scalar(select(models.User.display_name)) == "Jo Bloggs"
        assert check_database(db).revision == migrations.head_revision()
    finally:
        db.dispose()
    backups = list(app_paths.backups.glob("old-*.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("SELECT display_name FROM user_account").fetchone() == ("Jo Bloggs",)


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "newer.sqlite3"
    open_database(str(path)).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseError, match="newer version of Assessor"):
        open_database(str(path))


def test_a_database_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(DatabaseError, match="not an Assessor database"):
        open_database(str(path))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("recipes",)]


def test_a_damaged_file_gives_a_message_not_a_traceback(tmp_path):
    path = tmp_path / "damaged.sqlite3"
    path.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(DatabaseError, match="not a readable Assessor database"):
        open_database(str(path))


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(DatabaseError, match="is a folder"):
        open_database(str(tmp_path))


def test_the_migrations_build_exactly_the_schema_the_models_describe(db):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), models.Base.metadata)
    assert differences == []


def test_a_savepoint_rolled_back_keeps_the_rest_of_the_unit_of_work(db):
    """SQLite transactions are ours, not the driver's: a released savepoint is undone
    with its transaction, and a rolled-back one leaves the rest in place."""
    session = db.sessions()
    try:
        first = session.begin_nested()
        session.add(models.CareCertificateStandard(number=101, title="Kept until rollback"))
        first.commit()
        second = session.begin_nested()
        session.add(models.CareCertificateStandard(number=102, title="Undone"))
        second.rollback()
        numbers = set(session.scalars(select(models.CareCertificateStandard.number)))
        assert 101 in numbers and 102 not in numbers
        session.rollback()
    finally:
        session.close()
    with db.reading() as session:
        numbers = set(session.scalars(select(models.CareCertificateStandard.number)))
    assert not {101, 102} & numbers
