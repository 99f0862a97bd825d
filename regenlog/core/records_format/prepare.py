"""The checks a schema cannot express, run over the whole file before anything is stored.

Ids are unique within each list, every reference resolves to a record in the same file, a
live record never points at one in the trash, documents link to records that exist, and each
record passes the same field rules (``validation.validate``) as one typed into the app.

A value that entry refuses but the check flags (a malformed diagnosis or procedure code,
modifier or pointer; an NPI, tax ID or place of service the superbill cannot use) is kept as
written and named in ``Prepared.flags``: a patient's own export, an older version's or a
hand-edited one, must always restore, and the check then asks for the fix. Only a broken
format refuses the file. The result is a list of ready-to-write records whose references
still use the file's ids; the importer maps them to database ids as it writes.
"""

import mimetypes
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, NoReturn

from .. import codes
from .. import models as m
from ..enums import ReceiptLineKind
from ..errors import ValidationError
from ..services.details import MAX_DIAGNOSES
from ..text import clipped
from ..validation import validate
from .layout import (
    DATE,
    DATETIME,
    PARTS,
    SECTIONS,
    TRAILING,
    field_kind,
    foreign_keys,
    json_path,
    parse_date,
    parse_datetime,
)

TIMESTAMPS = ("created_at", "updated_at", "deleted_at")
SECTION_OF_TYPE = {model.__tablename__: key for key, model in SECTIONS}


@dataclass
class Prepared:
    """One record, checked: column values (references still in file ids) and its parts."""

    key: str
    index: int
    model: type[m.Record]
    file_id: int
    values: dict[str, Any]
    deleted_at: Any = None
    parts: dict[str, list] = field(default_factory=dict)
    # Values kept as written that the check flags: "<JSON path>: <sentence> (<rule>)".
    flags: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return json_path("records", self.key, self.index)


def fail(path: str, sentence: str, field_name: str | None = None) -> NoReturn:
    raise ValidationError(f"{path}: {sentence}", field_name or path)


# A code, modifier list or pointer list longer than this is no mistyped code but damaged
# data: it is refused like any broken format.
LONGEST_KEPT_CODE = 24


def kept(flags: list[str], path: str, error: ValidationError, rule: str) -> None:
    """Note a value kept as written although entry refuses it: the check flags it."""
    flags.append(clipped(f"{path}: {error} Imported as written; the check flags it ({rule})."))


def keep_code(flags: list[str], path: str, raw: str, error: ValidationError, rule: str) -> str:
    """``raw`` as written, flagged for ``rule``; refused if it is too long to be a code."""
    if len(raw.strip()) > LONGEST_KEPT_CODE:
        fail(path, str(error))
    kept(flags, path, error, rule)
    return raw.strip()


def prepare(records: dict[str, list[dict]]) -> list[Prepared]:
    """Check everything; return the records in the order they must be written."""
    ids = _check_ids(records)
    trashed = {
        key: {r["id"] for r in records[key] if r.get("deleted_at") is not None}
        for key, _ in SECTIONS
    }
    out = []
    for key, model in SECTIONS:
        for index, record in enumerate(records[key]):
            item = _columns(key, index, model, record)
            _check_references(item, record, ids, trashed)
            out.append(item)
            _parts(item, record, ids, trashed)
    return out


def _check_ids(records: dict[str, list[dict]]) -> dict[str, set[int]]:
    ids: dict[str, set[int]] = {}
    for key, _ in SECTIONS:
        seen: dict[int, int] = {}
        for index, record in enumerate(records[key]):
            if record["id"] in seen:
                fail(json_path("records", key, index, "id"),
                     f"id {record['id']} is already used by "
                     f"{json_path('records', key, seen[record['id']])}; ids must be unique "
                     "within a list.")
            seen[record["id"]] = index
        ids[key] = set(seen)
    return ids


def _columns(key: str, index: int, model, record: dict) -> Prepared:
    """Turn JSON values into Python ones and run the record's field rules."""
    values: dict[str, Any] = {}
    skip = set(PARTS.get(key, ())) | {"file", "content_base64"}
    for name, raw in record.items():
        if name in skip or raw is None:
            continue
        kind = field_kind(model, name)
        if kind == DATE:
            values[name] = parse_date(raw)
        elif kind == DATETIME:
            values[name] = parse_datetime(raw)
        elif isinstance(kind, type):
            values[name] = kind(raw)
        else:
            values[name] = raw
    item = Prepared(key, index, model, record["id"], values, values.pop("deleted_at", None))
    if model is m.Document:
        values.setdefault(
            "content_type", mimetypes.guess_type(values["original_name"])[0]
            or "application/octet-stream",
        )
        values.setdefault("title", PurePosixPath(values["original_name"]).stem)
    # The same rules as a record typed into the app (create_in runs them again on write).
    full = {n: _default(info) for n, info in model.model_fields.items() if n not in TRAILING}
    full.update({k: v for k, v in values.items() if k not in TIMESTAMPS})
    full.pop("id", None)
    full = {k: v.strip() if isinstance(v, str) else v for k, v in full.items()}
    try:
        validate(model, full, imported=True)
    except ValidationError as error:
        where = json_path("records", key, index, *([error.field] if error.field else []))
        fail(where, str(error))
    if model is m.Provider:
        _provider_flags(item, full)
    return item


def _provider_flags(item: Prepared, values: dict) -> None:
    """What the superbill cannot use, as entry would refuse it (provider.incomplete)."""
    for name, check in (("npi", codes.check_npi), ("tax_id", codes.check_tax_id),
                        ("place_of_service", codes.check_place_of_service)):
        if values.get(name):
            try:
                check(values[name])
            except ValidationError as error:
                kept(item.flags, f"{item.path}.{name}", error, "provider.incomplete")


def _default(info) -> Any:
    if info.default_factory is not None:
        return info.default_factory()
    return None if info.is_required() else info.default


def _check_references(item: Prepared, record: dict, ids, trashed) -> None:
    live = record.get("deleted_at") is None
    for name, target in foreign_keys(item.model).items():
        ref = record.get(name)
        if ref is None:
            continue
        label = target.removesuffix("s").replace("_", " ") if target != "people" else "person"
        where = json_path("records", item.key, item.index, name)
        if ref not in ids[target]:
            fail(where, f"there is no {label} with id {ref} in $.records.{target}.")
        if live and ref in trashed[target]:
            fail(where, f"{label} {ref} is in the trash, so this record must be in the trash "
                        "too (give it a deleted_at) or the other one must not.")


def _parts(item: Prepared, record: dict, ids, trashed) -> None:
    here = item.path
    if item.key == "treatments":
        entries = record.get("diagnoses", [])
        dx = _diagnoses(here, [(d["code"], f"[{i}].code") for i, d in enumerate(entries)],
                        item.flags)
        described = [d.get("description") for d in entries]
        # A description given in the file is kept as written (round trips stay exact).
        item.parts["diagnoses"] = [
            (code, text if text is not None else _description(code))
            for code, text in zip(dx, described, strict=True)
        ]
        item.parts["procedure_lines"] = [
            _procedure_line(f"{here}.procedure_lines[{i}]", line, len(dx), item.flags)
            for i, line in enumerate(record.get("procedure_lines", []))
        ]
    elif item.key == "receipts":
        item.parts["lines"] = [
            {"kind": ReceiptLineKind(line["kind"]), "amount_cents": line["amount_cents"],
             "description": line.get("description", "").strip()}
            for line in record.get("lines", [])
        ]
    elif item.key == "medical_necessity_letters":
        entries = record.get("diagnoses", [])
        item.parts["diagnoses"] = _diagnoses(
            here, [(c, f"[{i}]") for i, c in enumerate(entries)], item.flags)
        item.parts["treatment_ids"] = _letter_treatments(item, record, ids, trashed)
    elif item.key == "financing_plans":
        item.parts["payments"] = _payments(record)
    elif item.key == "documents":
        item.parts["links"] = _links(here, record, ids)


def _diagnoses(here: str, entries: list[tuple[str, str]], flags: list[str]) -> list[str]:
    """Normalise like Details.set_diagnoses, refusing blanks (they would shift pointers); a
    malformed code is kept as written for the check to flag (dx.invalid)."""
    out: list[str] = []
    for text, suffix in entries:
        where = f"{here}.diagnoses{suffix}"
        if not text.strip():
            fail(where, "the diagnosis code is empty.")
        try:
            code = codes.normalize_icd10(text)
        except ValidationError as error:
            code = keep_code(flags, where, text, error, "dx.invalid")
        if code in out:
            fail(where, f"{code} is listed twice.")
        out.append(code)
    if len(out) > MAX_DIAGNOSES:
        fail(f"{here}.diagnoses", "a claim form holds at most 12 diagnosis codes (A to L).")
    return out


def _description(code: str) -> str:
    info = codes.lookup(code)
    return info.description if info else ""


def _procedure_line(where: str, line: dict, n_dx: int, flags: list[str]) -> dict:
    """The normal forms of Details.set_procedure_lines; a code, modifiers or pointers that
    entry would refuse are kept as written for the check to flag (px.invalid)."""
    def normal(name: str, check, raw: str) -> str:
        try:
            return check(raw)
        except ValidationError as error:
            return keep_code(flags, f"{where}.{name}", raw, error, "px.invalid")

    code = normal("code", codes.check_procedure_code, line["code"])
    modifiers = normal("modifiers", lambda t: ",".join(codes.check_modifiers(t)),
                       line.get("modifiers", ""))
    pointers = normal("pointers", lambda t: codes.check_pointers(t, n_dx),
                      line.get("pointers", "A")) if n_dx else ""
    return {
        "code": code, "modifiers": modifiers, "units": line.get("units", 1),
        "charge_cents": line.get("charge_cents", 0), "pointers": pointers,
        "description": line.get("description", "").strip(),
    }


# Two rules of the detail services are deliberately not enforced here: a letter covering only
# its own patient's treatments, and payments not before the purchase. They are checked when
# the part is entered, but a later edit (Records.update of the treatment's person or of the
# plan's purchase date) can make them untrue, so a real export may contain such records and
# refusing them would make that export impossible to import.
def _letter_treatments(item: Prepared, record: dict, ids, trashed) -> list[int]:
    live = record.get("deleted_at") is None
    for i, tid in enumerate(record.get("treatment_ids", [])):
        where = f"{item.path}.treatment_ids[{i}]"
        if tid not in ids["treatments"]:
            fail(where, f"there is no treatment with id {tid} in $.records.treatments.")
        if live and tid in trashed["treatments"]:
            fail(where, f"treatment {tid} is in the trash; a live letter cannot cover it.")
    return sorted(set(record.get("treatment_ids", [])))


def _payments(record: dict) -> list[dict]:
    out = [
        {"paid_on": parse_date(p["paid_on"]), "amount_cents": p["amount_cents"]}
        for p in record.get("payments", [])
    ]
    return sorted(out, key=lambda p: p["paid_on"])  # stable: same-day payments keep file order


def _links(here: str, record: dict, ids) -> list[tuple[str, int]]:
    seen: set[tuple[str, int]] = set()
    for i, link in enumerate(record.get("links", [])):
        pair = (link["record_type"], link["record_id"])
        key = SECTION_OF_TYPE[pair[0]]
        where = f"{here}.links[{i}]"
        if pair[1] not in ids[key]:
            fail(where, f"there is no {pair[0].replace('_', ' ')} with id {pair[1]} in "
                        f"$.records.{key} to attach this document to.")
        if pair in seen:
            fail(where, "this link is listed twice.")
        seen.add(pair)
    return sorted(seen)


def content_source(item: Prepared, record: dict, base_dir: Path | None) -> Path | bytes:
    """The document's content: a checked path inside ``base_dir``, or decoded base64 bytes."""
    import base64
    import binascii

    if "content_base64" in record:
        try:
            return base64.b64decode(record["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            fail(f"{item.path}.content_base64", "this is not valid base64 text.")
    where = f"{item.path}.file"
    relative = record["file"]
    if base_dir is None:
        fail(where, "a file path needs the folder of the JSON file it is relative to.")
    if PurePosixPath(relative).is_absolute() or Path(relative).is_absolute() or (
        ".." in PurePosixPath(relative.replace("\\", "/")).parts
    ):
        fail(where, f"{relative!r} must be a path inside the JSON file's folder.")
    path = (base_dir / relative).resolve()
    if not path.is_relative_to(base_dir.resolve()):
        fail(where, f"{relative!r} leads outside the JSON file's folder.")
    if not path.is_file():
        fail(where, f'the file "{relative}" is not in {base_dir}.')
    return path
