"""Start again from the newest good backup when the database cannot be opened.

``open_database`` refuses a damaged file with ``DatabaseError`` and leaves it untouched. The
app then offers ``recover_from_backup``: the damaged file is renamed aside (never deleted,
never overwritten: it may still hold the day's work for someone who can repair it) and the
newest backup that passes ``quick_check`` and reads whole (``readable``) becomes the database again. The attachments need no
restoring: garbage collection keeps every file a backup or a set-aside copy refers to.
"""

import contextlib
import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import RegenLogError
from ..core.fileio import fsync_dir
from . import schema
from .backups import DAMAGED_MARK, BackupInfo, connect_read_only, list_backups
from .paths import DataPaths
from .readable import soundness_problem
from .sqlite_backup import snapshot

_SIDE_FILES = ("-wal", "-shm", "-journal")


class RecoveryError(RegenLogError):
    pass


@dataclass(frozen=True)
class Recovery:
    damaged_copy: Path | None  # None when there was no database file at all
    restored_from: Path
    taken_at: dt.datetime

    def summary(self) -> str:
        kept = f" The damaged file was kept as {self.damaged_copy.name}." if self.damaged_copy else ""
        return (
            f"RegenLog restored the backup taken {self.taken_at:%Y-%m-%d %H:%M}; changes "
            f"made after that are not in it.{kept}"
        )


def passes_quick_check(path: Path) -> bool:
    """Sound in structure and in every value the app reads (``readable``)."""
    return soundness_problem(path) is None


def is_good_backup(path: Path) -> bool:
    """A sound RegenLog database of a schema this version knows."""
    if not passes_quick_check(path):
        return False
    try:
        conn = connect_read_only(path)
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return row is not None and row[0] in schema.REVISIONS
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError):
        return False


def newest_good_backup(paths: DataPaths) -> BackupInfo | None:
    """The most recent backup that would open, or None."""
    return next((b for b in list_backups(paths) if is_good_backup(b.path)), None)


def set_aside_damaged(paths: DataPaths, now: dt.datetime | None = None) -> Path | None:
    """Rename the database (and its -wal/-shm, kept paired with it) to a new
    ``regenlog.sqlite3.damaged-<time>`` name; returns that name, or None if there was none."""
    if not paths.database.exists():
        return None
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    base = f"{paths.database.name}{DAMAGED_MARK}{stamp}"
    target = paths.root / base
    n = 1
    while any((paths.root / (target.name + s)).exists() for s in ("", *_SIDE_FILES)):
        n += 1
        target = paths.root / f"{base}-{n}"
    os.rename(paths.database, target)
    for suffix in _SIDE_FILES:
        side = paths.database.with_name(paths.database.name + suffix)
        with contextlib.suppress(FileNotFoundError):
            os.rename(side, target.with_name(target.name + suffix))
    fsync_dir(paths.root)
    return target


def recover_from_backup(paths: DataPaths) -> Recovery:
    """Set the damaged database aside and put the newest good backup in its place.

    Raises ``RecoveryError`` (changing nothing) when no backup passes its check.
    """
    good = newest_good_backup(paths)
    if good is None:
        raise RecoveryError(
            "No backup in the data folder passes its check, so RegenLog left the damaged "
            "database where it was; restore a backup archive with `regenlog restore FILE`."
        )
    damaged = set_aside_damaged(paths)
    try:
        snapshot(good.path, paths.database)
    except RegenLogError:
        # Put the damaged file back rather than leave the folder with no database at all.
        if damaged is not None and not paths.database.exists():
            for suffix in ("", *_SIDE_FILES):
                with contextlib.suppress(FileNotFoundError):
                    os.rename(damaged.with_name(damaged.name + suffix),
                              paths.database.with_name(paths.database.name + suffix))
        raise
    return Recovery(damaged, good.path, good.taken_at)
