"""File > Back up now…: offered to those who may back up, written off the window's
thread with a working indicator, then where it was saved and how big it is; the zip
restores every apprentice and evidence file; a backup that cannot be written is
explained and leaves nothing behind. No real file dialog opens: the function that
asks for the path is replaced."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import apprentice_input

from assessor_app.services.apprentices import enrol_apprentice
from assessor_app.services.backups import restore_database
from assessor_app.services.evidence import EvidenceInput, evidence_store, record_evidence
from assessor_app.services.placements import PlacementInput, schedule_placement
from assessor_app.services.roles import Actor, Role
from assessor_app.store.database import open_database
from assessor_app.store.portable_export import non_empty_tables, read_manifest
from assessor_app.ui import backup_now, workers
from assessor_app.ui.main_window import MainWindow
from assessor_app.ui.qt import QFileDialog, QSettings

ADMIN = Actor(None, "admin", Role.ADMIN)
COORDINATOR = Actor(None, "coord", Role.COORDINATOR)
ASSESSOR = Actor(None, "ash", Role.ASSESSOR)
NOTES = "Witness notes: Mrs B. said Sam was patient and kind. £5 café ✓\n".encode()


@pytest.fixture
def filled(db, world, tmp_path):
    """An apprentice with a placement and a piece of evidence with one file."""
    apprentice = enrol_apprentice(db, COORDINATOR, apprentice_input(world))
    placement = schedule_placement(
        db,
        COORDINATOR,
        PlacementInput(apprentice, world["home"], date(2026, 1, 5), date(2026, 4, 4)),
    )
    (tmp_path / "notes.txt").write_bytes(NOTES)
    record_evidence(
        db,
        ASSESSOR,
        EvidenceInput(
            apprentice_id=apprentice,
            on_date=date(2026, 2, 10),
            method="observation",
            title="Supporting a resident at breakfast",
            placement_id=placement,
            coverage=[("A4", None)],
        ),
        [tmp_path / "notes.txt"],
        today=date(2026, 11, 23),
    )
    return db


@pytest.fixture
def window(qtbot, filled, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(filled, settings, actor=ADMIN)
    qtbot.addWidget(main)
    return main


def choose_path(monkeypatch, answer: Path | None) -> list[Path]:
    """Answer the path question with `answer`; returns the suggestions it was given."""
    suggested: list[Path] = []

    def ask(_parent, suggestion):
        suggested.append(suggestion)
        return answer

    monkeypatch.setattr(backup_now, "ask_backup_path", ask)
    return suggested


def file_menu_texts(window):
    menu = window.menuBar().actions()[0].menu()
    return [a.text().replace("&", "") for a in menu.actions() if a.isVisible()]


def test_only_those_who_may_back_up_are_offered_it(window):
    assert "Back up now…" in file_menu_texts(window)
    window.set_actor(COORDINATOR)
    assert "Back up now…" not in file_menu_texts(window)
    window.set_actor(None)
    assert "Back up now…" not in file_menu_texts(window)
    window.set_actor(ADMIN)
    assert "Back up now…" in file_menu_texts(window)


def test_a_backup_runs_off_the_window_and_says_where_and_how_big(
    qtbot, window, filled, boxes, monkeypatch, tmp_path
):
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(backup_now.platformdirs, "user_documents_dir", lambda: str(documents))
    out = tmp_path / "chosen" / "friday.zip"
    out.parent.mkdir()
    suggested = choose_path(monkeypatch, out)

    window.backup.action.trigger()

    assert suggested == [documents / f"assessor-backup-{date.today().isoformat()}.zip"]
    # The work is on a worker thread: its result can only arrive once the window's
    # event loop runs again, so the window is free and says it is working meanwhile.
    assert window.backup.running
    assert window.backup.busy.isVisibleTo(window)
    assert "friday.zip" in window.backup.busy_label.text()
    assert not window.backup.action.isEnabled()
    window.backup.action.trigger()  # a second press while it runs does nothing
    assert len(suggested) == 1

    qtbot.waitUntil(lambda: not window.backup.running, timeout=30000)
    assert not window.backup.busy.isVisibleTo(window)
    assert window.backup.action.isEnabled()
    [(kind, title, text)] = boxes
    assert (kind, title) == ("information", "Backup saved")
    assert str(out) in text
    assert backup_now.size_text(out.stat().st_size) in text
    assert "(1 apprentice) and 1 evidence file." in text
    assert str(out) in window.statusBar().currentMessage()

    # The zip is a backup this version can read, holding the apprentice and the file.
    manifest = read_manifest(out)
    assert manifest["format"] and manifest["schema_revision"]
    target = tmp_path / "restored" / "assessor.sqlite3"
    outcome = restore_database(str(target), out, ADMIN, tmp_path / "backups")
    assert outcome.evidence_files == 1
    restored = open_database(str(target))
    try:
        tables = non_empty_tables(restored)
        assert tables["apprentice"] == 1 and tables["placement"] == 1
        assert tables["attachment"] == 1
        store = evidence_store(restored)
        with restored.engine.connect() as conn:
            sha256 = conn.exec_driver_sql("SELECT sha256 FROM attachment").scalar_one()
        assert store.read_verified(sha256) == NOTES
    finally:
        restored.dispose()


def test_cancelling_the_question_writes_nothing(window, boxes, monkeypatch, tmp_path):
    workers.use_pool(workers.InlinePool())
    try:
        choose_path(monkeypatch, None)
        window.backup.action.trigger()
    finally:
        workers.use_pool(None)
    assert not window.backup.running and not window.backup.busy.isVisibleTo(window)
    assert boxes == []
    assert not list(tmp_path.rglob("*.zip"))


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("missing-folder/backup.zip", "No such file or directory"),
        ("a-file/backup.zip", "Not a directory"),
    ],
)
def test_a_backup_that_cannot_be_written_is_explained(
    window, boxes, monkeypatch, tmp_path, where, reason
):
    (tmp_path / "a-file").write_text("a file where a folder should be")
    out = tmp_path / where
    choose_path(monkeypatch, out)
    workers.use_pool(workers.InlinePool())
    try:
        window.backup.action.trigger()
    finally:
        workers.use_pool(None)
    [(kind, title, text)] = boxes
    assert (kind, title) == ("warning", "Backup not made")
    assert str(out) in text and reason in text
    assert "Traceback" not in text
    assert not window.backup.running and window.backup.action.isEnabled()
    assert not window.backup.busy.isVisibleTo(window)
    assert window.statusBar().currentMessage() == "The backup was not made."
    assert (tmp_path / "a-file").read_text() == "a file where a folder should be"
    assert not list(tmp_path.rglob("*.zip*"))


def test_the_default_name_is_dated_and_falls_back_to_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(backup_now.platformdirs, "user_documents_dir", lambda: str(tmp_path))
    assert backup_now.default_backup_path(date(2026, 3, 9)) == (
        tmp_path / "assessor-backup-2026-03-09.zip"
    )
    missing = tmp_path / "no-documents-folder"
    monkeypatch.setattr(backup_now.platformdirs, "user_documents_dir", lambda: str(missing))
    assert backup_now.default_backup_path(date(2026, 3, 9)).parent == Path.home()


def test_the_chosen_name_gets_zip_added_and_cancel_gives_none(qtbot, monkeypatch, tmp_path):
    answers = [QFileDialog.DialogCode.Accepted, QFileDialog.DialogCode.Rejected]
    monkeypatch.setattr(QFileDialog, "exec", lambda _self: answers.pop(0))
    monkeypatch.setattr(QFileDialog, "selectedFiles", lambda _self: [str(tmp_path / "mine")])
    assert backup_now.ask_backup_path(None, tmp_path / "x.zip") == tmp_path / "mine.zip"
    assert backup_now.ask_backup_path(None, tmp_path / "x.zip") is None
