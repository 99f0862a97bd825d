"""A backup archive is untrusted input: one changed after it was written (its manifest
re-hashed to match) restores nothing, says so in a sentence, and leaves today's data as it
was. Also: only regular files are read, the disk must have room first, a ZIP bomb is refused
before it is written, and a document's hash is checked again when it is copied out."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from regenlog.core import models as m
from regenlog.core.enums import Category, DocumentKind
from regenlog.core.errors import RegenLogError
from regenlog.store import archive as archive_module
from regenlog.store.archive import ArchiveError, restore_archive, write_archive
from regenlog.store.backups import list_backups
from regenlog.store.verify import verify_data_folder


@pytest.fixture
def household(services, tmp_path):
    person = services.records.create(m.Person, name="Dana Whitfield")
    services.records.create(m.InsurancePlan, person_id=person.id, insurer="Aetna",
                            member_id="W123456789")
    visit = services.records.create(
        m.Treatment, person_id=person.id, date_of_service=dt.date(2025, 3, 4),
        category=Category.prp, description="PRP, right knee",
    )
    receipt = services.documents.attach_bytes(
        b"%PDF-1.7 receipt: PRP $1,850.00", "receipt.pdf", kind=DocumentKind.receipt,
        links=[("treatment", visit.id)],
    )
    archive = write_archive(services.db.paths, tmp_path / "dana.zip").path
    return services, archive, receipt


def tamper(archive: Path, target: Path, sql: str = "", *, extra=(), data_edit=None) -> Path:
    """What someone with the file could do: change the database inside, add members, and
    write a manifest whose hashes and sizes match again."""
    work = target.with_suffix(".work")
    work.mkdir()
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(work)
    database = work / "regenlog.sqlite3"
    if sql:
        conn = sqlite3.connect(database)
        conn.executescript(sql)
        conn.commit()
        conn.close()
    if data_edit:
        database.write_bytes(data_edit(database.read_bytes()))
    for name, data in extra:
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_bytes(data)
    manifest = json.loads((work / "manifest.json").read_text())
    files = {}
    for path in sorted(work.rglob("*")):
        name = path.relative_to(work).as_posix()
        if path.is_file() and name != "manifest.json":
            data = path.read_bytes()
            files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    manifest["files"] = files
    (work / "manifest.json").write_text(json.dumps(manifest))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(work.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(work).as_posix())
    shutil.rmtree(work)
    return target


TRIGGER = """CREATE TRIGGER keep_in_sync AFTER INSERT ON person BEGIN
    UPDATE insurance_plan SET member_id = 'X'; DELETE FROM document_link; END;"""

TAMPERED = {
    "an extra trigger": (TRIGGER, "has a trigger “keep_in_sync” that RegenLog never creates"),
    "an extra view": ("CREATE VIEW everyone AS SELECT * FROM person;",
                      "has a view “everyone” that RegenLog never creates"),
    "an extra table": ("CREATE TABLE notes_to_self (x TEXT);",
                       "has a table “notes_to_self” that RegenLog never creates"),
    "an extra index": ("CREATE INDEX ix_sneaky ON person (name);",
                       "has a index “ix_sneaky” that RegenLog never creates"),
    "a changed table": ("ALTER TABLE person ADD COLUMN secret TEXT;",
                        "has a table “person” that RegenLog never creates"),
    "a dropped index": ("DROP INDEX ix_person_deleted_at;",
                        "lacks part of the layout RegenLog creates"),
    "a path as a document's hash": (
        "UPDATE document SET sha256 = '../../../../etc/passwd';",
        "holds a value RegenLog would not accept"),
    "a value the import refuses": ("UPDATE person SET name = '   ';",
                                   "holds a value RegenLog would not accept"),
    "a word no enum has": ("UPDATE insurance_plan SET plan_type = 'bogus';",
                           "is damaged or not RegenLog's"),
    "a date that is no date": ("UPDATE treatment SET date_of_service = '2025-02-30';",
                               "is damaged or not RegenLog's"),
}


def assert_untouched(services, before: bytes) -> None:
    paths = services.db.paths
    assert paths.database.read_bytes() == before
    assert list_backups(paths) == []  # not even a pre-restore copy: nothing was touched
    assert not [p for p in paths.root.iterdir() if p.name.startswith(".restore-staging")]


@pytest.mark.parametrize("case", list(TAMPERED))
def test_a_tampered_backup_with_a_rehashed_manifest_restores_nothing(household, tmp_path, case):
    services, archive, _ = household
    sql, sentence = TAMPERED[case]
    crafted = tamper(archive, tmp_path / "crafted.zip", sql)
    services.db.close()
    before = services.db.paths.database.read_bytes()
    with pytest.raises(ArchiveError) as refused:
        restore_archive(services.db.paths, crafted)
    assert sentence in str(refused.value)
    assert "RegenLog restored nothing." in str(refused.value)
    assert_untouched(services, before)
    assert verify_data_folder(services.db.paths).ok


def test_the_untampered_archive_still_restores(household):
    services, archive, _ = household
    services.db.close()
    report = restore_archive(services.db.paths, archive)
    assert report.summary().startswith("Restored the backup dana.zip")


def test_verify_finds_a_trigger_that_regenlog_never_creates(household):
    services, _, _ = household
    with sqlite3.connect(services.db.paths.database) as conn:
        conn.executescript(TRIGGER)
    problems = verify_data_folder(services.db.paths).problems
    assert any("trigger “keep_in_sync” that RegenLog never creates" in p for p in problems)


def test_a_file_the_database_does_not_name_is_refused_before_it_is_unpacked(
        household, tmp_path, monkeypatch):
    services, archive, _ = household
    bomb = b"\0" * (32 << 20)  # 32 MB of zeros: a few KB compressed
    crafted = tamper(archive, tmp_path / "bomb.zip",
                     extra=[(f"attachments/{hashlib.sha256(bomb).hexdigest()}", bomb)])
    assert crafted.stat().st_size < 1 << 20
    unpacked: list[str] = []
    real = archive_module._extract
    monkeypatch.setattr(archive_module, "_extract", lambda zf, man, members, *a: (
        unpacked.extend(members), real(zf, man, members, *a))[1])
    services.db.close()
    with pytest.raises(ArchiveError, match="holds files its database does not name"):
        restore_archive(services.db.paths, crafted)
    assert not any(name.startswith("attachments/") for name in unpacked)


def test_a_database_member_that_is_a_zip_bomb_is_refused_before_a_byte_is_written(
        household, tmp_path, monkeypatch):
    services, archive, _ = household
    crafted = tamper(archive, tmp_path / "bomb.zip", data_edit=lambda _d: b"\0" * (32 << 20))
    unpacked: list[str] = []
    monkeypatch.setattr(archive_module, "_extract", lambda zf, man, members, *a: (
        unpacked.extend(members), 0)[1])
    services.db.close()
    with pytest.raises(ArchiveError, match="is damaged or not RegenLog's"):
        restore_archive(services.db.paths, crafted)
    assert unpacked == []


def test_a_disk_without_room_for_the_backup_restores_nothing(household, monkeypatch):
    services, archive, _ = household
    services.db.close()
    before = services.db.paths.database.read_bytes()
    monkeypatch.setattr(archive_module.shutil, "disk_usage",
                        lambda _p: shutil._ntuple_diskusage(10 << 30, 10 << 30, 1 << 20))
    with pytest.raises(ArchiveError, match=r"needs .* free on the disk of the data folder"):
        restore_archive(services.db.paths, archive)
    assert_untouched(services, before)


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo"])
def test_restore_reads_only_a_regular_file_and_never_hangs_holding_the_lock(tmp_path, kind):
    source = Path("/dev/zero")
    if kind == "fifo":
        source = tmp_path / "pipe.zip"
        os.mkfifo(source)
    result = subprocess.run(
        [sys.executable, "-m", "regenlog", "--data-dir", str(tmp_path / "data"), "restore",
         str(source)], capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "is not a file (a device or a pipe)" in result.stderr
    assert "Traceback" not in result.stderr


def test_saving_a_copy_checks_the_hash_again(household, tmp_path):
    services, _, receipt = household
    stored = services.db.attachments.path_for(receipt.sha256)
    os.chmod(stored, 0o600)
    stored.write_bytes(b"%PDF-1.7 something else")
    with pytest.raises(RegenLogError, match="no longer what was attached"):
        services.documents.export_to(receipt.id, tmp_path / "copy.pdf")
    assert not (tmp_path / "copy.pdf").exists()
    assert not list(tmp_path.glob(".copy.pdf*"))


def test_a_document_whose_hash_is_a_path_is_never_read(household, tmp_path):
    services, _, receipt = household
    with sqlite3.connect(services.db.paths.database) as conn:
        conn.execute("UPDATE document SET sha256 = '../../../../etc/passwd' WHERE id = ?",
                     (receipt.id,))
    with pytest.raises(RegenLogError, match="names its file in a way RegenLog never does"):
        services.documents.export_to(receipt.id, tmp_path / "copy.pdf")
    assert not (tmp_path / "copy.pdf").exists()
