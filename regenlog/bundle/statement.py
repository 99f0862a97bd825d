"""The itemized statement: a superbill with the CMS-1500 fields (DOMAIN.md section 3).

Box numbers are printed beside each field so a reviewer can copy them onto a claim form.
Under each service, what other payers paid (to the patient or to the provider), what is
claimed and still open, and what is requested here, from the core's money figures. Then the
receipts line by line, the lab results, the insurer call log and the written
determinations; for an HSA or FSA, the letter of medical necessity and, when it is true,
the patient's attestation that nothing was reimbursed elsewhere.
"""

from __future__ import annotations

import datetime as dt

from ..core import models as m
from ..core.enums import (
    Decision,
    DeterminationKind,
    PaymentMethod,
    ReceiptLineKind,
    WrittenConfirmation,
)
from . import asking
from .describe import outcome, provider_name, service, tax_id
from .enclosures import Enclosure
from .markup import Raw, day, esc, fields, grid, money
from .select import BundleRecords, TreatmentRecords

POINTER_LETTERS = "ABCDEFGHIJKL"


def statement_html(
    records: BundleRecords, enclosures: list[Enclosure], today: dt.date
) -> str:
    hsa = records.destination.to_account
    parts = [
        "<h1>Itemized statement (superbill)</h1>",
        f"<p>Prepared {esc(day(today))} for {esc(records.destination.for_phrase)}"
        f" by the patient from the provider's paperwork. ICD indicator 0 (ICD-10-CM).</p>",
        _patient(records),
    ]
    for t in records.treatments:
        parts.append(_treatment(t, records, enclosures))
    parts.append(_totals(records))
    if hsa:
        parts.append(_reimbursement(records))
    parts.append(_calls(records))
    parts.append(_determinations(records))
    return "".join(p for p in parts if p)


def _patient(records: BundleRecords) -> str:
    person, plan, account = records.person, records.payer_plan, records.account
    pairs: list[tuple[str, object]] = [
        ("Patient's name (2)", person.name),
        ("Date of birth, sex (3)", ", ".join(x for x in (day(person.date_of_birth), person.sex) if x)),
        ("Patient's address (5)", person.address),
    ]
    if plan is not None:
        pairs += [
            ("Insured's ID number (1a)", plan.member_id),
            ("Insured's group number (11)", plan.group_number),
            ("Insurer and plan", " ".join(x for x in (plan.insurer, plan.plan_name) if x)),
        ]
    if account is not None:
        pairs += [
            (f"{account.kind.upper()} administrator", account.administrator),
            ("Account number", account.account_number),
            ("Account opened", day(account.opened_on)),
        ]
    return "<h2>Patient</h2>" + fields(pairs)


def _referring(p: m.Provider | None) -> list[tuple[str, str]]:
    """Boxes 17/17b, only when someone referred the patient (most cash-pay care is not)."""
    if p is None:
        return []
    return [("Referring provider (17)", provider_name(p)), ("Referring provider NPI (17b)", p.npi)]


def _treatment(t: TreatmentRecords, records: BundleRecords, enclosures: list[Enclosure]) -> str:
    tr, p = t.treatment, t.provider
    pos = p.place_of_service if p else ""
    npi = p.npi if p else ""
    out = [
        f"<h2>Date of service {esc(day(tr.date_of_service))}: {esc(service(tr))}</h2>",
        fields([
            ("Provider (rendering and billing, 24J/33)", provider_name(p)),
            ("Provider address (32/33)", p.address if p else ""),
            ("NPI (24J/33a)", npi),
            ("Federal tax ID (25)", tax_id(p)),
            ("Place of service (24B)", pos),
            *_referring(t.referring),
            ("Indication", tr.indication),
            ("Description", tr.description),
            ("Prior authorization number (23)",
             ", ".join(asking.prior_authorizations(records, t)) or "none on file"),
        ]),
        "<h3>Diagnoses (21)</h3>",
        grid(
            ["", "ICD-10-CM", "Description"],
            [[POINTER_LETTERS[d.position], d.code, d.description] for d in t.diagnoses],
            keep=(1,),
        ) if t.diagnoses else "<p>No diagnosis code recorded.</p>",
        "<h3>Services (24)</h3>",
        _lines(t, pos, npi),
        fields([
            ("Total charge (28)", money(asking.money_of(records, t).billed_cents)),
            ("Amount paid (29)", money(asking.money_of(records, t).paid_cents)),
        ]),
        _money_lines(records, t),
    ]
    out += [_receipt(r) for r in t.receipts]
    if t.labs:
        out += ["<h3>Lab results</h3>", grid(
            ["Collected", "Test", "Value", "Unit", "Reference range", "Abnormal"],
            [[day(x.collected_on), x.test, x.value, x.unit, x.reference_range,
              "yes" if x.abnormal else "no"] for x in t.labs],
            keep=(0,),
        )]
    if t.letters:
        out.append(_letters(t, enclosures))
    return "".join(out)


def _lines(t: TreatmentRecords, pos: str, npi: str) -> str:
    if not t.lines:
        return "<p>No procedure line recorded.</p>"
    rows = [
        [
            day(t.treatment.date_of_service), pos, x.code, x.modifiers.replace(",", " "),
            x.description, x.pointers, money(x.charge_cents), str(x.units), npi,
        ]
        for x in t.lines
    ]
    return grid(
        ["24A Date", "24B POS", "24D Code", "Modifiers", "Description", "24E Dx",
         "24F Charges", "24G Units", "24J NPI"],
        rows, numeric=(6, 7), keep=(0, 1, 2, 3, 5, 8), small=True,
    )


def _method_words(method: PaymentMethod) -> str:
    """"card", "cash", "financing", but "HSA card": the account names keep their capitals."""
    label = method.label
    return label if label[:3] in ("HSA", "FSA") else label.lower()


def _receipt(item) -> str:
    r = item.receipt
    number = f" {r.receipt_number}" if r.receipt_number else ""
    head = (
        f"<h3>Receipt{esc(number)}, paid {esc(day(r.paid_on))} by "
        f"{esc(_method_words(PaymentMethod(r.payment_method)))}</h3>"
    )
    rows = [[ReceiptLineKind(x.kind).label, x.description, money(x.amount_cents)]
            for x in item.lines]
    rows.append([Raw("<b>Total</b>"), "", Raw(f"<b>{esc(money(r.total_cents))}</b>")])
    return head + grid(["Item", "Description", "Amount"], rows, numeric=(2,), keep=(0,))


def _letters(t: TreatmentRecords, enclosures: list[Enclosure]) -> str:
    rows = []
    for item in t.letters:
        x = item.letter
        enclosed = [e.label for e in enclosures
                    if e.attached_to == ("medical_necessity_letter", x.id)]
        rows.append([
            day(x.written_on), x.physician_name, ", ".join(item.diagnoses),
            x.treatment_and_frequency, x.expected_duration, day(x.valid_until),
            ", ".join(enclosed) or "not enclosed",
        ])
    return "<h3>Letter of medical necessity</h3>" + grid(
        ["Written", "Physician", "Diagnoses", "Treatment and frequency", "Duration",
         "Valid until", "Enclosure"], rows, keep=(0, 2, 5), small=True,
    )


def _money_lines(records: BundleRecords, t: TreatmentRecords) -> str:
    """What other payers did for this service, and what this bundle asks."""
    rows = [[x.label, x.reference, day(x.day), money(x.cents)]
            for x in asking.money_lines(records, t)]
    rows.append([Raw("<b>Requested in this bundle</b>"), "", "",
                 Raw(f"<b>{esc(money(asking.requested(records, t)))}</b>")])
    return "<h3>Paid, paid back and requested</h3>" + grid(
        ["", "Reference", "Date", "Amount"], rows, numeric=(3,), keep=(2,), small=True,
    )


def _totals(records: BundleRecords) -> str:
    return "<h2>Totals</h2>" + fields([
        ("Total charges", money(asking.total(records, "billed_cents"))),
        ("Total paid by the patient", money(asking.total(records, "paid_cents"))),
        ("Paid back to the patient already", money(asking.total(records, "reimbursed_cents"))),
        ("Paid by payers to the providers",
         money(asking.total(records, "paid_to_provider_cents"))),
        ("Claimed and still open", money(asking.total(records, "awaiting_cents"))),
        ("Requested in this bundle", money(asking.total_requested(records))),
    ])


def _reimbursement(records: BundleRecords) -> str:
    kind = records.destination.upper()
    # Only what is true may be attested: nothing paid back, nothing claimed elsewhere, and
    # something left to request.
    clean = [t for t in records.treatments
             if not asking.money_of(records, t).reimbursed_cents
             and not asking.money_of(records, t).open_claims
             and asking.requested(records, t) > 0]
    out = ["<h2>Reimbursement from other sources</h2>",
           "<p>Each service above lists what other payers paid, to you or to the provider, "
           "and what is claimed from them and still open; none of it is requested here.</p>"]
    if clean:
        dates = ", ".join(day(t.treatment.date_of_service) for t in clean)
        out.append(
            f"<p><b>Patient's attestation.</b> I, {esc(records.person.name)}, attest that the "
            f"expenses for the services of {esc(dates)} have not been reimbursed by insurance "
            f"or any other source, and that I will not claim them from any other plan or "
            f"deduct them on my tax return while I claim them from my {kind}.</p>"
            "<p>Signature ______________________________ Date ______________</p>"
        )
    return "".join(out)


def _calls(records: BundleRecords) -> str:
    calls = records.unique("calls")
    if not calls:
        return ""
    rows = [
        [day(c.called_at), c.rep_name, c.reference_number, outcome(c), c.answer,
         _confirmation(c)]
        for c in calls
    ]
    return "<h2>Calls with the insurer</h2>" + grid(
        ["Date and time", "Rep", "Reference", "Outcome", "Answer",
         "Written confirmation"], rows, keep=(2,), small=True,
    ) + (
        "<p class=small>A verbal answer binds nobody; \"not currently denied\" and "
        "pre-authorization are not promises to pay.</p>"
    )


def _confirmation(c) -> str:
    if c.written_confirmation == WrittenConfirmation.received:
        return "received"
    if c.written_confirmation == WrittenConfirmation.requested:
        asked = f" on {day(c.confirmation_requested_on)}" if c.confirmation_requested_on else ""
        return f"requested{asked}, not received"
    return "none"


def _determinations(records: BundleRecords) -> str:
    found: list[m.Determination] = records.unique("determinations")
    if not found:
        return ""
    rows = [
        [day(d.received_on), DeterminationKind(d.kind).label, d.reference_number,
         Decision(d.decision).label,
         " to ".join(x for x in (day(d.valid_from), day(d.valid_to)) if x),
         d.codes_covered, money(d.amount_allowed_cents), money(d.amount_paid_cents),
         money(d.amount_paid_to_provider_cents)]
        for d in found
    ]
    return "<h2>Written determinations</h2>" + grid(
        ["Received", "Kind", "Reference", "Decision", "Valid", "Codes covered", "Allowed",
         "Paid to you", "Paid to provider"], rows, numeric=(6, 7, 8), keep=(0, 2), small=True,
    )
