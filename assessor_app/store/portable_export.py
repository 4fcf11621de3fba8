"""A portable export of a whole database, for either backend, and loading it back.

The export is one zip file:

- ``manifest.json``: format name and version, app version, schema revision, the
  backend it came from, the tables in load order with their row counts, and the
  evidence files (SHA-256 and size);
- ``tables/<table>.jsonl``: one JSON object per row, column name to value. Values
  JSON cannot hold exactly are tagged: ``{"$date": "2026-01-05"}``,
  ``{"$datetime": "2026-01-05T09:00:00+00:00"}``, ``{"$decimal": "37.50"}`` and
  ``{"$bytes": "<base64>"}``, so nothing is rounded or re-interpreted;
- ``evidence/<sha256>``: each evidence file once, checked against its hash on the
  way out and on the way back in.

Loading goes into an empty database only, in one transaction: the schema is built
at the export's revision, the rows inserted, then the schema upgraded to this
version's, so an export from an older version loads too.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection, MetaData, Table, func, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from assessor_app.store import migrations
from assessor_app.store.database import Database
from assessor_app.store.evidence_files import EvidenceFileError, StoredFile
from assessor_app.store.models import Attachment, Base

FORMAT = "assessor-portable-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_BATCH = 500
# Evidence contents the store keeps in the database (shared servers) travel as
# evidence/<sha256> files, once, and go back in through the evidence store.
EVIDENCE_CONTENT_TABLES = frozenset({"evidence_blob"})


class PortableExportError(Exception):
    """An export that cannot be written or loaded, with a message for a person."""


class EvidenceSource(Protocol):
    def read_verified(self, sha256: str, *, name: str | None = None) -> bytes: ...


class EvidenceTarget(Protocol):
    def exists(self, sha256: str) -> bool: ...

    def add(self, source: Path) -> StoredFile: ...


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    revision: str
    rows: dict[str, int]
    evidence_files: int

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def data_tables() -> list[Table]:
    """The tables an export holds, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in EVIDENCE_CONTENT_TABLES]


# ----------------------------------------------------------------------
# Values


def encode(value: Any) -> Any:
    """A column value as JSON, tagged where plain JSON would lose its type."""
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    return value


def decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        [(tag, raw)] = value.items()
        if tag == "$datetime":
            return datetime.fromisoformat(raw)
        if tag == "$date":
            return date.fromisoformat(raw)
        if tag == "$decimal":
            return Decimal(raw)
        if tag == "$bytes":
            return base64.b64decode(raw)
    return value


# ----------------------------------------------------------------------
# Writing


def export_database(
    db: Database, out: Path, evidence: EvidenceSource | None, *, app_version: str
) -> ExportSummary:
    """Write every row of every table, and every evidence file, to the zip `out`.

    Everything is read in one transaction, so the export is consistent while others
    keep working. `out` appears only once complete.
    """
    partial = out.with_name(out.name + ".partial")
    try:
        with db.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                # One snapshot for every table, not one per statement.
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                summary = _write(conn, partial, evidence, app_version)
        partial.replace(out)
    except EvidenceFileError as exc:
        _remove(partial)
        raise PortableExportError(
            f"The export was not written: {exc} Run 'assessor-app db check' to list every "
            "evidence problem."
        ) from exc
    except OSError as exc:
        _remove(partial)
        raise PortableExportError(f"Could not write {out}: {exc.strerror or exc}.") from exc
    except BaseException:
        _remove(partial)
        raise
    return ExportSummary(out, summary.revision, summary.rows, summary.evidence_files)


def _remove(partial: Path) -> None:
    """Clear a half-written export; when its folder cannot be written (or is really a
    file) there is nothing to clear, and the first error is the one worth reporting."""
    with contextlib.suppress(OSError):
        partial.unlink(missing_ok=True)


def _write(
    conn: Connection, out: Path, evidence: EvidenceSource | None, app_version: str
) -> ExportSummary:
    revision = migrations.current_revision(conn)
    if revision is None:
        raise PortableExportError(
            "The database has no Assessor schema; there is nothing to export."
        )
    tables = data_tables()
    counts: dict[str, int] = {}
    files: list[dict[str, Any]] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            counts[table.name] = _write_table(conn, archive, table)
        attachments = Attachment.__table__
        names = {
            k: v
            for k, v in conn.execute(
                select(attachments.c.sha256, func.min(attachments.c.original_name)).group_by(
                    attachments.c.sha256
                )
            )
        }
        if names and evidence is None:
            raise PortableExportError(
                "This database has evidence files but their folder cannot be reached."
            )
        for sha256, name in sorted(names.items()):
            assert evidence is not None
            content = evidence.read_verified(sha256, name=name)
            archive.writestr(f"evidence/{sha256}", content)
            files.append({"sha256": sha256, "size": len(content)})
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": app_version,
            "schema_revision": revision,
            "backend": conn.dialect.name,
            "created_at": datetime.now(UTC).isoformat(),
            "tables": [{"name": t.name, "rows": counts[t.name]} for t in tables],
            "evidence_files": files,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
    return ExportSummary(out, revision, counts, len(files))


def _write_table(conn: Connection, archive: zipfile.ZipFile, table: Table) -> int:
    rows = 0
    order = list(table.primary_key.columns) or list(table.columns)
    with archive.open(f"tables/{table.name}.jsonl", "w") as stream:
        result = conn.execute(select(table).order_by(*order)).mappings()
        for row in result:
            line = json.dumps({k: encode(v) for k, v in row.items()}, ensure_ascii=False)
            stream.write(line.encode("utf-8") + b"\n")
            rows += 1
    return rows


# ----------------------------------------------------------------------
# Loading


def read_manifest(source: Path) -> dict[str, Any]:
    """The export's manifest, checked: refuses anything that is not a readable export
    this version can load."""
    try:
        with zipfile.ZipFile(source) as archive:
            manifest = json.loads(archive.read(MANIFEST))
    except FileNotFoundError:
        raise PortableExportError(f"{source} does not exist.") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise PortableExportError(
            f"{source} is not an Assessor export (or it is damaged): choose a .zip written by "
            "'assessor-app backup --out FILE.zip'."
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PortableExportError(f"{source} is a zip file but not an Assessor export.")
    version = manifest.get("format_version")
    revision = manifest.get("schema_revision")
    if not isinstance(version, int) or version > FORMAT_VERSION or not isinstance(revision, str):
        raise PortableExportError(
            f"{source} was written by a newer version of Assessor "
            f"({manifest.get('app_version', 'unknown')}); install that version to load it."
        )
    if not migrations.is_known(revision):
        raise PortableExportError(
            f"{source} holds schema {revision}, written by a newer version of Assessor "
            f"({manifest.get('app_version', 'unknown')}); install that version to load it."
        )
    return manifest


def non_empty_tables(db: Database) -> dict[str, int]:
    """Tables that hold rows (name to count): a restore target must have none."""
    found: dict[str, int] = {}
    with db.engine.connect() as conn:
        present = set(inspect(conn).get_table_names())
        for table in data_tables():
            if table.name in present:
                count = conn.execute(select(func.count()).select_from(table)).scalar_one()
                if count:
                    found[table.name] = count
    return found


def load_export(
    db: Database, source: Path, evidence: Callable[[], EvidenceTarget]
) -> ExportSummary:
    """Load an export into `db`, which must be empty (no tables, or no rows in them).

    An empty schema at the export's revision is made first (the evidence store may
    keep its settings or contents there), then the evidence files go into the store
    from `evidence()` (storing is idempotent, so a failed load leaves at most
    unreferenced copies), then every row in one transaction, with the upgrade to
    this version's schema.
    """
    manifest = read_manifest(source)
    revision: str = manifest["schema_revision"]
    where = db.location
    filled = non_empty_tables(db)
    if filled:
        name, count = next(iter(filled.items()))
        raise PortableExportError(
            f"{where} is not empty ({name} has {count} rows); restore into a new, empty database."
        )
    with db.engine.connect() as conn:
        target_revision = migrations.current_revision(conn)
    if target_revision not in (None, revision):
        raise PortableExportError(
            f"{where} is an empty database at schema {target_revision} but the export is at "
            f"{revision}; restore into a new database instead."
        )
    try:
        if target_revision is None:
            with db.engine.begin() as conn:
                migrations.upgrade(conn, revision)
        with zipfile.ZipFile(source) as archive:
            files = manifest.get("evidence_files") or []
            stored = _load_evidence(archive, files, evidence() if files else None, source)
            with db.engine.begin() as conn:
                rows = _load_tables(conn, archive, manifest, source)
                if revision != migrations.head_revision():
                    migrations.upgrade(conn)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise PortableExportError(f"{source} is damaged and was not loaded ({exc}).") from exc
    except SQLAlchemyError as exc:
        raise PortableExportError(
            f"{source} could not be loaded into {where}; nothing was changed ({exc.args[0]})."
        ) from exc
    return ExportSummary(source, revision, rows, stored)


def _load_evidence(
    archive: zipfile.ZipFile,
    files: list[dict[str, Any]],
    evidence: EvidenceTarget | None,
    source: Path,
) -> int:
    names = _original_names(archive)
    count = 0
    with tempfile.TemporaryDirectory(prefix="assessor-restore-") as temp:
        for entry in files:
            sha256 = entry["sha256"]
            assert evidence is not None
            content = archive.read(f"evidence/{sha256}")
            if hashlib.sha256(content).hexdigest() != sha256:
                raise PortableExportError(
                    f"{source}: evidence file {sha256} has been altered since the export "
                    "was written; nothing was loaded."
                )
            count += 1
            if evidence.exists(sha256):
                continue
            # The store checks a file by its name's extension: give it the original's.
            name = Path(names.get(sha256, "evidence")).name or "evidence"
            path = Path(temp) / sha256[:12] / name
            path.parent.mkdir()
            path.write_bytes(content)
            try:
                added = evidence.add(path)
            except EvidenceFileError as exc:
                raise PortableExportError(
                    f"{source}: evidence file {name} could not be stored: {exc}"
                ) from exc
            if added.sha256 != sha256:
                raise PortableExportError(f"{source}: evidence file {name} was not stored intact.")
    return count


def _original_names(archive: zipfile.ZipFile) -> dict[str, str]:
    names: dict[str, str] = {}
    for row in _rows(archive, Attachment.__tablename__):
        names.setdefault(row["sha256"], row["original_name"])
    return names


def _rows(archive: zipfile.ZipFile, table: str) -> Iterator[dict[str, Any]]:
    member = f"tables/{table}.jsonl"
    if member not in archive.namelist():
        return
    with archive.open(member) as stream:
        for line in stream:
            if line.strip():
                yield {k: decode(v) for k, v in json.loads(line).items()}


def _load_tables(
    conn: Connection, archive: zipfile.ZipFile, manifest: dict[str, Any], source: Path
) -> dict[str, int]:
    # The tables as they are at the export's revision, which may be older than ours.
    schema = MetaData()
    schema.reflect(conn)
    expected = {t["name"]: t["rows"] for t in manifest["tables"]}
    unknown = set(expected) - set(schema.tables)
    if unknown:
        raise PortableExportError(
            f"{source} has tables this schema does not: {', '.join(sorted(unknown))}."
        )
    counts: dict[str, int] = {}
    for table in schema.sorted_tables:
        if table.name not in expected or table.name in EVIDENCE_CONTENT_TABLES:
            continue
        columns = set(table.columns.keys())
        batch: list[dict[str, Any]] = []
        counts[table.name] = 0
        for row in _rows(archive, table.name):
            extra = set(row) - columns
            if extra:
                raise PortableExportError(
                    f"{source}: table {table.name} has columns this schema does not: "
                    f"{', '.join(sorted(extra))}."
                )
            batch.append(row)
            if len(batch) >= _BATCH:
                conn.execute(table.insert(), batch)
                counts[table.name] += len(batch)
                batch = []
        if batch:
            conn.execute(table.insert(), batch)
            counts[table.name] += len(batch)
        if counts[table.name] != expected[table.name]:
            raise PortableExportError(
                f"{source}: table {table.name} should have {expected[table.name]} rows but has "
                f"{counts[table.name]}; the export is incomplete."
            )
        if conn.dialect.name == "postgresql":
            _advance_sequences(conn, table)
    return counts


def _advance_sequences(conn: Connection, table: Table) -> None:
    """PostgreSQL hands out ids from a sequence that explicit inserts do not move."""
    for column in table.primary_key.columns:
        if column.autoincrement is False or column.type.python_type is not int:
            continue
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 1), '
                f'(SELECT MAX("{column.name}") FROM "{table.name}") IS NOT NULL)'
            ),
            {"table": table.name, "column": column.name},
        )
