"""Consistent copies of a live database through SQLite's online backup API (never a file copy,
which can tear a WAL database), verified before they are renamed into place."""

import contextlib
import datetime as dt
import os
import re
import sqlite3
from pathlib import Path

from ..core.errors import RegenLogError
from ..core.fileio import fsync_dir


class BackupError(RegenLogError):
    pass


# The way out of a damaged database, for every sentence that reports one.
RECOVER = (
    "run `regenlog verify` to see what is damaged, then start RegenLog to put back its newest "
    "good automatic backup, or restore a backup archive with `regenlog restore FILE`."
)


# SQLite's primary codes for a file that is not, or no longer, a readable database.
_DAMAGE_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


# What SQLite's messages about a damaged file start with. When the damage lies in the schema
# text, SQLite quotes the bad bytes and Python cannot even decode the message: it raises
# UnicodeDecodeError (not sqlite3.Error) over these bytes.
_DAMAGE_MESSAGES = (b"malformed database schema", b"database disk image is malformed",
                    b"file is not a database")
# sqlite3 refuses a stored text that is not UTF-8 with an OperationalError quoting it.
_UNDECODABLE = "Could not decode to UTF-8"


def is_damage(error: BaseException) -> bool:
    """True when SQLite found the file itself damaged (not locked, missing or read-only), or
    a stored value cannot be read."""
    if isinstance(error, UnicodeDecodeError):
        return isinstance(error.object, bytes) and error.object.startswith(_DAMAGE_MESSAGES)
    if isinstance(error, sqlite3.OperationalError) and str(error).startswith(_UNDECODABLE):
        return True
    code = getattr(error, "sqlite_errorcode", None)
    # Extended codes (SQLITE_CORRUPT_INDEX, ...) keep the primary code in the low byte.
    return isinstance(error, sqlite3.DatabaseError) and ((code or 0) & 0xFF) in _DAMAGE_CODES


def first_fault(rows: list[str]) -> str:
    """The first fault of integrity_check's or quick_check's answer, on one short line."""
    faults = [
        line.strip() for row in rows for line in str(row).splitlines()
        if line.strip() and not line.startswith("***")
    ]
    text = faults[0] if faults else "unreadable"
    return text if len(text) <= 200 else text[:200] + "…"


def damage_reason(error: BaseException) -> str:
    """What is damaged, in words that quote no stored value (a name must not reach a log)."""
    if isinstance(error, UnicodeDecodeError) or "malformed database schema" in str(error):
        return "its list of tables cannot be read"
    if isinstance(error, sqlite3.OperationalError) and str(error).startswith(_UNDECODABLE):
        column = re.match(r"Could not decode to UTF-8 column '([^']{1,64})'", str(error))
        where = f" in column {column[1]}" if column else ""
        return f"a stored text{where} is not valid UTF-8"
    text = str(error)
    return text if len(text) <= 200 else text[:200] + "…"


def connect_read_only(database: Path) -> sqlite3.Connection:
    """Open ``database`` read-only. The path goes through ``as_uri`` because a folder named
    "Dana #2" or "Claims?" would otherwise cut the URI short and open some other file."""
    return sqlite3.connect(Path(database).absolute().as_uri() + "?mode=ro", uri=True)


def snapshot(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` with the backup API; verify with quick_check and by
    reading every value as the app does (a damaged copy is no backup); rename.

    The copy is private from its first byte (created 0600, never widened), and it keeps no
    ``-journal`` beside it: a kill at any moment leaves at most ``.<name>.tmp`` and its
    journal, which start-up removes (``backups._remove_leftovers``).
    """
    from .readable import unreadable_values

    target = Path(target)
    tmp = target.with_name(f".{target.name}.tmp")
    _remove_with_companions(tmp)
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
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
            unreadable = unreadable_values(check, limit=1) if result == "ok" else []
        finally:
            check.close()
        if result != "ok" or unreadable:
            what = unreadable[0] if unreadable else first_fault([result])
            raise BackupError(
                f"The database is damaged ({what}), so RegenLog took no backup of it and left "
                f"it untouched: {RECOVER}"
            )
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
        return target
    except (sqlite3.Error, UnicodeDecodeError) as error:
        if is_damage(error):
            raise BackupError(
                f"The database is damaged ({damage_reason(error)}), so RegenLog cannot copy it "
                f"and left it untouched: {RECOVER}"
            ) from error
        raise BackupError(f"RegenLog could not copy the database ({damage_reason(error)}).") from error
    except OSError as error:
        from .attachments import _describe_os_error

        raise BackupError(_describe_os_error(error, "write the backup")) from error
    finally:
        _remove_with_companions(tmp)


def _remove_with_companions(path: Path) -> None:
    for name in (path.name, path.name + "-journal", path.name + "-wal", path.name + "-shm"):
        with contextlib.suppress(OSError):
            path.with_name(name).unlink(missing_ok=True)


def timestamped_name(prefix: str) -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return f"{prefix}-{stamp}.sqlite3"
