"""Tests run headless, in English, each with its own data folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LANG"] = "en_GB.UTF-8"

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from assessor_app.domain.catalogue import Qualification
from assessor_app.paths import AppPaths
from assessor_app.startup import open_app_database
from assessor_app.store.catalogue_files import load_default_catalogue
from assessor_app.store.database import Database

# Shared CI machines are slow and noisy; property tests that filter inputs must
# not fail on timing or on how many examples a random seed happens to discard.
settings.register_profile(
    "assessor",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.load_profile("assessor")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's real data folder."""
    monkeypatch.setenv("ASSESSOR_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def app_paths(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "data")


@pytest.fixture
def db(app_paths: AppPaths) -> Iterator[Database]:
    database = open_app_database(app_paths)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def diploma() -> Qualification:
    return load_default_catalogue()
