"""Shared fixtures. Qt runs offscreen for every test; every test gets its own data folder."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from regenlog.core.services import Services  # noqa: E402
from regenlog.store.database import open_database  # noqa: E402
from regenlog.store.paths import DataPaths  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path, monkeypatch):
    """No test may touch the real user's data folder."""
    monkeypatch.setenv("REGENLOG_DATA_DIR", str(tmp_path / "default-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def paths(tmp_path) -> DataPaths:
    return DataPaths(tmp_path / "data")


@pytest.fixture
def db(paths):
    database = open_database(paths)
    yield database
    database.close()


@pytest.fixture
def services(db) -> Services:
    return Services(db)
