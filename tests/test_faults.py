"""The disk fills up or fails mid-write, the database file is cut short or overwritten:
the patient gets one clear sentence and loses nothing that was stored before."""

import datetime as dt
import errno
import os
import sqlite3

import pytest

from regenlog.core import models as m
from regenlog.core.enums import Category
from regenlog.core.services import Services
from regenlog.store import archive as archive_module
from regenlog.store.archive import ArchiveError, restore_archive, write_archive
from regenlog.store.attachments import AttachmentError
from regenlog.store.backups import daily_backup, list_backups, make_backup
from regenlog.store.database import DatabaseError, open_database
from regenlog.store.recovery import RecoveryError, recover_from_backup
from regenlog.store.sqlite_backup import BackupError

SENTENCES = {
    errno.ENOSPC: "The disk is full",
    errno.EIO: "The disk reported a read or write error",
}
FAULTS = pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])


def os_error(code: int) -> OSError:
    return OSError(code, os.strerror(code))


class FailingFile:
    """A file object whose writes fail once ``after`` bytes have gone through."""

    def __init__(self, inner, after: int, code: int):
        self.inner, self.after, self.code, self.written = inner, after, code, 0

    def write(self, data) -> int:
        self.written += len(data)
        if self.written > self.after:
            raise os_error(self.code)
        return self.inner.write(data)

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.inner.close()


def fail_file_writes(monkeypatch, code: int, after: int = 1024 * 1024) -> None:
    real = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: FailingFile(real(fd, *a, **k), after, code))


def fail_fsync(monkeypatch, code: int) -> None:
    def fsync(_fd):
        raise os_error(code)

    monkeypatch.setattr(os, "fsync", fsync)


@pytest.fixture
def knee_visit(services):
    dana = services.records.create(m.Person, name="Dana Whitfield")
    visit = services.records.create(
        m.Treatment, person_id=dana.id, date_of_service=dt.date(2025, 3, 4),
        category=Category.prp, description="PRP, right knee",
    )
    services.documents.attach_bytes(b"%PDF receipt for the PRP visit", "receipt.pdf",
                                    links=[("treatment", visit.id)])
    return visit


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.startswith(".") or "tmp" in p.name)


# -- attaching a scan -----------------------------------------------------------------------
@FAULTS
def test_a_disk_fault_while_attaching_a_scan_stores_nothing(services, knee_visit, tmp_path,
                                                            monkeypatch, code):
    scan = tmp_path / "mri-report.pdf"
    scan.write_bytes(os.urandom(3 * 1024 * 1024))  # three chunks: the fault lands mid-file
    store = services.db.attachments
    before = store.all_hashes()
    fail_file_writes(monkeypatch, code)
    with pytest.raises(AttachmentError, match=SENTENCES[code]) as caught:
        services.documents.attach_file(scan, links=[("treatment", knee_visit.id)])
    monkeypatch.undo()
    assert "nothing was changed" in str(caught.value)
    assert services.records.count(m.Document) == 1
    assert store.all_hashes() == before and store.leftover_temporaries() == []


@FAULTS
def test_a_fault_when_the_scan_is_flushed_to_disk_stores_nothing(services, knee_visit, tmp_path,
                                                                  monkeypatch, code):
    scan = tmp_path / "eob.pdf"
    scan.write_bytes(b"explanation of benefits")
    store = services.db.attachments
    fail_fsync(monkeypatch, code)
    with pytest.raises(AttachmentError, match=SENTENCES[code]):
        services.documents.attach_file(scan)
    monkeypatch.undo()
    assert services.records.count(m.Document) == 1
    assert len(store.all_hashes()) == 1 and store.leftover_temporaries() == []


# -- the automatic backup -------------------------------------------------------------------
@FAULTS
def test_a_disk_fault_during_the_daily_backup_leaves_no_half_backup(paths, knee_visit,
                                                                    monkeypatch, code):
    fail_fsync(monkeypatch, code)
    with pytest.raises(BackupError, match=SENTENCES[code]):
        daily_backup(paths)
    monkeypatch.undo()
    assert list_backups(paths) == [] and leftovers(paths.backups) == []
    # The next start-up simply tries again.
    assert daily_backup(paths) is not None


# -- the portable archive -------------------------------------------------------------------
@FAULTS
def test_a_disk_fault_while_writing_the_archive_leaves_no_file(paths, services, knee_visit,
                                                               tmp_path, monkeypatch, code):
    big = tmp_path / "knee-mri.dcm"
    big.write_bytes(os.urandom(2 * 1024 * 1024))
    services.documents.attach_file(big, links=[("treatment", knee_visit.id)])
    usb = tmp_path / "usb-stick"
    usb.mkdir()
    fail_file_writes(monkeypatch, code, after=512 * 1024)
    with pytest.raises(ArchiveError, match=SENTENCES[code]):
        write_archive(paths, usb / "backup.zip")
    monkeypatch.undo()
    assert list(usb.iterdir()) == []
    assert leftovers(paths.backups) == []


@FAULTS
def test_a_fault_when_the_archive_is_flushed_leaves_no_file(paths, knee_visit, tmp_path,
                                                            monkeypatch, code):
    real_fsync = os.fsync

    def fsync(fd):  # the snapshot's fsyncs pass; the archive's, once it is whole, fails
        if list(tmp_path.glob(".regenlog-partial-backup-*.tmp")):
            raise os_error(code)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(ArchiveError, match=SENTENCES[code]):
        write_archive(paths, tmp_path / "backup.zip")
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert leftovers(paths.backups) == []


@FAULTS
def test_a_disk_fault_while_restoring_changes_nothing(paths, services, knee_visit, tmp_path,
                                                      monkeypatch, code):
    archive = write_archive(paths, tmp_path / "backup.zip").path
    services.records.update(m.Treatment, knee_visit.id, description="PRP, both knees")
    services.db.close()
    database_before = paths.database.read_bytes()
    fail_file_writes(monkeypatch, code, after=100)
    with pytest.raises(ArchiveError, match=SENTENCES[code]):
        restore_archive(paths, archive)
    monkeypatch.undo()
    assert paths.database.read_bytes() == database_before
    assert [p.name for p in paths.root.iterdir() if p.name.startswith(".")] == []
    db = open_database(paths)
    assert Services(db).records.get(m.Treatment, knee_visit.id).description == "PRP, both knees"
    db.close()
    assert archive_module  # the module under test stays importable after the patch


# -- a database file that cannot be read ----------------------------------------------------
def _with_backup(paths, services, knee_visit):
    """Dana's data folder with yesterday's backup in it."""
    make_backup(paths, "daily", dt.datetime.now() - dt.timedelta(days=1))
    services.records.create(m.Person, name="Added after the backup")
    services.db.close()
    with sqlite3.connect(paths.database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_a_truncated_database_is_refused_then_recovered_from_the_newest_backup(
    paths, services, knee_visit
):
    _with_backup(paths, services, knee_visit)
    data = paths.database.read_bytes()
    paths.database.write_bytes(data[: len(data) // 2])
    with pytest.raises(DatabaseError, match="damaged or not a database"):
        open_database(paths)

    recovery = recover_from_backup(paths)
    assert recovery.damaged_copy.read_bytes() == data[: len(data) // 2]  # kept as it was
    assert "restored the backup taken" in recovery.summary()
    db = open_database(paths)
    services = Services(db)
    assert [p.name for p in services.records.list(m.Person)] == ["Dana Whitfield"]
    assert len(services.documents.for_record(m.Treatment, knee_visit.id)) == 1
    db.close()


def test_random_bytes_in_place_of_the_database_with_no_backup_are_left_alone(paths):
    paths.ensure()
    junk = os.urandom(8192)
    paths.database.write_bytes(junk)
    with pytest.raises(DatabaseError, match="damaged or not a database"):
        open_database(paths)
    with pytest.raises(RecoveryError, match="No backup in the data folder passes its check"):
        recover_from_backup(paths)
    assert paths.database.read_bytes() == junk
    assert [p.name for p in paths.root.iterdir() if "damaged" in p.name] == []


def test_recovery_skips_a_damaged_backup_for_an_older_good_one(paths, services, knee_visit):
    good = make_backup(paths, "daily", dt.datetime.now() - dt.timedelta(days=2))
    bad = make_backup(paths, "daily", dt.datetime.now() - dt.timedelta(days=1))
    bad.write_bytes(bad.read_bytes()[:1000])
    services.db.close()
    paths.database.write_bytes(os.urandom(4096))
    recovery = recover_from_backup(paths)
    assert recovery.restored_from == good
    assert bad.exists()  # a bad backup is skipped, not deleted
    open_database(paths).close()


def test_a_second_recovery_never_overwrites_the_first_damaged_copy(paths, services, knee_visit):
    make_backup(paths, "daily", dt.datetime.now() - dt.timedelta(days=1))
    services.db.close()
    paths.database.write_bytes(b"first damage" * 500)
    first = recover_from_backup(paths).damaged_copy
    paths.database.write_bytes(b"second damage" * 500)
    second = recover_from_backup(paths).damaged_copy
    assert first != second
    assert first.read_bytes() == b"first damage" * 500
    assert second.read_bytes() == b"second damage" * 500
