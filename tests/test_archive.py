"""Dana keeps a backup archive on a USB stick, and restores it when things go wrong.

The archive holds the database snapshot, every file her documents refer to and a manifest of
SHA-256 hashes. Restoring checks all of it before anything in her data folder changes, and
keeps what was there as a backup.
"""

import datetime as dt
import hashlib
import json
import os
import zipfile

import pytest

from regenlog.core import models as m
from regenlog.core.enums import Category, DocumentKind
from regenlog.core.services import Services
from regenlog.store import schema
from regenlog.store.archive import (
    ArchiveError,
    default_archive_name,
    restore_archive,
    write_archive,
)
from regenlog.store.backups import list_backups
from regenlog.store.database import open_database
from regenlog.store.paths import DataPaths


@pytest.fixture
def dana(services, tmp_path):
    """Dana's PRP visit with its receipt scan and the clinic's invoice attached."""
    person = services.records.create(m.Person, name="Dana Whitfield")
    visit = services.records.create(
        m.Treatment, person_id=person.id, date_of_service=dt.date(2025, 3, 4),
        category=Category.prp, description="PRP, right knee",
    )
    scan = tmp_path / "receipt-scan.jpg"
    scan.write_bytes(os.urandom(300_000))
    receipt = services.documents.attach_file(
        scan, kind=DocumentKind.receipt, links=[("treatment", visit.id)]
    )
    invoice = services.documents.attach_bytes(
        b"%PDF-1.7 invoice: PRP $1,850.00", "invoice.pdf", links=[("treatment", visit.id)]
    )
    return visit, receipt, invoice


@pytest.fixture
def usb(tmp_path):
    folder = tmp_path / "usb-stick"
    folder.mkdir()
    return folder


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_archive_holds_the_database_every_file_and_their_hashes(paths, dana, usb):
    visit, receipt, invoice = dana
    report = write_archive(paths, usb / "dana.zip")
    assert report.attachments == 2 and report.documents == 2
    assert "2 attached files" in report.summary()
    with zipfile.ZipFile(usb / "dana.zip") as zf:
        names = sorted(zf.namelist())
        assert names == sorted([
            "manifest.json", "regenlog.sqlite3",
            f"attachments/{receipt.sha256}", f"attachments/{invoice.sha256}",
        ])
        manifest = json.loads(zf.read("manifest.json"))
        for name, entry in manifest["files"].items():
            assert entry["sha256"] == sha(zf.read(name))
    assert manifest["format"] == "regenlog-backup" and manifest["schema_revision"] == schema.HEAD
    assert list(usb.iterdir()) == [usb / "dana.zip"]  # no temporary file beside it


def test_restoring_brings_back_the_records_and_keeps_todays_data_as_a_backup(
    paths, services, dana, usb, tmp_path
):
    visit, receipt, invoice = dana
    archive = write_archive(paths, usb / "dana.zip").path
    # After the backup, Dana makes a mess: edits the visit, trashes the invoice, adds a scan.
    services.records.update(m.Treatment, visit.id, description="typed over by mistake")
    services.records.delete(m.Document, invoice.id)
    services.documents.attach_bytes(b"later scan", "later.pdf")
    services.db.close()

    report = restore_archive(paths, archive)

    assert report.previous_backup in [b.path for b in list_backups(paths)]
    assert "kept as backups/pre-restore-" in report.summary()
    db = open_database(paths)
    restored = Services(db)
    assert restored.records.get(m.Treatment, visit.id).description == "PRP, right knee"
    docs = restored.documents.for_record(m.Treatment, visit.id)
    assert [d.id for d in docs] == [receipt.id, invoice.id]
    assert all(db.attachments.verify(d.sha256) for d in docs)
    assert restored.records.count(m.Document) == 2
    db.close()
    # The data as it was just before the restore is in the pre-restore backup.
    previous = DataPaths(tmp_path / "previous")
    previous.ensure()
    previous.database.write_bytes(report.previous_backup.read_bytes())
    db = open_database(previous)
    assert Services(db).records.get(m.Treatment, visit.id).description == "typed over by mistake"
    db.close()
    assert [p for p in paths.root.iterdir() if p.name.startswith(".")] == []


def test_a_new_computer_is_set_up_from_the_archive(paths, dana, usb, tmp_path):
    visit, receipt, _ = dana
    archive = write_archive(paths, usb).path  # a folder: the archive gets a dated name in it
    assert archive.parent == usb and archive.name.startswith("regenlog-backup-")
    assert len(default_archive_name()) == len(archive.name)
    new_laptop = DataPaths(tmp_path / "new-laptop")
    report = restore_archive(new_laptop, archive)
    assert report.previous_backup is None and report.attachments == 2 and report.missing == []
    db = open_database(new_laptop)
    doc = Services(db).records.get(m.Document, receipt.id)
    assert db.attachments.verify(doc.sha256)
    db.close()


def _rewrite(source, target, *, extra=(), replace=None, manifest_edit=None):
    """Copy an archive, adding members, replacing one member's bytes or editing the manifest."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if replace and info.filename == replace[0]:
                data = replace[1]
            if info.filename == "manifest.json" and manifest_edit:
                manifest = json.loads(data)
                manifest_edit(manifest)
                data = json.dumps(manifest).encode()
            dst.writestr(info.filename, data)
        for name, data in extra:
            dst.writestr(name, data)
    return target


@pytest.mark.parametrize("evil", [
    "../escaped.txt", "attachments/../../escaped.txt", "/tmp/escaped.txt",
    "C:/Users/escaped.txt", "attachments\\..\\..\\escaped.txt",
])
def test_an_archive_with_a_path_that_escapes_its_folder_restores_nothing(
    paths, services, dana, usb, evil
):
    archive = write_archive(paths, usb / "dana.zip").path

    def list_evil_too(manifest):
        manifest["files"][evil] = {"sha256": sha(b"gotcha"), "size": 6}

    crafted = _rewrite(archive, usb / "crafted.zip", extra=[(evil, b"gotcha")],
                       manifest_edit=list_evil_too)
    services.db.close()
    before = paths.database.read_bytes()
    with pytest.raises(ArchiveError, match="leads outside its folder"):
        restore_archive(paths, crafted)
    assert paths.database.read_bytes() == before
    assert list_backups(paths) == []  # not even the pre-restore backup: nothing was touched
    assert not any(p.name == "escaped.txt" for p in paths.root.parent.rglob("escaped.txt"))
    assert [p for p in paths.root.iterdir() if p.name.startswith(".")] == []


def test_an_archive_changed_after_it_was_written_is_refused(paths, services, dana, usb):
    visit, receipt, _ = dana
    archive = write_archive(paths, usb / "dana.zip").path
    crafted = _rewrite(archive, usb / "changed.zip",
                       replace=(f"attachments/{receipt.sha256}", b"not the receipt"))
    services.db.close()
    before = paths.database.read_bytes()
    # Its size differs from the manifest's, so it is refused before a byte is unpacked.
    with pytest.raises(ArchiveError, match="does not match the files in it"):
        restore_archive(paths, crafted)
    assert paths.database.read_bytes() == before


@pytest.mark.parametrize("content, sentence", [
    (os.urandom(5000), "is not a RegenLog backup or it is damaged"),
    (None, "is not a RegenLog backup archive"),
])
def test_a_file_that_is_not_a_backup_is_refused(tmp_path, usb, content, sentence):
    new_laptop = DataPaths(tmp_path / "new-laptop")
    bogus = usb / "holiday-photos.zip"
    if content is None:
        with zipfile.ZipFile(bogus, "w") as zf:
            zf.writestr("photo.jpg", b"beach")
    else:
        bogus.write_bytes(content)
    with pytest.raises(ArchiveError, match=sentence):
        restore_archive(new_laptop, bogus)
    assert not new_laptop.root.exists()  # not even the folder was created


def test_an_archive_from_a_newer_regenlog_is_refused(paths, services, dana, usb):
    archive = write_archive(paths, usb / "dana.zip").path
    newer = _rewrite(archive, usb / "newer.zip",
                     manifest_edit=lambda manifest: manifest.update(version=99))
    with pytest.raises(ArchiveError, match="newer version of RegenLog"):
        restore_archive(paths, newer)


def test_a_file_missing_at_backup_time_is_reported_not_fatal(paths, services, dana, usb):
    visit, receipt, invoice = dana
    services.db.attachments.path_for(invoice.sha256).unlink()  # deleted behind the app's back
    report = write_archive(paths, usb / "dana.zip")
    assert report.missing == [invoice.sha256] and report.attachments == 1
    assert "1 attached files were missing" in report.summary()
    services.db.close()
    restored = restore_archive(DataPaths(usb.parent / "elsewhere"), report.path)
    assert restored.missing == [invoice.sha256]
    assert "1 attached files were not in the backup" in restored.summary()


def test_writing_into_a_folder_that_does_not_exist_is_a_sentence(paths, dana, usb):
    with pytest.raises(ArchiveError, match="does not exist; choose another place"):
        write_archive(paths, usb / "no-such-folder" / "dana.zip")
    assert list(usb.iterdir()) == []


def test_an_empty_data_folder_has_nothing_to_back_up(tmp_path, usb):
    with pytest.raises(ArchiveError, match="nothing to back up"):
        write_archive(DataPaths(tmp_path / "empty"), usb / "empty.zip")
    assert list(usb.iterdir()) == []


def test_an_archive_cut_short_on_the_way_to_the_usb_stick_is_refused(paths, services, dana, usb):
    archive = write_archive(paths, usb / "dana.zip").path
    cut = usb / "cut.zip"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    services.db.close()
    before = paths.database.read_bytes()
    with pytest.raises(ArchiveError, match="is not a RegenLog backup or it is damaged"):
        restore_archive(paths, cut)
    assert paths.database.read_bytes() == before


def test_progress_is_reported_and_cancelling_leaves_no_file(paths, dana, usb):
    seen = []
    write_archive(paths, usb / "dana.zip", progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] and seen[-1][1] > 300_000
    with pytest.raises(ArchiveError, match="cancelled; no file was written"):
        write_archive(paths, usb / "second.zip", cancelled=lambda: True)
    assert sorted(p.name for p in usb.iterdir()) == ["dana.zip"]
