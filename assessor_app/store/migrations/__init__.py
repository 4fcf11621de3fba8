"""Alembic migrations: the schema's history, applied in code on open.

Alembic takes an eighth of a second to import, and a database already at the newest
schema (every start but the first after an update) needs none of it: the newest
revision is a constant here (a test holds it to the scripts) and the database's own
is read with one query. Alembic is imported only to upgrade or to walk the history."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

HERE = Path(__file__).resolve().parent
HEAD = "0006"  # the newest script in versions/: change with each new migration
VERSION_TABLE = "alembic_version"


def config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@cache
def scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config())


def head_revision() -> str:
    return HEAD


def is_known(revision: str) -> bool:
    return any(s.revision == revision for s in scripts().walk_revisions())


def current_revision(connection: Connection) -> str | None:
    """The database's schema revision; None for a database with no schema yet."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(rows) > 1:
        raise RuntimeError(f"the schema has {len(rows)} revisions at once: {', '.join(rows)}")
    return rows[0] if rows else None


def upgrade(connection: Connection, target: str = "head") -> None:
    from alembic import command

    command.upgrade(config(connection), target)
