"""Automatic backups of the database, their retention, and attachment garbage collection.

A backup is a copy of ``regenlog.sqlite3`` made through SQLite's backup API, checked and
renamed into ``backups/`` (``sqlite_backup.snapshot``). It does not copy the attachments:
they are immutable and named by their SHA-256, so the folder already holds every file any
backup refers to, as long as garbage collection never removes a file a backup still names.

When: at start-up at most once a day (``daily_backup``), and before every migration, restore,
import or recovery (``backup_before``). Retention keeps the newest backup of each of the last
7 days, 4 weeks and 12 months that have one, plus every pre-operation copy younger than a week
(the one to go back to after an import that went wrong); the rest is pruned.
"""

import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .attachments import AttachmentStore
from .paths import DataPaths
from .sqlite_backup import connect_read_only, snapshot

DAILY = "daily"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
KEEP_PRE_OPERATION = dt.timedelta(days=7)
GARBAGE_GRACE = dt.timedelta(hours=1)
STAGING_PREFIX = ".restore-staging-"
PARTIAL_ARCHIVE = ".regenlog-partial-backup-"  # a backup archive being written
ARCHIVE_STAGING = ".archive-"  # in backups/: the snapshot an archive is being made from
DAMAGED_MARK = ".damaged-"

# "<kind>-YYYYmmdd-HHMMSS-ffffff.sqlite3", the format sqlite_backup.timestamped_name writes.
_NAME = re.compile(r"^(?P<kind>[a-z0-9][a-z0-9-]*?)-(?P<stamp>\d{8}-\d{6}-\d{6})\.sqlite3$")
_STAMP = "%Y%m%d-%H%M%S-%f"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str  # "daily", "pre-import", "pre-restore", "pre-migration-0001", ...
    taken_at: dt.datetime  # local time, as in the name

    @property
    def is_pre_operation(self) -> bool:
        return self.kind.startswith("pre-")


@dataclass
class GarbageReport:
    removed_files: int = 0
    removed_bytes: int = 0
    removed_leftovers: int = 0
    skipped: str | None = None  # why unreferenced files were kept, in a sentence


def backup_name(kind: str, when: dt.datetime) -> str:
    return f"{kind}-{when.strftime(_STAMP)}.sqlite3"


def parse_backup_name(path: Path) -> BackupInfo | None:
    match = _NAME.match(path.name)
    if not match:
        return None
    try:
        taken = dt.datetime.strptime(match["stamp"], _STAMP)
    except ValueError:
        return None
    return BackupInfo(path, match["kind"], taken)


def list_backups(paths: DataPaths) -> list[BackupInfo]:
    """The backups in ``backups/``, newest first (other files there are left alone)."""
    if not paths.backups.is_dir():
        return []
    found = [
        info for p in paths.backups.iterdir()
        if p.is_file() and (info := parse_backup_name(p)) is not None
    ]
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def make_backup(paths: DataPaths, kind: str, now: dt.datetime | None = None) -> Path | None:
    """Snapshot the database into ``backups/``; None when there is no database yet."""
    if not paths.database.is_file() or paths.database.stat().st_size == 0:
        return None
    paths.backups.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(paths.backups, 0o700)
    when = now or dt.datetime.now()
    target = paths.backups / backup_name(kind, when)
    while target.exists():  # two backups in one microsecond: never overwrite either
        when += dt.timedelta(microseconds=1)
        target = paths.backups / backup_name(kind, when)
    return snapshot(paths.database, target)


def backup_before(paths: DataPaths, operation: str, now: dt.datetime | None = None) -> Path | None:
    """The copy to go back to if ``operation`` ("import", "restore", ...) goes wrong."""
    made = make_backup(paths, f"pre-{operation}", now)
    prune_backups(paths, now)
    return made


def daily_backup(paths: DataPaths, now: dt.datetime | None = None) -> Path | None:
    """At start-up: a backup unless today's exists already; then apply retention."""
    now = now or dt.datetime.now()
    if any(b.kind == DAILY and b.taken_at.date() == now.date() for b in list_backups(paths)):
        return None
    made = make_backup(paths, DAILY, now)
    prune_backups(paths, now)
    return made


def plan_retention(backups: Iterable[BackupInfo], now: dt.datetime) -> set[Path]:
    """The backups to keep: one per day for the last 7 days that have one, per ISO week (4)
    and per month (12), plus every pre-operation copy younger than a week.

    In each period the newest daily backup stands for it (so a later pre-import copy does
    not push out the day's regular one), or the newest of any kind when there is no daily.
    """
    backups = list(backups)
    keep: set[Path] = set()
    for period, count in (
        (lambda t: t.date(), KEEP_DAILY),
        (lambda t: t.isocalendar()[:2], KEEP_WEEKLY),
        (lambda t: (t.year, t.month), KEEP_MONTHLY),
    ):
        groups: dict = {}
        for backup in backups:
            groups.setdefault(period(backup.taken_at), []).append(backup)
        for key in sorted(groups, reverse=True)[:count]:
            chosen = max(groups[key], key=lambda b: (b.kind == DAILY, b.taken_at))
            keep.add(chosen.path)
    for backup in backups:
        if backup.is_pre_operation and now - backup.taken_at < KEEP_PRE_OPERATION:
            keep.add(backup.path)
    return keep


def prune_backups(paths: DataPaths, now: dt.datetime | None = None) -> list[Path]:
    """Delete the backups retention does not keep; returns what was deleted."""
    backups = list_backups(paths)
    keep = plan_retention(backups, now or dt.datetime.now())
    removed = []
    for backup in backups:
        if backup.path not in keep:
            with contextlib.suppress(FileNotFoundError):
                backup.path.unlink()
                removed.append(backup.path)
    return removed


def referenced_hashes(database: Path) -> set[str]:
    """Every SHA-256 a database's documents name, trashed ones included (they can return)."""
    conn = connect_read_only(database)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "document" not in tables:
            return set()
        return {row[0] for row in conn.execute("SELECT sha256 FROM document")}
    finally:
        conn.close()


def damaged_copies(paths: DataPaths) -> list[Path]:
    """Databases set aside by recovery (``regenlog.sqlite3.damaged-<time>``), oldest first."""
    if not paths.root.is_dir():
        return []
    prefix = paths.database.name + DAMAGED_MARK
    return sorted(
        p for p in paths.root.iterdir()
        if p.name.startswith(prefix) and not p.name.endswith(("-wal", "-shm", "-journal"))
    )


def collect_garbage(
    paths: DataPaths, *, min_age: dt.timedelta = GARBAGE_GRACE, now: dt.datetime | None = None
) -> GarbageReport:
    """Remove leftovers of interrupted writes and attachment files nothing refers to.

    Run at start-up, holding the writer lock, before anything is attached. A file is kept
    while the database, any backup or a set-aside damaged copy names it; if any of those
    cannot be read, no attachment is removed at all (a doubt keeps the file).
    """
    report = GarbageReport()
    cutoff = (now or dt.datetime.now()).timestamp() - min_age.total_seconds()
    report.removed_leftovers = _remove_leftovers(paths, cutoff)

    sources = [paths.database] if paths.database.is_file() else []
    sources += [b.path for b in list_backups(paths)] + damaged_copies(paths)
    referenced: set[str] = set()
    for source in sources:
        try:
            referenced |= referenced_hashes(source)
        except (sqlite3.Error, UnicodeDecodeError):  # a damaged copy may not even name its tables
            report.skipped = (
                f"{source.name} could not be read, so no attached file was removed "
                "(one of them might be needed to restore it)."
            )
            return report
    store = AttachmentStore(paths.attachments)
    for sha in store.all_hashes() - referenced:
        path = store.path_for(sha)
        try:
            info = path.stat()
            if info.st_mtime <= cutoff:
                path.unlink()
                report.removed_files += 1
                report.removed_bytes += info.st_size
        except FileNotFoundError:
            continue
    return report


def remove_partial_archives(
    folder: Path, paths: DataPaths, now: dt.datetime | None = None
) -> int:
    """What a killed ``backup -o`` left: the half-written archive in ``folder`` (named by
    ``PARTIAL_ARCHIVE``, so nothing else there is touched) and its staging folder in
    ``backups/``, once older than the grace period; returns how many went."""
    cutoff = (now or dt.datetime.now()).timestamp() - GARBAGE_GRACE.total_seconds()
    removed = 0
    found = list(folder.glob(f"{PARTIAL_ARCHIVE}*.tmp"))
    if paths.backups.is_dir():
        found += paths.backups.glob(f"{ARCHIVE_STAGING}*.tmp")
    for path in found:
        with contextlib.suppress(OSError):
            if path.is_symlink() or path.lstat().st_mtime > cutoff:
                continue
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed += 1
    return removed


def _remove_leftovers(paths: DataPaths, cutoff: float) -> int:
    """Temporary files and restore staging folders a killed process left behind."""
    candidates: list[Path] = []
    if paths.attachments.is_dir():
        candidates += paths.attachments.glob(".incoming-*.tmp")
    if paths.backups.is_dir():
        # A snapshot's copy and the journal SQLite keeps beside it while writing it.
        candidates += paths.backups.glob(".*.tmp")
        candidates += paths.backups.glob(".*.tmp-*")
    if paths.root.is_dir():
        candidates += paths.root.glob(f"{STAGING_PREFIX}*")
        candidates += paths.root.glob(".*.tmp")
        candidates += paths.root.glob(".*.tmp-*")
    removed = 0
    for path in candidates:
        try:
            if path.lstat().st_mtime > cutoff:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
    return removed
