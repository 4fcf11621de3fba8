"""SQLite backup files: the automatic ones beside the database, rotation, the daily
backup, finding the latest good one, and putting one back in place of a damaged file.

Automatic backups are named ``<database stem>-<YYYYmmdd-HHMMSS>-<reason>.sqlite3``
(see store.database.backup_sqlite), so the name alone says which database and when.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from assessor_app.store.database import Database, backup_sqlite

DAILY = "daily"
_NAME = re.compile(r"(?P<stamp>\d{8}-\d{6})-(?P<reason>.+)\.sqlite3")


class BackupError(Exception):
    """A backup that cannot be made, read or put back, with a message for a person."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    reason: str


def automatic_backups(folder: Path, database: Path) -> list[BackupFile]:
    """The automatic backups of `database` in `folder`, oldest first."""
    if not folder.is_dir():
        return []
    prefix = f"{database.stem}-"
    found = []
    for path in folder.iterdir():
        if not path.name.startswith(prefix):
            continue
        match = _NAME.fullmatch(path.name[len(prefix) :])
        if match is None or not path.is_file():
            continue
        taken = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
        found.append(BackupFile(path, taken, match["reason"]))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name))


def prune_backups(folder: Path, database: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` automatic backups of `database`; returns those deleted."""
    backups = automatic_backups(folder, database)
    doomed = backups[: max(0, len(backups) - max(keep, 1))]
    for backup in doomed:
        backup.path.unlink(missing_ok=True)
    return [b.path for b in doomed]


def daily_backup(
    db: Database, folder: Path, *, keep: int, today: date | None = None
) -> Path | None:
    """Back the database up once a day (any automatic backup taken today counts), then
    rotate so that only the newest `keep` remain. None when today's backup exists."""
    if db.path is None:
        return None
    day = today or date.today()
    if any(b.taken_at.date() == day for b in automatic_backups(folder, db.path)):
        return None
    try:
        made = backup_sqlite(db, folder, reason=DAILY)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"Could not back up {db.path} into {folder}: {exc}.") from exc
    prune_backups(folder, db.path, keep)
    return made


def sqlite_problems(path: Path, *, quick: bool = True) -> list[str]:
    """What is wrong with a SQLite file ([] when it is sound): PRAGMA quick_check (or the
    full integrity_check) and that it carries an Assessor schema version."""
    if not path.is_file():
        return [f"{path} does not exist."]
    try:
        # Read-only so that checking never creates, changes or locks out the file.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
        try:
            pragma = "quick_check" if quick else "integrity_check"
            lines = [row[0] for row in conn.execute(f"PRAGMA {pragma}")]
            if lines != ["ok"]:
                return [f"integrity: {line}" for line in lines[:20]]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if tables and "alembic_version" not in tables:
                return [f"{path} is not an Assessor database."]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return []  # in use by another program, not damaged: opening it will wait or say so
        return [f"{path} cannot be read as a database ({exc})."]
    return []


def latest_good_backup(folder: Path, database: Path) -> BackupFile | None:
    """The newest automatic backup of `database` that passes the full integrity check."""
    for backup in reversed(automatic_backups(folder, database)):
        if not sqlite_problems(backup.path, quick=False):
            return backup
    return None


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite file through the online backup API (consistent even while in use);
    `target` appears only once the copy is complete."""
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(partial)
            try:
                src.backup(dest)
            finally:
                dest.close()
        finally:
            src.close()
        partial.replace(target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Could not copy {source} to {target}: {exc}.") from exc


def restore_backup_file(backup: Path, target: Path, *, aside: str = "damaged") -> Path | None:
    """Put a SQLite backup in place of `target` (closed, e.g. damaged). The file it
    replaces, if any, is kept beside it renamed ``.<aside>-<time>``; returns that name.

    The backup is checked in full first, so a bad backup never replaces anything.
    """
    problems = sqlite_problems(backup, quick=False)
    if problems:
        raise BackupError(f"{backup} cannot be restored: {problems[0]} Choose another backup.")
    kept = set_aside(target, aside) if target.exists() else None
    copy_sqlite(backup, target)
    return kept


def set_aside(target: Path, aside: str) -> Path:
    """Rename a (closed) SQLite file and its side files to ``<name>.<aside>-<time>``."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = target.with_name(f"{target.name}.{aside}-{stamp}")
    try:
        target.replace(kept)
        # A write-ahead log left by the old file must not be replayed into a new one.
        for suffix in ("-wal", "-shm"):
            side = target.with_name(target.name + suffix)
            if side.exists():
                side.replace(kept.with_name(kept.name + suffix))
    except OSError as exc:
        raise BackupError(
            f"Could not move {target} aside ({exc.strerror}); close any program using it "
            "and try again."
        ) from exc
    return kept
