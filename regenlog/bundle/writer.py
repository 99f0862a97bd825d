"""Writing the bundle ZIP: streamed, atomic, cancellable, optionally AES-256 encrypted.

Documents are copied from the attachment store in 1 MiB chunks, hashed on the way (SHA-256
checked against the store's name, SHA-1 for FHIR), and *stored*: they are PDFs and JPEGs
that are compressed already, and deflating them costs far more time than it saves bytes
(``benchmarks/bundle_speed.py`` measures both). The small text files are deflated, except
in an encrypted bundle, where everything is stored (see ``_method``).

Everything goes to a temporary file beside the target, which is renamed over the target
only once complete and synced; a cancel, a full disk or any error removes it, so no
half-written bundle is ever left behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core import models as m
from ..core.errors import RegenLogError, ValidationError
from ..core.fileio import CHUNK, fsync_dir, refuse_inside
from ..core.ports import Database
from ..core.services import Services
from ..core.vocabulary import check_destination
from .enclosures import Enclosure, plan_enclosures
from .manifest import FileEntry, index_csv, manifest_json
from .select import BundleSelection, gather

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

INDEX = "index.csv"
MANIFEST = "manifest.json"
FHIR = "fhir/bundle.json"


class BundleError(RegenLogError):
    """The bundle could not be written; nothing was left at the target."""


class BundleCancelled(BundleError):  # noqa: N818 (a choice, not an error)
    """The user cancelled; nothing was left at the target."""


@dataclass
class BundleReport:
    target: Path
    files: list[str]  # every path in the ZIP, in order
    documents: int  # attached documents enclosed
    total_bytes: int  # size of the ZIP file
    encrypted: bool
    gaps: list = field(default_factory=list)  # checklist Gaps at export time


def preflight(db: Database, selection: BundleSelection, destination: str, today: dt.date) -> list:
    """The gaps that remain for this destination and these treatments (the checklist's).
    Raises ValidationError, as the export would, for a bundle that must not be made."""
    from ..core.checklist import run_check

    destination = check_destination(destination)
    ids = gather(Services(db), selection, destination).treatment_ids
    return list(run_check(db, today=today, destination=destination, treatment_ids=ids).gaps)


def export_bundle(
    db: Database,
    selection: BundleSelection,
    destination: str,
    target: Path,
    *,
    password: str | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> BundleReport:
    """Write the bundle ZIP to ``target`` (replacing it only once the new one is complete).

    ``progress(done_bytes, total_bytes)`` and ``cancelled()`` are called from the thread
    that runs the export, between 1 MiB chunks: a GUI runs this in a worker thread (once a
    Qt application exists, see ``pdf.ensure_qt_app``) and forwards progress by a signal.
    Raises ValidationError for bad input, BundleCancelled, or BundleError (disk full, a
    damaged attachment); in every case nothing is left at ``target`` or beside it.
    """
    target = Path(target)
    if password is not None and password == "":
        raise ValidationError("The password is empty; give one, or export without encryption.")
    if password is not None:
        from .password import password_problem

        problem = password_problem(password, known_words(db))
        if problem:
            raise ValidationError(problem)
    refuse_inside(target, db.paths.root)
    if not target.parent.is_dir():
        raise ValidationError(f"The folder {target.parent} does not exist.")
    if target.is_dir():
        raise ValidationError(f"{target} is a folder; give a file name ending in .zip.")
    today = today or dt.date.today()
    services = Services(db)
    records = gather(services, selection, destination)
    gaps = preflight(db, selection, destination, today)
    enclosures = plan_enclosures(services, records, neutral_names=password is not None)
    _check_attachments(db, enclosures)
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)

    from .cover_letter import cover_letter_html
    from .pdf import render_pdf
    from .statement import statement_html

    footer = f"{records.person.name} · prepared {today.isoformat()}"
    generated = {
        enclosures[0].path: render_pdf(
            cover_letter_html(records, enclosures, today), title="Cover letter",
            footer=f"{footer} · cover letter"),
        enclosures[1].path: render_pdf(
            statement_html(records, enclosures, today), title="Itemized statement",
            footer=f"{footer} · itemized statement"),
    }
    job = _Job(progress, cancelled, sum(len(b) for b in generated.values())
               + sum(e.document.size for e in enclosures if e.document))
    job.check()

    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as error:
        raise BundleError(_describe(error)) from error
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w+b") as handle:
            digests = _write_zip(handle, db, records, selection, enclosures, generated,
                                 password, created, job)
            handle.flush()
            os.fsync(handle.fileno())
        if os.name == "posix":
            os.chmod(tmp, 0o600)  # medical records: readable by the patient only
        os.replace(tmp, target)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise BundleError(_describe(error)) from error
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # the bundle is in place; this only hurries the disk
        fsync_dir(target.parent)
    return BundleReport(
        target=target, files=list(digests), documents=sum(1 for e in enclosures if e.document),
        total_bytes=target.stat().st_size, encrypted=password is not None, gaps=gaps,
    )


def known_words(db: Database) -> tuple[str, ...]:
    """What an attacker of the household's bundle may know: names and birth dates."""
    people = Services(db).records.list(m.Person)
    return tuple(w for p in people for w in (
        *p.name.split(), p.date_of_birth.isoformat() if p.date_of_birth else "",
        p.date_of_birth.strftime("%m%d%Y") if p.date_of_birth else "",
    ) if w)


class _Job:
    """Progress and cancellation, checked between chunks."""

    def __init__(self, progress: Progress | None, cancelled: Cancelled | None, total: int):
        self.progress, self.cancelled, self.total, self.done = progress, cancelled, total, 0

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise BundleCancelled("The export was cancelled; no bundle was written.")

    def advance(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)


def _check_attachments(db: Database, enclosures: list[Enclosure]) -> None:
    """Every document file is there with its size, before anything is written."""
    for e in enclosures:
        doc = e.document
        if doc is None:
            continue
        path = db.attachments.path_for(doc.sha256)
        if not path.is_file() or path.stat().st_size != doc.size:
            raise BundleError(
                f'The attached file of document {doc.id} ("{doc.original_name}") is missing or '
                "damaged in the data folder; run `regenlog verify` and restore it from a backup."
            )


def _method(path: str, encrypted: bool) -> int:
    # Documents and PDFs are stored (compressed already). Text is deflated, except when
    # encrypting: one report (pyzipper issue 18, macOS 10.15) had Archive Utility open
    # stored AES entries but refuse deflated ones, and these files are small anyway.
    if encrypted or not path.endswith((".csv", ".json")):
        return zipfile.ZIP_STORED
    return zipfile.ZIP_DEFLATED


def _open_zip(handle, password: str | None):
    if password is None:
        return zipfile.ZipFile(handle, "w", allowZip64=True)
    import pyzipper

    archive = pyzipper.AESZipFile(handle, "w", allowZip64=True, encryption=pyzipper.WZ_AES)
    archive.setencryption(pyzipper.WZ_AES, nbits=256)
    archive.setpassword(password.encode("utf-8"))
    return archive


def _entry(archive, path: str, size: int, created: dt.datetime, encrypted: bool):
    # pyzipper has its own ZipInfo class; the standard library's has none to name.
    info_class = getattr(archive, "zipinfo_cls", zipfile.ZipInfo)
    info = info_class(path, date_time=created.timetuple()[:6])
    info.compress_type = _method(path, encrypted)
    info.file_size = size  # lets zipfile choose ZIP64 up front for files over 4 GiB
    info.external_attr = 0o600 << 16
    return archive.open(info, "w")


def _write_zip(handle, db: Database, records, selection, enclosures, generated, password, created, job):
    encrypted = password is not None
    digests: dict[str, tuple[int, str, str]] = {}
    with _open_zip(handle, password) as archive:

        def put_bytes(path: str, data: bytes, *, weighed: bool) -> None:
            job.check()
            with _entry(archive, path, len(data), created, encrypted) as out:
                out.write(data)
            digests[path] = (len(data), hashlib.sha256(data).hexdigest(),
                             hashlib.sha1(data).hexdigest())
            if weighed:
                job.advance(len(data))

        for e in enclosures:
            if e.document is None:
                put_bytes(e.path, generated[e.path], weighed=True)
            else:
                digests[e.path] = _copy_document(archive, db, e, e.document, created,
                                                 encrypted, job)

        hashes = {path: d[1] for path, d in digests.items()}
        put_bytes(INDEX, index_csv(enclosures, hashes), weighed=False)
        from .fhir import fhir_bundle_json

        put_bytes(FHIR, fhir_bundle_json(records, enclosures, digests, created), weighed=False)
        files = [FileEntry(p, d[0], d[1]) for p, d in digests.items()]
        put_bytes(MANIFEST, manifest_json(records, selection, enclosures, files, created),
                  weighed=False)
    job.advance(0)
    return digests


def _copy_document(
    archive, db: Database, e: Enclosure, doc: m.Document, created, encrypted, job
) -> tuple[int, str, str]:
    sha256, sha1, size = hashlib.sha256(), hashlib.sha1(), 0
    with db.attachments.open(doc.sha256) as src, _entry(
        archive, e.path, doc.size, created, encrypted
    ) as out:
        while True:
            job.check()
            chunk = src.read(CHUNK)
            if not chunk:
                break
            sha256.update(chunk)
            sha1.update(chunk)
            out.write(chunk)
            size += len(chunk)
            job.advance(len(chunk))
    if sha256.hexdigest() != doc.sha256 or size != doc.size:
        raise BundleError(
            f'The attached file of document {doc.id} ("{doc.original_name}") no longer matches '
            "what was stored; run `regenlog verify` and restore it from a backup."
        )
    return size, sha256.hexdigest(), sha1.hexdigest()


def _describe(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "The disk is full, so the bundle could not be written; nothing was left behind."
    if error.errno in (errno.EACCES, errno.EPERM):
        return ("RegenLog is not allowed to write there; choose another folder "
                "(nothing was left behind).")
    detail = error.strerror or str(error)
    return f"The bundle could not be written ({detail}); nothing was left behind."

