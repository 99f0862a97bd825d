"""Consistent copies of a live database through SQLite's online backup API (never a file copy,
which can tear a WAL database), verified before they are renamed into place."""

import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path

from ..core.errors import RegenLogError
from ..core.fileio import fsync_dir


class BackupError(RegenLogError):
    pass


# SQLite's primary codes for a file that is not, or no longer, a readable database.
_DAMAGE_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def is_damage(error: BaseException) -> bool:
    """True when SQLite found the file itself damaged (not locked, missing or read-only)."""
    code = getattr(error, "sqlite_errorcode", None)
    # Extended codes (SQLITE_CORRUPT_INDEX, ...) keep the primary code in the low byte.
    return isinstance(error, sqlite3.DatabaseError) and ((code or 0) & 0xFF) in _DAMAGE_CODES


def connect_read_only(database: Path) -> sqlite3.Connection:
    """Open ``database`` read-only. The path goes through ``as_uri`` because a folder named
    "Dana #2" or "Claims?" would otherwise cut the URI short and open some other file."""
    return sqlite3.connect(Path(database).absolute().as_uri() + "?mode=ro", uri=True)


def snapshot(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` with the backup API; verify with quick_check; rename."""
    target = Path(target)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        src = connect_read_only(source)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                # A snapshot is a single file: no WAL beside it when it is moved or zipped.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        check = connect_read_only(tmp)
        try:
            result = check.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            check.close()
        if result != "ok":
            raise BackupError(f"The backup copy failed its check ({result}); the original is untouched.")
        if os.name == "posix":
            os.chmod(tmp, 0o600)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
        return target
    except sqlite3.Error as error:
        if is_damage(error):
            raise BackupError(
                f"The database is damaged ({error}), so RegenLog cannot copy it and left it "
                "untouched: run `regenlog verify`, then restore a backup with "
                "`regenlog restore FILE`."
            ) from error
        raise BackupError(f"RegenLog could not copy the database ({error}).") from error
    except OSError as error:
        from .attachments import _describe_os_error

        raise BackupError(_describe_os_error(error, "write the backup")) from error
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def timestamped_name(prefix: str) -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return f"{prefix}-{stamp}.sqlite3"
