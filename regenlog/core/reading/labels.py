"""The words documents print before a value, and which field each one announces.

Matched on whole words, case-insensitively, longest first, so "Plan paid" is never read as
"Paid" and "Not allowed" never as "Allowed". A label that names nothing we read (None)
is listed only to shield a shorter one ("Date of birth" is not a date of service).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from regenlog.core.reading.words import Word

# label -> the fields it may announce, tried in order (the first whose value reads wins)
LABELS: dict[str, tuple[str, ...]] = {}


def _add(fields: tuple[str, ...], *phrases: str) -> None:
    for phrase in phrases:
        LABELS[phrase] = fields


_add(("patient_name",), "patient", "patient name", "patient's name", "member", "member name",
     "name of patient", "patient full name")
_add(("member_id",), "member id", "member #", "member no", "member number", "id number",
     "subscriber id", "insurance id", "insured's id", "insured id", "policy number",
     "policy #", "policy no", "member id number", "id #")
_add(("provider_name",), "provider", "provider name", "billing provider", "rendering provider",
     "requesting provider", "treating provider", "servicing provider", "practice", "clinic",
     "physician", "treating physician", "doctor", "facility", "pay to", "payee",
     "ordering physician", "performed by")
_add(("provider_npi",), "npi", "npi #", "npi no", "npi number", "billing npi", "provider npi",
     "group npi", "national provider identifier", "rendering npi")
_add(("provider_tax_id",), "tax id", "tin", "ein", "tax id number", "federal tax id",
     "fed tax id", "taxpayer id", "tax identification number", "federal ein")
_add(("date_of_service",), "date of service", "dos", "service date", "dates of service",
     "date(s) of service", "date of visit", "visit date", "treatment date", "date of treatment",
     "service dates", "exam date", "scheduled service", "collected", "collection date",
     "date collected", "date of procedure", "procedure date")
_add(("payment_date",), "payment date", "date paid", "paid on", "date of payment",
     "payment received")
_add(("payment_date", "paid_cents"), "paid")
_add(("receipt_number",), "receipt no", "receipt #", "receipt number", "receipt", "invoice",
     "invoice no", "invoice #", "invoice number", "receipt id", "transaction id",
     "transaction #", "ref. no", "statement no")
_add(("total_cents",), "total", "total charges", "total charge", "total due", "total amount",
     "total fees", "grand total", "total estimated cost", "estimated total", "total cost",
     "amount due", "invoice total")
_add(("paid_cents",), "amount paid", "total paid", "payment received", "payment amount",
     "paid amount", "you paid", "patient paid", "paid today", "amount paid today")
_add(("payment_method",), "payment method", "method of payment", "paid by", "paid with",
     "payment type", "tender", "paid via", "method")
_add(("claim_number",), "claim number", "claim #", "claim no", "claim id", "claim",
     "claim reference")
_add(("billed_cents",), "billed", "amount billed", "total billed", "billed amount",
     "provider charges", "amount charged", "charges billed", "billed charges")
_add(("allowed_cents",), "allowed", "allowed amount", "amount allowed", "plan allowance",
     "approved amount", "eligible amount")
_add(("plan_paid_cents",), "plan paid", "paid by plan", "plan payment", "insurance paid",
     "we paid", "amount plan paid", "plan paid amount", "benefit paid", "plan's payment")
_add(("patient_responsibility_cents",), "you owe", "your responsibility",
     "patient responsibility", "amount you owe", "what you owe", "your share",
     "member responsibility", "you may owe", "patient owes", "your cost")
_add(("reference_number",), "reference number", "reference #", "reference no", "ref #",
     "ref no", "authorization number", "authorization #", "authorization no",
     "authorization", "auth #", "auth no", "auth number", "prior authorization number",
     "approval number", "confirmation number", "reference", "case number", "case #",
     "tracking number", "determination number")
_add(("decision",), "decision", "status", "determination", "outcome", "prior authorization",
     "claim status", "result")
_add(("decision_date",), "decision date", "date of decision", "processed", "date processed",
     "processed on", "determination date", "date of determination", "notice date",
     "date of notice", "decided on")
_add(("promo_end_date",), "promotion ends", "promotional period ends", "promo end date",
     "promotion end date", "promo expires", "expires", "promotion expires",
     "promotional period expires", "no interest if paid in full by", "pay in full by")
_add(("balance_cents",), "balance", "new balance", "balance due", "current balance",
     "balance remaining", "remaining balance", "promotional balance", "outstanding balance",
     "statement balance")
# Weak labels: on a till or card slip "Date" is when it was paid and "Amount" what was
# paid (and all there was to pay); elsewhere they could mean anything, so they are read on
# receipts only, each of their fields filled, and only where no plainer label gave it.
WEAK: dict[str, tuple[str, ...]] = {
    "date": ("payment_date",), "amount": ("total_cents", "paid_cents"),
    "sale amount": ("total_cents", "paid_cents"), "purchase": ("total_cents", "paid_cents"),
}
for _phrase, _fields in WEAK.items():
    LABELS.setdefault(_phrase, _fields)
# Shields: longer phrases that contain a label but announce something else.
_add((), "date of birth", "dob", "birth date", "not allowed", "previous balance",
     "minimum payment due", "minimum payment", "payment due date", "group", "group number",
     "group #", "member services", "claims address", "customer service", "reference range",
     "date issued", "date reported", "reported", "reference call", "patient signature",
     "provider signature", "past due", "account number", "account ending",
     "balance due date", "interest charged", "accrued deferred interest", "paid to provider",
     "status of", "receipt and superbill", "referring physician", "referring provider",
     "ordering provider", "reason", "total charges billed to insurance")


@dataclass(frozen=True, slots=True)
class LabelHit:
    fields: tuple[str, ...]
    phrase: str
    start: int  # index of the first word of the label in the segment
    end: int  # index after its last word


_MAX_LABEL_WORDS = max(len(p.split()) for p in LABELS)
_BY_WORDS: dict[tuple[str, ...], str] = {}  # filled below, once _token exists


def find_labels(words: list[Word]) -> list[LabelHit]:
    """The labels in a run of words, left to right, longest match first, never overlapping."""
    tokens = [_token(w.text) for w in words]
    hits: list[LabelHit] = []
    i = 0
    while i < len(tokens):
        for size in range(min(_MAX_LABEL_WORDS, len(tokens) - i), 0, -1):
            key = tuple(tokens[i:i + size])
            phrase = _BY_WORDS.get(key)
            if phrase is not None:
                hits.append(LabelHit(LABELS[phrase], phrase, i, i + size))
                i += size
                break
        else:
            i += 1
    return hits


def _token(text: str) -> str:
    text = text.lower()
    if text in ("#", "no.", "no:", "no", "#:"):
        return "#" if text.startswith("#") else "no"
    # OCR leaves a speck before a label ("'Patient:") as often as after it.
    return re.sub(r"[:.'\"`,;_]+$", "", re.sub(r"^['\"`‘’,.;:_]+", "", text)).strip()


_BY_WORDS.update({tuple(_token(w) for w in p.split()): p for p in LABELS})
