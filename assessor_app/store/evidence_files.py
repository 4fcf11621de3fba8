"""Evidence attachments kept in a content-addressed folder beside the database.

Each attachment is stored once, as ``<root>/<first two hex chars>/<sha256 hex>``
with no extension; the database records the hash, size, media type and original
name. A file arrives through a temporary file inside ``root`` that is flushed and
fsynced before it is renamed to its hash name, so a hash name only ever holds a
complete copy. Every read checks the hash again, so altered or damaged evidence
is reported instead of being handed back as if it were the original.

Nothing here deletes a stored file: `EvidenceStore.unreferenced` only lists them.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import hashlib
import os
import re
import shutil
import stat
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO

__all__ = [
    "ALLOWED_TYPES",
    "CheckedStore",
    "EvidenceFileAltered",
    "EvidenceFileError",
    "EvidenceFileMissing",
    "EvidenceFileRejected",
    "EvidenceStore",
    "StoredFile",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024
HEAD_BYTES = 1024  # enough for every signature, including a PDF header after junk
TEMP_PREFIX = ".incoming-"
TEMP_SUFFIX = ".part"

_MIB = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SUBFOLDER = re.compile(r"[0-9a-f]{2}")

ALLOWED_TYPES: Mapping[str, str] = MappingProxyType(
    {
        ".pdf": "application/pdf",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".png": "image/png",
        ".gif": "image/gif",
        ".heic": "image/heic",
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".odt": "application/vnd.oasis.opendocument.text",
        ".txt": "text/plain",
        ".rtf": "application/rtf",
        ".mp3": "audio/mpeg",
        ".m4a": "audio/mp4",
        ".mp4": "video/mp4",
        ".mov": "video/quicktime",
    }
)

# What a person would call each allowed type, for messages.
_KIND: Mapping[str, str] = MappingProxyType(
    {
        ".pdf": "a PDF document",
        ".jpg": "a JPEG photo",
        ".jpeg": "a JPEG photo",
        ".png": "a PNG image",
        ".gif": "a GIF image",
        ".heic": "a HEIC photo",
        ".docx": "a Word document",
        ".xlsx": "an Excel spreadsheet",
        ".odt": "an OpenDocument text file",
        ".txt": "a text file",
        ".rtf": "an RTF document",
        ".mp3": "an MP3 recording",
        ".m4a": "an M4A recording",
        ".mp4": "an MP4 video",
        ".mov": "a MOV video",
    }
)

_PDF = b"%PDF-"
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_GIFS = (b"GIF87a", b"GIF89a")
_ZIP = b"PK\x03\x04"
_RTF = b"{\\rtf"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt before 2007
_ISO_MEDIA = (".mp4", ".mov", ".heic", ".m4a")
_ZIP_DOCUMENTS = (".docx", ".xlsx", ".odt")
# QuickTime files written before the ftyp box existed start with one of these.
_OLD_QUICKTIME_ATOMS = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
_HEIC_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")


class EvidenceFileError(Exception):
    """An evidence file problem, with a message for a person: the file and what to do."""


class EvidenceFileRejected(EvidenceFileError):
    """A file refused on the way in; nothing was stored."""


class EvidenceFileMissing(EvidenceFileError):
    """A stored attachment's file is not in the evidence folder."""


class EvidenceFileAltered(EvidenceFileError):
    """A stored attachment's contents no longer match the hash it was stored under."""


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    media_type: str
    original_name: str


class CheckedStore(ABC):
    """What both evidence stores (this folder, and the database's table in
    evidence_blobs) do alike once they can check one attachment and list the hashes
    they hold: checking many, and finding those no record points to."""

    def __init__(self, max_bytes: int) -> None:
        if max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")
        self.max_bytes = max_bytes

    @abstractmethod
    def _check_intact(self, sha256: str, name: str | None) -> None:
        """Raise EvidenceFileError saying what is wrong with the stored copy, if anything."""

    @abstractmethod
    def _stored_hashes(self, skip: AbstractSet[str]) -> Iterator[str]:
        """The hashes of everything stored but those in `skip`; EvidenceFileError when
        they cannot be listed."""

    def verify(self, sha256: str, *, name: str | None = None) -> str | None:
        """None if the stored copy is present and intact, else a sentence saying what is wrong.

        `name` (the attachment's original name) is only used in the sentence.
        """
        try:
            self._check_intact(sha256, name)
        except EvidenceFileError as exc:
            return str(exc)
        return None

    def verify_all(self, hashes: Iterable[str]) -> list[tuple[str, str]]:
        """(hash, problem) for every missing, altered or unreadable attachment, each hash once."""
        problems: list[tuple[str, str]] = []
        for sha256 in dict.fromkeys(hashes):
            problem = self.verify(sha256)
            if problem is not None:
                problems.append((sha256, problem))
        return problems

    def unreferenced(self, hashes_in_use: AbstractSet[str]) -> list[str]:
        """Hashes of stored attachments that no record points to, sorted. Deletes nothing."""
        return sorted(self._stored_hashes(skip=hashes_in_use))


class EvidenceStore(CheckedStore):
    """The evidence folder: add files, read them back verified, check them all."""

    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        super().__init__(max_bytes)
        self.root = Path(root)

    # ------------------------------------------------------------------
    # Locating

    def path_for(self, sha256: str) -> Path:
        """Where the file with this hash lives; refuses anything but 64 lower-case hex."""
        _check_sha256(sha256)
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    # ------------------------------------------------------------------
    # Adding

    def add(self, source: Path) -> StoredFile:
        """Copy `source` into the store under its SHA-256; refuse it with a reason otherwise."""
        source = Path(source)
        name = source.name or str(source)
        try:
            info = source.stat()
        except FileNotFoundError:
            raise EvidenceFileRejected(
                f"“{name}” could not be found at {source}. It may have been moved, renamed "
                "or deleted, or be on a drive that is no longer connected. Find the file "
                "and attach it again."
            ) from None
        except OSError as exc:
            raise _unreadable(name, exc) from exc
        if stat.S_ISDIR(info.st_mode):
            raise EvidenceFileRejected(
                f"“{name}” is a folder, not a file. Open the folder and attach the files "
                "inside it one at a time."
            )
        if not stat.S_ISREG(info.st_mode):
            raise EvidenceFileRejected(
                f"“{name}” is not an ordinary file (it may be a device or a pipe). "
                "Save the evidence as a normal file, then attach that."
            )
        ext = source.suffix.lower()
        media_type = ALLOWED_TYPES.get(ext)
        if media_type is None:
            raise EvidenceFileRejected(_not_allowed_message(name, ext))

        try:
            src = source.open("rb")
        except OSError as exc:
            raise _unreadable(name, exc) from exc
        with src:
            try:
                before = os.fstat(src.fileno())
                head = src.read(HEAD_BYTES)
            except OSError as exc:
                raise _unreadable(name, exc) from exc
            if not stat.S_ISREG(before.st_mode):
                raise EvidenceFileRejected(
                    f"“{name}” is not an ordinary file. Save the evidence as a normal file, "
                    "then attach that."
                )
            if before.st_size == 0 or not head:
                raise EvidenceFileRejected(
                    f"“{name}” is empty (0 bytes), so there is nothing to keep. Check it is "
                    "the right file; if it should have something in it, save it again from "
                    "the program that made it, then attach it."
                )
            if before.st_size > self.max_bytes:
                size_mb, limit_mb = _size_and_limit(before.st_size, self.max_bytes)
                raise EvidenceFileRejected(
                    f"“{name}” is {size_mb}, which is over the {limit_mb} limit for one "
                    "attachment. Reduce "
                    "its size (for example, scan at a lower resolution, export a smaller "
                    "PDF or shorten the recording) or split it into smaller files, then "
                    "attach those."
                )
            _check_signature(name, ext, head)
            sha256, size = self._copy_in(src, head, name, ext, before)

        return StoredFile(
            sha256=sha256, size=size, media_type=media_type, original_name=source.name
        )

    def _copy_in(
        self, src: BinaryIO, head: bytes, name: str, ext: str, before: os.stat_result
    ) -> tuple[str, int]:
        """Stream `src` into a temp file in root, then rename it to its hash name."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=self.root)
        except OSError as exc:
            raise _cannot_save(name, self.root, exc) from exc
        temp = Path(temp_name)
        try:
            reader = _CheckingReader(src, head, name, ext, self.max_bytes)
            try:
                with os.fdopen(fd, "wb") as out:
                    shutil.copyfileobj(reader, out, CHUNK_BYTES)
                    out.flush()
                    os.fsync(out.fileno())
            except EvidenceFileError:
                raise
            except OSError as exc:
                raise _cannot_save(name, self.root, exc) from exc

            try:
                after = os.fstat(src.fileno())
            except OSError as exc:
                raise _unreadable(name, exc) from exc
            if (
                reader.size != before.st_size
                or after.st_size != before.st_size
                or after.st_mtime_ns != before.st_mtime_ns
            ):
                raise _changed_while_copying(name)
            reader.finish()

            sha256 = reader.hexdigest()
            try:
                self._place(temp, sha256, reader.size)
            except OSError as exc:
                raise _cannot_save(name, self.root, exc) from exc
        except BaseException:
            _remove_quietly(temp)  # already renamed or removed if _place got that far
            raise
        return sha256, reader.size

    def _place(self, temp: Path, sha256: str, size: int) -> None:
        """Rename `temp` to its hash name, unless a verified copy is already there."""
        dest = self.path_for(sha256)
        folder = dest.parent
        new_folder = not folder.is_dir()
        folder.mkdir(exist_ok=True)
        if self._holds(dest, sha256, size):
            _remove_quietly(temp)  # stored once already; a damaged copy is replaced below
            return
        try:
            os.replace(temp, dest)
        except OSError:
            if new_folder:
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only ever removes it while it is still empty
            raise
        _fsync_directory(folder)
        if new_folder:
            _fsync_directory(self.root)

    def _holds(self, dest: Path, sha256: str, size: int) -> bool:
        """True if `dest` is a readable regular file with exactly the expected contents."""
        try:
            info = dest.stat()
            if not stat.S_ISREG(info.st_mode) or info.st_size != size:
                return False
            digest = hashlib.sha256()
            with dest.open("rb") as stored:
                while chunk := stored.read(CHUNK_BYTES):
                    digest.update(chunk)
        except OSError:
            return False
        return digest.hexdigest() == sha256

    # ------------------------------------------------------------------
    # Reading back

    def read_verified(self, sha256: str, *, name: str | None = None) -> bytes:
        """The stored bytes, after checking they still hash to `sha256`.

        `name` (the attachment's original name) is only used in messages.
        """
        label = attachment_label(sha256, name)
        path = self.path_for(sha256)
        digest = hashlib.sha256()
        chunks: list[bytes] = []
        with self._open_stored(path, label) as stored:
            try:
                while chunk := stored.read(CHUNK_BYTES):
                    digest.update(chunk)
                    chunks.append(chunk)
            except OSError as exc:
                raise _stored_unreadable(label, path, exc) from exc
        if digest.hexdigest() != sha256:
            raise _altered(label, path)
        return b"".join(chunks)

    def copy_out(self, sha256: str, destination: Path, *, name: str | None = None) -> Path:
        """Copy a stored file to `destination` (a file path), checking the hash on the way.

        The copy appears at `destination` only once it is complete and verified
        (an existing file there is replaced); on any problem nothing is left behind.
        """
        label = attachment_label(sha256, name)
        path = self.path_for(sha256)
        destination = Path(destination)
        if destination.is_dir():
            raise EvidenceFileError(
                f"Cannot copy {label} to {destination}: that is a folder. Choose a file name "
                "to save it as."
            )
        with self._open_stored(path, label) as stored:
            try:
                fd, temp_name = tempfile.mkstemp(
                    prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=destination.parent
                )
            except OSError as exc:
                raise _cannot_copy(label, destination, exc) from exc
            temp = Path(temp_name)
            try:
                reader = _HashingReader(stored, label, path)
                try:
                    with os.fdopen(fd, "wb") as out:
                        shutil.copyfileobj(reader, out, CHUNK_BYTES)
                        out.flush()
                        os.fsync(out.fileno())
                except EvidenceFileError:
                    raise
                except OSError as exc:
                    raise _cannot_copy(label, destination, exc) from exc
                if reader.hexdigest() != sha256:
                    raise _altered(label, path)
                try:
                    os.replace(temp, destination)
                except OSError as exc:
                    raise EvidenceFileError(
                        f"Could not save {label} as {destination} ({_reason(exc)}). If that "
                        "file is open in another program, close it and try again."
                    ) from exc
            except BaseException:
                _remove_quietly(temp)
                raise
        return destination

    def _open_stored(self, path: Path, label: str) -> BinaryIO:
        try:
            return path.open("rb")
        except FileNotFoundError:
            raise _missing(label, path) from None
        except OSError as exc:
            raise _stored_unreadable(label, path, exc) from exc

    # ------------------------------------------------------------------
    # Checking

    def _check_intact(self, sha256: str, name: str | None) -> None:
        # Hashed as it is read, so checking a large file does not hold it in memory.
        label = attachment_label(sha256, name)
        path = self.path_for(sha256)
        digest = hashlib.sha256()
        with self._open_stored(path, label) as stored:
            try:
                while chunk := stored.read(CHUNK_BYTES):
                    digest.update(chunk)
            except OSError as exc:
                raise _stored_unreadable(label, path, exc) from exc
        if digest.hexdigest() != sha256:
            raise _altered(label, path)

    def _stored_hashes(self, skip: AbstractSet[str]) -> Iterator[str]:
        if not self.root.is_dir():
            return
        try:
            for folder in self.root.iterdir():
                if not (_SUBFOLDER.fullmatch(folder.name) and folder.is_dir()):
                    continue
                for entry in folder.iterdir():
                    sha256 = entry.name
                    if (
                        _SHA256.fullmatch(sha256)
                        and sha256.startswith(folder.name)
                        and sha256 not in skip
                        and entry.is_file()
                    ):
                        yield sha256
        except OSError as exc:
            raise EvidenceFileError(
                f"Could not list the evidence folder {self.root}: {_reason(exc)}."
            ) from exc


# ----------------------------------------------------------------------
# Streaming readers


class _HashingReader:
    """Wraps a stored file for shutil.copyfileobj: hashes as it goes, names read errors."""

    def __init__(self, stored: BinaryIO, label: str, path: Path) -> None:
        self._stored = stored
        self._label = label
        self._path = path
        self._digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        try:
            chunk = self._stored.read(size)
        except OSError as exc:
            raise _stored_unreadable(self._label, self._path, exc) from exc
        self._digest.update(chunk)
        return chunk

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


class _CheckingReader:
    """Wraps an incoming file for shutil.copyfileobj.

    Hands back the already-read head first, then the rest; hashes and counts every
    byte, refuses growth past the limit and, for .txt, anything that is not UTF-8.
    Problems with the source are raised as EvidenceFileRejected, so an OSError
    coming out of the copy is known to be the store's side.
    """

    def __init__(self, src: BinaryIO, head: bytes, name: str, ext: str, max_bytes: int) -> None:
        self._src = src
        self._pending = head
        self._name = name
        self._max_bytes = max_bytes
        self._digest = hashlib.sha256()
        self._text = codecs.getincrementaldecoder("utf-8")() if ext == ".txt" else None
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        if self._pending:
            chunk, self._pending = self._pending, b""
        else:
            try:
                chunk = self._src.read(size)
            except OSError as exc:
                raise _unreadable(self._name, exc) from exc
        self.size += len(chunk)
        if self.size > self._max_bytes:
            raise _changed_while_copying(self._name)
        if self._text is not None:
            self._check_text(chunk, final=False)
        self._digest.update(chunk)
        return chunk

    def finish(self) -> None:
        if self._text is not None:
            self._check_text(b"", final=True)

    def hexdigest(self) -> str:
        return self._digest.hexdigest()

    def _check_text(self, chunk: bytes, *, final: bool) -> None:
        assert self._text is not None
        try:
            self._text.decode(chunk, final)
        except UnicodeDecodeError:
            raise _not_text(self._name) from None
        if b"\x00" in chunk:
            raise _not_text(self._name)


# ----------------------------------------------------------------------
# Content checks


def _check_signature(name: str, ext: str, head: bytes) -> None:
    """Refuse a file whose first bytes do not fit its extension."""
    if ext == ".txt":
        seen = _looks_like(head)
        if seen is not None and (seen[0] == ".pdf" or not _starts_as_text(head)):
            raise _mismatch(name, ext, seen)
        return  # the whole file is checked as UTF-8 while it is copied
    if _signature_fits(ext, head):
        return
    seen = _looks_like(head)
    if seen is None and _starts_as_text(head):
        seen = (".txt", _KIND[".txt"])
    if seen is not None:
        raise _mismatch(name, ext, seen)
    raise EvidenceFileRejected(
        f"“{name}” does not look like {_KIND[ext]}: its contents do not match its name. "
        "It may be damaged, or be another kind of file that was renamed. Open it to check, "
        "save it again from the program that made it, then attach it."
    )


def _signature_fits(ext: str, head: bytes) -> bool:
    if ext == ".pdf":
        return _PDF in head[:HEAD_BYTES]  # readers accept junk before the header
    if ext == ".png":
        return head.startswith(_PNG)
    if ext in (".jpg", ".jpeg"):
        return head.startswith(_JPEG)
    if ext == ".gif":
        return head.startswith(_GIFS)
    if ext in _ZIP_DOCUMENTS:
        return head.startswith(_ZIP)
    if ext == ".rtf":
        return head.startswith(_RTF)
    if ext == ".mp3":
        return head.startswith(b"ID3") or _is_mpeg_audio_frame(head)
    if ext in _ISO_MEDIA:
        box = head[4:8]
        return box == b"ftyp" or (ext == ".mov" and box in _OLD_QUICKTIME_ATOMS)
    return False  # pragma: no cover - every allowed extension is handled above


def _looks_like(head: bytes) -> tuple[str | None, str] | None:
    """(extension to suggest or None, description) for recognisable content."""
    if head.startswith(_PDF):
        return ".pdf", _KIND[".pdf"]
    if head.startswith(_PNG):
        return ".png", _KIND[".png"]
    if head.startswith(_JPEG):
        return ".jpg", _KIND[".jpg"]
    if head.startswith(_GIFS):
        return ".gif", _KIND[".gif"]
    if head.startswith(_RTF):
        return ".rtf", _KIND[".rtf"]
    if head[4:8] == b"ftyp" and head[0] == 0:  # box sizes are small: first byte 0
        brand = head[8:12]
        if brand in _HEIC_BRANDS:
            return ".heic", _KIND[".heic"]
        if brand == b"qt  ":
            return ".mov", _KIND[".mov"]
        if brand == b"M4A ":
            return ".m4a", _KIND[".m4a"]
        return ".mp4", _KIND[".mp4"]
    if head.startswith(_ZIP):
        return None, "a ZIP file (a Word, Excel or OpenDocument file, or a ZIP archive)"
    if head.startswith(_OLE):
        return None, "an older Microsoft Office file (.doc or .xls)"
    if _starts_as_text(head):
        return None  # "ID3…" or "MZ…" may just be words at the start of a text file
    if head.startswith(b"ID3"):
        return ".mp3", _KIND[".mp3"]
    if head.startswith(b"MZ"):
        return None, "a Windows program"
    if head.startswith(b"\x7fELF"):
        return None, "a Linux program"
    if head[:4] in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe"):
        return None, "a Mac program"
    return None


def _is_mpeg_audio_frame(head: bytes) -> bool:
    return len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0


def _starts_as_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, False)
    except UnicodeDecodeError:
        return False
    return True


# ----------------------------------------------------------------------
# Messages


def _mismatch(name: str, ext: str, seen: tuple[str | None, str]) -> EvidenceFileRejected:
    suggest, kind = seen
    if suggest is not None and suggest in ALLOWED_TYPES:
        advice = (
            f"If it is {kind}, rename it to end in {suggest} and attach it again; otherwise "
            "attach the right file."
        )
    elif suggest is None and kind.endswith("program"):
        advice = "Programs cannot be attached as evidence. Attach the evidence file itself."
    else:
        advice = (
            "Save it from the program that made it as one of the accepted types (PDF is "
            "usually best), then attach that."
        )
    return EvidenceFileRejected(f"“{name}” looks like {kind}, not {_KIND[ext]}. {advice}")


def _not_allowed_message(name: str, ext: str) -> str:
    allowed = ", ".join(ALLOWED_TYPES)
    what = f"{ext} files are not accepted" if ext else "it has no file type at the end of its name"
    return (
        f"“{name}” cannot be attached: {what}. Accepted types are {allowed}. Save or export "
        "the evidence as one of these (PDF is usually best), then attach that."
    )


def _not_text(name: str) -> EvidenceFileRejected:
    return EvidenceFileRejected(
        f"“{name}” is not plain UTF-8 text: it may be saved in another encoding or be a "
        "different kind of file with a .txt name. Open it and save it as UTF-8 text or as "
        "a PDF, then attach it again."
    )


def _unreadable(name: str, exc: OSError) -> EvidenceFileRejected:
    return EvidenceFileRejected(
        f"“{name}” could not be read ({_reason(exc)}). Check that you can open it; if it "
        "is on a network or removable drive, copy it to this computer first, then attach "
        "the copy."
    )


def _changed_while_copying(name: str) -> EvidenceFileRejected:
    return EvidenceFileRejected(
        f"“{name}” changed while it was being copied, so the copy could not be trusted and "
        "was not kept. Wait until the program saving it has finished (or close it), then "
        "attach it again."
    )


def _cannot_save(name: str, root: Path, exc: OSError) -> EvidenceFileError:
    return EvidenceFileError(
        f"“{name}” could not be saved into the evidence folder {root} ({_reason(exc)}). "
        "Nothing was stored. Check there is free disk space and that you can save files "
        "there, then try again."
    )


def _cannot_copy(label: str, destination: Path, exc: OSError) -> EvidenceFileError:
    return EvidenceFileError(
        f"Could not copy {label} to {destination} ({_reason(exc)}). Check the folder exists, "
        "that there is free space there and that you can save files in it, then try again."
    )


def attachment_label(sha256: str, name: str | None) -> str:
    """How messages name an attachment: its original name if known, and its hash."""
    short = f"{sha256[:12]}…" if isinstance(sha256, str) and len(sha256) > 12 else sha256
    if name:
        return f"the attachment “{name}” (stored as {short})"
    return f"the attachment stored as {short}"


def _missing(label: str, path: Path) -> EvidenceFileMissing:
    return EvidenceFileMissing(
        f"{capitalised(label)} is missing from the evidence folder (it should be at {path}). "
        "Restore the evidence folder from your most recent backup, or attach the original "
        "file again."
    )


def _altered(label: str, path: Path) -> EvidenceFileAltered:
    return EvidenceFileAltered(
        f"{capitalised(label)} has been altered or damaged since it was added: its contents no "
        f"longer match (file {path}). Do not rely on this copy. Restore the evidence folder "
        "from your most recent backup, or attach the original file again to repair it."
    )


def _stored_unreadable(label: str, path: Path, exc: OSError) -> EvidenceFileError:
    return EvidenceFileError(
        f"{capitalised(label)} could not be read from the evidence folder ({_reason(exc)}; "
        f"file {path}). Check the folder is available and that you can open files in it, "
        "then try again."
    )


def _check_sha256(sha256: str) -> None:
    if not (isinstance(sha256, str) and _SHA256.fullmatch(sha256)):
        raise EvidenceFileError(
            f"{sha256!r} is not a valid attachment reference (expected 64 lower-case "
            "hexadecimal characters), so no file was looked up. This points to a fault in "
            "the records rather than in the evidence folder; please report it."
        )


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _size_and_limit(size: int, limit: int) -> tuple[str, str]:
    """Both in MB to one decimal; a size over the limit never reads as equal to it."""
    limit_tenths = limit * 10 // _MIB  # rounded down
    size_tenths = (size * 10 + _MIB // 2) // _MIB  # rounded to nearest
    if size_tenths <= limit_tenths:
        size_tenths = -(-size * 10 // _MIB)  # rounded up: now above the limit shown
    return _tenths_mb(size_tenths), _tenths_mb(limit_tenths)


def _tenths_mb(tenths: int) -> str:
    return f"{tenths // 10}.{tenths % 10}".removesuffix(".0") + " MB"


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


# ----------------------------------------------------------------------
# File system helpers


def _fsync_directory(folder: Path) -> None:
    """Make a rename in `folder` durable, where the platform lets a folder be opened."""
    if os.name == "nt":  # Windows cannot open a folder to flush it; NTFS journals renames
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):  # the original error is the one to report
        path.unlink(missing_ok=True)
