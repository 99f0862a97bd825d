"""Which fields each record's form shows, in order, with their labels and kinds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = "text"  # text, multiline, date, datetime, money, int, percent, enum, bool, ref,
    #                     npi, tax_id, place_of_service, codes
    ref: str | None = None  # record type for "ref"
    required: bool = False  # shown with an asterisk; the core says why when it is missing
    optional_amount: bool = False  # money/int that may be left empty (None) rather than 0
    placeholder: str = ""
    help: str = ""
    options: dict[str, Any] = field(default_factory=dict)


def F(name: str, label: str, kind: str = "text", **kw) -> FieldSpec:  # noqa: N802
    return FieldSpec(name, label, kind, **kw)


NOTES = F("notes", "Notes", "multiline")

FORMS: dict[str, list[FieldSpec]] = {
    "person": [
        F("name", "Name", required=True, placeholder="As it appears on the insurance card"),
        F("date_of_birth", "Date of birth", "date"),
        F("sex", "Sex", placeholder="As on the insurance card (F, M or X)"),
        F("address", "Address", "multiline"),
        NOTES,
    ],
    "insurance_plan": [
        F("person_id", "Member", "ref", ref="person", required=True),
        F("insurer", "Insurer", required=True, placeholder="e.g. Aetna, Blue Cross"),
        F("plan_name", "Plan"),
        F("plan_type", "Plan type", "enum"),
        F("member_id", "Member ID", help="The insured's ID number (CMS-1500 box 1a)."),
        F("group_number", "Group number"),
        F("phone", "Member services phone"),
        F("claims_address", "Claims address", "multiline"),
        F("filing_limit_days", "Claim-filing limit (days)", "int", optional_amount=True,
          help="Days after the date of service to file an out-of-network claim (often 90 "
          "or 365); from your plan documents."),
        NOTES,
    ],
    "account": [
        F("person_id", "Holder", "ref", ref="person", required=True),
        F("kind", "Kind", "enum"),
        F("administrator", "Administrator"),
        F("account_number", "Account number"),
        F("opened_on", "Opened on", "date",
          help="An HSA pays only for care received after it was opened."),
        F("plan_year_start", "Plan year starts", "date"),
        F("plan_year_end", "Plan year ends", "date"),
        F("extension", "After the plan year", "enum"),
        F("grace_period_end", "Grace period ends", "date"),
        F("run_out_days", "Run-out period (days)", "int", optional_amount=True),
        NOTES,
    ],
    "provider": [
        F("name", "Name", required=True),
        F("credentials", "Credentials", placeholder="e.g. MD, DO"),
        F("is_organization", "This is a clinic or organization", "bool"),
        F("npi", "NPI", "npi", help="10 digits; the superbill needs it."),
        F("tax_id", "Tax ID (EIN)", "tax_id", placeholder="12-3456789",
          help="Write an EIN with its dash. For a physician, nine digits without it may be "
               "an SSN: the bundle then shows only the last four."),
        F("address", "Address", "multiline"),
        F("phone", "Phone"),
        F("place_of_service", "Place of service", "place_of_service", placeholder="11",
          help="Two digits: 11 office, 22 outpatient hospital, 24 surgery center."),
        NOTES,
    ],
    "treatment": [
        F("person_id", "Patient", "ref", ref="person", required=True),
        F("date_of_service", "Date of service", "date", required=True),
        F("provider_id", "Provider", "ref", ref="provider"),
        F("referring_provider_id", "Referred by", "ref", ref="provider",
          help="The physician who sent you, if any (CMS-1500 box 17): some plans pay a "
               "specialist only with a referral on file."),
        F("plan_id", "Insurance plan", "ref", ref="insurance_plan"),
        F("category", "Category", "enum", required=True),
        F("body_site", "Body site", placeholder="e.g. knee, shoulder, elbow"),
        F("side", "Side", "enum"),
        F("description", "Description", placeholder="What was done, in your words"),
        F("indication", "Indication", placeholder="Why: the condition it treats"),
        F("regulatory_note", "Regulatory status", "enum",
          help="361 HCT/P and RMAT are not FDA approval; insurers look for BLA approval."),
        F("paid_by_patient", "I paid for this treatment", "bool"),
        NOTES,
    ],
    "good_faith_estimate": [
        F("person_id", "Patient", "ref", ref="person", required=True),
        F("provider_id", "Provider", "ref", ref="provider"),
        F("treatment_id", "Treatment", "ref", ref="treatment"),
        F("issued_on", "Issued on", "date", required=True),
        F("total_cents", "Estimated total", "money", required=True),
        NOTES,
    ],
    "receipt": [
        F("treatment_id", "Treatment", "ref", ref="treatment", required=True),
        F("paid_on", "Paid on", "date", required=True),
        F("total_cents", "Amount paid", "money", required=True),
        F("payment_method", "Payment method", "enum"),
        F("receipt_number", "Receipt number"),
        NOTES,
    ],
    "lab_result": [
        F("person_id", "Patient", "ref", ref="person", required=True),
        F("treatment_id", "For treatment", "ref", ref="treatment"),
        F("test", "Test", required=True, placeholder="e.g. Vitamin B12"),
        F("value", "Value", required=True),
        F("unit", "Unit", placeholder="e.g. pg/mL"),
        F("reference_range", "Reference range", placeholder="e.g. 232-1245"),
        F("collected_on", "Collected on", "date", required=True),
        F("abnormal", "Outside the reference range", "bool"),
        NOTES,
    ],
    "insurer_call": [
        F("person_id", "Member", "ref", ref="person", required=True),
        F("plan_id", "Insurance plan", "ref", ref="insurance_plan"),
        F("treatment_id", "About treatment", "ref", ref="treatment"),
        F("called_at", "Date and time of the call", "datetime"),
        F("rep_name", "Representative's name", help="Ask for it at the start of the call."),
        F("reference_number", "Call reference number",
          help="Ask for a reference number before you hang up."),
        F("questions", "Questions asked", "multiline", options={"lines": 5}),
        F("answer", "What the representative said", "multiline"),
        F("outcome", "Outcome", "enum"),
        F("written_confirmation", "Written confirmation", "enum"),
        F("confirmation_requested_on", "Confirmation requested on", "date"),
        NOTES,
    ],
    "determination": [
        F("person_id", "Member", "ref", ref="person", required=True),
        F("plan_id", "Insurance plan", "ref", ref="insurance_plan"),
        F("treatment_id", "Treatment", "ref", ref="treatment"),
        F("call_id", "Confirms call", "ref", ref="insurer_call"),
        F("kind", "Kind", "enum", required=True),
        F("decision", "Decision", "enum"),
        F("reference_number", "Reference number"),
        F("received_on", "Received on", "date", required=True),
        F("valid_from", "Valid from", "date"),
        F("valid_to", "Valid until", "date"),
        F("codes_covered", "Codes covered", placeholder="e.g. 0232T, M17.11"),
        F("is_final", "Final internal denial (starts the external-review clock)", "bool"),
        F("amount_allowed_cents", "Amount allowed", "money", optional_amount=True),
        F("amount_paid_cents", "Amount paid to you", "money", optional_amount=True),
        F("amount_paid_to_provider_cents", "Amount paid to the provider", "money",
          optional_amount=True,
          help="What the EOB says the plan paid the clinic directly: not money paid back to you."),
        NOTES,
    ],
    "medical_necessity_letter": [
        F("person_id", "Patient", "ref", ref="person", required=True),
        F("provider_id", "Provider", "ref", ref="provider"),
        F("physician_name", "Physician"),
        F("written_on", "Written on", "date", required=True),
        F("codes", "Diagnosis codes", "codes", placeholder="e.g. M17.11, M17.12"),
        F("rationale", "Why it is medically necessary", "multiline"),
        F("treatment_and_frequency", "Treatment and frequency"),
        F("expected_duration", "Expected duration"),
        F("valid_until", "Valid until", "date",
          help="FSA and HSA administrators want a letter that is current; renew it before then."),
        NOTES,
    ],
    "claim": [
        F("treatment_id", "Treatment", "ref", ref="treatment", required=True),
        F("destination", "Sent to", "enum", required=True),
        F("plan_id", "Insurance plan", "ref", ref="insurance_plan"),
        F("account_id", "HSA or FSA", "ref", ref="account"),
        F("determination_id", "Linked EOB or decision", "ref", ref="determination"),
        F("submitted_on", "Submitted on", "date"),
        F("amount_claimed_cents", "Amount claimed", "money"),
        F("status", "Status", "enum"),
        F("amount_paid_cents", "Amount paid back to you", "money"),
        F("amount_paid_to_provider_cents", "Amount paid to the provider", "money",
          help="Paid by the plan straight to the clinic: it counts as the plan's payment, "
               "never as money paid back to you."),
        F("paid_on", "Paid on", "date"),
        NOTES,
    ],
    "financing_plan": [
        F("person_id", "Borrower", "ref", ref="person", required=True),
        F("treatment_id", "For treatment", "ref", ref="treatment"),
        F("lender", "Lender", required=True, placeholder="e.g. CareCredit"),
        F("amount_cents", "Amount financed", "money", required=True),
        F("purchase_date", "Purchase date", "date", required=True),
        F("promo_months", "Promotion length (months)", "int"),
        F("promo_end", "Promotion ends", "date"),
        F("promo_apr_bp", "Promotional APR", "percent"),
        F("standard_apr_bp", "Standard APR", "percent",
          help="From your cardholder agreement; deferred interest is charged at this rate."),
        F("deferred_interest", "Deferred interest if not paid in full", "bool"),
        F("minimum_payment_cents", "Minimum monthly payment", "money"),
        NOTES,
    ],
    "document": [
        F("title", "Title", required=True),
        F("kind", "Kind", "enum"),
        F("document_date", "Date on the document", "date"),
        NOTES,
    ],
}
