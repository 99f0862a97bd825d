"""Writing every record, trashed ones included, in the documented JSON format.

The output is deterministic: records sorted by id, keys in a fixed order (the table's columns,
then the owned parts, then notes and timestamps), ``indent=2``, UTF-8 without escapes. Two
exports of the same data differ only in ``exported_at``.
"""

import base64
import hashlib
import json
import os
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from ... import __version__
from .. import models as m
from ..errors import RegenLogError
from ..fileio import atomic_writer, fsync_dir, refuse_inside  # the one atomic-write helper
from ..ports import Database, HasDatabase, database_of
from ..services.records import now
from .layout import (
    DATE,
    DATETIME,
    FORMAT_NAME,
    FORMAT_VERSION,
    PARTS,
    SECTIONS,
    TRAILING,
    columns,
    date_text,
    datetime_text,
    field_kind,
)

# A multiple of 3 so base64 of consecutive chunks concatenates into base64 of the whole.
_B64_CHUNK = 3 * 256 * 1024
_COPY_CHUNK = 1024 * 1024


class ExportError(RegenLogError):
    pass


def export_records(services_or_db: Database | HasDatabase, target: Path | None = None) -> dict | None:
    """Export every record.

    With ``target``: write the JSON there atomically and each attachment, once, to the side
    folder ``<stem>.files/<sha256>`` beside it (streamed, atomic per file); returns None. A
    failed export leaves no partial side folder and removes nothing that was there before.
    Without: return the document with every attachment inline as ``content_base64``.
    """
    db = database_of(services_or_db)
    if target is None:
        return build_document(db, lambda doc: {"content_base64": _base64_of(db, doc)})
    target = Path(target)
    refuse_inside(target, getattr(getattr(db, "paths", None), "root", None))
    side = _SideFolder(_side_folder_of(target), db)
    try:
        document = build_document(db, side.add)
        side.put_in_place()  # the attachments are in place before the JSON that names them
        with atomic_writer(target, mode=0o600) as handle:
            handle.write(dumps(document).encode("utf-8"))
    except BaseException as error:
        side.undo()
        if isinstance(error, OSError):
            raise ExportError(
                f"RegenLog could not write {target}: {error.strerror or error}; nothing was "
                "exported."
            ) from error
        raise
    return None


def _side_folder_of(target: Path) -> Path:
    """The attachments folder beside ``target``, once the two names are known to be usable."""
    if not target.parent.is_dir():
        raise ExportError(f"The folder {target.parent} does not exist; nothing was exported.")
    if target.is_dir():
        raise ExportError(
            f"{target} is a folder, not a file name; give the file to write, for example "
            f"{target / 'records.json'}."
        )
    folder = target.parent / f"{target.stem}.files"
    if folder == target:
        raise ExportError(
            f"{target.name} would name both the export and its attachments folder; choose a "
            "name that does not end in .files."
        )
    if folder.exists() and not folder.is_dir():
        raise ExportError(
            f"{folder} is a file, but the export puts its attachments in a folder of that "
            "name; move the file or choose another name. Nothing was exported."
        )
    return folder


class _SideFolder:
    """Where the attachments go. A new side folder is filled under a hidden temporary name and
    renamed into place at the end; an existing one (an earlier export) is written into, and
    the files this export added are remembered, so ``undo`` removes exactly what it made."""

    def __init__(self, folder: Path, db: Database) -> None:
        self.folder, self.db = folder, db
        self.existed = folder.is_dir()
        self.staging: Path | None = None
        self.placed = False
        self.added: list[Path] = []
        self.copied: set[str] = set()

    def add(self, doc: m.Document) -> dict:
        """Copy ``doc``'s file (once per content); the document's "file" key."""
        if doc.sha256 not in self.copied:
            if self.existed:
                path = self.folder / doc.sha256
                if not path.exists():
                    self.added.append(path)
            else:
                if self.staging is None:
                    self.staging = Path(tempfile.mkdtemp(
                        prefix=f".{self.folder.name}.", suffix=".tmp", dir=self.folder.parent
                    ))
                path = self.staging / doc.sha256
            _copy_verified(self.db, doc, path)
            self.copied.add(doc.sha256)
        return {"file": f"{self.folder.name}/{doc.sha256}"}

    def put_in_place(self) -> None:
        if self.staging is not None:
            os.rename(self.staging, self.folder)  # refuses a folder made meanwhile, if not empty
            self.placed = True
            fsync_dir(self.folder.parent)

    def undo(self) -> None:
        made = self.folder if self.placed else self.staging
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)
        for path in self.added:
            path.unlink(missing_ok=True)


def dumps(document: dict) -> str:
    """The document as the format writes it: indent=2, UTF-8 text, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def build_document(db: Database, content_of) -> dict:
    """The whole export; ``content_of(document)`` gives the content keys of each document."""
    records: dict[str, list[dict]] = {}
    with db.session() as session:
        parts = _load_parts(session)
        for key, model in SECTIONS:
            rows = session.exec(select(model).order_by(col(model.id))).all()
            records[key] = [_record(key, model, row, parts, content_of) for row in rows]
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "app_version": __version__,
        "exported_at": datetime_text(now()),
        "records": records,
    }


def _record(key: str, model, row, parts: dict, content_of) -> dict[str, Any]:
    out: dict[str, Any] = {name: _value(model, name, getattr(row, name)) for name in columns(model)}
    if key == "documents":
        out.update(content_of(row))
    for part in PARTS.get(key, ()):
        out[part] = parts[(key, part)].get(row.id, [])
    for name in TRAILING:
        out[name] = _value(model, name, getattr(row, name))
    return out


def _value(model, name: str, value: Any) -> Any:
    if value is None:
        return None
    kind = field_kind(model, name)
    if kind == DATETIME:
        return datetime_text(value)
    if kind == DATE:
        return date_text(value)
    if isinstance(kind, type):  # a StrEnum: the database may hand back the member or its text
        return kind(value).value
    return value


def _load_parts(session: Session) -> dict[tuple[str, str], dict[int, list]]:
    """Every owned part, grouped by owner, in one query per table (fast on big databases)."""
    parts: dict[tuple[str, str], dict[int, list]] = defaultdict(lambda: defaultdict(list))

    def collect(key, part, model, owner, order, shape):
        for row in session.exec(select(model).order_by(col(owner), *order)):
            parts[(key, part)][getattr(row, owner.key)].append(shape(row))

    collect("treatments", "diagnoses", m.DiagnosisCode, m.DiagnosisCode.treatment_id,
            [col(m.DiagnosisCode.position)],
            lambda r: {"code": r.code, "description": r.description})
    collect("treatments", "procedure_lines", m.ProcedureLine, m.ProcedureLine.treatment_id,
            [col(m.ProcedureLine.position)],
            lambda r: {
                "code": r.code, "description": r.description, "modifiers": r.modifiers,
                "units": r.units, "charge_cents": r.charge_cents, "pointers": r.pointers,
            })
    collect("receipts", "lines", m.ReceiptLine, m.ReceiptLine.receipt_id,
            [col(m.ReceiptLine.position)],
            lambda r: {
                "kind": m.ReceiptLineKind(r.kind).value, "description": r.description,
                "amount_cents": r.amount_cents,
            })
    collect("medical_necessity_letters", "diagnoses", m.LetterDiagnosis,
            m.LetterDiagnosis.letter_id, [col(m.LetterDiagnosis.position)], lambda r: r.code)
    collect("medical_necessity_letters", "treatment_ids", m.LetterTreatment,
            m.LetterTreatment.letter_id, [col(m.LetterTreatment.treatment_id)],
            lambda r: r.treatment_id)
    collect("financing_plans", "payments", m.FinancingPayment, m.FinancingPayment.plan_id,
            [col(m.FinancingPayment.paid_on), col(m.FinancingPayment.id)],
            lambda r: {"paid_on": date_text(r.paid_on), "amount_cents": r.amount_cents})
    collect("documents", "links", m.DocumentLink, m.DocumentLink.document_id,
            [col(m.DocumentLink.record_type), col(m.DocumentLink.record_id)],
            lambda r: {"record_type": r.record_type, "record_id": r.record_id})
    return parts


def _damaged(doc: m.Document) -> ExportError:
    return ExportError(
        f'The attached file of document {doc.id} ("{doc.original_name}") no longer matches '
        "what was stored; run `regenlog verify` and restore it from a backup before exporting."
    )


def _base64_of(db: Database, doc: m.Document) -> str:
    digest, size, pieces = hashlib.sha256(), 0, []
    with db.attachments.open(doc.sha256) as handle:
        while chunk := handle.read(_B64_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            pieces.append(base64.b64encode(chunk).decode("ascii"))
    if digest.hexdigest() != doc.sha256 or size != doc.size:
        raise _damaged(doc)
    return "".join(pieces)


def _copy_verified(db: Database, doc: m.Document, target: Path) -> None:
    """Stream one attachment to ``target`` atomically, checking its hash on the way."""
    digest, size = hashlib.sha256(), 0
    with db.attachments.open(doc.sha256) as src, atomic_writer(target, mode=0o600) as dst:
        while chunk := src.read(_COPY_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
        if digest.hexdigest() != doc.sha256 or size != doc.size:
            raise _damaged(doc)  # inside the writer: the partial copy is removed


__all__ = ["ExportError", "build_document", "dumps", "export_records"]
