"""Backing up, restoring and checking a database, for the command line and the window.

Backups and restores are the administrator's (the same right as changing the
provider's settings) and are audited; the start-up checks run as the app itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from assessor_app import __version__
from assessor_app.services import audit
from assessor_app.services.app_settings import get_settings
from assessor_app.services.errors import ServiceError
from assessor_app.services.evidence import evidence_store
from assessor_app.services.roles import Actor, Permission
from assessor_app.store.backups import (
    BackupError,
    BackupFile,
    copy_sqlite,
    daily_backup,
    latest_good_backup,
    restore_backup_file,
    set_aside,
    sqlite_problems,
)
from assessor_app.store.database import (
    CheckReport,
    Database,
    DatabaseError,
    check_database,
    open_database,
)
from assessor_app.store.models import Attachment
from assessor_app.store.portable_export import (
    EvidenceSource,
    ExportSummary,
    PortableExportError,
    export_database,
    load_export,
    non_empty_tables,
)

log = logging.getLogger(__name__)


class DamagedDatabaseError(DatabaseError):
    """A database file that fails its check on start, with the latest good backup (if any)."""

    def __init__(self, message: str, path: Path, backup: BackupFile | None) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup


@dataclass(frozen=True)
class FullCheck:
    database: CheckReport
    evidence_files: int
    evidence_problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.database.ok and not self.evidence_problems


# ----------------------------------------------------------------------
# Start-up


def sqlite_file(target: str) -> Path | None:
    """The existing SQLite file `target` names, or None (a URL, or no file yet)."""
    if "://" in target:
        return None
    path = Path(target).expanduser().resolve()
    return path if path.is_file() else None


def check_before_opening(path: Path, backups: Path) -> None:
    """The quick check on start: raises DamagedDatabaseError naming the latest good
    backup when the file is damaged or unreadable."""
    problems = sqlite_problems(path, quick=True)
    if not problems:
        return
    log.error("database %s failed its check: %s", path, "; ".join(problems))
    backup = latest_good_backup(backups, path)
    if backup is None:
        advice = "No backup of it was found; restore it from a copy you keep elsewhere."
    else:
        advice = (
            f"The latest good backup is {backup.path} "
            f"(taken {backup.taken_at:%d %b %Y %H:%M}); restore it with "
            f"'assessor-app restore {backup.path} --db {path} --replace'."
        )
    raise DamagedDatabaseError(
        f"{path} is not a readable Assessor database (it may be damaged), so it was not "
        f"opened. {advice}",
        path,
        backup,
    )


def daily_backup_if_due(db: Database, backups: Path) -> Path | None:
    """The first start of each day backs the SQLite file up, keeping the newest few.
    A backup that cannot be made is logged and does not stop the app opening."""
    if db.path is None:
        return None
    keep = get_settings(db)["backups_to_keep"]
    try:
        made = daily_backup(db, backups, keep=keep)
    except BackupError as exc:
        log.warning("%s", exc)
        return None
    if made is not None:
        log.info("daily backup written to %s", made)
    return made


def replace_damaged_database(path: Path, backup: Path) -> Path | None:
    """Put `backup` in place of the damaged file at `path` (offered before anyone signs
    in, so no account is known yet). Returns where the damaged file was kept."""
    try:
        kept = restore_backup_file(backup, path)
    except BackupError as exc:
        raise ServiceError(str(exc)) from exc
    log.warning("restored %s from %s; the damaged file is kept as %s", path, backup, kept)
    return kept


# ----------------------------------------------------------------------
# Backing up and restoring


def export_backup(db: Database, actor: Actor, out: Path) -> ExportSummary:
    """Everything, rows and evidence files, in one portable zip (either backend)."""
    actor.require(Permission.CHANGE_SETTINGS)
    try:
        summary = export_database(db, out, _evidence_or_none(db), app_version=__version__)
    except PortableExportError as exc:
        raise ServiceError(str(exc)) from exc
    with db.transaction() as session:
        audit.record(
            session,
            actor,
            "database.backup",
            "database",
            out.name,
            rows=summary.total_rows,
            evidence_files=summary.evidence_files,
        )
    return summary


def copy_database(db: Database, actor: Actor, out: Path) -> Path:
    """A copy of the SQLite file alone (evidence files are only in the portable zip)."""
    actor.require(Permission.CHANGE_SETTINGS)
    if db.path is None:
        raise ServiceError(
            "A copy of the database file can only be made of a SQLite database; "
            "give a file name ending in .zip for a portable backup."
        )
    try:
        copy_sqlite(db.path, out)
    except BackupError as exc:
        raise ServiceError(str(exc)) from exc
    with db.transaction() as session:
        audit.record(session, actor, "database.backup", "database", out.name, kind="sqlite copy")
    return out


def restore_export(db: Database, actor: Actor, source: Path) -> ExportSummary:
    """Load a portable backup into the empty database `db` (refused otherwise)."""
    actor.require(Permission.CHANGE_SETTINGS)
    try:
        summary = load_export(db, source, lambda: evidence_store(db))
    except PortableExportError as exc:
        raise ServiceError(str(exc)) from exc
    with db.transaction() as session:
        audit.record(
            session,
            actor,
            "database.restore",
            "database",
            source.name,
            rows=summary.total_rows,
            evidence_files=summary.evidence_files,
        )
    return summary


@dataclass(frozen=True)
class RestoreOutcome:
    target: str  # the file, or the server without its password
    rows: int | None  # None for a copy of a database file
    evidence_files: int
    replaced: Path | None  # where the database it replaced was kept


def restore_database(
    target: str, source: Path, actor: Actor, backups: Path, *, replace: bool = False
) -> RestoreOutcome:
    """Restore a backup (portable .zip, or a copy of a SQLite file) into `target`.

    A target that already holds records is refused unless `replace` is given; then
    it is kept beside the restored one, renamed ``.replaced-<time>``. On any failure
    the target is left as it was.
    """
    actor.require(Permission.CHANGE_SETTINGS)
    if not source.is_file():
        raise ServiceError(f"{source} does not exist; give the backup file to restore.")
    is_zip = source.suffix.lower() == ".zip"
    path = None if "://" in target else Path(target).expanduser().resolve()
    if path is None and not is_zip:
        raise ServiceError(
            f"{source} is a copy of a SQLite database file; a server database is restored "
            "from a portable backup (.zip)."
        )
    # What to print: never a server password.
    shown = str(path) if path else make_url(target).render_as_string(hide_password=True)
    replaced: Path | None = None
    existed = path is not None and path.exists()
    if path is not None and existed:
        holds_records = _holds_records(path)
        if holds_records and not replace:
            raise ServiceError(
                f"{path} already holds records. Restore into a new file with --db NEW.sqlite3, "
                "or add --replace to keep this one aside and replace it."
            )
        if holds_records or not is_zip:  # an empty database can take a portable backup as is
            try:
                replaced = set_aside(path, "replaced")
            except BackupError as exc:
                raise ServiceError(str(exc)) from exc
    try:
        if is_zip:
            db = open_database(target, upgrade=False)
            try:
                summary = restore_export(db, actor, source)
            finally:
                db.dispose()
            return RestoreOutcome(shown, summary.total_rows, summary.evidence_files, replaced)
        assert path is not None
        try:
            restore_backup_file(source, path, aside="replaced")
        except BackupError as exc:
            raise ServiceError(str(exc)) from exc
        db = open_database(str(path), backup_dir=backups)
        try:
            with db.transaction() as session:
                audit.record(session, actor, "database.restore", "database", source.name)
        finally:
            db.dispose()
        return RestoreOutcome(shown, None, 0, replaced)
    except BaseException:
        if path is not None and (not existed or replaced is not None):
            _remove_sqlite(path)
            if replaced is not None:
                replaced.replace(path)
                for suffix in ("-wal", "-shm"):
                    side = replaced.with_name(replaced.name + suffix)
                    if side.exists():
                        side.replace(path.with_name(path.name + suffix))
        raise


def _holds_records(path: Path) -> bool:
    if sqlite_problems(path, quick=True):
        return True  # damaged or not ours: never replaced without being asked
    db = open_database(str(path), upgrade=False)
    try:
        return bool(non_empty_tables(db))
    finally:
        db.dispose()


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


# ----------------------------------------------------------------------
# Checking


def check_everything(db: Database) -> FullCheck:
    """The database's integrity and foreign-key checks, and every evidence file's hash."""
    report = check_database(db)
    try:
        with db.reading() as session:
            names = {
                k: v
                for k, v in session.execute(
                    select(Attachment.sha256, Attachment.original_name).order_by(Attachment.id)
                )
            }
    except SQLAlchemyError:
        # The database check has already said why it cannot be read.
        return FullCheck(
            report, 0, ("evidence files were not checked: the database is unreadable",)
        )
    if not names:
        return FullCheck(report, 0, ())
    store = evidence_store(db)
    problems = []
    for sha256, name in names.items():
        problem = store.verify(sha256, name=name)
        if problem is not None:
            problems.append(problem)
    return FullCheck(report, len(names), tuple(problems))


def _evidence_or_none(db: Database) -> EvidenceSource | None:
    try:
        return evidence_store(db)
    except ServiceError:
        return None
