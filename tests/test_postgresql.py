"""PostgreSQL as the shared database: URLs, schema from the same migrations, checks by
query, and evidence files kept in the database so every PC sees them."""

from __future__ import annotations

import hashlib
import socket
import threading
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import NO_POSTGRES, POSTGRES_URL, apprentice_input, postgres_admin, postgres_url
from sqlalchemy import func, select, text, update

from assessor_app.cli import main
from assessor_app.services.apprentices import enrol_apprentice
from assessor_app.services.catalogue_queries import load_qualification
from assessor_app.services.errors import FieldError
from assessor_app.services.evidence import (
    EvidenceInput,
    evidence_store,
    open_attachment,
    record_evidence,
)
from assessor_app.services.roles import Actor, Role
from assessor_app.startup import open_app_database
from assessor_app.store import migrations, models
from assessor_app.store.database import (
    DatabaseError,
    check_database,
    open_database,
    url_for,
)
from assessor_app.store.evidence_blobs import DatabaseEvidenceStore
from assessor_app.store.evidence_files import (
    EvidenceFileAltered,
    EvidenceFileMissing,
    EvidenceFileRejected,
    EvidenceStore,
)

COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
TUTOR = Actor(None, "tutor", Role.TUTOR)
PDF = b"%PDF-1.4\n% witness statement, Ward 7\n"
on_postgresql = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
needs_server = pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)


@pytest.fixture
def empty_server_database() -> Iterator[str]:
    """A new, empty database on the test server, as IT would create for Assessor."""
    name = f"assessor_empty_{uuid.uuid4().hex[:12]}"
    postgres_admin(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url(name)
    finally:
        postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgresql_urls_use_the_installed_driver():
    assert url_for("postgresql://a@server/assessor") == "postgresql+psycopg://a@server/assessor"
    assert url_for("postgres://a@server:5433/x") == "postgresql+psycopg://a@server:5433/x"
    assert url_for("postgresql+psycopg://a@s/x") == "postgresql+psycopg://a@s/x"


def test_an_unreachable_server_is_named_without_its_password():
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(DatabaseError) as refused:
        open_database(f"postgresql://assessor:s3cret-pw@127.0.0.1:{port}/assessor")
    message = str(refused.value)
    server = f"postgresql+psycopg://assessor:***@127.0.0.1:{port}/assessor"
    assert f"Cannot connect to the database server {server}" in message
    assert "s3cret-pw" not in message
    assert 'Shared server (PostgreSQL)" in the README' in message


@needs_server
def test_db_upgrade_creates_the_schema_on_an_empty_server_database(
    empty_server_database, app_paths, capsys
):
    assert main(["--db", empty_server_database, "db", "upgrade"]) == 0
    assert f"Schema upgraded from empty to {migrations.head_revision()}" in capsys.readouterr().out
    assert main(["--db", empty_server_database, "db", "upgrade"]) == 0
    assert "Schema is up to date" in capsys.readouterr().out
    db = open_app_database(app_paths, empty_server_database)
    try:
        assert len(load_qualification(db).units) == 55
        report = check_database(db)
        assert report.ok, report.problems
        assert report.revision == migrations.head_revision()
    finally:
        db.dispose()
    assert main(["--db", empty_server_database, "db", "check"]) == 0


@needs_server
def test_two_pcs_opening_a_new_server_database_at_once_take_turns(empty_server_database):
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            open_database(empty_server_database).dispose()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    db = open_database(empty_server_database, upgrade=False)
    try:
        assert check_database(db).ok
    finally:
        db.dispose()


@on_postgresql
def test_the_check_finds_rows_pointing_nowhere_and_missing_foreign_keys(db):
    assert check_database(db).ok, check_database(db).problems
    with db.engine.begin() as conn:
        conn.execute(
            text("ALTER TABLE learning_outcome DROP CONSTRAINT fk_learning_outcome_unit_id_unit")
        )
        conn.execute(
            text("INSERT INTO learning_outcome (id, unit_id, number, text, position) "
                 "VALUES (987654, 424242, '1', 'Orphan', 1)")
        )  # fmt: skip
    problems = check_database(db).problems
    assert "learning_outcome: the foreign key fk_learning_outcome_unit_id_unit is missing" in (
        problems
    )
    assert "learning_outcome row 987654 points to a missing unit row" in problems


@pytest.fixture
def evidence_case(db, world):
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))

    def record(*files: Path) -> int:
        return record_evidence(
            db,
            TUTOR,
            EvidenceInput(
                apprentice,
                date(2026, 2, 10),
                "product",
                "Handover record",
                context="college",
                coverage=[("A4", None)],
            ),
            list(files),
            today=date(2026, 3, 1),
        )

    return record


@on_postgresql
def test_evidence_files_on_a_server_are_kept_in_the_database(db, evidence_case, tmp_path):
    statement = tmp_path / "statement.pdf"
    statement.write_bytes(PDF)
    piece = evidence_case(statement)
    sha = hashlib.sha256(PDF).hexdigest()
    store = evidence_store(db)
    assert isinstance(store, DatabaseEvidenceStore)
    with db.reading() as session:
        [attachment] = session.get(models.Evidence, piece).attachments
        assert session.get(models.EvidenceBlob, sha).content == PDF
    assert not any(tmp_path.glob("**/evidence-files"))
    # Another PC, with its own connection and nothing on its disk, opens the same file.
    other_pc = open_database(db.url)
    try:
        copy = open_attachment(other_pc, TUTOR, attachment.id, tmp_path / "opened.pdf")
        assert copy.read_bytes() == PDF
        assert evidence_store(other_pc).verify_all([sha]) == []
    finally:
        other_pc.dispose()
    evidence_case(statement)  # the same file again is stored once
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(models.EvidenceBlob)) == 1
    assert store.unreferenced({sha}) == []
    assert store.unreferenced(set()) == [sha]


@on_postgresql
def test_altered_or_missing_contents_in_the_database_are_reported_not_opened(
    db, evidence_case, tmp_path
):
    statement = tmp_path / "statement.pdf"
    statement.write_bytes(PDF)
    evidence_case(statement)
    sha = hashlib.sha256(PDF).hexdigest()
    with db.transaction() as session:
        session.execute(
            update(models.EvidenceBlob)
            .where(models.EvidenceBlob.sha256 == sha)
            .values(content=PDF.replace(b"Ward 7", b"Ward 9"))
        )
    store = evidence_store(db)
    with pytest.raises(EvidenceFileAltered, match=r"“statement\.pdf”.*altered or damaged"):
        store.read_verified(sha, name="statement.pdf")
    assert not (tmp_path / "out.pdf").exists()
    with pytest.raises(EvidenceFileAltered):
        store.copy_out(sha, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()
    [(bad, problem)] = store.verify_all([sha, sha])
    assert bad == sha and "altered" in problem
    store.add(statement)  # attaching the original again repairs it
    assert store.read_verified(sha) == PDF
    missing = hashlib.sha256(b"never stored").hexdigest()
    with pytest.raises(EvidenceFileMissing, match="missing from the database's evidence store"):
        store.read_verified(missing)
    assert not store.exists(missing) and store.exists(sha)


@on_postgresql
def test_the_server_store_refuses_the_same_files_as_the_folder_store(db, tmp_path):
    store = DatabaseEvidenceStore(db, max_bytes=64)
    folder = EvidenceStore(tmp_path / "folder", max_bytes=64)
    big = tmp_path / "scan.pdf"
    big.write_bytes(PDF + b"x" * 100)
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ\x90\x00")
    renamed = tmp_path / "photo.jpg"
    renamed.write_bytes(PDF)
    for source in (big, program, renamed):
        with pytest.raises(EvidenceFileRejected) as in_db:
            store.add(source)
        with pytest.raises(EvidenceFileRejected) as in_folder:
            folder.add(source)
        assert str(in_db.value) == str(in_folder.value)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(models.EvidenceBlob)) == 0


@on_postgresql
def test_a_refused_attachment_on_a_server_records_nothing(db, evidence_case, tmp_path):
    program = tmp_path / "notes.pdf"
    program.write_bytes(b"MZ\x90\x00 not a pdf")
    with pytest.raises(FieldError, match=r"“notes\.pdf” looks like a Windows program"):
        evidence_case(program)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(models.Evidence)) == 0
        assert session.scalar(select(func.count()).select_from(models.EvidenceBlob)) == 0
