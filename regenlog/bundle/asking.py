"""What a bundle asks its payer for, and the lines that show a reviewer the rest.

Nothing here adds up money on its own: every figure is the core's (``TreatmentMoney``,
loaded with the records in ``select.gather``), so the cover letter, the statement, the FHIR
claims, the manifest, the dashboard and the claim form agree. A bundle asks each payer only
for what is still claimable from it; what was paid back, paid to the provider, claimed and
still open, or paid with an HSA or FSA card is shown, line by line, and not asked for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.authorizations import authorization_label, covering
from ..core.checklist.facts import describe_treatment
from ..core.enums import ClaimDestination, ClaimStatus, Decision, DeterminationKind
from ..core.errors import ValidationError
from ..core.reimbursement import TreatmentMoney
from ..core.vocabulary import Destination
from .select import BundleRecords, TreatmentRecords


@dataclass(frozen=True)
class MoneyLine:
    """One line of a treatment's money as the statement shows it."""

    label: str
    reference: str
    day: dt.date | None
    cents: int


def money_of(records: BundleRecords, t: TreatmentRecords) -> TreatmentMoney:
    return records.money[t.treatment.id]


def requested(records: BundleRecords, t: TreatmentRecords) -> int:
    """What this bundle asks its payer to pay back for ``t``."""
    return money_of(records, t).claimable_cents(records.destination)


def total_requested(records: BundleRecords) -> int:
    return sum(requested(records, t) for t in records.treatments)


def total(records: BundleRecords, figure: str) -> int:
    """The sum of one ``TreatmentMoney`` figure ("billed_cents", ...) over the treatments."""
    return sum(getattr(money_of(records, t), figure) for t in records.treatments)


def supported_claims(records: BundleRecords, t: TreatmentRecords) -> list:
    """Open claims to this bundle's own payer: the bundle supports them, never asks again."""
    own = records.destination.payer
    return [c for c in money_of(records, t).open_claims if c.destination == own]


def money_lines(records: BundleRecords, t: TreatmentRecords) -> list[MoneyLine]:
    """What other payers paid or were asked for, what went to the provider, what an HSA or
    FSA card paid (for an HSA or FSA), each with its reference; then what is requested."""
    money, destination = money_of(records, t), records.destination
    own = destination.payer
    lines = []
    for p in money.payments:
        payer = ClaimDestination(p.source).payer_name
        label = (f"Paid by {payer} to the provider (not paid back to you)" if p.to_provider
                 else f"Paid back to you by {payer}")
        lines.append(MoneyLine(label, p.reference, p.paid_on, p.cents))
    for c in money.open_claims:
        status = ClaimStatus(c.status).label.lower()
        sent = f", submitted {c.submitted_on}" if c.submitted_on else ""
        what = "Already claimed from" if c.destination == own else "Claimed from"
        lines.append(MoneyLine(f"{what} {ClaimDestination(c.destination).payer_name}, still open "
                               f"({status}{sent})", f"claim {c.claim_id}", None, c.cents))
    if destination.to_account:
        for cents, card in ((money.paid_with_hsa_card_cents, "HSA"),
                            (money.paid_with_fsa_card_cents, "FSA")):
            if cents:
                lines.append(MoneyLine(f"Paid with your {card} card (tax-free already, not "
                                       "requested)", "", None, cents))
    if money.overpaid_cents:
        lines.append(MoneyLine("Owed back to you by the provider (it was paid more than it "
                               "charged; not requested)", "", None, money.overpaid_cents))
    return lines


def refuse_asking_again(records: BundleRecords) -> None:
    """An insurer claim bundle for a treatment the insurer has already decided would ask it
    again: refuse it, with the way out, before anything is written."""
    if records.destination != Destination.insurer:
        return
    decided = [(t, money_of(records, t)) for t in records.treatments
               if money_of(records, t).insurer_decided]
    if not decided:
        return
    insurer = records.payer_plan.insurer if records.payer_plan else "The insurer"
    named = [f"{describe_treatment(t.treatment)} ({money.decisions[0].words})"
             for t, money in decided]
    if len(named) == 1:
        what, them = named[0], "this treatment"
    else:
        listing = ", ".join(named[:-1]) + f" and {named[-1]}"
        what, them = f"{len(named)} of these treatments: {listing}", "those treatments"
    raise ValidationError(
        f"{insurer} has already decided {what}; a new insurer claim bundle would ask it again: "
        f"make an appeal bundle to ask it to reconsider, or leave {them} out."
    )


def prior_authorizations(records: BundleRecords, t: TreatmentRecords) -> list[str]:
    """Every pre-authorization on file that covers the treatment's date and codes (box 23)."""
    codes = [x.code for x in t.lines] + [d.code for d in t.diagnoses]
    return [authorization_label(d) for d in covering(records.authorizations, t.treatment, codes)]


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
