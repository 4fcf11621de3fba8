"""The evidence file store: files go in whole or not at all, and come back verified."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessor_app.store import evidence_files
from assessor_app.store.evidence_files import (
    ALLOWED_TYPES,
    EvidenceFileAltered,
    EvidenceFileError,
    EvidenceFileMissing,
    EvidenceFileRejected,
    EvidenceStore,
    StoredFile,
)

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(40))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(40))
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(40))
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00" + bytes(range(40))
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00" + bytes(range(40))
WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(range(40))

# One small valid sample for every allowed extension.
SAMPLES = {
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".gif": b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00;",
    ".heic": HEIC,
    ".docx": ZIP,
    ".xlsx": ZIP,
    ".odt": ZIP,
    ".txt": "Observed Sam reposition Mrs B — 14:05, skin checked.\n".encode(),
    ".rtf": b"{\\rtf1\\ansi Observation notes}",
    ".mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(40)),
    ".m4a": b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00" + bytes(range(40)),
    ".mp4": MP4,
    ".mov": b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00" + bytes(range(40)),
}


@pytest.fixture
def store(tmp_path: Path) -> EvidenceStore:
    return EvidenceStore(tmp_path / "evidence")


def write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Everything under root: relative path -> bytes (None for folders)."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(".") or p.suffix == ".part"]


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


# ---------------------------------------------------------------------------
# Storing


def test_add_stores_a_byte_identical_copy_under_its_sha256(store, tmp_path):
    source = write(tmp_path, "Care plan review.pdf", PDF)

    stored = store.add(source)

    sha = hashlib.sha256(PDF).hexdigest()
    assert stored == StoredFile(
        sha256=sha, size=len(PDF), media_type="application/pdf", original_name=source.name
    )
    assert store.path_for(sha) == store.root / sha[:2] / sha
    assert store.path_for(sha).read_bytes() == PDF
    assert store.exists(sha)
    assert stored_files(store.root) == [store.path_for(sha)]
    assert temp_files(store.root) == []
    assert source.read_bytes() == PDF  # the original is left alone


def test_the_same_file_added_twice_is_stored_once(store, tmp_path):
    source = write(tmp_path, "obs.pdf", PDF)
    first = store.add(source)
    inode = store.path_for(first.sha256).stat().st_ino

    second = store.add(source)

    assert second == first
    assert stored_files(store.root) == [store.path_for(first.sha256)]
    assert store.path_for(first.sha256).stat().st_ino == inode  # not copied again
    assert temp_files(store.root) == []


def test_the_same_content_under_different_names_is_stored_once(store, tmp_path):
    a = store.add(write(tmp_path, "photo.jpg", JPEG))
    b = store.add(write(tmp_path, "IMG_0042.JPEG", JPEG))

    assert a.sha256 == b.sha256
    assert (a.original_name, b.original_name) == ("photo.jpg", "IMG_0042.JPEG")
    assert b.media_type == "image/jpeg"
    assert len(stored_files(store.root)) == 1


def test_allowed_types_are_exactly_the_agreed_list():
    assert set(ALLOWED_TYPES) == set(SAMPLES)
    assert ALLOWED_TYPES[".jpg"] == ALLOWED_TYPES[".jpeg"] == "image/jpeg"
    with pytest.raises(TypeError):
        ALLOWED_TYPES[".exe"] = "application/x-msdownload"  # type: ignore[index]


@pytest.mark.parametrize("ext", sorted(SAMPLES))
def test_every_allowed_type_is_accepted_with_its_media_type(store, tmp_path, ext):
    stored = store.add(write(tmp_path, f"evidence{ext.upper()}", SAMPLES[ext]))
    assert stored.media_type == ALLOWED_TYPES[ext]
    assert store.read_verified(stored.sha256) == SAMPLES[ext]


def test_old_quicktime_without_ftyp_and_pdf_with_leading_junk_are_accepted(store, tmp_path):
    store.add(write(tmp_path, "old.mov", b"\x00\x00\x00\x08wide\x00\x00\x10\x00mdat" + bytes(20)))
    store.add(write(tmp_path, "scan.pdf", b"\xef\xbb\xbf\r\n" + PDF))
    store.add(write(tmp_path, "frame.mp3", b"\xff\xfb\x90\x64" + bytes(40)))


def test_text_that_merely_starts_like_a_signature_is_still_text(store, tmp_path):
    for words in ("MZ Smith visited at 10:00\n", "ID3 checklist done\n"):
        store.add(write(tmp_path, "notes.txt", words.encode()))


# ---------------------------------------------------------------------------
# Refusals: each has a clear message and leaves the store exactly as it was


def make_missing(folder: Path) -> Path:
    return folder / "not here.pdf"


def make_folder(folder: Path) -> Path:
    (folder / "Scans.pdf").mkdir()
    return folder / "Scans.pdf"


REFUSALS = [
    # (name, content or a maker, words the message must contain)
    ("missing", make_missing, ["“not here.pdf”", "could not be found", "attach it again"]),
    ("folder", make_folder, ["“Scans.pdf”", "is a folder"]),
    ("empty.pdf", b"", ["“empty.pdf”", "empty"]),
    ("setup.exe", WINDOWS_PROGRAM, ["“setup.exe”", ".exe files are not accepted", ".pdf"]),
    ("Makefile", b"all:\n", ["“Makefile”", "no file type", ".docx"]),
    ("notes.pdf", b"Just some notes typed up.\n", ["looks like a text file, not a PDF"]),
    ("photo.jpg", PNG, ["looks like a PNG image, not a JPEG photo", "rename it to end in .png"]),
    ("report.docx", PDF, ["looks like a PDF document, not a Word document", ".pdf"]),
    ("clip.mp4", JPEG, ["looks like a JPEG photo, not an MP4 video"]),
    ("photo.heic", PNG, ["looks like a PNG image, not a HEIC photo"]),
    ("sheet.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40), ["older Microsoft Office"]),
    ("scan.png", b"\x01\x02\x03\xfe" * 10, ["does not look like a PNG image"]),
    ("letter.pdf", WINDOWS_PROGRAM, ["looks like a Windows program", "Programs cannot be"]),
    ("notes.txt", b"caf\xe9 au lait\n", ["“notes.txt”", "is not plain UTF-8 text"]),
    ("utf16.txt", "Notes".encode("utf-16-le"), ["is not plain UTF-8 text"]),
    ("truncated.txt", b"ends mid-character \xe2\x82", ["is not plain UTF-8 text"]),
    ("actually.txt", PDF, ["looks like a PDF document, not a text file"]),
    ("wrong.rtf", b"plain words\n", ["looks like a text file, not an RTF document"]),
]


@pytest.mark.parametrize(("name", "content", "words"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_explain_and_leave_the_store_unchanged(store, tmp_path, name, content, words):
    store.add(write(tmp_path, "kept.pdf", PDF))
    before = snapshot(store.root)
    source = content(tmp_path) if callable(content) else write(tmp_path, name, content)

    with pytest.raises(EvidenceFileRejected) as refused:
        store.add(source)

    for word in words:
        assert word in str(refused.value)
    assert snapshot(store.root) == before
    assert temp_files(store.root) == []


def test_refusal_on_an_empty_store_creates_nothing(store, tmp_path):
    with pytest.raises(EvidenceFileRejected):
        store.add(write(tmp_path, "bad.txt", b"\xff\xfe\x00"))
    assert snapshot(store.root) == {}


def test_over_the_limit_gives_size_and_limit_in_mb_and_says_what_to_do(tmp_path):
    store = EvidenceStore(tmp_path / "evidence", max_bytes=1024 * 1024)
    source = write(tmp_path, "video.mp4", MP4 + bytes(1024 * 1024 + 512 * 1024))

    with pytest.raises(EvidenceFileRejected) as refused:
        store.add(source)

    message = str(refused.value)
    assert "“video.mp4” is 1.5 MB" in message
    assert "over the 1 MB limit" in message
    assert "Reduce" in message and "split" in message
    assert snapshot(store.root) == {}


def test_a_file_just_over_the_limit_never_shows_as_equal_to_it(tmp_path):
    store = EvidenceStore(tmp_path / "evidence")  # default 50 MB
    assert store.max_bytes == 50 * 1024 * 1024
    source = write(tmp_path, "big.pdf", PDF)
    os.truncate(source, store.max_bytes + 1)  # sparse: quick to make

    with pytest.raises(EvidenceFileRejected, match=r"is 50\.1 MB, which is over the 50 MB limit"):
        store.add(source)


def test_a_file_exactly_at_the_limit_is_accepted(tmp_path):
    store = EvidenceStore(tmp_path / "evidence", max_bytes=len(PDF))
    assert store.add(write(tmp_path, "exact.pdf", PDF)).size == len(PDF)


def test_an_unreadable_file_is_refused(store, tmp_path, monkeypatch):
    source = write(tmp_path, "locked.pdf", PDF)
    real_open = Path.open

    def open_denied(self, *args, **kwargs):
        if self == source:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_denied)

    with pytest.raises(EvidenceFileRejected) as refused:
        store.add(source)
    assert "“locked.pdf” could not be read (Permission denied)" in str(refused.value)
    assert snapshot(store.root) == {}


def test_max_bytes_must_be_positive(tmp_path):
    with pytest.raises(ValueError):
        EvidenceStore(tmp_path, max_bytes=0)


# ---------------------------------------------------------------------------
# Failures part-way: no temp file, nothing under a hash name


def fail_mid_copy(fsrc, fdst, length=0):
    fdst.write(fsrc.read(10))  # some bytes reach the temp file first
    raise OSError(errno.ENOSPC, "No space left on device")


def fail(*args, **kwargs):
    raise OSError(errno.EIO, "Input/output error")


@pytest.mark.parametrize(
    ("target", "replacement"),
    [
        (shutil, ("copyfileobj", fail_mid_copy)),
        (os, ("fsync", fail)),
        (os, ("replace", fail)),
    ],
    ids=["copy", "fsync", "rename"],
)
def test_a_failure_while_storing_leaves_no_temp_and_no_hash_file(
    store, tmp_path, monkeypatch, target, replacement
):
    kept = store.add(write(tmp_path, "kept.pdf", PDF))
    before = snapshot(store.root)
    content = PDF + b"% another document\n"
    source = write(tmp_path, "new.pdf", content)
    monkeypatch.setattr(target, *replacement)

    with pytest.raises(EvidenceFileError) as failed:
        store.add(source)

    assert not isinstance(failed.value, EvidenceFileRejected)  # the store's side, not the file
    assert "“new.pdf” could not be saved into the evidence folder" in str(failed.value)
    assert "Nothing was stored" in str(failed.value)
    monkeypatch.undo()
    assert snapshot(store.root) == before
    assert temp_files(store.root) == []
    assert not store.exists(hashlib.sha256(content).hexdigest())
    assert store.verify(kept.sha256) is None


def test_a_file_that_changes_while_being_copied_is_refused(store, tmp_path, monkeypatch):
    source = write(tmp_path, "still-saving.pdf", PDF)
    real_copy = shutil.copyfileobj

    def copy_while_another_program_appends(fsrc, fdst, length=0):
        with source.open("ab") as other:
            other.write(b"more pages\n")
        real_copy(fsrc, fdst, length)

    monkeypatch.setattr(shutil, "copyfileobj", copy_while_another_program_appends)

    with pytest.raises(EvidenceFileRejected, match="changed while it was being copied"):
        store.add(source)
    assert stored_files(store.root) == []


def test_a_file_that_grows_past_the_limit_while_copying_is_refused(tmp_path, monkeypatch):
    store = EvidenceStore(tmp_path / "evidence", max_bytes=len(PDF) + 5)
    source = write(tmp_path, "growing.pdf", PDF)
    real_copy = shutil.copyfileobj

    def copy_while_growing(fsrc, fdst, length=0):
        with source.open("ab") as other:
            other.write(bytes(1000))
        real_copy(fsrc, fdst, length)

    monkeypatch.setattr(shutil, "copyfileobj", copy_while_growing)

    with pytest.raises(EvidenceFileRejected, match="changed while it was being copied"):
        store.add(source)
    assert stored_files(store.root) == []


# ---------------------------------------------------------------------------
# Reading back


def test_read_verified_and_copy_out_return_the_exact_bytes(store, tmp_path):
    sha = store.add(write(tmp_path, "obs.pdf", PDF)).sha256
    assert store.read_verified(sha) == PDF

    destination = tmp_path / "out" / "obs.pdf"
    destination.parent.mkdir()
    assert store.copy_out(sha, destination) == destination
    assert destination.read_bytes() == PDF
    assert [p.name for p in destination.parent.iterdir()] == ["obs.pdf"]

    destination.write_bytes(b"an older export")
    store.copy_out(sha, destination)
    assert destination.read_bytes() == PDF


def tamper(store: EvidenceStore, sha: str) -> None:
    path = store.path_for(sha)
    data = bytearray(path.read_bytes())
    data[-2] ^= 0x01  # one flipped bit, same size
    path.write_bytes(bytes(data))


def test_a_tampered_file_is_reported_as_altered_naming_it(store, tmp_path):
    sha = store.add(write(tmp_path, "Wound care obs.pdf", PDF)).sha256
    tamper(store, sha)

    with pytest.raises(EvidenceFileAltered) as altered:
        store.read_verified(sha)
    assert sha[:12] in str(altered.value)
    assert "altered or damaged" in str(altered.value)
    assert "backup" in str(altered.value)

    with pytest.raises(EvidenceFileAltered, match=r"“Wound care obs\.pdf”"):
        store.read_verified(sha, name="Wound care obs.pdf")

    problem = store.verify(sha, name="Wound care obs.pdf")
    assert problem is not None and "“Wound care obs.pdf”" in problem


def test_copy_out_of_a_tampered_file_leaves_nothing_and_keeps_an_existing_file(store, tmp_path):
    sha = store.add(write(tmp_path, "obs.pdf", PDF)).sha256
    tamper(store, sha)
    out = tmp_path / "out"
    out.mkdir()
    existing = write(out, "keep.pdf", b"the user's own file")

    with pytest.raises(EvidenceFileAltered):
        store.copy_out(sha, out / "obs.pdf")
    with pytest.raises(EvidenceFileAltered):
        store.copy_out(sha, existing)

    assert [p.name for p in out.iterdir()] == ["keep.pdf"]
    assert existing.read_bytes() == b"the user's own file"


def test_a_deleted_file_is_reported_as_missing(store, tmp_path):
    sha = store.add(write(tmp_path, "obs.pdf", PDF)).sha256
    store.path_for(sha).unlink()

    assert not store.exists(sha)
    with pytest.raises(EvidenceFileMissing) as missing:
        store.read_verified(sha, name="obs.pdf")
    assert "“obs.pdf”" in str(missing.value) and "is missing" in str(missing.value)
    with pytest.raises(EvidenceFileMissing):
        store.copy_out(sha, tmp_path / "copy.pdf")
    assert not (tmp_path / "copy.pdf").exists()


def test_copy_out_to_a_folder_that_does_not_exist_explains_and_leaves_nothing(store, tmp_path):
    sha = store.add(write(tmp_path, "obs.pdf", PDF)).sha256
    with pytest.raises(EvidenceFileError, match="Could not copy"):
        store.copy_out(sha, tmp_path / "no such folder" / "obs.pdf")
    with pytest.raises(EvidenceFileError, match="is a folder"):
        store.copy_out(sha, tmp_path)


def test_a_failed_write_in_copy_out_leaves_no_temp(store, tmp_path, monkeypatch):
    sha = store.add(write(tmp_path, "obs.pdf", PDF)).sha256
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(shutil, "copyfileobj", fail_mid_copy)

    with pytest.raises(EvidenceFileError, match="No space left"):
        store.copy_out(sha, out / "obs.pdf")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    "bad",
    [
        "../../etc/passwd",
        "../" + "a" * 61,
        "A" * 64,
        "a" * 63,
        "a" * 65,
        "a" * 64 + "\n",
        "g" * 64,
        "",
        "/" + "a" * 63,
    ],
)
def test_a_bad_sha256_is_refused_everywhere(store, tmp_path, bad):
    for call in (
        lambda: store.path_for(bad),
        lambda: store.exists(bad),
        lambda: store.read_verified(bad),
        lambda: store.copy_out(bad, tmp_path / "out.pdf"),
    ):
        with pytest.raises(EvidenceFileError, match="not a valid attachment reference"):
            call()
    problem = store.verify(bad)
    assert problem is not None and "not a valid attachment reference" in problem
    assert not (tmp_path / "out.pdf").exists()


# ---------------------------------------------------------------------------
# Checking and repair


def test_verify_all_lists_exactly_the_missing_and_altered(store, tmp_path):
    good = store.add(write(tmp_path, "a.pdf", PDF)).sha256
    altered = store.add(write(tmp_path, "b.png", PNG)).sha256
    missing = store.add(write(tmp_path, "c.jpg", JPEG)).sha256
    never_stored = hashlib.sha256(b"never added").hexdigest()
    tamper(store, altered)
    store.path_for(missing).unlink()

    problems = store.verify_all([good, altered, missing, good, never_stored, altered])

    assert [sha for sha, _ in problems] == [altered, missing, never_stored]
    reasons = dict(problems)
    assert "altered or damaged" in reasons[altered]
    assert "is missing" in reasons[missing] and "is missing" in reasons[never_stored]
    assert store.verify(good) is None
    assert store.verify_all([good]) == []


def test_adding_the_good_file_again_repairs_a_damaged_copy(store, tmp_path):
    source = write(tmp_path, "obs.pdf", PDF)
    sha = store.add(source).sha256
    tamper(store, sha)
    assert store.verify(sha) is not None

    assert store.add(source).sha256 == sha

    assert store.verify(sha) is None
    assert store.read_verified(sha) == PDF
    assert stored_files(store.root) == [store.path_for(sha)]
    assert temp_files(store.root) == []


def test_a_truncated_copy_is_repaired_too(store, tmp_path):
    source = write(tmp_path, "obs.pdf", PDF)
    sha = store.add(source).sha256
    store.path_for(sha).write_bytes(PDF[:10])

    store.add(source)

    assert store.read_verified(sha) == PDF


def test_unreferenced_lists_files_no_record_points_to_and_deletes_nothing(store, tmp_path):
    assert store.unreferenced(set()) == []  # no folder yet
    used = store.add(write(tmp_path, "a.pdf", PDF)).sha256
    spare = store.add(write(tmp_path, "b.png", PNG)).sha256
    (store.root / ".incoming-leftover.part").write_bytes(b"from a crash")
    (store.root / "zz").mkdir()
    (store.root / used[:2] / "notes.txt").write_text("stray")
    before = snapshot(store.root)

    assert store.unreferenced({used}) == [spare]
    assert store.unreferenced(frozenset({used, spare})) == []
    assert sorted(store.unreferenced(set())) == sorted([used, spare])
    assert snapshot(store.root) == before


# ---------------------------------------------------------------------------
# Property: whatever the bytes, they come back exactly, named by their hash


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@given(body=st.binary(max_size=4096), chunk=st.sampled_from([1, 7, 4096, 1024 * 1024]))
def test_any_pdf_bytes_round_trip(tmp_path, monkeypatch, body, chunk):
    monkeypatch.setattr(evidence_files, "CHUNK_BYTES", chunk)
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    store = EvidenceStore(folder / "evidence")
    content = b"%PDF-1.4\n" + body
    source = write(folder, "any.pdf", content)

    stored = store.add(source)

    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.size == len(content)
    assert store.read_verified(stored.sha256) == content
    assert store.verify(stored.sha256) is None
    assert store.copy_out(stored.sha256, folder / "out.pdf").read_bytes() == content
    assert temp_files(store.root) == []
