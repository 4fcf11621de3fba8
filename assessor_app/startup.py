"""Open the database the user asked for, ready to use: migrated and catalogued."""

from __future__ import annotations

from assessor_app.paths import AppPaths
from assessor_app.services.catalogue import ensure_default_catalogue
from assessor_app.store.database import Database, open_database


def open_app_database(paths: AppPaths, db_target: str | None = None) -> Database:
    """The default database in the data folder unless `db_target` names another.

    Raises store.database.DatabaseError with a message for a person.
    """
    target = db_target or str(paths.database)
    db = open_database(target, backup_dir=paths.backups)
    ensure_default_catalogue(db)
    return db
