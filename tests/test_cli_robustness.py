"""The command line on a damaged, read-only, missing or mistaken data folder: one sentence on
stderr, exit 2, no traceback, and nothing stored or created."""

import errno
import os
import shutil
import stat
import subprocess
import sys

import pytest

from regenlog.cli import main


def regenlog(*args, data_dir=None, wrap=(), **kwargs):
    command = [*wrap, sys.executable, "-m", "regenlog"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    return subprocess.run(command + list(args), capture_output=True, text=True, timeout=120, **kwargs)


def assert_one_sentence(result, words):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert "\n" not in line and line.endswith("."), result.stderr
    assert words in line


def snapshot(folder):
    """Every file under ``folder`` with its bytes: 'nothing changed' means this is equal.
    The lock file is left out: each writer rewrites its holder line, by design."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "regenlog.lock"
    }


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "data"
    result = regenlog("demo", data_dir=folder)
    assert result.returncode == 0, result.stderr
    records = tmp_path_factory.mktemp("export") / "records.json"
    assert regenlog("export-json", "-o", str(records), data_dir=folder).returncode == 0
    return folder, records


@pytest.fixture
def demo(demo_template, tmp_path):
    return shutil.copytree(demo_template[0], tmp_path / "demo")


GOOD_CSV = "Date,Patient,Category,Amount,ICD\n1/15/2026,Dana Whitfield,PRP,$1200.00,M77.11\n"


# -- 1. a database damaged past its first page ---------------------------------------------
def test_a_database_damaged_past_its_header_is_one_sentence_and_left_as_it_was(demo):
    database = demo / "regenlog.sqlite3"
    damaged = bytearray(database.read_bytes())
    for i in range(8192, min(40000, len(damaged)), 7):
        damaged[i] ^= 0x55
    database.write_bytes(bytes(damaged))
    before = snapshot(demo)
    for args in (["check"], ["export-json"], ["check", "--json"]):
        result = regenlog(*args, data_dir=demo)
        assert_one_sentence(result, "is damaged")
        assert "regenlog verify" in result.stderr and "restore" in result.stderr
        assert snapshot(demo) == before, args  # no -wal or -shm left behind either
    # A backup cannot copy it either, and says what to do instead.
    result = regenlog("backup", "-o", str(demo.parent / "copy.zip"), data_dir=demo)
    assert_one_sentence(result, "The database is damaged")
    assert "regenlog verify" in result.stderr and not (demo.parent / "copy.zip").exists()
    assert database.read_bytes() == bytes(damaged)


# -- 2. a read-only data folder -------------------------------------------------------------
def _refuse_chmod(*_args, **_kwargs):
    raise OSError(errno.EROFS, os.strerror(errno.EROFS))


def test_a_private_folder_is_not_chmodded_again(paths, monkeypatch, capsys):
    """On a read-only disk even a chmod to the mode a folder already has fails."""
    monkeypatch.setattr(os, "chmod", _refuse_chmod)
    assert main(["--data-dir", str(paths.root), "check"]) == 0, capsys.readouterr().err


def test_a_read_only_disk_is_one_sentence(paths, monkeypatch, capsys):
    os.chmod(paths.root, 0o755)  # so RegenLog has to change the mode, and the disk refuses
    before = snapshot(paths.root)
    monkeypatch.setattr(os, "chmod", _refuse_chmod)
    assert main(["--data-dir", str(paths.root), "check"]) == 2
    err = capsys.readouterr().err.strip()
    assert "is on a read-only disk" in err and err.endswith(".") and "\n" not in err
    assert snapshot(paths.root) == before


def _read_only_mount(folder):
    """A command prefix that runs with ``folder`` bind-mounted read-only (a private mount
    namespace, so nothing outside the test sees it), or None where that is not possible."""
    if not sys.platform.startswith("linux") or not shutil.which("unshare"):
        return None
    wrap = ["unshare", "-rm", "sh", "-c",
            'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" && exec "$@"', str(folder)]
    probe = subprocess.run([*wrap, "sh", "-c", f'! touch "{folder}/.probe" 2>/dev/null'],
                           capture_output=True, timeout=30)
    return wrap if probe.returncode == 0 else None


def test_a_real_read_only_disk_refuses_writes_and_still_verifies(demo):
    wrap = _read_only_mount(demo)
    if wrap is None:
        pytest.skip("cannot mount a read-only folder here (needs Linux user namespaces)")
    before = snapshot(demo)
    for args in (["check"], ["export-json"], ["demo"], ["backup", "-o", str(demo.parent / "b.zip")]):
        result = regenlog(*args, data_dir=demo, wrap=wrap)
        assert_one_sentence(result, "is on a read-only disk; RegenLog needs to write there.")
    verified = regenlog("verify", data_dir=demo, wrap=wrap)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "everything is in order" in verified.stdout and "damaged" not in verified.stdout
    assert snapshot(demo) == before


# -- 3. --data-dir naming a file -------------------------------------------------------------
def test_a_file_given_as_the_data_folder_is_one_sentence_everywhere(demo_template, tmp_path):
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("my notes\n")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(GOOD_CSV)
    records = str(demo_template[1])
    for args in (["demo"], ["import", records], ["import", str(sheet)],
                 ["import", "--dry-run", records], ["restore", str(tmp_path / "b.zip")],
                 ["check"], ["export-json"], ["verify"], ["backup", "-o", str(tmp_path / "b.zip")]):
        result = regenlog(*args, data_dir=not_a_folder)
        assert_one_sentence(result, "is a file, not a folder.")
    assert not_a_folder.read_text() == "my notes\n"


# -- 4. commands that store nothing create nothing -----------------------------------------
def test_a_dry_run_into_a_new_folder_checks_the_file_and_creates_nothing(demo_template, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(GOOD_CSV)
    missing = tmp_path / "new" / "data"
    as_json = regenlog("import", "--dry-run", str(demo_template[1]), data_dir=missing)
    assert as_json.returncode == 0, as_json.stderr
    assert "nothing was imported" in as_json.stdout
    as_csv = regenlog("import", "--dry-run", str(sheet), data_dir=missing)
    assert as_csv.returncode == 0, as_csv.stderr
    assert "1 good" in as_csv.stdout and "nothing was imported" in as_csv.stdout
    assert not (tmp_path / "new").exists()


def test_a_failed_restore_into_a_new_folder_leaves_nothing_behind(tmp_path):
    not_an_archive = tmp_path / "backup.zip"
    not_an_archive.write_text("not a zip\n")
    for archive in (not_an_archive, tmp_path / "missing.zip"):
        result = regenlog("restore", str(archive), data_dir=tmp_path / "new" / "data")
        assert_one_sentence(result, "")
        assert not (tmp_path / "new").exists()


def test_a_failed_restore_never_removes_what_someone_else_put_in_the_new_folders(
    tmp_path, monkeypatch, capsys
):
    """Only what the restore wrote goes, and only folders left empty: a file another program
    saved meanwhile in a parent folder the restore created stays, with its folder."""
    import regenlog.store.archive as archive

    def failing_restore(paths, _file):
        paths.ensure()
        (paths.root / "attachments" / "partial").write_bytes(b"half a file")
        (paths.root.parent / "someone-elses.txt").write_text("keep me")
        raise archive.ArchiveError("This backup is damaged.")

    monkeypatch.setattr(archive, "restore_archive", failing_restore)
    data = tmp_path / "new" / "data"
    assert main(["--data-dir", str(data), "restore", str(tmp_path / "b.zip")]) == 2
    assert "This backup is damaged." in capsys.readouterr().err
    assert not data.exists()
    assert (tmp_path / "new" / "someone-elses.txt").read_text() == "keep me"


def test_a_failed_restore_into_an_existing_folder_keeps_it(demo, tmp_path):
    before = snapshot(demo)
    result = regenlog("restore", str(tmp_path / "missing.zip"), data_dir=demo)
    assert_one_sentence(result, "does not exist")
    assert stat.S_ISDIR(demo.stat().st_mode) and snapshot(demo) == before


# -- 5. an overlong CSV cell ----------------------------------------------------------------
def test_an_overlong_csv_cell_is_called_too_long(tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(GOOD_CSV + f'1/16/2026,Dana Whitfield,"{"x" * 140_000}",$5.00,M77.11\n')
    result = regenlog("import", "--dry-run", str(sheet), data_dir=tmp_path / "data")
    assert_one_sentence(result, "line 3: a cell in this row is longer than 131,072 characters")
    assert "do not pair up" not in result.stderr
