"""Importing a transfer from the Apprentices page: an apprentice exported from one
installation arrives in another with their evidence files and sign-offs as prior
assessment, and is chosen in the list; a package that cannot be used is explained
naming the file, with nothing added, even when the problem is found part-way
through; only those who may manage apprentice records are offered the button.
No real file dialog opens: the function that asks for the package is replaced."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import accept_on_exec, apprentice_id, sign_in
from sqlalchemy import func, select

from assessor_app.domain.progress import UnitStatus
from assessor_app.reports.subject_access import export_apprentice
from assessor_app.services.apprentice_record_queries import apprentice_profile
from assessor_app.services.evidence import EvidenceInput, open_attachment, record_evidence
from assessor_app.services.evidence_queries import evidence_book
from assessor_app.services.progress_queries import apprentice_progress
from assessor_app.services.roles import Actor, Role
from assessor_app.store import models
from assessor_app.store.database import Database
from assessor_app.ui.dialogs import transfer_dialog
from assessor_app.ui.dialogs.transfer_dialog import TransferDialog
from assessor_app.ui.pages.apprentices_page import ApprenticesPage
from assessor_app.ui.qt import Qt

# The receiving installation's administrator (a fresh database has no demo accounts).
ADMIN = Actor(None, "admin", Role.ADMIN)
NOTES = "Reflective account: supporting Mr D. with his evening routine. café ✓\n".encode()
PROVIDER = "Shire Adult Community Education Service"  # Daniel's provider in the demo


pytestmark = pytest.mark.usefixtures("inline_tasks")


@pytest.fixture
def package(demo, tmp_path) -> Path:
    """Daniel Nowak (on a break from the demo's council cohort) exported, with a
    reflective account and its file added to the evidence he has."""
    admin = sign_in(demo, "admin")
    daniel = apprentice_id(demo, admin, "Daniel Nowak")
    start = apprentice_profile(demo, admin, daniel).start_date
    notes = tmp_path / "reflective account.txt"
    notes.write_bytes(NOTES)
    record_evidence(
        demo,
        sign_in(demo, "tutor"),
        EvidenceInput(
            daniel,
            start + timedelta(days=40),
            "reflective_account",
            "Evening routine",
            context="college",
            coverage=[("A1", None)],
        ),
        [notes],
    )
    return export_apprentice(demo, admin, daniel, tmp_path / "daniel-nowak.zip")


def signed_off_units(db: Database, actor: Actor, apprentice: int) -> list[str]:
    units = apprentice_progress(db, actor, apprentice).progress.units
    return [u.ref for u in units if u.status is UnitStatus.SIGNED_OFF]


def choose_package(monkeypatch, answer: Path | None) -> list[object]:
    """Answer the file question with `answer`; returns who was asked."""
    asked: list[object] = []

    def ask(parent):
        asked.append(parent)
        return answer

    monkeypatch.setattr(transfer_dialog, "ask_transfer_package", ask)
    return asked


def leave_as_offered(_dialog: TransferDialog) -> None:
    pass


def page_for(qtbot, db: Database, actor: Actor | None) -> ApprenticesPage:
    page = ApprenticesPage(db, actor)
    qtbot.addWidget(page)
    return page


def counts(db: Database) -> list[int]:
    with db.reading() as session:
        return [
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (
                models.Apprentice,
                models.Evidence,
                models.Attachment,
                models.UnitSignOff,
                models.PriorPlacement,
                models.ChosenUnit,
                models.AuditEntry,
            )
        ]


def rewrite(source: Path, out: Path, change: Callable[[dict], None]) -> Path:
    """A copy of the package with its record.json changed."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "record.json":
                record = json.loads(data)
                change(record)
                data = json.dumps(record).encode()
            new.writestr(info, data)
    return out


def cut_short(source: Path, out: Path) -> Path:
    """The package as a copy interrupted part-way leaves it."""
    out.write_bytes(source.read_bytes()[:4000])
    return out


def test_a_transfer_arrives_with_its_evidence_and_is_chosen_in_the_list(
    qtbot, demo, package, db, world, boxes, monkeypatch, tmp_path
):
    daniel = apprentice_id(demo, sign_in(demo, "admin"), "Daniel Nowak")
    prior_units = signed_off_units(demo, sign_in(demo, "admin"), daniel)
    assert len(prior_units) > 1
    page = page_for(qtbot, db, ADMIN)
    assert page.model.rowCount() == 0
    asked = choose_package(monkeypatch, package)
    seen = accept_on_exec(monkeypatch, TransferDialog, leave_as_offered)

    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)

    assert asked == [page]
    dialog = seen[0]
    assert dialog.who_label.text() == "Daniel Nowak (ULN 4102612571)"
    about = dialog.about_label.text()
    assert f"Transferring from {PROVIDER}, on the Level 2 Diploma in Care." in about
    assert "Package: daniel-nowak.zip, exported on " in about
    assert f"{len(prior_units)} units signed off, 5 pieces of evidence with 1 file." in about
    # The only cohort here on his qualification is offered, already chosen.
    offered = [dialog.cohort_combo.itemText(i) for i in range(dialog.cohort_combo.count())]
    assert offered == ["Council 2026 – Shire County Council, from 5 Jan 2026"]
    assert dialog.cohort_combo.currentIndex() == 0
    assert not dialog.running and dialog.busy.isHidden()

    [(kind, title, text)] = boxes
    assert (kind, title) == ("information", "Transfer imported")
    assert text.startswith(f"Daniel Nowak has joined Council 2026, transferring from {PROVIDER}.")
    assert f"{len(prior_units)} units signed off, 5 pieces of evidence with 1 evidence file" in text
    assert "Kept as history: 5 earlier placements." in text

    chosen = page.selected_row()
    assert chosen is not None
    assert (chosen.name, chosen.uln, chosen.cohort) == (
        "Daniel Nowak",
        "4102612571",
        "Council 2026",
    )
    assert page.count_label.text() == "Showing 1 of 1 apprentices"
    # His units count as achieved here, and his file opens with what was written.
    assert signed_off_units(db, ADMIN, chosen.id) == prior_units
    book = evidence_book(db, ADMIN, chosen.id)
    [attachment] = [a for e in book.evidence for a in e.attachments]
    assert attachment.name == "reflective account.txt"
    opened = open_attachment(db, ADMIN, attachment.id, tmp_path / "opened")
    assert opened.read_bytes() == NOTES


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (
            lambda package, out: cut_short(package, out),
            "is not a readable zip file",
        ),
        (
            lambda package, out: rewrite(package, out, lambda r: r.update(format_version=9)),
            "is in package format version 9; this version of Assessor reads version 1. "
            "Update Assessor",
        ),
        (
            lambda package, out: rewrite(
                package, out, lambda r: r["qualification"].update(code="L3-CARE")
            ),
            "no cohort here is on that qualification. Add a cohort for it on the Cohorts page",
        ),
    ],
    ids=["cut short", "newer version", "no cohort on its qualification"],
)
def test_a_package_that_cannot_be_used_is_explained_naming_it(
    qtbot, demo, package, db, world, boxes, monkeypatch, tmp_path, make, says
):
    unusable = make(package, tmp_path / "from-northshire.zip")
    page = page_for(qtbot, db, ADMIN)
    before = counts(db)
    choose_package(monkeypatch, unusable)
    seen = accept_on_exec(monkeypatch, TransferDialog, leave_as_offered)

    page.import_button.click()

    assert seen == []  # refused before asking for a cohort
    [(kind, title, text)] = boxes
    assert (kind, title) == ("warning", "Transfer not imported")
    assert "from-northshire.zip" in text
    assert says in text
    assert "Traceback" not in text
    assert counts(db) == before
    assert page.model.rowCount() == 0
    assert page.import_button.isEnabled()  # ready to try another file


def test_a_package_the_system_cannot_read_says_so_and_what_to_do(
    qtbot, db, world, boxes, monkeypatch, tmp_path
):
    locked = tmp_path / "locked.zip"

    def cannot_read(_db, _actor, package):
        raise PermissionError(13, "Permission denied", str(package))

    monkeypatch.setattr(transfer_dialog, "prepare_transfer", cannot_read)
    page = page_for(qtbot, db, ADMIN)
    choose_package(monkeypatch, locked)

    page.import_button.click()

    [(kind, title, text)] = boxes
    assert (kind, title) == ("warning", "Transfer not imported")
    assert text == (
        f"Nothing was imported from locked.zip.\n\n{locked} could not be read: Permission "
        "denied. Copy it somewhere else and try again."
    )
    assert page.import_button.isEnabled()  # ready to try another file


def test_a_problem_found_part_way_through_leaves_nothing_behind(
    qtbot, demo, package, db, world, boxes, monkeypatch, tmp_path
):
    # The last sign-off names a unit this installation does not have: by then the
    # apprentice, evidence and files have been read and written in the transaction.
    halfway = rewrite(
        package, tmp_path / "halfway.zip", lambda r: r["sign_offs"][-1].update(unit="Z9")
    )
    page = page_for(qtbot, db, ADMIN)
    before = counts(db)
    choose_package(monkeypatch, halfway)
    seen = accept_on_exec(monkeypatch, TransferDialog, leave_as_offered)

    page.import_button.click()

    dialog = seen[0]
    message = dialog.message.text()
    assert message.startswith("Nothing was imported from halfway.zip.")
    assert "names unit 'Z9', which is not in this installation's Level 2 Diploma in Care" in message
    assert not dialog.message.isHidden()
    assert dialog.summary is None and not dialog.running
    assert dialog.buttons.isEnabled()  # another cohort or Cancel
    assert boxes == []
    assert counts(db) == before
    assert page.model.rowCount() == 0


def test_an_apprentice_already_here_is_refused_and_a_cohort_must_be_chosen(
    qtbot, demo, package, boxes, monkeypatch
):
    # Back into the installation he came from: he is still on its list.
    page = page_for(qtbot, demo, sign_in(demo, "coordinator"))
    before = counts(demo)
    choose_package(monkeypatch, package)
    messages: list[str] = []

    def press_import_then_choose(dialog: TransferDialog) -> None:
        # Two cohorts on the qualification: neither is chosen for the person.
        assert dialog.cohort_combo.count() == 2
        assert dialog.cohort_combo.currentIndex() == -1
        dialog.save()
        messages.append(dialog.field_error("cohort_id"))
        dialog.cohort_combo.setCurrentIndex(1)

    seen = accept_on_exec(monkeypatch, TransferDialog, press_import_then_choose)

    page.import_button.click()

    assert messages == ["Choose the cohort the apprentice joins here."]
    message = seen[0].message.text()
    assert message.startswith("Nothing was imported from daniel-nowak.zip.")
    assert "ULN 4102612571 already belongs to Daniel Nowak." in message
    assert seen[0].field_error("cohort_id") == ""
    assert boxes == []
    assert counts(demo) == before
    assert page.model.rowCount() == 8


@pytest.mark.parametrize(
    ("username", "offered"),
    [
        ("admin", True),
        ("coordinator", True),
        ("tutor", False),
        ("assessor", False),
        ("iqa", False),
    ],
)
def test_only_those_who_may_manage_apprentice_records_are_offered_it(
    qtbot, demo, monkeypatch, username, offered
):
    page = page_for(qtbot, demo, sign_in(demo, username))
    assert page.import_button.isHidden() is not offered
    asked = choose_package(monkeypatch, None)
    page.import_transfer()  # e.g. from a shortcut: refused without asking for a file
    assert len(asked) == (1 if offered else 0)
    page.set_actor(None)
    assert page.import_button.isHidden()
