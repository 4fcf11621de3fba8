"""Tests run headless, in English, each with its own data folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LANG"] = "en_GB.UTF-8"

import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy.engine import make_url

from assessor_app.domain.catalogue import Qualification
from assessor_app.paths import AppPaths
from assessor_app.services import passwords, users
from assessor_app.services.apprentice_queries import list_apprentices
from assessor_app.services.apprentices import ApprenticeInput
from assessor_app.services.cohorts import CohortInput, create_cohort
from assessor_app.services.demo import ACCOUNTS, build_demo
from assessor_app.services.organisations import OrganisationInput, add_setting, create_organisation
from assessor_app.services.roles import Actor, Role
from assessor_app.startup import open_app_database
from assessor_app.store.catalogue_files import load_default_catalogue
from assessor_app.store.database import Database
from assessor_app.ui import workers
from assessor_app.ui.qt import (
    QApplication,
    QDialog,
    QMessageBox,
    QSettings,
    Qt,
    QThreadPool,
    QWidget,
)

# Shared CI machines are slow and noisy; property tests that filter inputs must
# not fail on timing or on how many examples a random seed happens to discard.
settings.register_profile(
    "assessor",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# CI runs a fixed sequence of examples so a landing never hangs on a lucky seed;
# local runs keep exploring new examples each time.
settings.register_profile("ci", settings.get_profile("assessor"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "assessor")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's real data folder."""
    monkeypatch.setenv("ASSESSOR_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def app_paths(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "data")


# A PostgreSQL database the tests may create and drop databases beside, e.g. the
# throwaway server `python3 dev test` starts; without it the PostgreSQL cases skip.
POSTGRES_URL = os.environ.get("ASSESSOR_TEST_POSTGRES_URL", "")
NO_POSTGRES = (
    "PostgreSQL not configured: set ASSESSOR_TEST_POSTGRES_URL "
    "(python3 dev test starts a throwaway server and sets it)"
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: about SQLite files themselves; not run against PostgreSQL"
    )


def postgres_url(database: str) -> str:
    url = make_url(POSTGRES_URL).set(drivername="postgresql", database=database)
    return url.render_as_string(hide_password=False)


def postgres_admin(statement: str) -> None:
    with psycopg.connect(postgres_url(make_url(POSTGRES_URL).database or "postgres")) as conn:
        conn.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
        conn.execute(statement)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def postgres_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated and catalogued once, copied for each test (fast)."""
    name = f"assessor_template_{uuid.uuid4().hex[:12]}"
    postgres_admin(f'CREATE DATABASE "{name}"')
    try:
        paths = AppPaths(tmp_path_factory.mktemp("postgres-template"))
        open_app_database(paths, postgres_url(name)).dispose()
        yield name
    finally:
        postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Which database the `db` fixture (and those built on it) uses."""
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip(NO_POSTGRES)
        if request.node.get_closest_marker("sqlite_only"):
            pytest.skip("about SQLite database files; PostgreSQL has no such file")
    return str(request.param)


@pytest.fixture
def db_target(backend: str, request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for the SQLite file in the data folder, else a fresh PostgreSQL database URL."""
    if backend == "sqlite":
        yield None
        return
    template = request.getfixturevalue("postgres_template")
    name = f"assessor_test_{uuid.uuid4().hex[:12]}"
    postgres_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield postgres_url(name)
    finally:
        settle_background_work()
        postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def settle_background_work() -> None:
    """Let a test's windows finish the loads they started on the thread pool, and
    deliver their answers, while the test's database still exists: a load that ran
    after the database was dropped would report its failure into a later test."""
    app = QApplication.instance()
    pool = QThreadPool.globalInstance()
    for _ in range(5):  # an answer may start another load
        pool.waitForDone(30_000)
        if app is None:
            return
        app.processEvents()
        if pool.activeThreadCount() == 0:
            return


@pytest.fixture
def db(app_paths: AppPaths, db_target: str | None) -> Iterator[Database]:
    database = open_app_database(app_paths, db_target)
    yield database
    settle_background_work()
    database.dispose()


@pytest.fixture(scope="session")
def diploma() -> Qualification:
    return load_default_catalogue()


@pytest.fixture
def world(db: Database) -> dict[str, int]:
    """Two hosts (a council employer and an NHS trust with a minimum age of 18), a
    training provider and a cohort starting 5 Jan 2026."""
    coordinator = Actor(None, "coord", Role.COORDINATOR)
    council = create_organisation(
        db,
        coordinator,
        OrganisationInput(
            "Shire County Council",
            "social_care",
            is_employer=True,
            is_host=True,
            capacity=2,
            contact_name="Pat Lee",
        ),
    )
    college = create_organisation(
        db,
        coordinator,
        OrganisationInput("Shire Adult Education", "social_care", is_training_provider=True),
    )
    trust = create_organisation(
        db,
        coordinator,
        OrganisationInput(
            "Royal Shire Hospital NHS Trust",
            "health",
            is_host=True,
            min_apprentice_age=18,
            capacity=2,
        ),
    )
    home = add_setting(db, coordinator, council, "Oak Lodge", "residential_home", "Shiretown")
    ward = add_setting(db, coordinator, trust, "Ward 7 (elderly care)", "ward", "Shiretown")
    cohort = create_cohort(
        db,
        coordinator,
        CohortInput(
            "Council 2026",
            council,
            college,
            "L2-CARE",
            date(2026, 1, 5),
            Decimal("37"),
            off_the_job_pattern="1 day a week",
        ),
    )
    return {"council": council, "trust": trust, "home": home, "ward": ward, "cohort": cohort}


def apprentice_input(world: dict[str, int], **changes: object) -> ApprenticeInput:
    values: dict[str, object] = dict(
        given_name="Sam",
        family_name="Smith",
        uln="9276308686",
        date_of_birth=date(2007, 3, 1),
        cohort_id=world["cohort"],
        start_date=date(2026, 1, 5),
        planned_end_date=date(2027, 4, 4),
    )
    values.update(changes)
    return ApprenticeInput(**values)  # type: ignore[arg-type]


# Quick to hash, so signing in to the demo's accounts does not slow the tests down.
FAST = passwords.ScryptParams(log2_n=10, r=8, p=1)
DEMO_ACCOUNTS = {account.username: account for account in ACCOUNTS}


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database (dated from today) built once a module; `demo` copies it."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "CURRENT", FAST)
        database = open_app_database(AppPaths(folder))
        build_demo(database, today=date.today())
        database.dispose()
    return folder


@pytest.fixture
def demo(demo_folder: Path, tmp_path: Path) -> Iterator[Database]:
    """A copy of the demo database of the test's own."""
    copy = tmp_path / "copy"
    shutil.copytree(demo_folder, copy)
    database = open_app_database(AppPaths(copy))
    yield database
    settle_background_work()
    database.dispose()


def sign_in(db: Database, username: str) -> Actor:
    """Sign in to one of the demo's accounts."""
    return users.sign_in(db, username, DEMO_ACCOUNTS[username].password)


def apprentice_id(db: Database, actor: Actor, name: str) -> int:
    return next(r.id for r in list_apprentices(db, actor) if r.name == name)


def open_in_window(
    qtbot: object, db: Database, username: str, folder: Path, name: str = "Grace Adeyemi"
) -> tuple[Any, Any, list[str]]:
    """The main window signed in as the demo account `username`, with the page of the
    apprentice `name` open: (window, page, the page's tab titles without &-keys)."""
    from assessor_app.ui.main_window import MainWindow

    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    actor = sign_in(db, username)
    window = MainWindow(db, settings, actor=actor)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    page = window.apprentices.open_apprentice(apprentice_id(db, actor, name))
    assert page is not None
    titles = [page.tabs.tabText(i).replace("&", "") for i in range(page.tabs.count())]
    return window, page, titles


def open_record_tab(
    qtbot: object,
    tab_class: type[QWidget],
    db: Database,
    username: str,
    name: str = "Grace Adeyemi",
    *,
    today: date | None = None,
) -> Any:
    """One of a demo apprentice's record tabs as the demo account `username` sees it,
    loaded (with `inline_tasks`)."""
    actor = sign_in(db, username)
    tab: Any = tab_class(db, actor, apprentice_id(db, actor, name), today=today)  # type: ignore[call-arg]
    qtbot.addWidget(tab)  # type: ignore[attr-defined]
    assert tab.loaded
    return tab


# UI tests


@pytest.fixture
def inline_tasks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Work meant for a worker thread runs at once, so a test sees its outcome; and
    signing in does not re-hash the demo's quick passwords at full strength. A UI
    module uses it for every test with `pytestmark = pytest.mark.usefixtures(...)`."""
    workers.use_pool(workers.InlinePool())
    monkeypatch.setattr(passwords, "CURRENT", FAST)
    yield
    workers.use_pool(None)


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """Message boxes shown, as (kind, title, text), instead of waiting for a click."""
    shown: list[tuple[str, str, str]] = []
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(
            QMessageBox,
            kind,
            lambda _parent, title, text, kind=kind: shown.append((kind, title, text)),
        )
    return shown


def click(qtbot: object, button: QWidget) -> None:
    """Press a button with the mouse, as a person would; it must be enabled."""
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]


def accept_on_exec(
    monkeypatch: pytest.MonkeyPatch,
    dialog_class: type[QDialog],
    fill: Callable[[QDialog], None] | None = None,
) -> list[QDialog]:
    """When a page opens a form of `dialog_class`, fill it in as a person would and
    press its Save button; returns the forms opened, newest last."""
    seen: list[QDialog] = []

    def fake_exec(self: QDialog) -> int:
        seen.append(self)
        if fill is not None:
            fill(self)
        self.save()  # type: ignore[attr-defined]
        return QDialog.DialogCode.Accepted if self.result() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(dialog_class, "exec", fake_exec)
    return seen


def queue_dialogs(
    monkeypatch: pytest.MonkeyPatch, module: object
) -> list[Callable[[QDialog], None]]:
    """Dialogs the module shows with its `run_dialog` are handed, in turn, to the
    functions queued in the list returned, which fill them in as a person would; the
    dialog's own result is what the module gets back."""
    queue: list[Callable[[QDialog], None]] = []

    def run(dialog: QDialog) -> bool:
        assert queue, f"an unexpected {type(dialog).__name__} was opened"
        queue.pop(0)(dialog)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(module, "run_dialog", run)
    return queue
