"""``regenlog verify``: is every record readable and every attached file what was attached?

It runs SQLite's ``integrity_check``, reads every stored value as the app reads it
(``readable``: a flipped bit in a name is damage integrity_check cannot see), runs
``foreign_key_check``, follows every document link,
and re-hashes every attached file against the SHA-256 its name promises. Each finding is one
sentence a patient can act on. Nothing is changed: the database is opened read-only.
"""

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import RegenLogError
from ..core.fileio import CHUNK
from ..core.record_kinds import RECORD_KINDS
from ..core.text import plural
from .attachments import AttachmentStore
from .backups import connect_read_only
from .paths import DataPaths, on_read_only_disk
from .permissions import check_permissions
from .readable import unreadable_values
from .sqlite_backup import damage_reason, first_fault, is_damage

# SQLite could not get at the file (locked, no permission, no -shm beside it): not damage.
_CANNOT_OPEN = {
    sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_BUSY,
    sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_AUTH,
}
MAX_LISTED = 20  # per kind of finding; the rest is counted, not listed
_RESTORE = "restore a backup with `regenlog restore FILE`"
# For a damaged database the app's own backups are the nearest way back.
_RECOVER = (
    "start RegenLog to put back its newest good automatic backup, or restore a backup "
    "archive with `regenlog restore FILE`"
)


class VerifyError(RegenLogError):
    pass


@dataclass
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    records: int = 0
    documents: int = 0
    files_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        checked = (
            f"Checked the database ({self.records} records) and "
            f"{plural(self.files_checked, 'attached file')}"
        )
        if self.ok:
            return f"{checked}: everything is in order."
        n = len(self.problems)
        return f"{checked}: found {plural(n, 'problem')}."


def verify_data_folder(
    paths: DataPaths, *, progress: Callable[[int, int], None] | None = None
) -> VerifyReport:
    """Check the data folder without changing it; raises VerifyError if there is none."""
    if not paths.database.is_file():
        raise VerifyError(f"There is no RegenLog database in {paths.root} to verify.")
    report = VerifyReport()
    try:
        conn = _connect(paths)
    except sqlite3.Error as error:
        raise VerifyError(f"RegenLog cannot open {paths.database} ({error}).") from error
    try:
        if not _check_integrity(conn, report, paths):
            return report
        _check_schema(conn, report)
        unreadable = unreadable_values(conn)
        if unreadable:
            # A value the app cannot read: the record will not open, and no backup is taken
            # of the file; the backups from before the damage are what to go back to.
            report.problems += [
                f"The database is damaged: {where}, which RegenLog cannot read; {_RECOVER}."
                for where in unreadable
            ]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        report.records = sum(
            conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in RECORD_KINDS if t in tables
        )
        _check_references(conn, report)
        if "document_link" in tables:
            _check_links(conn, tables, report)
        if "document" in tables:
            documents = conn.execute(
                "SELECT id, sha256, original_name, deleted_at FROM document ORDER BY id"
            ).fetchall()
            report.documents = len(documents)
            _check_files(paths, documents, report, progress)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
        if isinstance(error, UnicodeDecodeError) and not is_damage(error):
            raise
        report.problems.append(
            f"The database could not be read to the end ({damage_reason(error)}); it is "
            f"damaged: {_RECOVER}."
        )
    finally:
        conn.close()
    report.problems += check_permissions(paths, deep=True)
    return report


def _connect(paths: DataPaths) -> sqlite3.Connection:
    """Read-only; on a read-only disk SQLite cannot create the -shm file a WAL database needs
    even for reading, and since nothing can change the file there it may read it immutable."""
    wal = paths.database.with_name(paths.database.name + "-wal")
    if on_read_only_disk(paths.root) and not (wal.exists() and wal.stat().st_size):
        return sqlite3.connect(paths.database.absolute().as_uri() + "?immutable=1", uri=True)
    return connect_read_only(paths.database)


def _check_integrity(conn: sqlite3.Connection, report: VerifyReport, paths: DataPaths) -> bool:
    """False when the file is too damaged to go on; VerifyError when it could not be read."""
    rows = None
    # integrity_check gives up with an exception on some damage quick_check can still
    # describe; only when both fail is the file beyond reading.
    for pragma in ("integrity_check", "quick_check"):
        try:
            rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}")]
            break
        except sqlite3.DatabaseError as error:
            if (getattr(error, "sqlite_errorcode", 0) & 0xFF) in _CANNOT_OPEN:
                raise VerifyError(
                    f"RegenLog could not read {paths.database} to check it ({error}), which "
                    f"does not mean it is damaged: SQLite must be able to write in {paths.root} "
                    "to read it, so check that the folder is yours and writable."
                ) from error
            continue
        except UnicodeDecodeError as error:  # the schema text itself is damaged
            if not is_damage(error):
                raise
            break
    if rows is None:
        report.problems.append(
            f"The database file is damaged or is not a database at all; {_RECOVER}."
        )
        return False
    if rows != ["ok"]:
        n = sum(1 for row in rows for line in row.splitlines()
                if line.strip() and not line.startswith("***"))
        report.problems.append(
            f"The database file is damaged: SQLite found {plural(n, 'fault')} in "
            f"its structure (the first: {first_fault(rows)}). Add nothing more "
            f"and {_RECOVER}."
        )
        return False
    return True


def _check_schema(conn: sqlite3.Connection, report: VerifyReport) -> None:
    """The tables, indexes, triggers and views must be exactly those the migrations create:
    a trigger slipped in by a changed backup would rewrite records behind the app's back."""
    from . import schema
    from .database import schema_objects, schema_of_revision

    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables:
        return
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if row is None or row[0] not in schema.REVISIONS:
        return
    actual, expected = schema_objects(conn), schema_of_revision(row[0])
    for kind, name, _table, _sql in sorted(actual - expected)[:MAX_LISTED]:
        report.problems.append(
            f"The database has a {kind} “{name[:60]}” that RegenLog never creates, so it was "
            f"changed outside RegenLog; {_RECOVER}."
        )
    missing = {(k, n) for k, n, _t, _s in expected - actual} - {(k, n) for k, n, _t, _s in actual}
    for kind, name in sorted(missing)[:MAX_LISTED]:
        report.problems.append(
            f"The database lacks the {kind} “{name[:60]}” RegenLog creates; {_RECOVER}."
        )


def _check_references(conn: sqlite3.Connection, report: VerifyReport) -> None:
    rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    lines = [
        f"{_label(table).capitalize()} {rowid} refers to a {_label(parent)} that does not exist."
        for table, rowid, parent, _fk in rows
    ]
    _add_capped(report, lines, "more records refer to records that do not exist.")


def _check_links(conn: sqlite3.Connection, tables: set[str], report: VerifyReport) -> None:
    lines = []
    for document_id, record_type, record_id in conn.execute(
        "SELECT document_id, record_type, record_id FROM document_link ORDER BY id"
    ):
        if record_type not in RECORD_KINDS or record_type not in tables:
            lines.append(
                f"Document {document_id} is attached to an unknown kind of record "
                f"({record_type!r})."
            )
            continue
        exists = conn.execute(
            f'SELECT 1 FROM "{record_type}" WHERE id = ?', (record_id,)
        ).fetchone()
        if exists is None:
            lines.append(
                f"Document {document_id} is attached to {_label(record_type)} {record_id}, "
                "which does not exist."
            )
    _add_capped(report, lines, "more document links point at records that do not exist.")


def _check_files(paths: DataPaths, documents, report: VerifyReport, progress) -> None:
    store = AttachmentStore(paths.attachments)
    verdicts: dict[str, str] = {}  # sha -> "ok" | "missing" | "damaged", each file read once
    total = sum(_size(store, sha) for sha in {d[1] for d in documents})
    done = 0
    lines = []
    for document_id, sha, name, deleted_at in documents:
        if sha not in verdicts:
            verdicts[sha], read = _verdict(store, sha)
            report.files_checked += verdicts[sha] != "missing"
            done += read
            if progress:
                progress(done, total)
        where = " (in the trash)" if deleted_at else ""
        if verdicts[sha] == "missing":
            lines.append(
                f"The file of document {document_id} “{name}”{where} is missing from the data "
                f"folder; {_RESTORE}, or attach the file again."
            )
        elif verdicts[sha] == "damaged":
            lines.append(
                f"The file of document {document_id} “{name}”{where} is damaged: its contents "
                f"are no longer what was attached; {_RESTORE}, or attach the file again."
            )
    _add_capped(report, lines, "more attached files are missing or damaged.")


def _verdict(store: AttachmentStore, sha: str) -> tuple[str, int]:
    if len(sha) != 64 or not all(c in "0123456789abcdef" for c in sha):
        return "missing", 0
    path: Path = store.path_for(sha)
    digest, read = hashlib.sha256(), 0
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                read += len(chunk)
    except FileNotFoundError:
        return "missing", 0
    except OSError:
        return "damaged", read  # unreadable sectors are damage too
    return ("ok" if digest.hexdigest() == sha else "damaged"), read


def _size(store: AttachmentStore, sha: str) -> int:
    try:
        return store.path_for(sha).stat().st_size
    except (OSError, ValueError, RegenLogError):
        return 0


def _add_capped(report: VerifyReport, lines: list[str], rest: str) -> None:
    report.problems += lines[:MAX_LISTED]
    if len(lines) > MAX_LISTED:
        report.problems.append(f"{len(lines) - MAX_LISTED} {rest}")


def _label(table: str) -> str:
    return table.replace("_", " ")
