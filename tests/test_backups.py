"""Automatic backups: one a day when RegenLog starts, one before anything risky, a year of
history kept in a bounded number of files, and no attached file removed while a backup
still needs it."""

import datetime as dt
import os
from pathlib import Path

import pytest

from regenlog.core import models as m
from regenlog.core.enums import Category
from regenlog.store.backups import (
    BackupInfo,
    backup_before,
    backup_name,
    collect_garbage,
    connect_read_only,
    daily_backup,
    list_backups,
    plan_retention,
    prune_backups,
)
from regenlog.store.paths import DataPaths

MORNING = dt.datetime(2026, 3, 10, 9, 0)


def names_in(backup: Path) -> list[str]:
    conn = connect_read_only(backup)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM person ORDER BY id")]
    finally:
        conn.close()


def test_the_first_start_of_the_day_backs_up_and_later_starts_do_not(paths, services):
    services.records.create(m.Person, name="Dana Whitfield")  # still in the WAL, not checkpointed
    first = daily_backup(paths, now=MORNING)
    assert first is not None and first.name.startswith("daily-20260310-0900")
    assert names_in(first) == ["Dana Whitfield"]  # the backup API reads through the WAL
    services.records.create(m.Person, name="Eli Whitfield")
    assert daily_backup(paths, now=MORNING + dt.timedelta(hours=8)) is None
    tomorrow = daily_backup(paths, now=MORNING + dt.timedelta(days=1))
    assert names_in(tomorrow) == ["Dana Whitfield", "Eli Whitfield"]
    assert [b.kind for b in list_backups(paths)] == ["daily", "daily"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_backups_are_private_files(paths, services):
    services.records.create(m.Person, name="Dana Whitfield")
    backup = daily_backup(paths, now=MORNING)
    assert backup.stat().st_mode & 0o777 == 0o600


def test_a_fresh_data_folder_has_nothing_to_back_up(tmp_path):
    new = DataPaths(tmp_path / "new-data-folder")
    assert daily_backup(new, now=MORNING) is None
    assert backup_before(new, "import") is None
    assert not new.backups.exists()


def test_an_import_is_preceded_by_a_copy_of_the_data_as_it_was(paths, services):
    services.records.create(m.Person, name="Dana Whitfield")
    copy = backup_before(paths, "import", now=MORNING)
    assert copy.name == backup_name("pre-import", MORNING)
    services.records.create(m.Person, name="Imported by mistake")
    assert names_in(copy) == ["Dana Whitfield"]


def _infos(*entries: tuple[str, dt.datetime]) -> list[BackupInfo]:
    return [BackupInfo(Path(backup_name(kind, when)), kind, when) for kind, when in entries]


def test_a_year_of_daily_backups_keeps_7_days_4_weeks_and_12_months():
    today = dt.datetime(2026, 3, 10, 9, 0)
    backups = _infos(*(("daily", today - dt.timedelta(days=d)) for d in range(400)))
    kept = sorted((b for b in backups if b.path in plan_retention(backups, today)),
                  key=lambda b: b.taken_at, reverse=True)
    days = [b.taken_at.date() for b in kept]
    assert days[:7] == [(today - dt.timedelta(days=d)).date() for d in range(7)]
    # Weekly: the newest of each of the last 4 ISO weeks (this week's is today's).
    weeks = {b.taken_at.isocalendar()[:2] for b in kept}
    assert len({(today - dt.timedelta(weeks=w)).isocalendar()[:2] for w in range(4)} - weeks) == 0
    # Monthly: the last day of each earlier month back to April 2025, and March 2026's newest.
    months = sorted({(b.taken_at.year, b.taken_at.month) for b in kept}, reverse=True)
    assert len(months) == 12 and months[-1] == (2025, 4)
    assert dt.date(2025, 4, 30) in days and dt.date(2025, 3, 31) not in days
    assert len(kept) <= 7 + 4 + 12


def test_pre_operation_copies_are_kept_a_week_and_do_not_push_out_the_daily_one():
    today = dt.datetime(2026, 3, 10, 18, 0)
    backups = _infos(
        ("daily", today.replace(hour=9)),
        ("pre-import", today.replace(hour=10)),
        ("pre-restore", today.replace(hour=11)),
        ("pre-import", today - dt.timedelta(days=20)),  # old: only kept if it stands for a day
        *(("daily", today - dt.timedelta(days=d)) for d in range(1, 30)),
    )
    keep = plan_retention(backups, today)
    by_name = {b.path.name: b.path in keep for b in backups}
    assert by_name[backup_name("daily", today.replace(hour=9))]
    assert by_name[backup_name("pre-import", today.replace(hour=10))]
    assert by_name[backup_name("pre-restore", today.replace(hour=11))]
    assert not by_name[backup_name("pre-import", today - dt.timedelta(days=20))]


def test_pruning_deletes_only_backups_retention_drops_and_nothing_else(paths):
    paths.ensure()
    today = dt.datetime(2026, 3, 10, 9, 0)
    for d in range(40):
        (paths.backups / backup_name("daily", today - dt.timedelta(days=d))).write_bytes(b"x")
    mine = paths.backups / "my-notes.txt"  # the patient's own file: never touched
    mine.write_text("keep me")
    removed = prune_backups(paths, now=today)
    left = list_backups(paths)
    assert len(removed) + len(left) == 40 and 7 <= len(left) <= 12
    assert left[0].taken_at == today and mine.read_text() == "keep me"


# -- garbage collection of attached files ---------------------------------------------------
@pytest.fixture
def visit(services):
    dana = services.records.create(m.Person, name="Dana Whitfield")
    return services.records.create(
        m.Treatment, person_id=dana.id, date_of_service=dt.date(2025, 3, 4),
        category=Category.prp,
    )


def test_a_purged_document_file_stays_while_a_backup_refers_to_it(paths, services, visit):
    doc = services.documents.attach_bytes(b"old receipt", "receipt.pdf",
                                          links=[("treatment", visit.id)])
    backup = daily_backup(paths, now=MORNING)
    services.records.delete(m.Document, doc.id)
    # Unlink first: purging a still-linked document trips over its links (reported to the lead).
    services.documents.unlink(doc.id, "treatment", visit.id)
    services.records.purge(m.Document, doc.id)
    store = services.db.attachments

    report = collect_garbage(paths, min_age=dt.timedelta(0))
    assert report.removed_files == 0 and store.exists(doc.sha256)  # the backup still needs it

    backup.unlink()
    report = collect_garbage(paths, min_age=dt.timedelta(0))
    assert report.removed_files == 1 and not store.exists(doc.sha256)


def test_a_document_in_the_trash_keeps_its_file(paths, services, visit):
    doc = services.documents.attach_bytes(b"denial letter", "denial.pdf")
    services.records.delete(m.Document, doc.id)
    assert collect_garbage(paths, min_age=dt.timedelta(0)).removed_files == 0
    assert services.db.attachments.verify(doc.sha256)


def test_an_orphan_file_is_removed_only_once_it_is_old(paths, services):
    orphan = services.db.attachments.put_bytes(b"stored, then the app was killed")
    assert collect_garbage(paths).removed_files == 0  # written a moment ago: maybe in use
    written = os.path.getmtime(services.db.attachments.path_for(orphan.sha256))
    report = collect_garbage(paths, now=dt.datetime.fromtimestamp(written + 7200))
    assert report.removed_files == 1 and report.removed_bytes == orphan.size


def test_an_unreadable_backup_stops_garbage_collection(paths, services, visit):
    orphan = services.db.attachments.put_bytes(b"maybe the broken backup needs me")
    paths.backups.joinpath(backup_name("daily", MORNING)).write_bytes(os.urandom(4096))
    report = collect_garbage(paths, min_age=dt.timedelta(0))
    assert report.removed_files == 0 and services.db.attachments.exists(orphan.sha256)
    assert "could not be read, so no attached file was removed" in report.skipped


def test_leftovers_of_a_killed_process_are_cleaned_up(paths, services):
    paths.attachments.joinpath(".incoming-abc.tmp").write_bytes(b"half a scan")
    paths.backups.joinpath(".daily-20260310-090000-000000.sqlite3.tmp").write_bytes(b"half")
    staging = paths.root / ".restore-staging-x1"
    staging.mkdir()
    (staging / "regenlog.sqlite3").write_bytes(b"half a restore")
    report = collect_garbage(paths, min_age=dt.timedelta(0))
    assert report.removed_leftovers == 3
    assert [p.name for p in paths.root.rglob(".*")] == []


def test_a_folder_named_with_a_hash_sign_is_backed_up_whole(tmp_path):
    from regenlog.core.services import Services
    from regenlog.store.database import open_database

    paths = DataPaths(tmp_path / "Dana #2" / "RegenLog")
    db = open_database(paths)
    Services(db).records.create(m.Person, name="Dana Whitfield")
    db.close()
    assert names_in(daily_backup(paths, now=MORNING)) == ["Dana Whitfield"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Dana #2"]  # no stray "Dana " file
