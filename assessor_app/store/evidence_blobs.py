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
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.exc import SQLAlchemyError as SAError

from assessor_app.store.database import Database
from assessor_app.store.evidence_files import (
    DEFAULT_MAX_BYTES,
    EvidenceFileAltered,
    EvidenceFileError,
    EvidenceFileMissing,
    EvidenceStore,
    StoredFile,
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


class DatabaseEvidenceStore:
    """Attachments in the ``evidence_blob`` table of `db`, with the folder store's interface."""

    def __init__(self, db: Database, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        if max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")
        self.db = db
        self.max_bytes = max_bytes

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
            raise _unreachable(_label(sha256, None), exc) from exc
        return found is not None

    def read_verified(self, sha256: str, *, name: str | None = None) -> bytes:
        """The stored bytes, after checking they still hash to `sha256`."""
        label = _label(sha256, name)
        content = self._load(sha256, label)
        if hashlib.sha256(content).hexdigest() != sha256:
            raise _altered(label)
        return content

    def copy_out(self, sha256: str, destination: Path, *, name: str | None = None) -> Path:
        """Write a verified copy to `destination`; it appears only once complete."""
        label = _label(sha256, name)
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
                f"{_capital(label)} is missing from the database's evidence store. Restore "
                "the database from your most recent backup, or attach the original file again."
            )
        return bytes(content)

    # ------------------------------------------------------------------
    # Checking

    def verify(self, sha256: str, *, name: str | None = None) -> str | None:
        """None if the stored contents are present and intact, else what is wrong."""
        try:
            self.read_verified(sha256, name=name)
        except EvidenceFileError as exc:
            return str(exc)
        return None

    def verify_all(self, hashes: Iterable[str]) -> list[tuple[str, str]]:
        """(hash, problem) for every missing, altered or unreadable attachment, each once."""
        problems: list[tuple[str, str]] = []
        for sha256 in dict.fromkeys(hashes):
            problem = self.verify(sha256)
            if problem is not None:
                problems.append((sha256, problem))
        return problems

    def unreferenced(self, hashes_in_use: AbstractSet[str]) -> list[str]:
        """Hashes of stored contents that no record points to, sorted. Deletes nothing."""
        try:
            with self.db.reading() as session:
                stored = session.scalars(select(EvidenceBlob.sha256).order_by(EvidenceBlob.sha256))
                return [sha256 for sha256 in stored if sha256 not in hashes_in_use]
        except SAError as exc:
            raise EvidenceFileError(
                f"Could not list the evidence kept in the database ({_db_reason(exc)})."
            ) from exc


def _check_sha256(sha256: str) -> None:
    if not (isinstance(sha256, str) and len(sha256) == 64 and set(sha256) <= _HEX):
        raise EvidenceFileError(
            f"{sha256!r} is not a valid attachment reference (expected 64 lower-case "
            "hexadecimal characters), so nothing was looked up. This points to a fault in "
            "the records rather than in the evidence store; please report it."
        )


def _label(sha256: str, name: str | None) -> str:
    short = f"{sha256[:12]}…" if isinstance(sha256, str) and len(sha256) > 12 else sha256
    if name:
        return f"the attachment “{name}” (stored as {short})"
    return f"the attachment stored as {short}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _altered(label: str) -> EvidenceFileAltered:
    return EvidenceFileAltered(
        f"{_capital(label)} has been altered or damaged since it was added: its contents no "
        "longer match. Do not rely on this copy. Restore the database from your most recent "
        "backup, or attach the original file again to repair it."
    )


def _unreachable(label: str, exc: SAError) -> EvidenceFileError:
    return EvidenceFileError(
        f"{_capital(label)} could not be read from the database ({_db_reason(exc)}). Check the "
        "connection to the database server, then try again."
    )


def _db_reason(exc: SAError) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
