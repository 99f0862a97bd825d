"""The sums a bundle states: what was billed, paid, already reimbursed and now claimed.

All integer cents. The cover letter, the statement, the FHIR claims and the manifest read
these same functions, so the figures agree everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.enums import Decision, DeterminationKind, PaymentMethod
from ..core.reimbursement.amounts import OPEN_STATUSES, PAID_STATUSES
from .select import BundleRecords, TreatmentRecords


@dataclass(frozen=True)
class Reimbursement:
    """Money already paid back for a treatment, by whom, when."""

    source: str  # "insurer", "hsa", "fsa"
    amount_cents: int
    paid_on: dt.date | None
    reference: str


def charges(t: TreatmentRecords) -> int:
    """The billed charges (CMS-1500 box 28): the sum of the procedure lines."""
    return sum(line.charge_cents for line in t.lines)


def paid(t: TreatmentRecords) -> int:
    """What the patient paid (box 29): the sum of the receipts."""
    return sum(r.receipt.total_cents for r in t.receipts)


def reimbursements(t: TreatmentRecords) -> list[Reimbursement]:
    """Recorded repayments: paid claims, and EOB payments no claim already accounts for.

    As in the core's money (``claim_stake``): a claim counts what it paid once it is paid or
    partly paid; while open (an appeal after a partial payment) it counts what it asks."""
    out = [
        Reimbursement(str(c.destination), c.amount_paid_cents, c.paid_on, f"claim {c.id}")
        for c in t.claims
        if c.status in PAID_STATUSES and c.amount_paid_cents > 0
    ]
    linked = {c.determination_id for c in t.claims if c.determination_id is not None}
    out += [
        Reimbursement("insurer", d.amount_paid_cents, d.received_on, d.reference_number)
        for d in t.determinations
        if d.kind == DeterminationKind.eob and (d.amount_paid_cents or 0) > 0
        and d.id not in linked and d.treatment_id == t.treatment.id
    ]
    return out


def reimbursed(t: TreatmentRecords) -> int:
    return sum(r.amount_cents for r in reimbursements(t))


def paid_from_accounts(t: TreatmentRecords) -> int:
    """Paid with an HSA or FSA card: tax-free money already, so no account repays it."""
    cards = (PaymentMethod.hsa_card, PaymentMethod.fsa_card)
    return sum(r.receipt.total_cents for r in t.receipts if r.receipt.payment_method in cards)


def pending_elsewhere(t: TreatmentRecords, destination: str) -> list:
    """Open claims for this treatment to anyone but ``destination``: money another payer may
    still pay, which this bundle must neither ask for again nor deny exists."""
    return [c for c in t.claims
            if c.status in OPEN_STATUSES and str(c.destination) != destination]


def claimed(t: TreatmentRecords, destination: str) -> int:
    """What this bundle asks for. An HSA or FSA repays what the patient paid out of pocket:
    less what was reimbursed, what an HSA or FSA card paid and what open claims elsewhere
    ask for (the same rule as ``TreatmentMoney.claimable_cents``, except that an open claim
    to this destination is the one the bundle supports). An insurer or an appeal is asked
    about the billed charges."""
    if destination in ("hsa", "fsa"):
        pending = sum(c.amount_claimed_cents for c in pending_elsewhere(t, destination))
        return max(paid(t) - reimbursed(t) - paid_from_accounts(t) - pending, 0)
    return charges(t) or paid(t)


def total_claimed(records: BundleRecords) -> int:
    return sum(claimed(t, records.destination) for t in records.treatments)


def prior_authorizations(t: TreatmentRecords) -> list[str]:
    """Reference numbers of approved pre-authorizations (CMS-1500 box 23)."""
    return [
        d.reference_number
        for d in t.determinations
        if d.kind == DeterminationKind.preauthorization
        and d.decision in (Decision.approved, Decision.partial)
        and d.reference_number
    ]


def denials(records: BundleRecords) -> list:
    """Denials an appeal answers: denial letters and denied appeal decisions, oldest first."""
    found = {
        d.id: d
        for t in records.treatments
        for d in t.determinations
        if d.kind == DeterminationKind.denial
        or (d.kind == DeterminationKind.appeal_decision and d.decision == Decision.denied)
    }
    return sorted(found.values(), key=lambda d: (d.received_on, d.id))
