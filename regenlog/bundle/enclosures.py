"""What the bundle encloses, numbered once: the cover letter, the statement and documents.

The same list drives the cover letter's enclosure list, the file names, ``index.csv``, the
manifest and the FHIR DocumentReferences, so nothing can be listed that is not enclosed.
Documents follow the treatments in date order; within a treatment they go in the order a
reviewer reads a file: the visit's own papers, receipts, estimates, labs, letters of
medical necessity, insurer calls, written determinations, claims.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core import models as m
from ..core.dates import local_date
from ..core.services import Services
from ..core.services.records import record_type_of
from .names import UniqueNames, document_file_name, extension_of
from .select import BundleRecords, record_of

COVER_LETTER = "00-cover-letter.pdf"
STATEMENT = "01-statement.pdf"
DOCUMENTS_FOLDER = "documents"

# (attribute of TreatmentRecords, the date a document of that record falls back to)
_GROUPS = (
    ("receipts", "paid_on"),
    ("estimates", "issued_on"),
    ("labs", "collected_on"),
    ("letters", "written_on"),
    ("calls", "called_at"),
    ("determinations", "received_on"),
    ("claims", "submitted_on"),
)


@dataclass(frozen=True)
class Enclosure:
    number: int
    label: str  # the number as printed and in the file name: "00", "07", "112"
    path: str  # inside the ZIP, always with "/"
    kind: str  # "cover_letter", "statement" or a DocumentKind value
    title: str
    date: dt.date | None
    treatment_id: int | None
    document: m.Document | None = None  # None for the PDFs the bundle writes itself
    attached_to: tuple[str, int] | None = None


def plan_enclosures(
    services: Services, records: BundleRecords, *, neutral_names: bool = False
) -> list[Enclosure]:
    """The enclosures in order. ``neutral_names`` (an encrypted bundle, whose entry names
    anyone can read): documents are ``documents/07.pdf``, number and type only; their titles,
    kinds and dates live in the encrypted index.csv and manifest."""
    out = [
        Enclosure(0, "00", COVER_LETTER, "cover_letter", "Cover letter", None, None),
        Enclosure(1, "01", STATEMENT, "statement", "Itemized statement (superbill)", None, None),
    ]
    found: list[tuple[m.Document, dt.date | None, int | None, tuple[str, int]]] = []
    seen: set[int] = set()

    def add(record: m.Record, fallback: dt.date | None, treatment_id: int | None) -> None:
        owner = (record_type_of(type(record)), record.id)
        for doc in services.documents.for_record(type(record), record.id):
            if doc.id not in seen:
                seen.add(doc.id)
                found.append((doc, doc.document_date or fallback, treatment_id, owner))

    for t in records.treatments:
        tid = t.treatment.id
        add(t.treatment, t.treatment.date_of_service, tid)
        for attribute, date_field in _GROUPS:
            for item in getattr(t, attribute):
                record = record_of(item)
                add(record, local_date(getattr(record, date_field)), tid)
    if records.payer_plan is not None:  # the insurance card and the plan's papers
        add(records.payer_plan, None, None)

    names = UniqueNames()
    width = max(2, len(str(len(found) + 1)))
    for number, (doc, date, treatment_id, owner) in enumerate(found, start=2):
        label = f"{number:0{width}d}"
        name = f"{label}{extension_of(doc.original_name)}" if neutral_names else (
            document_file_name(
                label, date.isoformat() if date else "undated", str(doc.kind), doc.title,
                doc.original_name,
            ))
        out.append(Enclosure(
            number, label, f"{DOCUMENTS_FOLDER}/{names.take(name)}", str(doc.kind),
            doc.title or doc.original_name, date, treatment_id, doc, owner,
        ))
    return out

