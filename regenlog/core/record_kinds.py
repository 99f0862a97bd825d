"""Every kind of top-level record, and everything the core knows about each, in one entry.

``RECORD_KINDS`` maps each ``RecordType`` to its ``RecordKind``: the model, the words a
patient reads (a label, a count noun and its plural), where it sits in the records format
(its section and the parts it owns), the text a list page filters it by, the column a list
filters and sorts a reference to it by, the dates it is filed under, and the one line that
describes a record of it. The search functions, the records format and the services read
these entries; nothing else keeps a table keyed by record type. The UI keeps the other half
(columns, forms, pages) in its own registry.

The entries are in the records format's order: every record's references point at an
earlier kind, so an import in this order never meets a missing parent.

A new kind of record: its model in ``models.py``, an entry here, its definition in the
records format's ``schema.json``, a migration (with its search-index triggers if it is
searched), and the UI's entry. ``tests/test_record_kinds.py`` fails until all are there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import models as m
from .dates import local_date
from .money import format_money
from .text import plural
from .vocabulary import RecordType


@dataclass(frozen=True)
class RecordKind:
    """What the core knows about one kind of record (see the module's docstring)."""

    record_type: RecordType
    model: type[m.Record]
    label: str  # a title: "Insurance plan"
    noun: str  # in a count: "1 insurance plan"
    nouns: str  # "2 insurance plans"
    section: str  # its list in the records format: "insurance_plans"
    describe: Callable[[Any], tuple[str, str]]  # (title, subtitle) in the patient's words
    # The text a list page's filter and the search find it by, in the order it is indexed.
    # Enums are left out: a search for "prp" should find the treatment's words.
    search_fields: tuple[str, ...] = ("notes",)
    parts: tuple[str, ...] = ()  # the nested parts it owns in the records format, in order
    # The column a list may filter and sort a reference to this kind by ("provider_id.name").
    label_column: str | None = None
    # The dates the patient files it under, the first one set wins (a claim: paid, else sent).
    date_fields: tuple[str, ...] = ()
    # Whether choice boxes sort it by its first date (newest first) and a typed date finds
    # it; an account's opening date says too little to list accounts by.
    listed_by_date: bool = True
    # Whether its one-line label in a choice box starts with its date (visits, calls,
    # letters from the insurer and receipts are told apart by their dates).
    dated_label: bool = False

    @property
    def table(self) -> str:
        return self.model.__tablename__

    @property
    def date_column(self) -> str | None:
        """The date choice boxes sort by and a typed date matches, if any."""
        return self.date_fields[0] if self.date_fields and self.listed_by_date else None

    def count(self, n: int) -> str:
        """ "1 person", "3 people", "1,204 treatments"."""
        return plural(n, self.noun, self.nouns)

    def record_date(self, record: m.Record) -> dt.date | None:
        """The date a patient would file the record under (a call's time on the patient's
        own calendar)."""
        for name in self.date_fields:
            value = getattr(record, name, None)
            if isinstance(value, dt.date):
                return local_date(value)
        return None


# -- describing a record in one line --------------------------------------------------------
def _person(r: m.Person) -> tuple[str, str]:
    return r.name, "Person"


def _plan(r: m.InsurancePlan) -> tuple[str, str]:
    return " ".join(p for p in (r.insurer, r.plan_name) if p), f"Member ID {r.member_id}".strip()


def _account(r: m.Account) -> tuple[str, str]:
    return f"{r.kind.label} {r.administrator}".strip(), r.account_number


def _provider(r: m.Provider) -> tuple[str, str]:
    return r.name, ", ".join(p for p in (r.credentials, f"NPI {r.npi}" if r.npi else "") if p)


def _treatment(r: m.Treatment) -> tuple[str, str]:
    site = " ".join(p for p in (r.side.label if r.side.value != "none" else "", r.body_site) if p)
    return r.category.label + (f", {site}" if site else ""), r.description or r.indication


def _estimate(r: m.GoodFaithEstimate) -> tuple[str, str]:
    return f"Good Faith Estimate {format_money(r.total_cents)}", ""


def _receipt(r: m.Receipt) -> tuple[str, str]:
    number = f" #{r.receipt_number}" if r.receipt_number else ""
    return f"Receipt{number} {format_money(r.total_cents)}", r.payment_method.label


def _lab(r: m.LabResult) -> tuple[str, str]:
    return f"{r.test}: {r.value} {r.unit}".strip(), r.reference_range


def _call(r: m.InsurerCall) -> tuple[str, str]:
    who = r.rep_name or "unnamed representative"
    reference = f", ref. {r.reference_number}" if r.reference_number else ", no reference number"
    return f"Call with {who}", f"{r.outcome.label}{reference}"


def _determination(r: m.Determination) -> tuple[str, str]:
    reference = f"Ref. {r.reference_number}" if r.reference_number else ""
    return f"{r.kind.label}: {r.decision.label}", reference


def _letter(r: m.MedicalNecessityLetter) -> tuple[str, str]:
    title = f"Letter of medical necessity, {r.physician_name}".rstrip(", ")
    return title, r.treatment_and_frequency


def _claim(r: m.Claim) -> tuple[str, str]:
    return f"{r.destination.label} claim {format_money(r.amount_claimed_cents)}", r.status.label


def _financing(r: m.FinancingPlan) -> tuple[str, str]:
    return f"{r.lender} {format_money(r.amount_cents)}", "Financing plan"


def _document(r: m.Document) -> tuple[str, str]:
    return r.title or r.original_name, r.original_name


RECORD_KINDS: dict[str, RecordKind] = {kind.record_type: kind for kind in (
    RecordKind(
        RecordType.person, m.Person, "Person", noun="person", nouns="people",
        section="people", describe=_person,
        search_fields=("name", "address", "notes"), label_column="name",
    ),
    RecordKind(
        RecordType.insurance_plan, m.InsurancePlan, "Insurance plan", noun="insurance plan",
        nouns="insurance plans", section="insurance_plans", describe=_plan,
        search_fields=("insurer", "plan_name", "member_id", "group_number", "notes"),
        label_column="insurer",
    ),
    RecordKind(
        RecordType.account, m.Account, "HSA/FSA account", noun="HSA/FSA account",
        nouns="HSA/FSA accounts", section="accounts", describe=_account,
        search_fields=("administrator", "account_number", "notes"), label_column="administrator",
        date_fields=("opened_on",), listed_by_date=False,
    ),
    RecordKind(
        RecordType.provider, m.Provider, "Provider", noun="provider", nouns="providers",
        section="providers", describe=_provider,
        search_fields=("name", "credentials", "npi", "address", "notes"), label_column="name",
    ),
    RecordKind(
        RecordType.treatment, m.Treatment, "Treatment", noun="treatment", nouns="treatments",
        section="treatments", describe=_treatment,
        search_fields=("description", "body_site", "indication", "notes"),
        parts=("diagnoses", "procedure_lines"), label_column="description",
        date_fields=("date_of_service",), dated_label=True,
    ),
    RecordKind(
        RecordType.good_faith_estimate, m.GoodFaithEstimate, "Good Faith Estimate",
        noun="Good Faith Estimate", nouns="Good Faith Estimates",
        section="good_faith_estimates", describe=_estimate, date_fields=("issued_on",),
    ),
    RecordKind(
        RecordType.receipt, m.Receipt, "Receipt", noun="receipt", nouns="receipts",
        section="receipts", describe=_receipt,
        search_fields=("receipt_number", "notes"), parts=("lines",),
        date_fields=("paid_on",), dated_label=True,
    ),
    RecordKind(
        RecordType.lab_result, m.LabResult, "Lab result", noun="lab result",
        nouns="lab results", section="lab_results", describe=_lab,
        search_fields=("test", "value", "notes"), date_fields=("collected_on",),
    ),
    RecordKind(
        RecordType.insurer_call, m.InsurerCall, "Insurer call", noun="insurer call",
        nouns="insurer calls", section="insurer_calls", describe=_call,
        search_fields=("rep_name", "reference_number", "questions", "answer", "notes"),
        date_fields=("called_at",), dated_label=True,
    ),
    RecordKind(
        RecordType.determination, m.Determination, "Determination", noun="determination",
        nouns="determinations", section="determinations", describe=_determination,
        search_fields=("reference_number", "codes_covered", "notes"),
        date_fields=("received_on",), dated_label=True,
    ),
    RecordKind(
        RecordType.medical_necessity_letter, m.MedicalNecessityLetter,
        "Letter of medical necessity", noun="letter", nouns="letters",
        section="medical_necessity_letters", describe=_letter,
        search_fields=("physician_name", "rationale", "treatment_and_frequency", "notes"),
        parts=("diagnoses", "treatment_ids"), date_fields=("written_on",),
    ),
    RecordKind(
        RecordType.claim, m.Claim, "Claim", noun="claim", nouns="claims", section="claims",
        describe=_claim, date_fields=("paid_on", "submitted_on"),
    ),
    RecordKind(
        RecordType.financing_plan, m.FinancingPlan, "Financing plan", noun="financing plan",
        nouns="financing plans", section="financing_plans", describe=_financing,
        search_fields=("lender", "notes"), parts=("payments",), date_fields=("purchase_date",),
    ),
    RecordKind(
        RecordType.document, m.Document, "Document", noun="document", nouns="documents",
        section="documents", describe=_document,
        search_fields=("title", "original_name", "notes"), parts=("links",),
        date_fields=("document_date",),
    ),
)}
"""Keyed by ``RecordType``; a table name read from the database finds its entry too."""


def kind_of(record: m.Record) -> RecordKind:
    """The kind of a stored top-level record."""
    return RECORD_KINDS[record.__tablename__]


def describe(record: m.Record) -> tuple[str, str]:
    """A title and a subtitle for a record, in the patient's words."""
    kind = RECORD_KINDS.get(record.__tablename__)
    if kind is None:
        return f"{type(record).__name__} {record.id}", ""
    return kind.describe(record)


def record_date(record: m.Record) -> dt.date | None:
    """The date a patient would file the record under."""
    kind = RECORD_KINDS.get(record.__tablename__)
    return kind.record_date(record) if kind is not None else None
