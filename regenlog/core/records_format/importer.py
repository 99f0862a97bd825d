"""Reading a records file into the database: all of it, or nothing.

Steps: read and parse the file; check its format and version; check it against the JSON
Schema; run the cross-checks and the field rules over every record (``prepare``: a value
entry refuses but the check flags is kept and named in the summary, never refused); check
every attachment's path, size and hash; then, in ONE transaction, add every record through
``Records.create_in`` (so imported records obey the same rules as typed ones) and count the
claims (``claims_rule``: one that counts money twice is reported in the summary, never
refused, so a patient's own export always restores). Only then, with every check passed,
does the pre-import backup run, the attachments go into the store and the transaction
commit. The first problem raises ValidationError naming its JSON path: nothing is imported,
stored or backed up.

Into an empty database every id and timestamp is kept (export -> import -> export is
byte-identical); into one that already holds records, the file's records are appended with
new ids and every reference in the file is remapped to match.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from .. import models as m
from ..errors import ValidationError
from ..fileio import CHUNK, reading
from ..ports import Database, HasDatabase, database_of
from ..record_kinds import RECORD_KINDS
from ..services.records import Records
from .claims_rule import check_claims
from .layout import FORMAT_NAME, FORMAT_VERSION, SECTIONS, foreign_keys, json_path, shown
from .prepare import SECTION_OF_TYPE, Prepared, content_source, fail, prepare
from .schema import check_document

KEEP_IDS_UP_TO = 2**53 - 1 - 2**32


@dataclass(frozen=True)
class ImportReport:
    """What an import added: records per section ("people", "treatments", ...)."""

    counts: dict[str, int]
    ids_kept: bool  # True when the database was empty and the file's ids were kept
    attachments: int  # distinct files checked (and, unless a dry run, stored)
    dry_run: bool = False
    # Claims that count money twice or that the claim form would refuse: imported all the
    # same (see claims_rule), for the patient to fix.
    warnings: tuple[str, ...] = ()
    # Values entry refuses, kept as written for the check to flag (see prepare).
    flagged: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        parts = [f"{n} {_noun(key, n)}" for key, n in self.counts.items() if n]
        listing = ", ".join(parts) if parts else "no records"
        ids = "with their ids" if self.ids_kept else "with new ids"
        if self.dry_run:
            text = f"The file is fine: importing it would add {listing} ({ids}); nothing was imported."
        else:
            text = f"Imported {listing} ({ids})."
        if self.warnings:
            which = "this claim" if len(self.warnings) == 1 else f"these {len(self.warnings)} claims"
            text += (f"\nImported as they are, but check {which} (open each to fix it):\n"
                     + "\n".join(f"- {w}" for w in self.warnings))
        if self.flagged:
            which = "this value" if len(self.flagged) == 1 else f"these {len(self.flagged)} values"
            text += (f"\nImported as written, and the check flags {which} until you correct "
                     "them (open each record to fix it):\n"
                     + "\n".join(f"- {w}" for w in self.flagged))
        return text


def import_records(
    db: Database | HasDatabase, source: Path | dict, base_dir: Path | None = None, *, dry_run: bool = False,
    before_write: Callable[[], object] | None = None,
) -> ImportReport:
    """Import a records file (a path, or an already parsed document) into ``db``.

    ``base_dir`` is the folder "file" paths are relative to (default: the file's folder).
    Raises ValidationError, naming the JSON path of the first problem; nothing is imported.
    ``dry_run`` runs every check, the writes included, then rolls back and stores no file.
    ``before_write`` runs once the whole file has passed its checks, before anything is
    stored or committed (the command line takes its pre-import backup there, not for a
    rejected file). The import's transaction is open but uncommitted then, so a backup taken
    there holds the data as it was before the import.
    """
    db = database_of(db)  # the services work too
    if isinstance(source, dict):
        document, name = source, "This document"
    else:
        source = Path(source)
        document, name = read_document(source), source.name
        base_dir = base_dir if base_dir is not None else source.parent
    check_header(document, name)
    check_document(document)
    records = {key: document["records"].get(key, []) for key, _ in SECTIONS}
    prepared = prepare(records)
    base = Path(base_dir).absolute() if base_dir is not None else None
    contents = _check_attachments(prepared, records, base)

    def store() -> None:
        if before_write is not None:
            before_write()
        # Stored just before the commit: if it fails after this, the files already stored
        # are unreferenced and harmless (content-addressed, never listed).
        _store_attachments(db, contents, records, base)

    counts, ids_kept, warnings = _write(db, prepared, None if dry_run else store)
    flagged = tuple(flag for item in prepared for flag in item.flags)
    return ImportReport(counts, ids_kept, len(contents), dry_run, tuple(warnings), flagged)


def _noun(key: str, n: int) -> str:
    model = dict(SECTIONS)[key]
    return (model.__tablename__ if n == 1 else key).replace("_", " ")


# -- reading -------------------------------------------------------------------------------
def read_document(path: Path) -> Any:
    """Parse ``path`` as JSON, or raise one clear sentence about why it cannot be read."""
    name = path.name
    with reading(path, "a records file"):
        raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            f"{name} is not a RegenLog records file: it is not UTF-8 text."
        ) from None
    if not text.strip():
        raise ValidationError(f"{name} is empty; a records file holds a JSON object.")
    try:
        document = json.loads(
            text, object_pairs_hook=_no_duplicate_keys(name), parse_int=_whole_number(name)
        )
    except RecursionError:
        # Python's parser recurses per level; a records file is about 7 levels deep.
        raise ValidationError(
            f"{name} is not a RegenLog records file: its data is nested far too deeply "
            "(a records file is about seven levels deep)."
        ) from None
    except json.JSONDecodeError as error:
        if error.pos >= len(text.rstrip()):
            raise ValidationError(
                f"{name} ends before its data is complete (line {error.lineno}); the file is "
                "cut short, perhaps by an interrupted copy or download."
            ) from None
        raise ValidationError(
            f"{name} is not valid JSON: {error.msg.lower()} at line {error.lineno}, "
            f"column {error.colno}."
        ) from None
    check_texts(document, name)
    return document


# The largest number a records file holds is 2^53 - 1: sixteen digits.
_MAX_DIGITS = 20


def _whole_number(name: str):
    def parse(text: str) -> int:
        digits = len(text.lstrip("-"))
        if digits > _MAX_DIGITS:
            raise ValidationError(
                f"{name} holds a number {digits:,} digits long; no number in a records file "
                "has more than 16 digits."
            )
        return int(text)

    return parse


def check_texts(document: Any, name: str) -> None:
    """Every text must be one SQLite can store and a path can hold: no lone surrogate (JSON's
    "\\ud800" escape makes one) and no NUL character."""
    stack: list[tuple[Any, tuple]] = [(document, ())]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            stack.extend((value, (*where, key)) for key, value in node.items())
            keys: Iterable[Any] = node.keys()
        elif isinstance(node, list):
            stack.extend((value, (*where, i)) for i, value in enumerate(node))
            keys = ()
        else:
            keys = ()
        for text in (*keys, node) if isinstance(node, (str, dict)) else ():
            if not isinstance(text, str) or (text.isascii() and "\x00" not in text):
                continue
            problem = "a NUL character" if "\x00" in text else None
            if problem is None:
                try:
                    text.encode("utf-8")
                    continue
                except UnicodeEncodeError:
                    problem = "half of a character pair (a lone surrogate)"
            safe = [p if isinstance(p, int) else p.encode("utf-8", "backslashreplace").decode()
                    .replace("\x00", "\\u0000") for p in where]
            path = json_path(*safe)
            raise ValidationError(
                f"{path}: this text holds {problem}, which no real text has; {name} is "
                "damaged or was not written by a program that writes text.", path
            )


def _no_duplicate_keys(name: str):
    def build(pairs: list[tuple[str, Any]]) -> dict:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise ValidationError(
                    f'{name} has the key "{key}" twice in one object; only one can count.'
                )
            out[key] = value
        return out

    return build


def check_header(document: Any, name: str = "This file") -> None:
    """The format name and version, checked before the schema so the sentences are clear."""
    if not isinstance(document, dict):
        what = {list: "a list", str: "a text", bool: "true or false"}.get(
            type(document), "a number" if isinstance(document, (int, float)) else "null"
        )
        raise ValidationError(
            f"{name} is not a RegenLog records file: it holds {what}, not a JSON object."
        )
    if document.get("format") != FORMAT_NAME:
        found = f"$.format is {shown(document['format'])}" if "format" in document else (
            "it has no $.format"
        )
        raise ValidationError(
            f'{name} is not a RegenLog records file: {found}, not "{FORMAT_NAME}".', "$.format"
        )
    version = document.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise ValidationError(
            f"This file was written by a newer RegenLog (format version {version}); this "
            f"RegenLog reads format version {FORMAT_VERSION}. Install the newer RegenLog to "
            "import it; nothing was imported.",
            "$.version",
        )


# -- attachments ---------------------------------------------------------------------------
def _check_attachments(
    prepared: list[Prepared], records, base: Path | None
) -> dict[str, Prepared]:
    """Check every document's content (path, size, SHA-256) without storing anything;
    return one document per distinct content, to store once the whole file has passed."""
    distinct: dict[str, Prepared] = {}
    for item in prepared:
        if item.key != "documents":
            continue
        record = records["documents"][item.index]
        sha, size = record["sha256"], record["size"]
        content = content_source(item, record, base)
        if isinstance(content, bytes):
            where = item.path + ".content_base64"
            actual_sha, actual_size = hashlib.sha256(content).hexdigest(), len(content)
        else:
            where = item.path + ".file"
            try:
                _check_content(where, sha, size, None, content.stat().st_size)  # before reading
                actual_sha, actual_size = _hash_file(content)
            except OSError as error:
                fail(where, f"RegenLog could not read the file ({error.strerror or error}).")
        _check_content(where, sha, size, actual_sha, actual_size)
        distinct.setdefault(sha, item)
    return distinct


def _store_attachments(db: Database, contents: dict[str, Prepared], records, base: Path | None) -> None:
    for sha, item in contents.items():
        record = records["documents"][item.index]
        content = content_source(item, record, base)  # decoded again: not all held in memory
        if isinstance(content, bytes):
            db.attachments.put_bytes(content)
            continue
        stored = db.attachments.put_file(content)
        # Hashed again while stored: the file may have changed since it was checked.
        _check_content(item.path + ".file", sha, record["size"], stored.sha256, stored.size)


def _hash_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _check_content(where: str, sha: str, size: int, actual_sha: str | None, actual: int) -> None:
    if actual != size:
        fail(where, f"the content is {actual:,} bytes but the record says {size:,}; the file "
                    "is not the one this record describes.")
    if actual_sha is not None and actual_sha != sha:
        fail(where, "the content's SHA-256 does not match the record's sha256; the file is "
                    "damaged or not the one this record describes.")


# -- writing -------------------------------------------------------------------------------
def _is_empty(session: Session) -> bool:
    return all(
        session.exec(select(func.count()).select_from(model)).one() == 0
        for model in (kind.model for kind in RECORD_KINDS.values())
    )


def _write(
    db: Database, prepared: list[Prepared], before_commit: Callable[[], None] | None
) -> tuple[dict[str, int], bool, list[str]]:
    """Add every record in one transaction and check it; ``before_commit`` None is a dry run."""
    records = Records(db)
    counts = {key: 0 for key, _ in SECTIONS}
    with db.session() as session:
        # The file's ids are kept in an empty database, unless they leave no room for the
        # records added after (an id past 2^53 - 1 could not be exported again).
        keep_ids = _is_empty(session) and max(
            (item.values.get("id", 0) for item in prepared), default=0
        ) <= KEEP_IDS_UP_TO
        ids: dict[str, dict[int, int]] = {key: {} for key, _ in SECTIONS}
        created: list[tuple[m.Record, Any]] = []
        claims: list[tuple[Prepared, m.Claim]] = []
        for item in prepared:
            values = dict(item.values)
            file_id = values.pop("id")
            for name, target in foreign_keys(item.model).items():
                if values.get(name) is not None:
                    values[name] = ids[target][values[name]]
            if keep_ids:
                values["id"] = file_id
            try:
                row = records.create_in(session, item.model, imported=True, **values)
            except ValidationError as error:
                fail(item.path + (f".{error.field}" if error.field else ""), str(error))
            except IntegrityError:
                fail(item.path, "this record clashes with another one, so nothing was imported.")
            ids[item.key][file_id] = row.id
            _add_parts(session, item, row.id, ids)
            created.append((row, item.deleted_at))
            if isinstance(row, m.Claim):
                claims.append((item, row))
            counts[item.key] += 1
        # Trash last: every record was created live, so create_in's reference checks passed.
        for row, deleted_at in created:
            if deleted_at is not None:
                row.deleted_at = deleted_at
                session.add(row)
        try:
            session.flush()  # every constraint checked by the database
            warnings = check_claims(session, claims)
            if before_commit is None:
                session.rollback()
            else:
                before_commit()
                session.commit()
        except IntegrityError as error:
            raise ValidationError(
                "The records in this file break a link between records, so nothing was "
                "imported."
            ) from error
    return counts, keep_ids, warnings


def _add_parts(session: Session, item: Prepared, owner: int, ids) -> None:
    parts = item.parts
    if item.key == "treatments":
        session.add_all(
            m.DiagnosisCode(treatment_id=owner, position=i, code=code, description=text)
            for i, (code, text) in enumerate(parts["diagnoses"])
        )
        session.add_all(
            m.ProcedureLine(treatment_id=owner, position=i, **line)
            for i, line in enumerate(parts["procedure_lines"])
        )
    elif item.key == "receipts":
        session.add_all(
            m.ReceiptLine(receipt_id=owner, position=i, **line)
            for i, line in enumerate(parts["lines"])
        )
    elif item.key == "medical_necessity_letters":
        session.add_all(
            m.LetterDiagnosis(letter_id=owner, position=i, code=code)
            for i, code in enumerate(parts["diagnoses"])
        )
        session.add_all(
            m.LetterTreatment(letter_id=owner, treatment_id=ids["treatments"][tid])
            for tid in parts["treatment_ids"]
        )
    elif item.key == "financing_plans":
        session.add_all(
            m.FinancingPayment(plan_id=owner, **payment) for payment in parts["payments"]
        )
    elif item.key == "documents":
        session.add_all(
            m.DocumentLink(
                document_id=owner, record_type=record_type,
                record_id=ids[SECTION_OF_TYPE[record_type]][record_id],
            )
            for record_type, record_id in parts["links"]
        )


__all__ = ["ImportReport", "check_header", "import_records", "json_path", "read_document"]
