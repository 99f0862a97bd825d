"""The columns each list shows, and the core sort key behind each one."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.record_kinds import RECORD_KINDS


@dataclass(frozen=True)
class Column:
    title: str
    field: str
    kind: str = "text"  # text, date, datetime, money, enum, int, bool, size, percent
    ref: str | None = None  # record type a reference column names
    sortable: bool = True
    width: int | None = None

    @property
    def sort_key(self) -> str | None:
        if not self.sortable:
            return None
        if self.ref:
            return f"{self.field}.{RECORD_KINDS[self.ref].label_column or 'id'}"
        return self.field


def _ref(title: str, field: str, ref: str, width: int | None = None) -> Column:
    sortable = RECORD_KINDS[ref].label_column is not None
    return Column(title, field, "ref", ref=ref, sortable=sortable, width=width)


COLUMNS: dict[str, list[Column]] = {
    "treatment": [
        Column("Date", "date_of_service", "date", width=100),
        _ref("Patient", "person_id", "person", 140),
        _ref("Provider", "provider_id", "provider", 180),
        Column("Category", "category", "enum", width=170),
        Column("Site", "body_site", width=110),
        Column("Side", "side", "enum", width=80),
        Column("Description", "description"),
    ],
    "receipt": [
        Column("Paid on", "paid_on", "date", width=100),
        _ref("Treatment", "treatment_id", "treatment", 260),
        Column("Receipt no.", "receipt_number", width=110),
        Column("Method", "payment_method", "enum", width=110),
        Column("Total", "total_cents", "money", width=110),
    ],
    "insurer_call": [
        Column("Called", "called_at", "datetime", width=140),
        _ref("Insurer", "plan_id", "insurance_plan", 150),
        Column("Representative", "rep_name", width=140),
        Column("Reference no.", "reference_number", width=130),
        Column("Outcome", "outcome", "enum", width=180),
        Column("Written confirmation", "written_confirmation", "enum"),
    ],
    "determination": [
        Column("Received", "received_on", "date", width=100),
        Column("Kind", "kind", "enum", width=200),
        Column("Decision", "decision", "enum", width=110),
        Column("Reference no.", "reference_number", width=130),
        _ref("Treatment", "treatment_id", "treatment", 220),
        Column("Valid until", "valid_to", "date", width=100),
    ],
    "medical_necessity_letter": [
        Column("Written on", "written_on", "date", width=100),
        _ref("Patient", "person_id", "person", 140),
        Column("Physician", "physician_name", width=170),
        Column("Treatment and frequency", "treatment_and_frequency"),
        Column("Valid until", "valid_until", "date", width=100),
    ],
    "claim": [
        Column("Submitted", "submitted_on", "date", width=100),
        _ref("Treatment", "treatment_id", "treatment", 230),
        Column("To", "destination", "enum", width=80),
        Column("Status", "status", "enum", width=100),
        Column("Claimed", "amount_claimed_cents", "money", width=100),
        Column("Paid", "amount_paid_cents", "money", width=100),
        Column("Paid on", "paid_on", "date", width=100),
    ],
    "financing_plan": [
        Column("Purchase date", "purchase_date", "date", width=110),
        Column("Lender", "lender", width=160),
        Column("Amount", "amount_cents", "money", width=110),
        Column("Promotion ends", "promo_end", "date", width=120),
        Column("Deferred interest", "deferred_interest", "bool", width=130),
        Column("Minimum payment", "minimum_payment_cents", "money"),
    ],
    "document": [  # the Documents page stretches the title; the others fit beside a preview
        Column("Date", "document_date", "date", width=95),
        Column("Title", "title", width=240),
        Column("Kind", "kind", "enum", width=125),
        Column("File", "original_name", width=125),
        Column("Size", "size", "size", width=70),
    ],
    "person": [
        Column("Name", "name", width=220),
        Column("Date of birth", "date_of_birth", "date", width=120),
        Column("Address", "address"),
    ],
    "insurance_plan": [
        Column("Insurer", "insurer", width=170),
        Column("Plan", "plan_name", width=170),
        Column("Type", "plan_type", "enum", width=110),
        Column("Member ID", "member_id", width=130),
        _ref("Member", "person_id", "person"),
    ],
    "account": [
        Column("Kind", "kind", "enum", width=80),
        Column("Administrator", "administrator", width=180),
        Column("Opened", "opened_on", "date", width=100),
        Column("Plan year ends", "plan_year_end", "date", width=120),
        _ref("Holder", "person_id", "person"),
    ],
    "provider": [
        Column("Name", "name", width=220),
        Column("Credentials", "credentials", width=110),
        Column("NPI", "npi", width=120),
        Column("Place of service", "place_of_service", width=120),
        Column("Address", "address"),
    ],
    "lab_result": [
        Column("Collected", "collected_on", "date", width=100),
        Column("Test", "test", width=180),
        Column("Value", "value", width=90),
        Column("Unit", "unit", width=80),
        Column("Reference range", "reference_range", width=130),
        Column("Abnormal", "abnormal", "bool"),
    ],
    "good_faith_estimate": [
        Column("Issued", "issued_on", "date", width=100),
        _ref("Provider", "provider_id", "provider", 200),
        _ref("Treatment", "treatment_id", "treatment", 230),
        Column("Total", "total_cents", "money"),
    ],
}
