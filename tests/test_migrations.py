"""Schema upgrades keep people's records: a database filled at an old revision (with
plain SQL, as that version would have written it) is upgraded and everything is there."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, func, select

from assessor_app.services.backups import check_everything
from assessor_app.store import migrations, models
from assessor_app.store.database import open_database

# What each revision adds that people fill in, as the SQL that version ran.
ROWS: dict[str, list[str]] = {
    "0001": [
        "INSERT INTO qualification (id, code, title, awarding_body, version) VALUES "
        "(7, 'TEST-L3', 'Level 3 Diploma in Adult Care (test)', 'City & Guilds', 2)",
        "INSERT INTO unit_group (id, qualification_id, code, name, mandatory, position) VALUES "
        "(70, 7, 'A', 'Mandatory', 1, 1), (71, 7, 'B', 'Optional', 0, 2)",
        "INSERT INTO unit (id, qualification_id, group_id, ref, title, credits, glh, level, "
        "kind, value_status, awarding_body_ref, source_unit_ref, source, position, version) "
        "VALUES (700, 7, 70, 'A1', 'Promote personal development', 3, 10, 3, 'knowledge', "
        "'confirmed', 'M/601/1', '', 'test', 1, 1), (701, 7, 71, 'B1', 'Dementia awareness', 2, "
        "17, 2, 'knowledge', 'confirmed', 'J/601/2', '', 'test', 2, 1)",
        "INSERT INTO learning_outcome (id, unit_id, number, text, position) VALUES "
        "(800, 700, '1', 'Understand what is required for competence', 1)",
        "INSERT INTO assessment_criterion (id, outcome_id, number, text, position) VALUES "
        "(900, 800, '1.1', 'Describe the duties and responsibilities of own role', 1)",
        "INSERT INTO user_account (id, username, display_name, role, password_hash, active, "
        "created_at, version) VALUES (5, 'jo', 'Jo Bloggs', 'assessor', 'x', 1, "
        "'2026-01-05 09:00:00.000000', 1)",
        "INSERT INTO audit_entry (id, at, user_id, username, action, entity, entity_id, detail) "
        "VALUES (50, '2026-01-05 09:01:00.000000', 5, 'jo', 'unit.edit', 'unit', '700', "
        '\'{"title": ["Old", "New"]}\')',
    ],
    "0003": [
        "INSERT INTO app_setting (key, value) VALUES ('placement_notice_weeks', '6')",
        "INSERT INTO organisation (id, name, is_employer, is_host, is_training_provider, "
        "is_training_agency, sector, contact_name, contact_email, contact_phone, address, "
        "active, version) VALUES (20, 'Shire County Council', 1, 1, 0, 0, 'social_care', "
        "'Pat Lee', '', '', '', 1, 1), (21, 'Shire Adult Education', 0, 0, 1, 0, "
        "'social_care', '', '', '', '', 1, 1)",
        "INSERT INTO cohort (id, name, employer_id, training_provider_id, qualification_id, "
        "awarding_body, start_date, contracted_hours_per_week, off_the_job_pattern, "
        "placement_count, placement_months, last_placement_pvi, version) VALUES (30, "
        "'Council 2026', 20, 21, 7, 'City & Guilds', '2026-01-05', 37.5, '1 day a week', 3, 4, "
        "0, 1)",
        "INSERT INTO apprentice (id, given_name, family_name, uln, date_of_birth, email, phone, "
        "address, cohort_id, assessor_id, start_date, planned_end_date, status, status_date, "
        "status_reason, employment_outcome, version) VALUES (40, 'Sam', 'Smith', '9276308686', "
        "'2007-03-01', '', '', '', 30, 5, '2026-01-05', '2027-04-04', 'active', NULL, '', '', 3)",
    ],
    "0004": [
        "INSERT INTO evidence (id, apprentice_id, on_date, context, placement_id, method, title, "
        "description, witness_name, witness_role, status, feedback, created_by_id, "
        "assessed_by_id, assessed_on, version) VALUES (60, 40, '2026-02-10', 'college', NULL, "
        "'reflective_account', 'My first week', 'What I learnt', '', '', 'accepted', "
        "'Good reflection.', 5, 5, '2026-02-12', 2)",
        "INSERT INTO attachment (id, evidence_id, sha256, original_name, media_type, size, "
        "added_at, added_by_id) VALUES (61, 60, '" + "ab" * 32 + "', 'week1.txt', "
        "'text/plain', 12, '2026-02-10 10:00:00.000000', 5)",
    ],
}


def _revisions() -> list[str]:
    """Every revision from the first to the newest, in order."""
    script = migrations.scripts()
    return [s.revision for s in reversed(list(script.walk_revisions()))]


def test_the_newest_revision_named_in_code_is_the_newest_script():
    """A database at HEAD opens without loading Alembic: a new migration whose
    revision is not written into HEAD would never run."""
    assert migrations.head_revision() == migrations.scripts().get_current_head()
    assert _revisions()[-1] == migrations.HEAD


def test_the_revision_is_read_without_alembic_as_alembic_reads_it(tmp_path):
    from alembic.runtime.migration import MigrationContext

    engine = _engine(tmp_path / "revisions.sqlite3")
    with engine.begin() as conn:
        assert migrations.current_revision(conn) is None  # an empty file
        for revision in _revisions()[:3]:
            migrations.upgrade(conn, revision)
            read = migrations.current_revision(conn)
            assert read == revision == MigrationContext.configure(conn).get_current_revision()
    engine.dispose()


def fill_at(conn: Connection, last: str) -> None:
    """Build the schema revision by revision up to `last`, filling each as it comes."""
    for revision in _revisions():
        migrations.upgrade(conn, revision)
        _fill(conn, revision)
        if revision == last:
            return


def _engine(path: Path) -> Engine:
    return create_engine(f"sqlite:///{path}")


def _fill(conn: Connection, revision: str) -> None:
    for statement in ROWS.get(revision, []):
        conn.exec_driver_sql(statement)


def _assert_records_survived(conn: Connection, upto: str) -> None:
    revisions = _revisions()
    filled = [r for r in ROWS if revisions.index(r) <= revisions.index(upto)]
    # Only columns every revision has: later ones may not exist yet.
    units = models.Unit.__table__.c
    unit = conn.execute(
        select(units.ref, units.title, units.credits, units.glh, units.version).where(
            units.id == 701
        )
    ).one()
    assert tuple(unit) == (
        "B1",
        "Dementia awareness",
        2,
        17,
        1,
    )
    users = models.User.__table__.c
    user = conn.execute(
        select(users.username, users.display_name, users.role, users.active).where(users.id == 5)
    ).one()
    assert tuple(user) == (
        "jo",
        "Jo Bloggs",
        "assessor",
        True,
    )
    entry = conn.execute(select(models.AuditEntry.__table__.c.detail)).scalar_one()
    assert entry == '{"title": ["Old", "New"]}'
    if "0003" in filled:
        cohorts = models.Cohort.__table__.c
        cohort = conn.execute(select(cohorts.contracted_hours_per_week, cohorts.start_date)).one()
        assert tuple(cohort) == (Decimal("37.50"), date(2026, 1, 5))
        people = models.Apprentice.__table__.c
        apprentice = conn.execute(
            select(people.family_name, people.uln, people.version, people.date_of_birth)
        ).one()
        assert tuple(apprentice) == ("Smith", "9276308686", 3, date(2007, 3, 1))
    if "0004" in filled:
        pieces = models.Evidence.__table__.c
        evidence = conn.execute(select(pieces.title, pieces.status, pieces.assessed_on)).one()
        assert tuple(evidence) == ("My first week", "accepted", date(2026, 2, 12))
        assert conn.execute(select(models.Attachment.__table__.c.original_name)).scalar_one() == (
            "week1.txt"
        )


@pytest.mark.parametrize(
    "last_filled",
    [
        "0001",
        "0003",
        "0004",
    ],
)
def test_a_database_filled_at_an_old_revision_upgrades_with_its_records(tmp_path, last_filled):
    """Filled at each revision up to `last_filled`, then opened by this version."""
    path = tmp_path / "old.sqlite3"
    engine = _engine(path)
    with engine.begin() as conn:
        fill_at(conn, last_filled)
    engine.dispose()

    db = open_database(str(path), backup_dir=tmp_path / "backups")
    try:
        check = check_everything(db)
        assert check.database.revision == migrations.head_revision()
        assert check.database.ok, check.database.problems
        with db.engine.connect() as conn:
            _assert_records_survived(conn, last_filled)
            if last_filled == "0004":
                # Columns added later start with their defaults on existing rows.
                apprentice = conn.execute(select(models.Apprentice.__table__)).one()
                assert apprentice.legal_hold is False and apprentice.erased_on is None
                evidence = conn.execute(select(models.Evidence.__table__)).one()
                assert evidence.prior_provider == ""
    finally:
        db.dispose()
    assert len(list((tmp_path / "backups").glob("old-*.sqlite3"))) == 1


def test_every_step_keeps_every_row(tmp_path):
    path = tmp_path / "steps.sqlite3"
    engine = _engine(path)
    revisions = _revisions()
    try:
        with engine.begin() as conn:
            migrations.upgrade(conn, revisions[0])
            _fill(conn, revisions[0])
        present: set[str] = set()
        for revision in revisions[1:]:
            with engine.begin() as conn:
                before = {
                    table: conn.execute(
                        select(func.count()).select_from(models.Base.metadata.tables[table])
                    ).scalar_one()
                    for table in present
                }
                migrations.upgrade(conn, revision)
                assert migrations.current_revision(conn) == revision
                for table, count in before.items():
                    after = conn.execute(
                        select(func.count()).select_from(models.Base.metadata.tables[table])
                    ).scalar_one()
                    assert after == count, f"{table} lost rows in {revision}"
                _fill(conn, revision)
                names = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
                present = {name for (name,) in names if name in models.Base.metadata.tables}
                _assert_records_survived(conn, revision)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        engine.dispose()
