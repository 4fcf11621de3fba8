"""Open the database the user asked for, ready to use: migrated and catalogued."""

from __future__ import annotations

from assessor_app.paths import AppPaths
from assessor_app.services.backups import check_before_opening, daily_backup_if_due, sqlite_file
from assessor_app.services.catalogue import ensure_default_catalogue
from assessor_app.store.database import Database, open_database


def open_app_database(
    paths: AppPaths, db_target: str | None = None, *, daily_backup: bool = True
) -> Database:
    """The default database in the data folder unless `db_target` names another.

    A damaged SQLite file is refused before anything touches it
    (services.backups.DamagedDatabaseError, naming the latest good backup); the
    first start of each day backs the file up, unless `daily_backup` is False
    (the window does it on a worker thread instead). Raises
    store.database.DatabaseError with a message for a person.
    """
    target = db_target or str(paths.database)
    existing = sqlite_file(target)
    if existing is not None:
        check_before_opening(existing, paths.backups)
    db = open_database(target, backup_dir=paths.backups)
    ensure_default_catalogue(db)
    if daily_backup and existing is not None:  # a new file has nothing worth a backup yet
        daily_backup_if_due(db, paths.backups)
    return db
