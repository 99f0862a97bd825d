"""The data folder's guards at start-up: one RegenLog writes at a time, the folder is private
to its user, and a folder synced by a cloud service draws a warning."""

import os
import signal
import stat
import subprocess
import sys
import textwrap

import pytest

from regenlog.store.cloud import cloud_sync_warning, sync_service_of
from regenlog.store.database import open_database
from regenlog.store.lock import DataFolderInUse, acquire_writer_lock, read_lock_holder
from regenlog.store.permissions import check_permissions, fix_permissions


# -- one writer -----------------------------------------------------------------------------
def test_a_second_regenlog_on_the_same_folder_is_refused_with_a_sentence(paths):
    with acquire_writer_lock(paths), pytest.raises(DataFolderInUse) as refused:
        acquire_writer_lock(paths)
    message = str(refused.value)
    assert message.startswith(f"The data folder {paths.root} is already open in another RegenLog")
    assert f"process {os.getpid()} on this computer" in message
    assert message.endswith("close it there first, or choose another folder with --data-dir.")
    # Released at the end of the block: the folder can be taken again.
    acquire_writer_lock(paths).release()


def test_the_lock_file_says_who_holds_the_folder_and_is_private(paths):
    lock = acquire_writer_lock(paths)
    holder = read_lock_holder(paths)
    assert holder.pid == os.getpid() and holder.host
    if os.name == "posix":
        assert stat.S_IMODE(paths.lock_file.stat().st_mode) == 0o600
    lock.release()
    lock.release()  # releasing twice is harmless
    assert not lock.held


HOLDER = textwrap.dedent("""
    import sys, time
    from regenlog.store.lock import acquire_writer_lock
    from regenlog.store.paths import DataPaths
    lock = acquire_writer_lock(DataPaths(sys.argv[1]))
    print("locked", flush=True)
    time.sleep(60)
""")


def _hold_in_another_process(paths) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(paths.root)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline().strip() == "locked"
    return child


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_lock_left_by_a_killed_regenlog_is_taken_over(paths):
    child = _hold_in_another_process(paths)
    try:
        with pytest.raises(DataFolderInUse, match=f"process {child.pid} on this computer"):
            acquire_writer_lock(paths)
        os.kill(child.pid, signal.SIGKILL)  # the app crashes while holding the folder
        child.wait(timeout=10)
    finally:
        child.kill()
        child.stdout.close()
    assert read_lock_holder(paths).pid == child.pid  # its line is still in the file...
    with acquire_writer_lock(paths):  # ...but the lock died with it
        assert read_lock_holder(paths).pid == os.getpid()
        open_database(paths).close()


def test_a_stale_lock_file_from_another_machine_does_not_block(paths):
    paths.root.mkdir(parents=True, exist_ok=True)
    paths.lock_file.write_text("4242\nold-laptop\n")
    with acquire_writer_lock(paths):
        assert read_lock_holder(paths).pid == os.getpid()


# -- private folder -------------------------------------------------------------------------
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@posix_only
def test_a_new_data_folder_is_private(db, paths):
    assert check_permissions(paths, deep=True) == []


@posix_only
def test_a_folder_opened_up_by_a_copy_is_reported_and_fixed(db, paths):
    os.chmod(paths.root, 0o755)
    os.chmod(paths.database, 0o644)
    problems = check_permissions(paths)
    assert problems == [
        f"Other users of this computer can open the folder {paths.root} (permissions 755); "
        "it should be private to you.",
        f"Other users of this computer can read {paths.database} (permissions 644); "
        "it should be private to you.",
    ]
    assert fix_permissions(paths) == 2
    assert check_permissions(paths, deep=True) == []
    assert stat.S_IMODE(paths.root.stat().st_mode) == 0o700


@posix_only
def test_attached_files_are_checked_only_in_the_deep_check(db, paths):
    stored = db.attachments.put_bytes(b"unzipped by another tool")
    os.chmod(db.attachments.path_for(stored.sha256), 0o644)
    assert check_permissions(paths) == []
    [problem] = check_permissions(paths, deep=True)
    assert "can read" in problem and stored.sha256 in problem


@posix_only
def test_many_open_files_make_one_sentence(db, paths):
    for i in range(5):
        os.chmod(db.attachments.path_for(db.attachments.put_bytes(b"scan %d" % i).sha256), 0o644)
    assert check_permissions(paths, deep=True) == [
        f"Other users of this computer can read 5 files in {paths.root}; "
        "they should be private to you."
    ]


# -- cloud-synced folders -------------------------------------------------------------------
@pytest.mark.parametrize("folder, service", [
    ("/Users/dana/Dropbox/RegenLog", "Dropbox"),
    ("/Users/dana/Dropbox (Personal)/RegenLog", "Dropbox"),
    ("/Users/dana/OneDrive/Documents/RegenLog", "OneDrive"),
    ("/Users/dana/OneDrive - Contoso Health/RegenLog", "OneDrive"),
    ("/Users/dana/Library/Mobile Documents/com~apple~CloudDocs/RegenLog", "iCloud Drive"),
    ("/Users/dana/iCloudDrive/RegenLog", "iCloud Drive"),
    ("/Users/dana/Library/CloudStorage/GoogleDrive-dana@gmail.com/My Drive/RegenLog",
     "Google Drive"),
    ("/Volumes/GoogleDrive/My Drive/RegenLog", "Google Drive"),
    ("/home/dana/Google Drive/RegenLog", "Google Drive"),
    ("/Users/dana/Library/Application Support/RegenLog", None),
    ("/home/dana/.local/share/RegenLog", None),
    ("/home/dana/Documents/drive-letters/RegenLog", None),
])
def test_cloud_synced_folders_are_recognised(folder, service):
    assert sync_service_of(folder) == service


def test_the_warning_says_what_can_go_wrong_and_where_backups_belong():
    warning = cloud_sync_warning("/Users/dana/Dropbox/RegenLog")
    assert "inside Dropbox" in warning and "two computers at once" in warning
    assert warning.endswith("save your backups to Dropbox instead.")
    assert cloud_sync_warning("/Users/dana/Library/Application Support/RegenLog") is None


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_link_into_a_synced_folder_is_seen_through(tmp_path):
    real = tmp_path / "Dropbox" / "RegenLog"
    real.mkdir(parents=True)
    (tmp_path / "data").symlink_to(real)
    assert sync_service_of(tmp_path / "data") == "Dropbox"
