"""``manifest.json`` and ``index.csv``: the machine-readable account of the bundle.

The records are written in the shape of the documented records format (same section keys,
field names and value spelling), restricted to what the bundle covers, without the user's
private notes or bookkeeping timestamps. Every other file of the ZIP is listed with its
size and SHA-256, so a receiver can prove nothing was changed or lost.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..core import models as m
from ..core.records_format.layout import (
    DATE,
    DATETIME,
    SECTIONS,
    TRAILING,
    columns,
    date_text,
    datetime_text,
    field_kind,
)
from . import asking
from .enclosures import Enclosure
from .select import BundleRecords, BundleSelection, record_of

FORMAT_NAME = "regenlog-bundle"
FORMAT_VERSION = 1
INDEX_COLUMNS = ("number", "file", "kind", "date", "treatment", "sha256", "title")


@dataclass(frozen=True)
class FileEntry:
    path: str
    size: int
    sha256: str


def index_csv(enclosures: list[Enclosure], hashes: dict[str, str]) -> bytes:
    """One row per numbered file, in enclosure order (RFC 4180: CRLF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(INDEX_COLUMNS)
    for e in enclosures:
        writer.writerow([
            e.label, e.path, e.kind, date_text(e.date) or "",
            "" if e.treatment_id is None else e.treatment_id, hashes[e.path], e.title,
        ])
    return out.getvalue().encode("utf-8")


def manifest_json(
    records: BundleRecords,
    selection: BundleSelection,
    enclosures: list[Enclosure],
    files: list[FileEntry],
    created: dt.datetime,
) -> bytes:
    document = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "created": datetime_text(created),
        "destination": records.destination,
        "selection": {
            "treatment_ids": records.treatment_ids,
            "date_from": date_text(selection.date_from),
            "date_to": date_text(selection.date_to),
        },
        "amounts": [
            {
                "treatment_id": t.treatment.id,
                "charges_cents": asking.money_of(records, t).billed_cents,
                "paid_cents": asking.money_of(records, t).paid_cents,
                "reimbursed_cents": asking.money_of(records, t).reimbursed_cents,
                "paid_to_provider_cents": asking.money_of(records, t).paid_to_provider_cents,
                "awaiting_cents": asking.money_of(records, t).awaiting_cents,
                "claimed_cents": asking.requested(records, t),
            }
            for t in records.treatments
        ],
        "records": records_json(records, enclosures),
        "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in files],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def records_json(records: BundleRecords, enclosures: list[Enclosure]) -> dict[str, list[dict]]:
    found: dict[type[m.Record], dict[int, dict]] = {model: {} for _, model in SECTIONS}

    def put(record: m.Record | None, **parts) -> None:
        if record is not None and record.id not in found[type(record)]:
            found[type(record)][record.id] = {**_columns(record), **parts}

    put(records.person)
    put(records.payer_plan)
    put(records.account)
    for t in records.treatments:
        put(t.provider)
        put(t.plan)
        put(t.treatment, diagnoses=[
            {"code": d.code, "description": d.description} for d in t.diagnoses
        ], procedure_lines=[
            {"code": x.code, "description": x.description, "modifiers": x.modifiers,
             "units": x.units, "charge_cents": x.charge_cents, "pointers": x.pointers}
            for x in t.lines
        ])
        for item in t.receipts:
            put(item.receipt, lines=[
                {"kind": str(x.kind), "description": x.description, "amount_cents": x.amount_cents}
                for x in item.lines
            ])
        for letter in t.letters:
            put(letter.letter, diagnoses=letter.diagnoses, treatment_ids=letter.treatment_ids)
        for attribute in ("estimates", "labs", "calls", "determinations", "claims"):
            for item in getattr(t, attribute):
                put(record_of(item))
    for e in enclosures:
        if e.document is not None:
            put(e.document, file=e.path, links=[
                {"record_type": e.attached_to[0], "record_id": e.attached_to[1]}
            ] if e.attached_to else [])
    return {
        key: [found[model][i] for i in sorted(found[model])]
        for key, model in SECTIONS
        if key != "financing_plans"
    }


def _columns(record: m.Record) -> dict[str, Any]:
    model = type(record)
    out: dict[str, Any] = {}
    for name in columns(model):
        if name in TRAILING:
            continue
        value = getattr(record, name)
        kind = field_kind(model, name)
        if value is None:
            out[name] = None
        elif kind == DATETIME:
            out[name] = datetime_text(value)
        elif kind == DATE:
            out[name] = date_text(value)
        elif isinstance(kind, type):  # a StrEnum
            out[name] = kind(value).value
        else:
            out[name] = value
    return out
