"""Crash safety: a process recording evidence is killed outright again and again; every
save it had reported as committed is still there and the database is sound."""

from __future__ import annotations

import os
import random
import select
import signal
import time
from datetime import date
from pathlib import Path

import pytest
from conftest import apprentice_input
from sqlalchemy import select as sql_select

from assessor_app.services.apprentices import enrol_apprentice
from assessor_app.services.backups import check_everything
from assessor_app.services.evidence import EvidenceInput, record_evidence
from assessor_app.services.placements import PlacementInput, schedule_placement
from assessor_app.services.roles import Actor, Role
from assessor_app.store import models
from assessor_app.store.database import open_database

TUTOR = Actor(None, "tutor", Role.TUTOR)
COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
KILLS = 25
TODAY = date(2026, 11, 23)


def _record_until_killed(
    path: Path, apprentice: int, placement: int, files: Path, out: int
) -> None:
    """The child: records evidence with a new file each time, writing each id to `out`
    only after record_evidence has returned (the commit is done)."""
    try:
        db = open_database(str(path), upgrade=False)
        os.write(out, b"ready\n")
        n = 0
        while True:
            n += 1
            note = files / f"note-{os.getpid()}-{n}.txt"
            note.write_text(f"Reflective account {os.getpid()}/{n}\n", encoding="utf-8")
            evidence_id = record_evidence(
                db,
                TUTOR,
                EvidenceInput(
                    apprentice_id=apprentice,
                    on_date=date(2026, 2, 10),
                    method="reflective_account",
                    title=f"Account {n}",
                    placement_id=placement,
                    coverage=[("A4", None)],
                ),
                [note],
                today=TODAY,
            )
            # One small write to a pipe is atomic: a line is whole or absent.
            os.write(out, f"{evidence_id}\n".encode())
    finally:
        os._exit(1)


def _read_lines(fd: int, *, lines: int | None, timeout: float) -> list[bytes]:
    """Whole lines from `fd`: at least `lines` of them, or all until the end."""
    data = b""
    deadline = time.monotonic() + timeout
    while lines is None or data.count(b"\n") < lines:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"the child said nothing for {timeout} s: {data!r}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    return [line for line in data.split(b"\n")[:-1]]  # a last line without \n is partial


@pytest.mark.slow
def test_saves_reported_as_committed_survive_repeated_kills(db, world, tmp_path):
    if db.path is None:
        pytest.skip("kills a process writing a local SQLite file")
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    placement = schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(
            apprentice, world["home"], date(2026, 1, 5), date(2026, 4, 4), mentor_name="Jo Khan"
        ),
    )
    path = db.path
    db.dispose()  # the children must not share this process's connections
    files = tmp_path / "notes"
    files.mkdir()
    seed = random.randrange(1_000_000)
    chance = random.Random(seed)
    reported: list[int] = []
    for _ in range(KILLS):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            os.close(read_end)
            _record_until_killed(path, apprentice, placement, files, write_end)
        os.close(write_end)
        try:
            # "ready" and the first save: then a kill at a random moment of the work.
            lines = _read_lines(read_end, lines=2, timeout=60)
            time.sleep(chance.uniform(0.05, 0.4))
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
            assert os.WIFSIGNALED(status), f"the child stopped by itself (seed {seed})"
            lines += _read_lines(read_end, lines=None, timeout=10)
        finally:
            os.close(read_end)
        reported.extend(int(line) for line in lines if line != b"ready")

    assert len(reported) >= KILLS, f"too few saves to prove anything (seed {seed})"
    db = open_database(str(path))
    try:
        check = check_everything(db)
        assert check.ok, (seed, check.database.problems, check.evidence_problems)
        with db.reading() as session:
            saved = {
                evidence_id: len(attachments)
                for evidence_id, attachments in (
                    (e.id, e.attachments)
                    for e in session.scalars(
                        sql_select(models.Evidence).where(models.Evidence.id.in_(reported))
                    )
                )
            }
        missing = sorted(set(reported) - set(saved))
        assert missing == [], f"saves reported as committed are missing (seed {seed})"
        assert set(saved.values()) == {1}, "every save kept its file"
        assert check.evidence_files >= len(reported)
    finally:
        db.dispose()
