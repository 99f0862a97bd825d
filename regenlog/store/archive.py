"""The portable backup archive: one ZIP a patient can keep on another disk or in the cloud.

Layout: ``regenlog.sqlite3`` (a snapshot through SQLite's backup API), ``attachments/<sha256>``
for every file the snapshot's documents name, and ``manifest.json`` with the SHA-256 and size
of every other member. Files are streamed in 1 MiB chunks; the archive is written to a
temporary file beside the target and renamed at the end, so an error leaves nothing behind.

Restoring checks every member name against the three shapes RegenLog writes (so no ``../``,
absolute path or drive letter can reach the disk), then extracts into a staging folder inside
the data folder while hashing, checks the database, keeps the current data as a backup, and
only then moves the files in: attachments first (extra files harm nothing), the database last,
by one rename.
"""

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..core.errors import RegenLogError
from ..core.fileio import CHUNK, format_size, fsync_dir, reading, refuse_inside
from ..core.text import plural
from . import schema
from .attachments import AttachmentStore, _describe_os_error
from .backups import (
    ARCHIVE_STAGING,
    PARTIAL_ARCHIVE,
    STAGING_PREFIX,
    backup_before,
    connect_read_only,
    referenced_hashes,
    remove_partial_archives,
)
from .paths import DataPaths
from .recovery import passes_quick_check as _passes_quick_check
from .recovery import set_aside_damaged
from .sqlite_backup import snapshot

FORMAT, VERSION = "regenlog-backup", 1
DB_MEMBER, MANIFEST = "regenlog.sqlite3", "manifest.json"
_ATTACHMENT = re.compile(r"^attachments/([0-9a-f]{64})$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_MAX_MANIFEST = 64 * 1024 * 1024
_ZIP64_FROM = 1 << 30  # members this large get ZIP64 headers before their size is known

Progress = Callable[[int, int], None]
# What zipfile raises for a damaged or foreign archive (bad CRC, cut short, odd compression).
_ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)


class ArchiveError(RegenLogError):
    pass


@dataclass
class ArchiveReport:
    path: Path
    documents: int
    attachments: int
    size: int
    missing: list[str] = field(default_factory=list)  # sha256 of files not found
    damaged: list[str] = field(default_factory=list)  # sha256 of files copied as they were

    def summary(self) -> str:
        text = (
            f"Wrote {self.path}: the database and {plural(self.attachments, 'attached file')} "
            f"({format_size(self.size)})."
        )
        if self.missing or self.damaged:
            text += (
                f" {len(self.missing)} attached files were missing and {len(self.damaged)} "
                "were already damaged; run `regenlog verify` to see which."
            )
        return text


@dataclass
class RestoreReport:
    source: Path
    created_at: str
    attachments: int
    previous_backup: Path | None  # the data as it was, in backups/
    damaged_copy: Path | None  # the unreadable database, set aside instead of backed up
    missing: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"Restored the backup {self.source.name} made {self.created_at}."
        if self.previous_backup:
            text += f" The data as it was before is kept as backups/{self.previous_backup.name}."
        if self.damaged_copy:
            text += f" The damaged database was kept as {self.damaged_copy.name}."
        if self.missing:
            text += f" {len(self.missing)} attached files were not in the backup."
        return text


def default_archive_name(now: dt.datetime | None = None) -> str:
    return f"regenlog-backup-{(now or dt.datetime.now()):%Y%m%d-%H%M%S}.zip"


# -- writing --------------------------------------------------------------------------------
def write_archive(
    paths: DataPaths,
    target: Path,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ArchiveReport:
    """Write the portable archive to ``target`` (replacing it whole, or not at all); a folder
    as ``target`` gets a dated name inside it."""
    target = Path(target).absolute()
    refuse_inside(target, paths.root)
    if target.is_dir():
        target = target / default_archive_name()
    if not paths.database.is_file():
        raise ArchiveError(f"There is nothing to back up: {paths.root} holds no RegenLog database.")
    if not target.parent.is_dir():
        raise ArchiveError(f"The folder {target.parent} does not exist; choose another place.")
    paths.check_writable()  # the snapshot is staged in backups/ (and SQLite writes -shm)
    paths.backups.mkdir(parents=True, exist_ok=True)
    remove_partial_archives(target.parent, paths)
    staging = Path(tempfile.mkdtemp(prefix=ARCHIVE_STAGING, suffix=".tmp", dir=paths.backups))
    tmp: Path | None = None
    try:
        snap = snapshot(paths.database, staging / DB_MEMBER)
        # A name that is not 64 hex digits cannot be ours; path_for must never see "../x".
        hashes = sorted(h for h in referenced_hashes(snap) if _SHA.match(h or ""))
        store = AttachmentStore(paths.attachments)
        sizes = {sha: _size_of(store.path_for(sha)) for sha in hashes}
        missing = [sha for sha, size in sizes.items() if size is None]
        total = snap.stat().st_size + sum(s for s in sizes.values() if s)
        done = [0]

        def advance(n: int) -> None:
            if cancelled and cancelled():
                raise ArchiveError("The backup was cancelled; no file was written.")
            done[0] += n
            if progress:
                progress(done[0], total)

        # A recognisable name (and 0600, as mkstemp makes it) so the next backup into this
        # folder can remove what a killed one left.
        fd, name = tempfile.mkstemp(prefix=PARTIAL_ARCHIVE, suffix=".tmp", dir=target.parent)
        tmp = Path(name)
        files: dict[str, dict] = {}
        damaged: list[str] = []
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
                files[DB_MEMBER] = _add(zf, DB_MEMBER, snap, zipfile.ZIP_DEFLATED, advance)
                for sha in hashes:
                    if sizes[sha] is None:
                        continue
                    member = f"attachments/{sha}"
                    # Scans and photos are compressed already: stored, they copy at disk speed.
                    files[member] = _add(
                        zf, member, store.path_for(sha), zipfile.ZIP_STORED, advance
                    )
                    if files[member]["sha256"] != sha:
                        damaged.append(sha)
                revision, documents = _describe(snap)
                manifest = {
                    "format": FORMAT, "version": VERSION, "app_version": __version__,
                    "created_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "schema_revision": revision, "documents": documents,
                    "files": files, "missing_attachments": missing,
                    "damaged_attachments": damaged,
                }
                zf.writestr(_info(MANIFEST, zipfile.ZIP_DEFLATED), json.dumps(manifest, indent=2))
            raw.flush()
            os.fsync(raw.fileno())
        if os.name == "posix":
            os.chmod(tmp, 0o600)
        os.replace(tmp, target)
        tmp = None
        fsync_dir(target.parent)
        return ArchiveReport(
            target, documents, len(files) - 1, target.stat().st_size, missing, damaged
        )
    except OSError as error:
        raise ArchiveError(_describe_os_error(error, "write the backup archive")) from error
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        shutil.rmtree(staging, ignore_errors=True)


def _add(zf: zipfile.ZipFile, member: str, source: Path, method: int, advance) -> dict:
    digest = hashlib.sha256()
    size = 0
    big = source.stat().st_size >= _ZIP64_FROM
    with open(source, "rb") as src, zf.open(_info(member, method), "w", force_zip64=big) as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
            advance(len(chunk))
    return {"sha256": digest.hexdigest(), "size": size}


def _info(member: str, method: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(member, date_time=dt.datetime.now().timetuple()[:6])
    info.compress_type = method
    info.external_attr = 0o600 << 16
    return info


# -- restoring ------------------------------------------------------------------------------
def restore_archive(
    paths: DataPaths, archive: Path, *, progress: Progress | None = None
) -> RestoreReport:
    """Check ``archive`` as untrusted input, keep the current data as a backup, restore it.

    A backup can have been changed by anyone who had the file, so it is checked like a
    records file: every member name and size against the manifest, the room on the disk,
    the database's schema against the one its revision creates (no trigger, view, table or
    index more or less), every value as the app reads it and as an import validates it, and
    every attachment against its hash. Only files the database refers to are unpacked.

    The caller holds the writer lock and has closed its ``Database``; on any error the data
    folder is as it was (apart from attachment files nobody refers to).
    """
    archive = Path(archive)
    _refuse_non_file(archive)
    staging: Path | None = None
    try:
        with _open_zip(archive) as zf:
            manifest = read_manifest(zf, archive.name)
            paths.ensure()
            _check_room(paths, manifest, archive.name)
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=paths.root))
            (staging / "attachments").mkdir()
            _check_database_header(zf, manifest, archive.name)
            files = manifest["files"]
            total = sum(f["size"] for f in files.values())
            done = _extract(zf, manifest, [DB_MEMBER], staging, archive.name, progress, 0, total)
            check_backup_database(staging / DB_MEMBER, archive.name)
            wanted = referenced_hashes(staging / DB_MEMBER)
            extra = sorted(m for m in files if _ATTACHMENT.match(m) and m[12:] not in wanted)
            if extra:
                raise ArchiveError(
                    f"The backup {archive.name} holds files its database does not name, which "
                    "RegenLog never writes, so it was changed; RegenLog restored nothing."
                )
            members = sorted(m for m in files if m != DB_MEMBER)
            _extract(zf, manifest, members, staging, archive.name, progress, done, total)
        previous, damaged_copy = _keep_current(paths)
        placed = _install(paths, staging, manifest)
        store = AttachmentStore(paths.attachments)
        missing = sorted(
            sha for sha in referenced_hashes(paths.database) if not store.exists(sha)
        )
        return RestoreReport(
            archive, str(manifest.get("created_at", "at an unknown time")), placed, previous,
            damaged_copy, missing,
        )
    except _ZIP_DAMAGE as error:
        raise ArchiveError(
            f"{archive.name} is damaged ({error}); RegenLog restored nothing."
        ) from error
    except OSError as error:
        raise ArchiveError(_describe_os_error(error, "restore the backup")) from error
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _refuse_non_file(archive: Path) -> None:
    """Only a regular file is read: /dev/zero never ends and a FIFO waits for a writer,
    either of them while the data folder is locked."""
    try:
        info = archive.stat()
    except FileNotFoundError:
        raise ArchiveError(f"The file {archive} does not exist.") from None
    except OSError as error:
        raise ArchiveError(_describe_os_error(error, "read the backup")) from error
    if stat.S_ISDIR(info.st_mode):
        raise ArchiveError(f"{archive} is a folder, not a backup archive.")
    if not stat.S_ISREG(info.st_mode):
        raise ArchiveError(
            f"{archive} is not a file (a device or a pipe), so it cannot be a backup archive; "
            "RegenLog restored nothing."
        )


def _check_room(paths: DataPaths, manifest: dict, name: str) -> None:
    """Everything unpacked, plus the copy of today's data kept before it, must fit."""
    unpacked = sum(f["size"] for f in manifest["files"].values())
    current = paths.database.stat().st_size if paths.database.exists() else 0
    needed = unpacked + current + (64 << 20)  # and room for SQLite's journal and the log
    free = shutil.disk_usage(paths.root).free
    if needed > free:
        raise ArchiveError(
            f"The backup {name} needs {format_size(needed)} free on the disk of the data "
            f"folder, which has {format_size(free)}; free some space first. RegenLog restored "
            "nothing."
        )


def _check_database_header(zf: zipfile.ZipFile, manifest: dict, name: str) -> None:
    """SQLite's header says how big the file is: a database member whose size disagrees (a
    ZIP bomb of zeros, say) is refused before a byte of it is written."""
    with zf.open(DB_MEMBER) as member:
        header = member.read(100)
    size = manifest["files"][DB_MEMBER]["size"]
    page_size = int.from_bytes(header[16:18], "big") if len(header) == 100 else 0
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big") if len(header) == 100 else 0
    if not header.startswith(b"SQLite format 3\x00") or page_size * pages != size:
        raise ArchiveError(
            f"The database inside {name} is damaged or not RegenLog's; RegenLog restored nothing."
        )


def check_backup_database(database: Path, name: str) -> str:
    """Refuse a database that is not exactly what RegenLog writes; returns its revision.

    Its schema must equal the one an empty database migrated to its revision has, every value
    must read as the app reads it, and the records must pass the checks of a records-file
    import (after migrating a scratch copy, so the checks are today's).
    """
    from .database import schema_objects, schema_of_revision
    from .readable import soundness_problem

    refused = "RegenLog restored nothing."
    problem = soundness_problem(database)
    revision = None
    if problem is None:
        try:
            conn = connect_read_only(database)
            try:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
                actual = schema_objects(conn)
            finally:
                conn.close()
        except (sqlite3.Error, UnicodeDecodeError):
            revision = None
    if problem is not None or revision is None:
        raise ArchiveError(
            f"The database inside {name} is damaged or not RegenLog's; {refused}"
        )
    if revision not in schema.REVISIONS:
        raise ArchiveError(
            f"{name} was made by a newer version of RegenLog; install that version to restore it."
        )
    expected = schema_of_revision(revision)
    if actual != expected:
        extra = sorted(actual - expected)
        kind, what = (extra[0][0], extra[0][1]) if extra else ("table", "(missing)")
        change = (f"has a {kind} “{what[:60]}” that RegenLog never creates" if extra
                  else "lacks part of the layout RegenLog creates")
        raise ArchiveError(
            f"The database inside {name} {change}, so the backup was changed after it was "
            f"made; {refused}"
        )
    _check_records(database, name)
    return revision


def _check_records(database: Path, name: str) -> None:
    """The same validation as a records-file import, on a scratch copy at today's schema."""
    from ..core.errors import ValidationError
    from ..core.records_format import build_document, check_document, check_header
    from ..core.records_format.layout import SECTIONS
    from ..core.records_format.prepare import prepare
    from .database import open_database

    with tempfile.TemporaryDirectory(prefix="regenlog-restore-check-") as scratch:
        scratch_paths = DataPaths(Path(scratch) / "data").ensure()
        shutil.copyfile(database, scratch_paths.database)
        db = open_database(scratch_paths)
        try:
            # The content is the archive's own attachment (checked by its hash), never read here.
            document = build_document(db, lambda doc: {"file": f"attachments/{doc.sha256}"})
            check_header(document, name)
            check_document(document)
            prepare({key: document["records"].get(key, []) for key, _ in SECTIONS})
        except ValidationError as error:
            raise ArchiveError(
                f"The database inside {name} holds a value RegenLog would not accept "
                f"({error}), so the backup was changed or damaged; RegenLog restored nothing."
            ) from error
        finally:
            db.close()


def _open_zip(archive: Path) -> zipfile.ZipFile:
    try:
        with reading(archive, "a backup archive", ArchiveError):
            return zipfile.ZipFile(archive)
    except _ZIP_DAMAGE as error:
        raise ArchiveError(
            f"{archive.name} is not a RegenLog backup or it is damaged ({error}); "
            "RegenLog restored nothing."
        ) from error


def read_manifest(zf: zipfile.ZipFile, name: str) -> dict:
    """Check every member name and the manifest, before a single byte is extracted."""
    seen = set()
    for info in zf.infolist():
        for text in {info.filename, info.orig_filename}:
            if _escapes(text):
                raise ArchiveError(
                    f"The backup {name} contains a file path that leads outside its folder "
                    f"({text!r}); RegenLog restored nothing."
                )
        if info.filename in seen:
            raise ArchiveError(
                f"The backup {name} lists {info.filename} twice; RegenLog restored nothing."
            )
        seen.add(info.filename)
    if MANIFEST not in seen or DB_MEMBER not in seen:
        raise ArchiveError(f"{name} is not a RegenLog backup archive; RegenLog restored nothing.")
    for member in sorted(seen):
        if member not in (MANIFEST, DB_MEMBER) and not _ATTACHMENT.match(member):
            raise ArchiveError(
                f"The backup {name} contains {member!r}, which RegenLog never writes; it "
                "restored nothing."
            )
    if zf.getinfo(MANIFEST).file_size > _MAX_MANIFEST:
        raise ArchiveError(f"The manifest of {name} is implausibly large; RegenLog restored nothing.")
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise ArchiveError(f"The manifest of {name} is unreadable; RegenLog restored nothing.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"{name} is not a RegenLog backup archive; RegenLog restored nothing.")
    if not isinstance(manifest.get("version"), int) or manifest["version"] > VERSION:
        raise ArchiveError(
            f"{name} was made by a newer version of RegenLog; install that version to restore it."
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or set(files) != seen - {MANIFEST} or not all(
        isinstance(v, dict) and isinstance(v.get("size"), int) and _SHA.match(str(v.get("sha256")))
        for v in files.values()
    ):
        raise ArchiveError(
            f"The manifest of {name} does not match the files in it; RegenLog restored nothing."
        )
    for member, expected in files.items():
        # The size the ZIP promises bounds what is unpacked; it must be the manifest's.
        if zf.getinfo(member).file_size != expected["size"] or expected["size"] < 0:
            raise ArchiveError(
                f"The manifest of {name} does not match the files in it; RegenLog restored "
                "nothing."
            )
    return manifest


def _escapes(member: str) -> bool:
    """Absolute, drive-lettered, backslashed or dotted paths: none of them is ours."""
    if not member or "\x00" in member or "\\" in member:
        return True
    if member.startswith("/") or re.match(r"^[A-Za-z]:", member):
        return True
    return any(part in ("", ".", "..") for part in member.split("/"))


def _extract(zf, manifest: dict, members: list[str], staging: Path, name: str,
             progress: Progress | None, done: int, total: int) -> int:
    """Unpack ``members`` while hashing; returns the bytes done so far."""
    files = manifest["files"]
    damaged = set(manifest.get("damaged_attachments") or ())
    for member in members:
        expected = files[member]
        target = staging / member  # safe: member matched one of the fixed shapes
        digest, size = hashlib.sha256(), 0
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with zf.open(member) as src, os.fdopen(fd, "wb") as dst:
                while chunk := src.read(CHUNK):
                    size += len(chunk)
                    if size > expected["size"]:  # never unpack more than the manifest promised
                        break
                    digest.update(chunk)
                    dst.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
                dst.flush()
                os.fsync(dst.fileno())
        except _ZIP_DAMAGE as error:
            raise ArchiveError(
                f"{member} in {name} is damaged ({error}); RegenLog restored nothing."
            ) from error
        sha = digest.hexdigest()
        attachment = _ATTACHMENT.match(member)
        if size != expected["size"] or sha != expected["sha256"] or (
            attachment and attachment[1] != sha and attachment[1] not in damaged
        ):
            raise ArchiveError(
                f"{member} in {name} does not match its recorded checksum, so the backup was "
                "changed or damaged; RegenLog restored nothing."
            )
    return done


def _keep_current(paths: DataPaths) -> tuple[Path | None, Path | None]:
    """Back up the current database, or set it aside if it is too damaged to copy."""
    if not paths.database.exists():
        return None, None
    if not _passes_quick_check(paths.database):  # structure or values: no backup of damage
        return None, set_aside_damaged(paths)
    previous = backup_before(paths, "restore")
    _leave_wal_mode(paths.database)
    return previous, None


def _leave_wal_mode(database: Path) -> None:
    """Fold the -wal into the file and drop it: a stale -wal beside the restored database
    would be replayed into it."""
    try:
        conn = sqlite3.connect(database, timeout=2)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
    except sqlite3.OperationalError as error:
        raise ArchiveError(
            "Another program is still using the database, so nothing was restored; close "
            f"RegenLog everywhere and try again ({error})."
        ) from error
    for suffix in ("-wal", "-shm"):
        side = database.with_name(database.name + suffix)
        if side.exists():
            raise ArchiveError(
                "Another program is still using the database, so nothing was restored; close "
                "RegenLog everywhere and try again."
            )


def _install(paths: DataPaths, staging: Path, manifest: dict) -> int:
    store = AttachmentStore(paths.attachments)
    damaged = set(manifest.get("damaged_attachments") or ())
    placed, folders = 0, set()
    for staged in sorted((staging / "attachments").iterdir()):
        sha = staged.name
        final = store.path_for(sha)
        if final.is_file() and (sha in damaged or store.verify(sha)):
            continue  # already here and intact (or the archive's copy is no better)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, final)
        folders.add(final.parent)
        placed += 1
    for folder in folders:
        fsync_dir(folder)
    os.replace(staging / DB_MEMBER, paths.database)
    fsync_dir(paths.root)
    return placed


def _describe(database: Path) -> tuple[str | None, int]:
    """The schema revision and the number of documents of a snapshot."""
    conn = connect_read_only(database)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return (row[0] if row else None), conn.execute("SELECT count(*) FROM document").fetchone()[0]
    finally:
        conn.close()


def _size_of(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return None
