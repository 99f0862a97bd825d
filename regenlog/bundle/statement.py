"""The itemized statement: a superbill with the CMS-1500 fields (DOMAIN.md section 3).

Box numbers are printed beside each field so a reviewer can copy them onto a claim form.
Then the receipts line by line, the lab results, the insurer call log and the written
determinations; for an HSA or FSA, the letter of medical necessity and either the
patient's attestation that nothing was reimbursed elsewhere, or what was.
"""

from __future__ import annotations

import datetime as dt

from ..core import models as m
from ..core.enums import (
    ClaimStatus,
    Decision,
    DeterminationKind,
    PaymentMethod,
    ReceiptLineKind,
    WrittenConfirmation,
)
from . import amounts
from .describe import outcome, provider_name, service, tax_id
from .enclosures import Enclosure
from .markup import Raw, day, esc, fields, grid, money
from .select import DESTINATION_LABELS, BundleRecords, TreatmentRecords, record_of

POINTER_LETTERS = "ABCDEFGHIJKL"


def statement_html(
    records: BundleRecords, enclosures: list[Enclosure], today: dt.date
) -> str:
    hsa = records.destination in ("hsa", "fsa")
    parts = [
        "<h1>Itemized statement (superbill)</h1>",
        f"<p>Prepared {esc(day(today))} for an {esc(DESTINATION_LABELS[records.destination])}"
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
             ", ".join(amounts.prior_authorizations(t)) or "none on file"),
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
            ("Total charge (28)", money(amounts.charges(t))),
            ("Amount paid (29)", money(amounts.paid(t))),
        ]),
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


def _totals(records: BundleRecords) -> str:
    ts = records.treatments
    return "<h2>Totals</h2>" + fields([
        ("Total charges", money(sum(amounts.charges(t) for t in ts))),
        ("Total paid by the patient", money(sum(amounts.paid(t) for t in ts))),
        ("Reimbursed already (recorded)", money(sum(amounts.reimbursed(t) for t in ts))),
        ("Requested in this bundle" if records.destination in ("hsa", "fsa") else
         "Claimed in this bundle", money(amounts.total_claimed(records))),
    ])


def _reimbursement(records: BundleRecords) -> str:
    kind, dest = records.destination.upper(), records.destination
    ts = records.treatments
    paid_back = [(t, r) for t in ts for r in amounts.reimbursements(t)]
    pending = [(t, c) for t in ts for c in amounts.pending_elsewhere(t, dest)]
    carded = [t for t in ts if amounts.paid_from_accounts(t)]
    # Only what is true may be attested: nothing paid back, nothing pending elsewhere, and
    # something left to request.
    clean = [t for t in ts if not amounts.reimbursements(t)
             and not amounts.pending_elsewhere(t, dest) and amounts.claimed(t, dest) > 0]
    out = ["<h2>Reimbursement from other sources</h2>"]
    if paid_back:
        out.append("<p>Reimbursements recorded for these services:</p>" + grid(
            ["Date of service", "Paid by", "Reference", "Paid on", "Amount"],
            [[day(t.treatment.date_of_service), _payer(r.source), r.reference, day(r.paid_on),
              money(r.amount_cents)] for t, r in paid_back],
            numeric=(4,), keep=(0, 3),
        ))
    if pending:
        out.append(
            "<p>Claims still open with other payers; what they ask for is not requested "
            "here:</p>" + grid(
                ["Date of service", "Claim to", "Submitted", "Status", "Amount claimed"],
                [[day(t.treatment.date_of_service), _payer(str(c.destination)),
                  day(c.submitted_on), ClaimStatus(c.status).label,
                  money(c.amount_claimed_cents)] for t, c in pending],
                numeric=(4,), keep=(0, 2),
            )
        )
    if carded:
        out.append(
            "<p>Paid directly with an HSA or FSA card, so not requested here: "
            + "; ".join(f"{esc(day(t.treatment.date_of_service))} "
                        f"{esc(money(amounts.paid_from_accounts(t)))}" for t in carded)
            + ".</p>"
        )
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


def _payer(source: str) -> str:
    return "Insurer" if source == "insurer" else source.upper()


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
    found = [record_of(d) for d in records.unique("determinations")]
    if not found:
        return ""
    rows = [
        [day(d.received_on), DeterminationKind(d.kind).label, d.reference_number,
         Decision(d.decision).label,
         " to ".join(x for x in (day(d.valid_from), day(d.valid_to)) if x),
         d.codes_covered, money(d.amount_allowed_cents), money(d.amount_paid_cents)]
        for d in found
    ]
    return "<h2>Written determinations</h2>" + grid(
        ["Received", "Kind", "Reference", "Decision", "Valid", "Codes covered", "Allowed",
         "Paid"], rows, numeric=(6, 7), keep=(0, 2), small=True,
    )
