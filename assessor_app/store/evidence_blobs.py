"""Evidence attachments kept inside the database, for shared PostgreSQL installs.

A folder beside a SQLite file is seen only by the PC that holds it; on a shared
server every PC must see the same files, so their contents live in the
``evidence_blob`` table, keyed by SHA-256 like the folder store. The same checks
apply on the way in (size limit, allowed types, contents matching the name): a
file is first taken through `EvidenceStore.add` into a private temporary folder,
so both stores refuse exactly the same files with the same messages. Every read
checks the hash again. Nothing here deletes a stored row.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.exc import SQLAlchemyError as SAError

from assessor_app.store.database import Database
from assessor_app.store.evidence_files import (
    DEFAULT_MAX_BYTES,
    CheckedStore,
    EvidenceFileAltered,
    EvidenceFileError,
    EvidenceFileMissing,
    EvidenceStore,
    StoredFile,
    attachment_label,
    capitalised,
)
from assessor_app.store.models import EvidenceBlob

__all__ = ["AttachmentStore", "DatabaseEvidenceStore"]

_HEX = frozenset("0123456789abcdef")


class AttachmentStore(Protocol):
    """What services, backups and exports need from either kind of evidence store."""

    max_bytes: int

    def add(self, source: Path) -> StoredFile: ...
    def exists(self, sha256: str) -> bool: ...
    def read_verified(self, sha256: str, *, name: str | None = None) -> bytes: ...
    def copy_out(self, sha256: str, destination: Path, *, name: str | None = None) -> Path: ...
    def verify(self, sha256: str, *, name: str | None = None) -> str | None: ...
    def verify_all(self, hashes: Iterable[str]) -> list[tuple[str, str]]: ...
    def unreferenced(self, hashes_in_use: AbstractSet[str]) -> list[str]: ...


class DatabaseEvidenceStore(CheckedStore):
    """Attachments in the ``evidence_blob`` table of `db`, with the folder store's interface."""

    def __init__(self, db: Database, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        super().__init__(max_bytes)
        self.db = db

    # ------------------------------------------------------------------
    # Adding

    def add(self, source: Path) -> StoredFile:
        """Check `source` as the folder store does, then keep its bytes under its SHA-256."""
        with tempfile.TemporaryDirectory(prefix="assessor-incoming-") as staging:
            stored = EvidenceStore(Path(staging), self.max_bytes).add(source)
            content = EvidenceStore(Path(staging), self.max_bytes).read_verified(stored.sha256)
        name = stored.original_name
        try:
            self._keep(stored.sha256, content)
        except SAError as exc:
            raise EvidenceFileError(
                f"“{name}” could not be saved into the database ({_db_reason(exc)}). Nothing "
                "was stored. Check the connection to the database server and try again."
            ) from exc
        return stored

    def _keep(self, sha256: str, content: bytes) -> None:
        with self.db.transaction() as session:
            row = session.get(EvidenceBlob, sha256)
            if row is None:
                session.add(EvidenceBlob(sha256=sha256, size=len(content), content=content))
            elif hashlib.sha256(row.content).hexdigest() != sha256:
                # A damaged copy is repaired by attaching the original again.
                session.execute(
                    update(EvidenceBlob)
                    .where(EvidenceBlob.sha256 == sha256)
                    .values(size=len(content), content=content)
                )
            else:
                return
            try:
                session.flush()
            except IntegrityError:
                # Another PC stored the same file at the same moment: it is there already.
                session.rollback()

    # ------------------------------------------------------------------
    # Reading back

    def exists(self, sha256: str) -> bool:
        _check_sha256(sha256)
        try:
            with self.db.reading() as session:
                found = session.scalar(
                    select(EvidenceBlob.sha256).where(EvidenceBlob.sha256 == sha256)
                )
        except SAError as exc:
            raise _unreachable(attachment_label(sha256, None), exc) from exc
        return found is not None

    def read_verified(self, sha256: str, *, name: str | None = None) -> bytes:
        """The stored bytes, after checking they still hash to `sha256`."""
        label = attachment_label(sha256, name)
        content = self._load(sha256, label)
        if hashlib.sha256(content).hexdigest() != sha256:
            raise _altered(label)
        return content

    def copy_out(self, sha256: str, destination: Path, *, name: str | None = None) -> Path:
        """Write a verified copy to `destination`; it appears only once complete."""
        label = attachment_label(sha256, name)
        destination = Path(destination)
        if destination.is_dir():
            raise EvidenceFileError(
                f"Cannot copy {label} to {destination}: that is a folder. Choose a file name "
                "to save it as."
            )
        content = self.read_verified(sha256, name=name)
        temp: Path | None = None
        try:
            fd, temp_name = tempfile.mkstemp(
                prefix=".incoming-", suffix=".part", dir=destination.parent
            )
            temp = Path(temp_name)
            with os.fdopen(fd, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, destination)
        except OSError as exc:
            if temp is not None:
                with contextlib.suppress(OSError):
                    temp.unlink(missing_ok=True)
            raise EvidenceFileError(
                f"Could not copy {label} to {destination} ({exc.strerror or exc}). Check the "
                "folder exists, that there is free space there and that you can save files in "
                "it (close the file if another program has it open), then try again."
            ) from exc
        return destination

    def _load(self, sha256: str, label: str) -> bytes:
        _check_sha256(sha256)
        try:
            with self.db.reading() as session:
                content = session.scalar(
                    select(EvidenceBlob.content).where(EvidenceBlob.sha256 == sha256)
                )
        except SAError as exc:
            raise _unreachable(label, exc) from exc
        if content is None:
            raise EvidenceFileMissing(
                f"{capitalised(label)} is missing from the database's evidence store. Restore "
                "the database from your most recent backup, or attach the original file again."
            )
        return bytes(content)

    # ------------------------------------------------------------------
    # Checking

    def _check_intact(self, sha256: str, name: str | None) -> None:
        self.read_verified(sha256, name=name)

    def _stored_hashes(self, skip: AbstractSet[str]) -> Iterator[str]:
        try:
            with self.db.reading() as session:
                stored = list(session.scalars(select(EvidenceBlob.sha256)))
        except SAError as exc:
            raise EvidenceFileError(
                f"Could not list the evidence kept in the database ({_db_reason(exc)})."
            ) from exc
        return (sha256 for sha256 in stored if sha256 not in skip)


def _check_sha256(sha256: str) -> None:
    if not (isinstance(sha256, str) and len(sha256) == 64 and set(sha256) <= _HEX):
        raise EvidenceFileError(
            f"{sha256!r} is not a valid attachment reference (expected 64 lower-case "
            "hexadecimal characters), so nothing was looked up. This points to a fault in "
            "the records rather than in the evidence store; please report it."
        )


def _altered(label: str) -> EvidenceFileAltered:
    return EvidenceFileAltered(
        f"{capitalised(label)} has been altered or damaged since it was added: its contents no "
        "longer match. Do not rely on this copy. Restore the database from your most recent "
        "backup, or attach the original file again to repair it."
    )


def _unreachable(label: str, exc: SAError) -> EvidenceFileError:
    return EvidenceFileError(
        f"{capitalised(label)} could not be read from the database ({_db_reason(exc)}). Check the "
        "connection to the database server, then try again."
    )


def _db_reason(exc: SAError) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
