"""Two people editing the same record: the second save is refused, naming who saved
first and when, and nothing of theirs is silently overwritten. Each case runs on
SQLite and on PostgreSQL, with two separate connections or two processes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from conftest import apprentice_input

from assessor_app.services import audit
from assessor_app.services.apprentices import choose_units, enrol_apprentice, update_apprentice
from assessor_app.services.errors import StaleEdit
from assessor_app.services.evidence import (
    EvidenceInput,
    assess_evidence,
    record_evidence,
    submit_evidence,
)
from assessor_app.services.roles import Actor, Role
from assessor_app.store import models
from assessor_app.store.database import Database, open_database

ALEX = Actor(None, "alex", Role.COORDINATOR)
BEV = Actor(None, "bev", Role.COORDINATOR)
TUTOR = Actor(None, "tutor", Role.TUTOR)
ASSESSOR_ONE = Actor(None, "ash", Role.ASSESSOR)
ASSESSOR_TWO = Actor(None, "sam.assessor", Role.ASSESSOR)
UNITS = ["B1", "B2", "B4", "B5", "B8", "B9", "C12", "C13"]
OTHER_UNITS = ["B1", "B2", "B3", "B5", "B8", "B9", "C12", "C13"]


@pytest.fixture
def other_pc(db: Database) -> Iterator[Database]:
    """A second, independent connection to the same database, as another PC has."""
    second = open_database(db.url)
    yield second
    second.dispose()


@pytest.fixture
def apprentice(db: Database, world: dict[str, int]) -> int:
    return enrol_apprentice(db, ALEX, apprentice_input(world))


def version_of(db: Database, model: type[models.Base], row_id: int) -> int:
    with db.reading() as session:
        row = session.get(model, row_id)
        assert row is not None
        return int(row.version)


def test_a_stale_apprentice_edit_from_another_pc_is_refused_naming_who_and_when(
    db, other_pc, world, apprentice
):
    opened = version_of(other_pc, models.Apprentice, apprentice)  # Bev opens the form
    update_apprentice(
        db, ALEX, apprentice, apprentice_input(world, phone="01234 567890"), expected_version=opened
    )
    bevs_input = apprentice_input(world, phone="07700 900123", family_name="Smyth")
    with pytest.raises(StaleEdit) as refused:
        update_apprentice(other_pc, BEV, apprentice, bevs_input, expected_version=opened)
    message = str(refused.value)
    assert "alex saved this apprentice at" in message
    assert f"{date.today():%d %b %Y}" in message
    assert "Your changes are kept in the form" in message
    with other_pc.reading() as session:
        row = session.get(models.Apprentice, apprentice)
        assert (row.phone, row.family_name) == ("01234 567890", "Smith")
    # Bev's input was not consumed: reloading and applying it again succeeds.
    update_apprentice(
        other_pc,
        BEV,
        apprentice,
        bevs_input,
        expected_version=version_of(other_pc, models.Apprentice, apprentice),
    )
    with db.reading() as session:
        assert session.get(models.Apprentice, apprentice).phone == "07700 900123"


def test_a_stale_unit_choice_is_refused_and_the_first_choice_stays(db, other_pc, apprentice):
    opened = version_of(db, models.Apprentice, apprentice)
    choose_units(other_pc, TUTOR, apprentice, OTHER_UNITS, expected_version=opened)
    with pytest.raises(StaleEdit, match="tutor saved this apprentice at"):
        choose_units(db, ALEX, apprentice, UNITS, expected_version=opened)
    with db.reading() as session:
        row = session.get(models.Apprentice, apprentice)
        assert sorted(c.unit.ref for c in row.chosen_units) == sorted(OTHER_UNITS)


def test_a_stale_assessment_of_evidence_is_refused(db, other_pc, world, apprentice):
    choose_units(db, TUTOR, apprentice, UNITS)
    piece = record_evidence(
        db,
        TUTOR,
        EvidenceInput(
            apprentice,
            date(2026, 2, 10),
            "observation",
            "Breakfast round",
            context="college",
            coverage=[("A4", None)],
        ),
        today=date(2026, 3, 1),
    )
    submitted = submit_evidence(db, TUTOR, piece)
    assess_evidence(
        db, ASSESSOR_ONE, piece, accept=True, on=date(2026, 3, 2), expected_version=submitted
    )
    with pytest.raises(StaleEdit, match="ash saved this piece of evidence at"):
        assess_evidence(
            other_pc,
            ASSESSOR_TWO,
            piece,
            accept=False,
            feedback="Needs the mentor's witness statement.",
            expected_version=submitted,
        )
    with db.reading() as session:
        row = session.get(models.Evidence, piece)
        assert (row.status, row.feedback) == ("accepted", "")


def test_saves_racing_on_two_connections_wait_for_each_other_then_refuse_the_second(
    db, other_pc, world, apprentice, monkeypatch
):
    """Both read the same version; the first is still saving when the second starts.
    The second waits for it instead of reading a stale row, and is refused."""
    opened = version_of(db, models.Apprentice, apprentice)
    first_inside, let_first_finish = threading.Event(), threading.Event()
    real_record: Callable[..., object] = audit.record

    def record_then_pause(*args: object, **kwargs: object) -> object:
        result = real_record(*args, **kwargs)
        if threading.current_thread().name == "first":
            first_inside.set()  # the change is flushed, not yet committed
            assert let_first_finish.wait(30)
        return result

    monkeypatch.setattr(audit, "record", record_then_pause)
    outcomes: dict[str, object] = {}

    def save(name: str, target: Database, actor: Actor, phone: str) -> None:
        try:
            outcomes[name] = update_apprentice(
                target, actor, apprentice, apprentice_input(world, phone=phone),
                expected_version=opened,
            )  # fmt: skip
        except Exception as exc:  # the test inspects what the thread ran into
            outcomes[name] = exc

    first = threading.Thread(target=save, args=("first", db, ALEX, "0111"), name="first")
    second = threading.Thread(target=save, args=("second", other_pc, BEV, "0222"), name="second")
    first.start()
    assert first_inside.wait(30)
    second.start()
    second.join(1.0)
    assert second.is_alive(), "the second save must wait for the first one to finish"
    let_first_finish.set()
    first.join(30)
    second.join(30)
    assert outcomes["first"] == opened + 1
    assert isinstance(outcomes["second"], StaleEdit), outcomes["second"]
    assert "alex saved this apprentice at" in str(outcomes["second"])
    with db.reading() as session:
        assert session.get(models.Apprentice, apprentice).phone == "0111"


EDIT_IN_ANOTHER_PROCESS = """
import json, sys
from datetime import date
from assessor_app.services.apprentices import ApprenticeInput, update_apprentice
from assessor_app.services.errors import StaleEdit
from assessor_app.services.roles import Actor, Role
from assessor_app.store.database import open_database

url, apprentice, version, user, phone, values = sys.argv[1:7]
values = json.loads(values)
for key in ("date_of_birth", "start_date", "planned_end_date"):
    values[key] = date.fromisoformat(values[key])
db = open_database(url)
try:
    saved = update_apprentice(
        db, Actor(None, user, Role.COORDINATOR), int(apprentice),
        ApprenticeInput(**{**values, "phone": phone}), expected_version=int(version),
    )
    print(json.dumps({"saved": saved}))
except StaleEdit as exc:
    print(json.dumps({"refused": str(exc)}))
finally:
    db.dispose()
"""


def edit_in_process(db: Database, apprentice: int, version: int, user: str, phone: str, world):
    values = {
        k: (v.isoformat() if isinstance(v, date) else v)
        for k, v in vars(apprentice_input(world)).items()
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            EDIT_IN_ANOTHER_PROCESS,
            db.url,
            str(apprentice),
            str(version),
            user,
            phone,
            json.dumps(values),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_two_processes_saving_the_same_version_at_once_one_wins_one_is_told(db, world, apprentice):
    opened = version_of(db, models.Apprentice, apprentice)
    processes = {
        user: edit_in_process(db, apprentice, opened, user, phone, world)
        for user, phone in (("pc1.alex", "0111"), ("pc2.bev", "0222"))
    }
    answers = {}
    for user, process in processes.items():
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        answers[user] = json.loads(out.strip().splitlines()[-1])
    winners = [user for user, answer in answers.items() if "saved" in answer]
    losers = [user for user, answer in answers.items() if "refused" in answer]
    assert len(winners) == 1 and len(losers) == 1, answers
    [winner], [loser] = winners, losers
    assert answers[winner]["saved"] == opened + 1
    assert f"{winner} saved this apprentice at" in answers[loser]["refused"]
    with db.reading() as session:
        phone = session.get(models.Apprentice, apprentice).phone
    assert phone == {"pc1.alex": "0111", "pc2.bev": "0222"}[winner]
