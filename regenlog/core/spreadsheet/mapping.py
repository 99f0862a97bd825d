"""Which spreadsheet column holds which treatment or receipt field, suggested from the
header names and saved as a small versioned JSON object for next time.

The JSON maps each RegenLog field to the header of its column, so a field can never come
from two columns; headers match ignoring case and surrounding spaces:

    {"format": "regenlog-csv-mapping", "version": 1,
     "columns": {"date_of_service": "DOS", "amount": "Paid", "person": "Patient"},
     "defaults": {"person": "", "category": "other", "payment_method": "card"}}

The defaults fill a blank cell, or a field no column holds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..enums import Category, PaymentMethod
from ..errors import ValidationError

MAPPING_FORMAT = "regenlog-csv-mapping"
MAPPING_VERSION = 1

# Every field a column can fill, in the order the JSON and the GUI list them, with its name.
FIELDS: dict[str, str] = {
    "date_of_service": "Date of service",
    "person": "Patient",
    "provider": "Provider or clinic",
    "category": "Category",
    "description": "Description",
    "body_site": "Body site",
    "side": "Side",
    "diagnosis_codes": "ICD-10-CM codes",
    "procedure_codes": "CPT/HCPCS codes",
    "modifiers": "Modifiers",
    "amount": "Amount paid",
    "paid_to_provider": "Insurer paid the provider",
    "payment_date": "Payment date",
    "payment_method": "Payment method",
    "receipt_number": "Receipt number",
    "notes": "Notes",
}
REQUIRED = ("date_of_service",)

# Header names seen in patients' and clinics' spreadsheets, normalised (see normalize_header).
# Checked in this order, so "payment date" is claimed before a plain "date" is.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "payment_date": (
        "payment date", "date paid", "paid on", "paid date", "pay date", "date of payment",
        "transaction date",
    ),
    "date_of_service": (
        "date of service", "service date", "dos", "date", "visit date", "treatment date",
        "appointment date", "appt date", "date of visit", "procedure date",
    ),
    "amount": (
        "amount", "amount paid", "paid", "paid amount", "total", "total paid", "cost",
        "total cost", "price", "fee", "amt", "payment", "payment amount", "charge", "charges",
        "out of pocket", "oop",
    ),
    "procedure_codes": (
        "cpt", "cpt code", "cpt codes", "procedure code", "procedure codes", "hcpcs",
        "hcpcs code", "cpt hcpcs", "cpt hcpcs code", "cpt hcpcs codes",
    ),
    "diagnosis_codes": (
        "icd", "icd10", "icd 10", "icd 10 cm", "icd code", "icd codes", "icd 10 code",
        "icd 10 codes", "icd10 code", "diagnosis", "diagnosis code", "diagnosis codes", "dx",
        "dx code", "dx codes",
    ),
    "modifiers": ("modifier", "modifiers", "mod", "mods", "cpt modifier", "cpt modifiers"),
    # Only names that say whom the insurer paid: "insurance paid" alone may be money paid
    # back to the patient.
    "paid_to_provider": (
        "paid to provider", "paid to the provider", "insurer paid provider",
        "insurer paid the provider", "insurance paid provider", "insurance paid to provider",
        "plan paid provider", "plan paid to provider", "ins paid provider",
        "ins paid to provider",
    ),
    "provider": (
        "provider", "clinic", "doctor", "physician", "practice", "provider name", "clinic name",
        "facility", "dr",
    ),
    "person": ("patient", "person", "name", "patient name", "member", "family member", "who"),
    "category": ("category", "type", "treatment type", "service type", "kind", "therapy"),
    "payment_method": (
        "payment method", "method", "paid with", "payment type", "pay method", "tender",
        "how paid", "card",
    ),
    "receipt_number": (
        "receipt", "receipt number", "receipt no", "invoice", "invoice number", "invoice no",
    ),
    "body_site": ("body site", "site", "body part", "location", "joint", "area"),
    "side": ("side", "laterality"),
    "description": ("description", "service", "item", "details", "treatment", "procedure", "what"),
    "notes": ("notes", "note", "comment", "comments", "memo", "remarks"),
}


def normalize_header(text: str) -> str:
    """"Receipt #" -> "receipt number", " Amount ($) " -> "amount", "ICD-10" -> "icd 10"."""
    text = (text or "").replace("#", " number ").casefold()
    return " ".join(re.findall(r"[a-z0-9]+", text))


@dataclass(frozen=True)
class Mapping:
    """Field -> column header, plus the values used for a blank cell or an unmapped field."""

    columns: dict[str, str] = field(default_factory=dict)
    default_person: str = ""
    default_category: str = Category.other.value
    default_payment_method: str = PaymentMethod.card.value

    def __post_init__(self) -> None:
        for name, header in self.columns.items():
            if name not in FIELDS:
                known = ", ".join(FIELDS)
                raise ValidationError(f'The mapping names a field "{name}" RegenLog does not have; use one of: {known}.')
            if not isinstance(header, str) or not header.strip():
                raise ValidationError(f'The mapping gives field "{name}" no column name.')
        _choice(Category, self.default_category, "default category")
        _choice(PaymentMethod, self.default_payment_method, "default payment method")

    def column(self, name: str) -> str | None:
        return self.columns.get(name)

    def indexes(self, headers: Sequence[str]) -> dict[str, int]:
        """Field -> column index in ``headers``, or ValidationError naming what is wrong."""
        where: dict[str, list[int]] = {}
        for i, header in enumerate(headers):
            if header.strip():
                where.setdefault(_key(header), []).append(i)
        out: dict[str, int] = {}
        for name in REQUIRED:
            if name not in self.columns:
                raise ValidationError(
                    f"Choose the column that holds the {FIELDS[name].lower()}; every row needs one."
                )
        for name, header in self.columns.items():
            found = where.get(_key(header), [])
            if not found:
                listing = ", ".join(f'"{h}"' for h in headers if h.strip())
                raise ValidationError(
                    f'The mapping takes the {FIELDS[name].lower()} from a column "{header}", '
                    f"which the file does not have; its columns are {listing}."
                )
            if len(found) > 1:
                raise ValidationError(
                    f'The file has {len(found)} columns named "{header}"; rename one so the '
                    f"{FIELDS[name].lower()} comes from one column."
                )
            out[name] = found[0]
        taken: dict[int, str] = {}
        for name, index in out.items():
            if index in taken:
                raise ValidationError(
                    f'The column "{headers[index]}" is mapped to both the '
                    f"{FIELDS[taken[index]].lower()} and the {FIELDS[name].lower()}; choose one."
                )
            taken[index] = name
        return out

    # -- JSON ----------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "format": MAPPING_FORMAT,
            "version": MAPPING_VERSION,
            "columns": {name: self.columns[name] for name in FIELDS if name in self.columns},
            "defaults": {
                "person": self.default_person,
                "category": self.default_category,
                "payment_method": self.default_payment_method,
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        """Read a saved mapping, or raise one sentence saying what is wrong with it."""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, TypeError) as error:
            raise ValidationError(f"The mapping file is not valid JSON ({error}).") from None
        if not isinstance(data, dict) or data.get("format") != MAPPING_FORMAT:
            raise ValidationError(
                f'This is not a RegenLog column mapping (it needs "format": "{MAPPING_FORMAT}").'
            )
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ValidationError('The mapping needs a "version" number (1).')
        if version > MAPPING_VERSION:
            raise ValidationError(
                f"This mapping was saved by a newer RegenLog (version {version}); this one reads "
                f"version {MAPPING_VERSION}."
            )
        columns = data.get("columns", {})
        defaults = data.get("defaults", {})
        if not isinstance(columns, dict) or not isinstance(defaults, dict):
            raise ValidationError('"columns" and "defaults" in the mapping must be JSON objects.')
        unknown = set(defaults) - {"person", "category", "payment_method"}
        if unknown:
            raise ValidationError(
                f'The mapping has an unknown default "{sorted(unknown)[0]}"; use person, '
                "category or payment_method."
            )
        for key, value in defaults.items():
            if not isinstance(value, str):
                raise ValidationError(f'The default "{key}" in the mapping must be text.')
        return cls(
            columns=dict(columns),
            default_person=defaults.get("person", ""),
            default_category=defaults.get("category", Category.other.value),
            default_payment_method=defaults.get("payment_method", PaymentMethod.card.value),
        )


# Phrases distinctive enough to recognise inside a longer header ("Date of Service
# (MM/DD/YYYY)", "Primary ICD-10 code"). Plain words such as "amount" or "patient" are not:
# "Amount paid by insurer" and "Patient ID" are not the fields they name.
_DISTINCTIVE: tuple[tuple[str, str], ...] = (
    ("date of service", "date_of_service"), ("service date", "date_of_service"),
    ("dos", "date_of_service"), ("cpt", "procedure_codes"), ("hcpcs", "procedure_codes"),
    ("procedure code", "procedure_codes"), ("icd", "diagnosis_codes"),
    ("icd10", "diagnosis_codes"), ("diagnosis code", "diagnosis_codes"),
    ("dx", "diagnosis_codes"), ("modifier", "modifiers"), ("modifiers", "modifiers"),
    ("payment method", "payment_method"), ("receipt number", "receipt_number"),
    ("invoice number", "receipt_number"),
)


def suggest_mapping(headers: Sequence[str], rows: Sequence = ()) -> Mapping:
    """Guess each field's column from the header names and, where it is unambiguous, from
    what the column holds; unknown columns stay unmapped.

    First exact names ("DOS", "Amount paid", "Amount ($)" without its parentheses), except
    that a column whose cells are all codes of one kind fills that kind: a "Procedure"
    column of CPT codes is the procedure codes, not the description. Then columns of codes
    whose name says nothing; then a few distinctive phrases inside longer names ("Primary
    ICD-10 code"); last, when no column is named for the date of service, the one column
    holding dates. A column is used once, and a field takes the first column that matches
    it. ``rows`` are the file's rows (``Row`` or plain sequences of cells); the patient
    reviews the result, and the dry run checks every cell anyway.
    """
    columns: dict[str, str] = {}
    used: set[int] = set()
    keys = [
        {normalize_header(h), normalize_header(re.sub(r"[(\[][^)\]]*[)\]]", " ", h))}
        for h in headers
    ]
    samples = _samples(headers, rows)
    kinds = [_content_kind(keys[i], samples[i]) for i in range(len(headers))]

    def take(name: str, index: int) -> None:
        columns[name] = headers[index].strip()
        used.add(index)

    for name, synonyms in _SYNONYMS.items():
        for i, names in enumerate(keys):
            if kinds[i] not in (None, name):
                continue  # its cells say what it is
            if i not in used and name not in columns and not names.isdisjoint(synonyms):
                take(name, i)
    for i, kind in enumerate(kinds):
        if kind and i not in used and kind not in columns:
            take(kind, i)
    for i, names in enumerate(keys):
        padded = " ".join(f" {key} " for key in names)
        for phrase, name in _DISTINCTIVE:
            if i not in used and name not in columns and f" {phrase} " in padded:
                take(name, i)
    if "date_of_service" not in columns:
        dated = [i for i in range(len(headers)) if i not in used and _all_dates(samples[i])]
        if len(dated) == 1:  # two date columns (service, payment) would be a guess
            take("date_of_service", dated[0])
    return Mapping(columns={n: columns[n] for n in FIELDS if n in columns})


# How many rows the content of a column is judged on: enough to be sure, quick for any file.
_SAMPLE_ROWS = 200
# Header words under which five plain digits ("99213") are CPT codes, not amounts or ZIP codes.
_SERVICE_WORDS = frozenset({"procedure", "procedures", "service", "services", "code", "codes",
                            "treatment", "item", "billing", "billed", "cpt", "hcpcs"})


def _samples(headers: Sequence[str], rows: Sequence) -> list[list[str]]:
    """Each column's non-blank cells in the first rows."""
    samples: list[list[str]] = [[] for _ in headers]
    for row in rows[:_SAMPLE_ROWS]:
        cells = getattr(row, "cells", row)
        for i, cell in enumerate(cells[: len(headers)]):
            if cell.strip():
                samples[i].append(cell.strip())
    return samples


def _content_kind(names: set[str], cells: list[str]) -> str | None:
    """"procedure_codes" or "diagnosis_codes" when every cell holds only codes of that kind
    and at least one code can only be that kind; else None."""
    from .. import codes
    from .parse import split_codes

    found = [code for cell in cells for code in split_codes(cell)]
    if not found or len(found) > 4 * len(cells):
        return None
    procedure = diagnosis = True
    only_procedure = only_diagnosis = False
    for code in found:
        try:
            codes.check_procedure_code(code)
            is_procedure = True
        except ValidationError:
            is_procedure = False
        is_diagnosis = codes.lookup(code) is not None
        procedure, diagnosis = procedure and is_procedure, diagnosis and is_diagnosis
        if not (procedure or diagnosis):
            return None
        # Five plain digits are CPT codes only under a name that speaks of services.
        says_service = not code.isdigit() or any(
            word in _SERVICE_WORDS for name in names for word in name.split()
        )
        only_procedure |= is_procedure and not is_diagnosis and says_service
        only_diagnosis |= is_diagnosis and not is_procedure
    if procedure and only_procedure:
        return "procedure_codes"
    if diagnosis and only_diagnosis:
        return "diagnosis_codes"
    return None


def _all_dates(cells: list[str]) -> bool:
    from .parse import parse_cell_date

    if not cells:
        return False
    try:
        for cell in cells:
            parse_cell_date(cell)
    except ValidationError:
        return False
    return True


def _key(header: str) -> str:
    return " ".join(header.split()).casefold()


def _choice(enum, value: str, what: str) -> None:
    try:
        enum(value)
    except ValueError:
        choices = ", ".join(item.value for item in enum)
        raise ValidationError(f'"{value}" is not a {what}; use one of: {choices}.') from None
