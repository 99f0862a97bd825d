"""Shared fixtures. Qt runs offscreen for every test; every test gets its own data folder."""

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from regenlog.core.services import Services
from regenlog.store.database import open_database
from regenlog.store.paths import DataPaths


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path, monkeypatch):
    """No test may touch the real user's data folder."""
    monkeypatch.setenv("REGENLOG_DATA_DIR", str(tmp_path / "default-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture(scope="session")
def _migrated_database(tmp_path_factory) -> Path:
    """Migrate once per run; each test starts from a copy (a migration costs about 1 s)."""
    template = DataPaths(tmp_path_factory.mktemp("template") / "data")
    open_database(template).close()
    return template.database


@pytest.fixture
def paths(tmp_path, _migrated_database) -> DataPaths:
    data = DataPaths(tmp_path / "data").ensure()
    shutil.copyfile(_migrated_database, data.database)
    os.chmod(data.database, 0o600)
    return data


@pytest.fixture
def db(paths):
    database = open_database(paths)
    yield database
    database.close()


@pytest.fixture
def services(db) -> Services:
    return Services(db)


@pytest.fixture
def new_folder(tmp_path, _migrated_database):
    """new_folder() -> Services over another new, empty data folder, closed after the test
    (for tests that import into, or build, several households)."""
    import itertools

    opened: list[Services] = []
    numbers = itertools.count()

    def make() -> Services:
        data = DataPaths(tmp_path / f"folder-{next(numbers)}").ensure()
        shutil.copyfile(_migrated_database, data.database)
        services = Services(open_database(data))
        opened.append(services)
        return services

    yield make
    for services in opened:
        services.db.close()


@pytest.fixture
def time_zone(monkeypatch):
    """time_zone("America/Boise"): the computer's clock is in that zone for this test."""
    import time

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()
