"""A damaged byte in regenlog.sqlite3: every command ends in one sentence that names the way
back, verify finds damage integrity_check cannot see, no backup copies it, and a restore
brings the records back.

The corpus at the end flips bits at random in the file header, the schema page, record pages
and index pages of the demo household (a fixed seed, so a failure can be replayed).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from damage import flip_in_schema, flip_in_text, flip_random

from regenlog.cli import main
from regenlog.store.backups import list_backups, make_backup
from regenlog.store.paths import DataPaths
from regenlog.store.recovery import newest_good_backup
from regenlog.store.sqlite_backup import BackupError


def regenlog(folder: Path, *args: str) -> tuple[int, str, str]:
    """Run a command in this process (fast); any exception escaping main is a failure."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--data-dir", str(folder), *args])
    return code, out.getvalue(), err.getvalue()


def regenlog_process(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """Commands that take the writer lock run in their own process (it is held to the end)."""
    return subprocess.run(
        [sys.executable, "-m", "regenlog", "--data-dir", str(folder), *args],
        capture_output=True, text=True, timeout=120,
    )


def assert_sentence(text: str, *words: str) -> None:
    line = text.strip()
    assert line and "Traceback" not in text and "\n" not in line, text
    assert line.endswith("."), text
    for word in words:
        assert word in line, text


@pytest.fixture(scope="module")
def household(tmp_path_factory) -> tuple[Path, Path]:
    """The demo household and a backup archive of it, made before any damage."""
    root = tmp_path_factory.mktemp("household")
    folder = root / "data"
    assert regenlog_process(folder, "demo").returncode == 0
    archive = root / "before.zip"
    assert regenlog(folder, "backup", "-o", str(archive))[0] == 0
    return folder, archive


@pytest.fixture
def folder(household, tmp_path) -> Path:
    return shutil.copytree(household[0], tmp_path / "data")


def restore_and_verify(folder: Path, archive: Path) -> None:
    code, out, err = regenlog(folder, "restore", str(archive))
    assert code == 0, err
    assert_sentence(out.splitlines()[0], "Restored the backup")
    code, out, err = regenlog(folder, "verify")
    assert code == 0, out + err
    assert out.strip().endswith("everything is in order.")


# -- one byte in the schema text ------------------------------------------------------------
def test_a_damaged_byte_in_the_schema_ends_every_command_in_a_sentence_naming_restore(
        folder, household, tmp_path):
    flip_in_schema(folder / "regenlog.sqlite3")
    records = tmp_path / "records.json"
    records.write_text('{"format": "regenlog-records", "version": 1, "records": {}}')
    code, out, _ = regenlog(folder, "verify")
    assert code == 1
    assert "The database file is damaged" in out and "regenlog restore FILE" in out
    for command in (["check"], ["export-json"], ["backup", "-o", str(tmp_path / "b.zip")],
                    ["bundle", "--destination", "hsa", "-o", str(tmp_path / "b.zip")],
                    ["import", "--dry-run", str(records)]):
        code, _, err = regenlog(folder, *command)
        assert code == 2, (command, err)
        assert_sentence(err, "is damaged", "`regenlog restore FILE`")
    result = regenlog_process(folder, "import", str(records))
    assert result.returncode == 2
    assert_sentence(result.stderr, "is damaged", "`regenlog restore FILE`")
    assert not (tmp_path / "b.zip").exists()
    restore_and_verify(folder, household[1])


# -- one bit in a person's name -------------------------------------------------------------
def test_a_flipped_bit_in_a_name_is_reported_by_verify_and_never_printed(
        folder, household, tmp_path):
    flip_in_text(folder / "regenlog.sqlite3", b"Dana Whitfield")
    code, out, _ = regenlog(folder, "verify")
    assert code == 1
    assert "person 1 (name): a text that is not valid UTF-8" in out
    assert "everything is in order" not in out
    for command in (["check"], ["export-json"], ["check", "--json"]):
        code, out, err = regenlog(folder, *command)
        assert code == 2
        assert_sentence(err, "is damaged", "`regenlog restore FILE`")
        assert "Whitfield" not in err and "D\ufffdna" not in err
    restore_and_verify(folder, household[1])


def test_no_backup_is_taken_of_a_database_whose_values_are_damaged(folder, tmp_path):
    paths = DataPaths(folder)
    before = list_backups(paths)
    flip_in_text(paths.database, b"Dana Whitfield")
    with pytest.raises(BackupError, match=r"took no backup .* person 1 \(name\)|person 1 \(name\)"):
        make_backup(paths, "daily")
    assert list_backups(paths) == before
    assert not list(paths.backups.glob(".*"))  # no temporary left either
    code, _, err = regenlog(folder, "backup", "-o", str(tmp_path / "copy.zip"))
    assert code == 2 and not (tmp_path / "copy.zip").exists()
    assert_sentence(err, "damaged")


def test_recovery_offers_the_newest_backup_whose_values_all_read(folder):
    paths = DataPaths(folder)

    older = make_backup(paths, "daily", dt.datetime(2026, 11, 20, 9, 0))
    newer = make_backup(paths, "daily", dt.datetime(2026, 11, 21, 9, 0))
    flip_in_text(newer, b"Dana Whitfield")  # the bit flipped in the newer copy on the disk
    good = newest_good_backup(paths)
    assert good is not None and good.path == older


# -- the corpus -----------------------------------------------------------------------------
REGIONS = ("header", "schema", "records", "indexes")


def survive(folder: Path, archive: Path, rng: random.Random, region: str, flips: int,
            tmp_path: Path) -> str:
    """Damage, run the reading commands (each ends in a sentence, never a traceback), then
    restore the archive and verify it; returns what verify said of the damage."""
    flip_random(folder / "regenlog.sqlite3", rng, region, flips)
    code, out, err = regenlog(folder, "verify")
    assert code in (0, 1), err
    assert_sentence(out.splitlines()[-1], "Checked the database")
    found = "damage found" if code == 1 else "no damage seen"
    for command in (["check"], ["export-json", "-o", str(tmp_path / "out.json")],
                    ["backup", "-o", str(tmp_path / "copy.zip")]):
        code, out, err = regenlog(folder, *command)
        assert code in (0, 2), (command, err)
        if code == 2:
            assert_sentence(err)
    restore_and_verify(folder, archive)
    return found


def run_corpus(household, tmp_path, cases: int, seed: int) -> dict:
    rng = random.Random(seed)
    tally = {"tried": 0, "survived": 0, "damage found": 0, "no damage seen": 0}
    for n in range(cases):
        region = REGIONS[n % len(REGIONS)]
        case = tmp_path / f"case-{n}"
        folder = shutil.copytree(household[0], case / "data")
        tally["tried"] += 1
        tally[survive(folder, household[1], rng, region, 1 + n % 3, case)] += 1
        tally["survived"] += 1
        shutil.rmtree(case)
    return tally


def test_a_corpus_of_damaged_databases_each_ends_in_a_sentence_and_a_working_restore(
        household, tmp_path):
    tally = run_corpus(household, tmp_path, cases=16, seed=16)
    print(f"damaged databases: {tally}")
    assert tally["tried"] == tally["survived"] == 16
    assert tally["damage found"] >= 4  # the corpus does reach damage verify can see


@pytest.mark.slow
def test_a_larger_sweep_of_damaged_databases(household, tmp_path):
    tally = run_corpus(household, tmp_path, cases=200, seed=2026)
    print(f"damaged databases: {tally}")
    assert tally["tried"] == tally["survived"] == 200


def test_start_up_tidying_keeps_every_file_while_a_set_aside_copy_cannot_be_read(folder):
    """After recovery the damaged file stays beside the data; start-up's garbage collection
    reads it to know which attachments it names, and when it cannot, keeps them all."""
    from regenlog.store.backups import collect_garbage, damaged_copies
    from regenlog.store.recovery import recover_from_backup

    paths = DataPaths(folder)
    make_backup(paths, "daily")
    flip_in_schema(paths.database)
    recover_from_backup(paths)
    assert damaged_copies(paths)
    files = sorted(paths.attachments.rglob("*"))
    report = collect_garbage(paths, min_age=dt.timedelta(0))
    assert report.skipped and "could not be read" in report.skipped
    assert sorted(paths.attachments.rglob("*")) == files
