"""Money at risk: financing.promo_ending, gfe.overage. Both are about the patient's own
money (``patient=True``): they run whatever bundle is being made."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ... import deadlines as dl
from ... import financing as fin
from ...dates import add_months
from ...errors import ValidationError
from ...money import format_money
from ...vocabulary import Severity
from ..facts import cap
from ..gap import rule

if TYPE_CHECKING:
    from ..facts import Context, Facts
    from ..gap import Gap, Rule
    from ..rows import EstimateRow, FinancingPlanRow, TreatmentRow

PROMO_WINDOW_DAYS = 60


def _promo_end(plan: FinancingPlanRow) -> dt.date | None:
    if plan.promo_end is not None:
        return plan.promo_end
    if plan.promo_months:
        return add_months(plan.purchase_date, plan.promo_months)
    return None


def _owed(
    facts: Facts, plan: FinancingPlanRow, end: dt.date, today: dt.date
) -> tuple[int, int, int, int]:
    """(balance today, monthly payment that clears it by ``end``, deferred interest if it is
    not cleared, months left), from the payments made so far."""
    payments = tuple(facts.financing_payments.get(plan.id, ()))
    try:
        terms = fin.FinancingTerms(
            amount_cents=plan.amount_cents, purchase_date=plan.purchase_date, promo_end=end,
            standard_apr_bp=plan.standard_apr_bp, promo_apr_bp=plan.promo_apr_bp,
            minimum_payment_cents=plan.minimum_payment_cents, payments=payments,
        )
    except ValidationError:
        # Odd terms (a rate over 100%): still warn, from the plain balance.
        balance = max(0, plan.amount_cents - sum(c for d, c in payments if d <= today))
        return balance, balance, 0, 0
    return (fin.balance_on(today, terms), fin.payment_needed(today, terms),
            fin.deferred_interest(terms), fin.months_left(today, terms))


def _promo_pending(facts: Facts, t: TreatmentRow, ctx: Context) -> str | None:
    """Not done while a deferred-interest balance is left, however far off the end is."""
    for plan in facts.financing_plans:
        end = _promo_end(plan)
        if plan.treatment_id != t.id or not plan.deferred_interest or end is None:
            continue
        balance = _owed(facts, plan, end, ctx.today)[0]
        if balance <= 0:
            continue
        if end > ctx.today:
            return (f"{format_money(balance)} is still owed to {plan.lender}; pay it off by "
                    f"{end} to avoid deferred interest.")
        return (f"The promotion with {plan.lender} ended on {end} with {format_money(balance)} "
                "unpaid: deferred interest is charged back to the purchase date.")
    return None


@rule(
    "financing.promo_ending", Severity.warning,
    title="Financing promotion paid off in time",
    reads=("financing_plan", "financing_payment"),
    why=(
        "0% medical financing becomes expensive if the balance is not paid before the "
        "promotion ends: deferred interest is charged back to the purchase date."
    ),
    fix="Pay off the remaining balance before the promotion ends.",
    destinations=(),  # money owed to a lender: not part of any bundle
    applies=lambda facts, t, ctx: any(
        p.treatment_id == t.id and p.deferred_interest for p in facts.financing_plans),
    patient=True,
    pending=_promo_pending,
)
def financing_promo_ending(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """A deferred-interest plan whose promotion ends within 60 days of today (the promo end,
    or purchase date + promo months) with a balance left after the payments made so far."""
    today = ctx.today
    for plan in facts.financing_plans:
        end = _promo_end(plan)
        if not plan.deferred_interest or end is None or not dl.within(today, end, PROMO_WINDOW_DAYS):
            continue
        balance, needed, back, months = _owed(facts, plan, end, today)
        if balance <= 0:
            continue
        days = (end - today).days
        interest = (
            f"about {format_money(back)} of deferred interest" if back else "deferred interest"
        )
        if months > 1 and needed < balance:
            fix = (
                f"Pay at least {format_money(needed)} a month so the {format_money(balance)} left "
                f"is paid by {end}."
            )
        else:
            fix = f"Pay the remaining {format_money(balance)} by {end}."
        yield self.gap(
            "financing_plan", plan.id,
            f"{format_money(balance)} is still owed on the {plan.lender} plan for "
            f"{format_money(plan.amount_cents)} bought on {plan.purchase_date}, and its "
            f"no-interest promotion ends on {end} (in {days} day{'s' * (days != 1)}); unless it "
            f"is paid in full by then, {interest} is charged back to the purchase date.",
            treatment_id=plan.treatment_id, due=end, fix=fix,
        )


@rule(
    "gfe.overage", Severity.warning,
    title="Bill within $400 of the Good Faith Estimate",
    reads=("good_faith_estimate", "receipt", "procedure_line", "treatment"),
    why=(
        "A bill at least $400 over the Good Faith Estimate can be disputed, but only within "
        "120 days of the bill (45 CFR 149.620)."
    ),
    fix="Start a patient-provider dispute (cms.gov/nosurprises) with the estimate and the bill.",
    destinations=(),  # a dispute with the provider, not a reimbursement bundle
    applies=lambda facts, t, ctx: any(g.treatment_id == t.id for g in facts.estimates),
    patient=True,
    pending=lambda facts, t, ctx: _overage_pending(facts, t, ctx),
)
def gfe_overage(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """An estimate tied to a treatment whose billed total is at least $400 over it, while the
    120-day dispute window is open (``_overage``). Estimates tied to no treatment are
    skipped: there is no bill to compare them with."""
    for estimate in facts.estimates:
        t = facts.treatments.get(estimate.treatment_id) if estimate.treatment_id else None
        if t is None:
            continue
        over = _overage(facts, estimate, t)
        if over is None:
            continue
        billed, deadline = over
        if ctx.today > deadline.due:
            continue
        yield self.gap(
            "good_faith_estimate", estimate.id,
            f"{cap(facts.describe(t))} was billed "
            f"{format_money(billed)}, {format_money(billed - estimate.total_cents)} more than the "
            f"Good Faith Estimate of {format_money(estimate.total_cents)} dated {estimate.issued_on}; "
            f"a bill at least $400 over the estimate can be disputed until {deadline.due} "
            "(120 days from the bill).",
            treatment_id=t.id, due=deadline.due,
            fix=(
                f"Start a patient-provider dispute (cms.gov/nosurprises) by {deadline.due} with "
                "the estimate and the bill."
            ),
        )


def _overage(
    facts: Facts, estimate: EstimateRow, t: TreatmentRow
) -> tuple[int, dl.Deadline] | None:
    """(billed, dispute deadline) when the bill is at least $400 over the estimate.

    The billed total is the procedure lines' charges, or the receipts' total when that is
    more (``deadlines.gfe_billed_cents``); the bill date is the first receipt's date (else
    the date of service)."""
    receipts = facts.receipts_by_treatment.get(t.id, ())
    billed = dl.gfe_billed_cents(
        sum(line.charge_cents for line in facts.procedure_lines.get(t.id, ())),
        sum(r.total_cents for r in receipts),
    )
    if not dl.gfe_overage(billed, estimate.total_cents):
        return None
    bill_date = min(r.paid_on for r in receipts) if receipts else t.date_of_service
    return billed, dl.gfe_dispute_deadline(bill_date)


def _overage_pending(facts: Facts, t: TreatmentRow, ctx: Context) -> str | None:
    """Not done when the bill is $400 over the estimate and the window to dispute closed."""
    for estimate in facts.estimates:
        over = _overage(facts, estimate, t) if estimate.treatment_id == t.id else None
        if over is not None and ctx.today > over[1].due:
            billed = over[0]
            return (f"Billed {format_money(billed)}, "
                    f"{format_money(billed - estimate.total_cents)} more than the estimate of "
                    f"{format_money(estimate.total_cents)}; the 120-day dispute window closed "
                    f"on {over[1].due}.")
    return None
