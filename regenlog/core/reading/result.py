"""What reading a document proposes: typed values with where they came from.

The GUI shows these beside the page (each value's page and box is highlighted) and the
command line prints them as JSON; nothing here is stored until the patient confirms.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# The document kinds and the field names are a contract (``regenlog read --json``).
KINDS = (
    "receipt", "superbill", "eob", "determination", "medical_necessity_letter",
    "lab_result", "financing_statement", "good_faith_estimate", "unknown",
)
FIELD_NAMES = (
    "patient_name", "member_id", "provider_name", "provider_npi", "provider_tax_id",
    "date_of_service", "payment_date", "receipt_number", "total_cents", "paid_cents",
    "payment_method", "diagnosis_codes", "claim_number", "billed_cents", "allowed_cents",
    "plan_paid_cents", "patient_responsibility_cents", "reference_number", "decision",
    "decision_date", "promo_end_date", "balance_cents",
)
PAYMENT_METHODS = ("cash", "check", "card", "hsa_card", "fsa_card", "financing", "other")
DECISIONS = ("approved", "denied", "partially_approved", "pending")
METHODS = ("text", "ocr", "fhir")


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in PDF points (1/72 inch) from the page's top-left corner."""

    x0: float
    y0: float
    x1: float
    y1: float

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0),
                   max(self.x1, other.x1), max(self.y1, other.y1))

    def as_list(self) -> list[float]:
        return [round(self.x0, 1), round(self.y0, 1), round(self.x1, 1), round(self.y1, 1)]


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposed value: already checked by the validator of its kind."""

    value: Any  # str, int (cents), datetime.date, or list[str] for diagnosis codes
    confidence: float  # 0..1
    page: int | None  # 1-based; None when the source has no pages (FHIR)
    box: Box | None
    source: str = ""  # the words it was read from, for the patient to compare

    def as_json(self) -> dict[str, Any]:
        return {
            "value": _json_value(self.value),
            "confidence": round(self.confidence, 2),
            "page": self.page,
            "box": self.box.as_list() if self.box else None,
        }


@dataclass(slots=True)
class ProcedureLine:
    """A row of a service table: a CPT/HCPCS code and what stands beside it."""

    code: str
    date_of_service: dt.date | None = None
    modifiers: list[str] = field(default_factory=list)
    description: str = ""
    units: int | None = None
    charge_cents: int | None = None
    confidence: float = 0.0
    page: int | None = None
    box: Box | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "date_of_service": _json_value(self.date_of_service),
            "code": self.code,
            "modifiers": list(self.modifiers),
            "description": self.description,
            "units": self.units,
            "charge_cents": self.charge_cents,
            "confidence": round(self.confidence, 2),
            "page": self.page,
            "box": self.box.as_list() if self.box else None,
        }


@dataclass(slots=True)
class ReadResult:
    """Everything read from one file."""

    kind: str = "unknown"
    method: str = "text"
    fields: dict[str, Proposal] = field(default_factory=dict)
    lines: list[ProcedureLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    pages: int = 0
    # FHIR files may hold several claims: the first is in fields/lines, all of them here.
    more: list[ReadResult] = field(default_factory=list)

    def value(self, name: str) -> Any:
        proposal = self.fields.get(name)
        return None if proposal is None else proposal.value

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "method": self.method,
            "fields": {name: p.as_json() for name, p in self.fields.items()},
            "lines": [line.as_json() for line in self.lines],
            "problems": list(self.problems),
            "pages": self.pages,
        }
        if self.more:
            data["documents"] = [other.as_json() for other in self.more]
        return data


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value
