"""Only a holder of the writer lock writes, a migration included; and a backup killed at any
moment leaves nothing readable by others, and nothing the next run does not clear away."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from regenlog.cli import main
from regenlog.store import sqlite_backup
from regenlog.store.backups import collect_garbage, list_backups, make_backup
from regenlog.store.lock import acquire_writer_lock
from regenlog.store.paths import DataPaths
from regenlog.store.verify import verify_data_folder

FIXTURES = Path(__file__).parent / "fixtures"


def regenlog(folder: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--data-dir", str(folder), *args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def older_folder(tmp_path) -> DataPaths:
    """Records written by RegenLog at schema revision 0001."""
    paths = DataPaths(tmp_path / "data")
    paths.root.mkdir()
    shutil.copyfile(FIXTURES / "schema-0001.sqlite3", paths.database)
    os.chmod(paths.database, 0o600)
    return paths


def test_reading_commands_never_migrate_and_name_the_command_that_does(older_folder, tmp_path):
    records = tmp_path / "records.json"
    records.write_text('{"format": "regenlog-records", "version": 1, "records": {}}')
    before = older_folder.database.read_bytes()
    with acquire_writer_lock(older_folder):  # the app has the folder open
        for command in (["check"], ["export-json"], ["import", "--dry-run", str(records)],
                        ["bundle", "--destination", "hsa", "-o", str(tmp_path / "b.zip")]):
            code, _, err = regenlog(older_folder.root, *command)
            assert code == 2, (command, err)
            assert "older RegenLog; run `regenlog upgrade`" in err
            assert older_folder.database.read_bytes() == before
            assert list_backups(older_folder) == []
        upgrade = subprocess.run(
            [sys.executable, "-m", "regenlog", "--data-dir", str(older_folder.root), "upgrade"],
            capture_output=True, text=True, timeout=120,
        )
        assert upgrade.returncode == 2 and "already open" in upgrade.stderr
    assert older_folder.database.read_bytes() == before
    upgrade = subprocess.run(
        [sys.executable, "-m", "regenlog", "--data-dir", str(older_folder.root), "upgrade"],
        capture_output=True, text=True, timeout=120,
    )
    assert upgrade.returncode == 0, upgrade.stderr
    assert "a copy of them as they were is in backups/" in upgrade.stdout
    assert [b.kind for b in list_backups(older_folder)] == ["pre-migration-0001"]
    assert regenlog(older_folder.root, "check")[0] == 0


def test_a_snapshot_is_private_from_its_first_byte(paths, monkeypatch):
    modes = []
    real = sqlite_backup.connect_read_only

    def spy(database):
        if database.name.endswith(".tmp"):  # the copy, about to be checked
            modes.append(stat.S_IMODE(os.stat(database).st_mode))
        return real(database)

    monkeypatch.setattr(sqlite_backup, "connect_read_only", spy)
    old = os.umask(0o022)
    try:
        make_backup(paths, "daily")
    finally:
        os.umask(old)
    assert modes == [0o600]


def test_a_killed_snapshot_leaves_nothing_that_start_up_keeps(paths):
    """What kill -9 at the rename leaves: the copy and SQLite's journal beside it."""
    make_backup(paths, "daily", dt.datetime(2026, 11, 20, 9, 0))
    copy = paths.backups / ".daily-20261121-090000-000000.sqlite3.tmp"
    shutil.copyfile(paths.database, copy)
    journal = copy.with_name(copy.name + "-journal")
    journal.write_bytes(b"\0" * 512)
    for leftover in (copy, journal):
        os.chmod(leftover, 0o644)  # as an older RegenLog made them
        os.utime(leftover, (0, 0))
    assert not verify_data_folder(paths).ok
    report = collect_garbage(paths)
    assert report.removed_leftovers == 2
    assert not copy.exists() and not journal.exists()
    assert verify_data_folder(paths).ok


KILLED_BACKUP = """
import os, sys
from pathlib import Path
from regenlog.store import archive
from regenlog.store.paths import DataPaths
archive.os.replace = lambda *a: os._exit(9)  # killed just before the rename
archive.write_archive(DataPaths(Path(sys.argv[1])), Path(sys.argv[2]))
"""


def test_a_backup_killed_half_way_leaves_temporaries_the_next_backup_clears(paths, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / "my-notes.txt").write_text("not RegenLog's")
    killed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(KILLED_BACKUP), str(paths.root), str(usb)],
        capture_output=True, text=True, timeout=120,
    )
    assert killed.returncode == 9, killed.stderr
    left = [p for p in [*usb.iterdir(), *paths.backups.iterdir()] if p.name.startswith(".")]
    assert left, "the kill left nothing to clear: the test does not reproduce it"
    for path in left:
        assert stat.S_IMODE(path.stat().st_mode) in (0o600, 0o700)
        os.utime(path, (0, 0))
    code, out, err = regenlog(paths.root, "backup", "-o", str(usb))
    assert code == 0, err
    assert sorted(p.name for p in usb.iterdir() if p.name.startswith(".")) == []
    assert [p for p in paths.backups.iterdir() if p.name.startswith(".")] == []
    assert (usb / "my-notes.txt").exists()
