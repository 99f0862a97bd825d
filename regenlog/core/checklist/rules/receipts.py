"""What was paid, and proof of it: receipt.missing, receipt.not_itemized, payment.no_proof."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...money import format_money
from ...vocabulary import Severity
from ..facts import cap
from ..gap import CLAIM_BUNDLES, rule

if TYPE_CHECKING:
    from ..facts import Context, Facts
    from ..gap import Gap, Rule
    from ..rows import TreatmentRow

_ITEMS = "consultation, lab processing of cells, procedure, imaging guidance, follow-up"


def _paid_already(_facts: Facts, t: TreatmentRow, ctx: Context) -> bool:
    return bool(t.paid_by_patient) and t.date_of_service <= ctx.today


def _has_receipts(facts: Facts, t: TreatmentRow, _ctx: Context) -> bool:
    return t.id in facts.receipts_by_treatment


@rule(
    "receipt.missing", Severity.error,
    title="Receipt from the clinic",
    reads=("treatment", "receipt"),
    why=(
        "An insurer, HSA or FSA reimburses only what an itemized receipt from the clinic shows "
        "was paid, service by service."
    ),
    fix="Ask the clinic for an itemized receipt and record it on this treatment.",
    destinations=CLAIM_BUNDLES,
    applies=_paid_already,
)
def receipt_missing(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """A live treatment the patient paid for (``paid_by_patient``) with no live receipt.

    Treatments dated after today are skipped: care that is only scheduled has no receipt yet.
    """
    treatments = facts.treatments
    for treatment_id in sorted(treatments.keys() - facts.receipts_by_treatment.keys()):
        t = treatments[treatment_id]
        if _paid_already(facts, t, ctx):
            yield self.gap(
                "treatment", t.id,
                f"{cap(facts.describe(t))} was paid for but has no receipt on file; "
                "reimbursement needs an itemized receipt from the clinic showing the services "
                "rendered.",
                treatment_id=t.id,
            )


@rule(
    "receipt.not_itemized", Severity.error,
    title="Itemized receipt",
    reads=("receipt", "receipt_line"),
    why=(
        "Reviewers need the cost broken down (consultation, lab processing of cells, procedure, "
        "imaging guidance, follow-up) to see what was paid for; a bundled total is sent back."
    ),
    fix=f"Enter each charge from the clinic's itemized receipt ({_ITEMS}).",
    destinations=CLAIM_BUNDLES,
    applies=_has_receipts,
)
def receipt_not_itemized(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """A receipt with no lines, or lines whose sum differs from its total."""
    for r in facts.receipts:
        n, total = facts.receipt_lines.get(r.id, (0, 0))
        if n and total == r.total_cents:
            continue
        t = facts.treatments[r.treatment_id]
        what = f"receipt for {facts.describe(t)} ({format_money(r.total_cents)} paid on {r.paid_on})"
        if n == 0:
            yield self.gap(
                "receipt", r.id,
                f"The {what} is not itemized; reviewers need the cost broken down ({_ITEMS}) to "
                "see what was paid for.",
                treatment_id=t.id,
                fix=f"Ask the clinic for an itemized receipt and enter each line ({_ITEMS}).",
            )
        else:
            yield self.gap(
                "receipt", r.id,
                f"The lines of the {what} add up to {format_money(total)}, not its total of "
                f"{format_money(r.total_cents)}; a receipt that does not add up is sent back.",
                treatment_id=t.id,
                fix="Correct the lines or the total so they match the clinic's receipt.",
            )


@rule(
    "payment.no_proof", Severity.warning,
    title="Proof of payment (receipt scan or card statement)",
    reads=("receipt", "document", "document_link"),
    why=(
        "Administrators ask for proof that the amount was actually paid, and the IRS expects "
        "HSA and FSA holders to keep it."
    ),
    fix="Attach a scan of the receipt or the card statement.",
    destinations=CLAIM_BUNDLES,
    applies=_has_receipts,
)
def payment_no_proof(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """A receipt with no live document attached to it.

    Any document attached to the receipt counts (the user said it belongs to this payment),
    and so does a receipt scan or card statement attached to the receipt's treatment.
    """
    with_documents = facts.receipts_with_documents
    by_treatment = facts.treatments_with_payment_documents
    for r in facts.receipts:
        if r.id in with_documents or r.treatment_id in by_treatment:
            continue
        t = facts.treatments[r.treatment_id]
        yield self.gap(
            "receipt", r.id,
            f"The receipt for {facts.describe(t)} ({format_money(r.total_cents)} paid on "
            f"{r.paid_on}) has no scan or card statement attached; administrators ask for proof "
            "that you paid it.",
            treatment_id=t.id,
        )
