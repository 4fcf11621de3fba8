"""Opening a database: engine settings, schema upgrades and the backup before them."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    ForeignKeyConstraint,
    and_,
    create_engine,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from assessor_app.store import migrations
from assessor_app.store.models import Base
from assessor_app.store.network_paths import network_location

BUSY_TIMEOUT_MS = 10_000
CONNECT_TIMEOUT_S = 10
WRITE_LOCK_OPTION = "assessor_write_lock"  # execution option: begin with the write lock
# Held while a PostgreSQL schema is migrated, so two PCs opening a new version at
# once take turns instead of both creating the same tables.
MIGRATION_LOCK_KEY = 0x41535345  # "ASSE"
SHARED_SETUP_HINT = 'see "Shared server (PostgreSQL)" in the README'


class DatabaseError(Exception):
    """A database that cannot be opened or used, with a message for a person."""


@dataclass
class Database:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    path: Path | None  # the file, for SQLite

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def location(self) -> str:
        """The file, or the server URL without its password: safe to show and log."""
        if self.path is not None:
            return str(self.path)
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error.

        On SQLite it holds the write lock from the start, so a second writer waits and
        then reads what the first saved: a stale edit is then recognised by its version
        instead of failing as "database is locked". PostgreSQL locks the edited row
        (services.records.load_for_edit) to the same effect.
        """
        session = self.sessions()
        try:
            if self.is_sqlite:
                session.connection(execution_options={WRITE_LOCK_OPTION: True})
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        session = self.sessions()
        try:
            yield session
        finally:
            session.close()  # ends the read transaction; loaded rows stay usable

    def dispose(self) -> None:
        self.engine.dispose()


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None
    after: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def url_for(target: str) -> str:
    """A database URL from what the user gave: a URL or a path to a SQLite file.

    postgresql:// (and postgres://) URLs use the psycopg 3 driver, the one installed.
    """
    for scheme in ("postgresql://", "postgres://"):
        if target.startswith(scheme):
            return "postgresql+psycopg://" + target[len(scheme) :]
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


def _refuse_network_path(path: Path) -> None:
    where = network_location(path)
    if where is not None:
        raise DatabaseError(
            f"{path} is on {where}. A SQLite database file must be on this computer's own "
            "disk: over a network its locking is unreliable and two people saving at once "
            "can damage it. Copy it to a local folder, or let several PCs share one "
            f"PostgreSQL server instead ({SHARED_SETUP_HINT})."
        )


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Python's sqlite3 module opens transactions lazily, only before a data
        # change, which makes reads in a unit of work unisolated and SAVEPOINTs
        # commit early. Take transaction control ourselves (SQLAlchemy's recipe).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock at once (waiting out the busy timeout), for
        # work such as an import that must not fail half way on another writer.
        immediate = conn.get_execution_options().get(WRITE_LOCK_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def open_database(target: str, *, backup_dir: Path | None = None, upgrade: bool = True) -> Database:
    """Open (creating if need be) and bring the schema up to date.

    A database from an older version is backed up into `backup_dir` before its
    schema is migrated; one from a newer version is refused.
    """
    url = url_for(target)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(
            f"'{target}' is neither a file path nor a database URL such as "
            "postgresql://user@server/assessor."
        ) from None
    path: Path | None = None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise DatabaseError("An in-memory database cannot be used: give a file path.")
        path = Path(parsed.database)
        if path.exists() and path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file.")
        _refuse_network_path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"Cannot create the folder for {path}: {exc.strerror}.") from exc
        engine = _sqlite_engine(url)
    else:
        try:
            engine = create_engine(url, pool_pre_ping=True, **_server_options(parsed))
        except (ArgumentError, ImportError) as exc:
            raise DatabaseError(
                f"Cannot use the database {parsed.render_as_string(hide_password=True)}: "
                f"{exc}. Assessor works with SQLite files and PostgreSQL servers."
            ) from None
    db = Database(
        url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False), path=path
    )
    try:
        if upgrade:
            upgrade_schema(db, backup_dir=backup_dir)
        else:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
    except SADatabaseError as exc:
        engine.dispose()
        raise DatabaseError(_describe(db, exc)) from exc
    return db


def _server_options(parsed: URL) -> dict[str, Any]:
    if parsed.get_backend_name() != "postgresql":
        return {}
    # A server that does not answer is reported after a few seconds, not minutes.
    return {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "Assessor"}}


def _describe(db: Database, exc: SADatabaseError) -> str:
    where = db.location
    detail = str(exc.orig) if exc.orig is not None else str(exc)
    if not db.is_sqlite and isinstance(exc, OperationalError):
        first = detail.strip().splitlines()[0] if detail.strip() else type(exc).__name__
        return (
            f"Cannot connect to the database server {where}: {first}. Check the server "
            "name, port, database, user and password, that the server is running and that "
            f"this PC may connect to it ({SHARED_SETUP_HINT})."
        )
    if isinstance(exc, OperationalError) and "locked" in detail:
        return f"{where} is busy (another program is writing to it); try again in a moment."
    if "not a database" in detail or "malformed" in detail:
        return (
            f"{where} is not a readable Assessor database (it may be damaged): "
            "restore it from a backup."
        )
    return f"Cannot open {where}: {detail}"


def schema_revisions(db: Database) -> tuple[str | None, str]:
    """(the database's schema revision, the revision this version of the app expects)."""
    with db.engine.connect() as conn:
        return migrations.current_revision(conn), migrations.head_revision()


def upgrade_schema(db: Database, *, backup_dir: Path | None = None) -> UpgradeResult:
    with db.engine.connect() as conn:
        before = migrations.current_revision(conn)
        has_tables = bool(inspect(conn).get_table_names())
    head = migrations.head_revision()
    if before == head:
        return UpgradeResult(before, head, None)
    if before is not None and not migrations.is_known(before):
        raise DatabaseError(
            f"{db.location} was written by a newer version of Assessor (schema {before}); "
            "install that version to open it."
        )
    if before is None and has_tables:
        raise DatabaseError(
            f"{db.location} is not an Assessor database (it has tables but no schema "
            "version); choose another file."
        )
    backup = None
    if before is not None and db.path is not None:
        backup = backup_sqlite(db, (backup_dir or db.path.parent / "backups"), reason=f"pre-{head}")
    if db.is_sqlite:
        _upgrade_sqlite(db)
        return UpgradeResult(before, head, backup)
    with db.engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        if migrations.current_revision(conn) == head:
            return UpgradeResult(before, head, None)  # another PC got there first
        migrations.upgrade(conn)
    return UpgradeResult(before, head, backup)


def _upgrade_sqlite(db: Database) -> None:
    """Rebuilding a table (SQLite's way to alter one) drops and recreates it, which
    enforced foreign keys refuse while other rows point at it: switch enforcement off
    for the upgrade (SQLite ignores the pragma inside a transaction, so outside it),
    then refuse to commit if any reference is left dangling."""
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                migrations.upgrade(conn)
                dangling = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if dangling:
                    raise DatabaseError(
                        f"{db.location}: upgrading the schema would leave "
                        f"{len(dangling)} broken references; nothing was changed."
                    )
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def backup_sqlite(db: Database, folder: Path, *, reason: str) -> Path:
    """A consistent copy through SQLite's online backup API, safe while in use."""
    assert db.path is not None
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{db.path.stem}-{stamp}-{reason}.sqlite3"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{db.path.stem}-{stamp}-{reason}-{n}.sqlite3"
    # Written under a name no backup list matches, then renamed: a copy cut short
    # (the app closed, the disk filled) is never taken for a good backup.
    partial = target.with_name(f".{target.name}.part")
    source = sqlite3.connect(db.path)
    try:
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
        finally:
            dest.close()
        os.replace(partial, target)
    finally:
        source.close()
        partial.unlink(missing_ok=True)
    return target


@dataclass(frozen=True)
class CheckReport:
    revision: str | None
    head: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(db: Database) -> CheckReport:
    """Integrity and foreign-key checks, and whether the schema is current."""
    problems: list[str] = []
    try:
        revision, head = schema_revisions(db)
    except SADatabaseError as exc:
        return CheckReport(None, migrations.head_revision(), (_describe(db, exc),))
    if revision != head:
        problems.append(f"schema is at {revision or 'nothing'}; this version expects {head}")
    try:
        problems.extend(_sqlite_checks(db) if db.is_sqlite else _server_checks(db))
    except SADatabaseError as exc:
        problems.append(_describe(db, exc))
    return CheckReport(revision, head, tuple(problems))


def _sqlite_checks(db: Database) -> list[str]:
    problems: list[str] = []
    with db.engine.connect() as conn:
        integrity = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems.extend(f"integrity: {line}" for line in integrity[:20])
        for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points to a missing {parent} row")
    return problems


def _server_checks(db: Database) -> list[str]:
    """What PRAGMA integrity_check and foreign_key_check cover on SQLite, by query: every
    table and foreign key the schema needs is there, and no row points to a missing one."""
    problems: list[str] = []
    with db.engine.connect() as conn:
        inspector = inspect(conn)
        present = set(inspector.get_table_names())
        for table in Base.metadata.sorted_tables:
            if table.name not in present:
                problems.append(f"table {table.name} is missing")
                continue
            # Compared by columns: the server shortens names longer than it allows.
            declared = {
                (tuple(fk["constrained_columns"]), fk["referred_table"])
                for fk in inspector.get_foreign_keys(table.name)
            }
            for constraint in sorted(table.foreign_key_constraints, key=lambda c: str(c.name)):
                wanted = (tuple(constraint.column_keys), constraint.referred_table.name)
                if wanted not in declared:
                    problems.append(f"{table.name}: the foreign key {constraint.name} is missing")
                problems.extend(_orphans(conn, constraint))
    return problems


def _orphans(conn: Connection, constraint: ForeignKeyConstraint) -> list[str]:
    """Rows whose foreign key names a row that is not there (at most 20 per key)."""
    child = constraint.table
    parent = constraint.referred_table.alias("parent")
    elements = list(constraint.elements)
    first = parent.c[elements[0].column.name]
    query = (
        select(*child.primary_key.columns)
        .select_from(
            child.outerjoin(parent, and_(*(parent.c[e.column.name] == e.parent for e in elements)))
        )
        .where(*(e.parent.is_not(None) for e in elements), first.is_(None))
        .limit(20)
    )
    return [
        f"{child.name} row {', '.join(str(v) for v in row)} points to a missing "
        f"{constraint.referred_table.name} row"
        for row in conn.execute(query)
    ]
