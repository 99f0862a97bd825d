"""Reading documents: receipts, superbills, EOBs and letters into proposed, checked values.

No Qt here. ``read_document(path)`` returns a ``ReadResult``: the document's kind, each
field's value with its confidence, page and box, the procedure lines, and any problems in
sentences. Text layers are read through PDFium, scans and photos through Tesseract, a
payer's FHIR ExplanationOfBenefit download as data. Nothing here stores anything.
"""

from regenlog.core.reading.engine import ReadOptions, read_document, sniff
from regenlog.core.reading.errors import ReadingCancelled, ReadingError
from regenlog.core.reading.ocr import find_tesseract, install_hint
from regenlog.core.reading.result import (
    DECISIONS,
    FIELD_NAMES,
    KINDS,
    PAYMENT_METHODS,
    Box,
    ProcedureLine,
    Proposal,
    ReadResult,
)

__all__ = [
    "DECISIONS",
    "FIELD_NAMES",
    "KINDS",
    "PAYMENT_METHODS",
    "Box",
    "ProcedureLine",
    "Proposal",
    "ReadOptions",
    "ReadResult",
    "ReadingCancelled",
    "ReadingError",
    "find_tesseract",
    "install_hint",
    "read_document",
    "sniff",
]
