"""Money at risk: financing.promo_ending, gfe.overage."""

from ... import deadlines as dl
from ... import financing as fin
from ...dates import add_months
from ...errors import ValidationError
from ...money import format_money
from ..facts import cap
from ..gap import WARNING, rule

PROMO_WINDOW_DAYS = 60


def _promo_end(plan):
    if plan.promo_end is not None:
        return plan.promo_end
    if plan.promo_months:
        return add_months(plan.purchase_date, plan.promo_months)
    return None


@rule(
    "financing.promo_ending", WARNING,
    title="Financing promotion paid off in time",
    reads=("financing_plan", "financing_payment"),
    why=(
        "0% medical financing becomes expensive if the balance is not paid before the "
        "promotion ends: deferred interest is charged back to the purchase date."
    ),
    fix="Pay off the remaining balance before the promotion ends.",
    destinations=(),  # money owed to a lender: not part of any bundle, shown on the full check
    applies=lambda facts, t, ctx: any(p.treatment_id == t.id for p in facts.financing_plans),
)
def financing_promo_ending(self, facts, ctx):
    """A deferred-interest plan whose promotion ends within 60 days of today (the promo end,
    or purchase date + promo months) with a balance left after the payments made so far."""
    today = ctx.today
    for plan in facts.financing_plans:
        end = _promo_end(plan)
        if not plan.deferred_interest or end is None or not dl.within(today, end, PROMO_WINDOW_DAYS):
            continue
        payments = tuple(facts.financing_payments.get(plan.id, ()))
        try:
            terms = fin.FinancingTerms(
                amount_cents=plan.amount_cents, purchase_date=plan.purchase_date, promo_end=end,
                standard_apr_bp=plan.standard_apr_bp, promo_apr_bp=plan.promo_apr_bp,
                minimum_payment_cents=plan.minimum_payment_cents, payments=payments,
            )
        except ValidationError:
            terms = None  # odd terms (a rate over 100%): still warn, from the plain balance
        if terms is not None:
            balance = fin.balance_on(today, terms)
            needed = fin.payment_needed(today, terms)
            back = fin.deferred_interest(terms)
            months = fin.months_left(today, terms)
        else:
            balance = max(0, plan.amount_cents - sum(c for d, c in payments if d <= today))
            needed, back, months = balance, 0, 0
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
    "gfe.overage", WARNING,
    title="Bill within $400 of the Good Faith Estimate",
    reads=("good_faith_estimate", "receipt", "procedure_line", "treatment"),
    why=(
        "A bill at least $400 over the Good Faith Estimate can be disputed, but only within "
        "120 days of the bill (45 CFR 149.620)."
    ),
    fix="Start a patient-provider dispute (cms.gov/nosurprises) with the estimate and the bill.",
    destinations=(),  # a dispute with the provider, not a reimbursement bundle
    applies=lambda facts, t, ctx: any(g.treatment_id == t.id for g in facts.estimates),
)
def gfe_overage(self, facts, ctx):
    """An estimate tied to a treatment whose billed total is at least $400 over it, while the
    120-day dispute window is open.

    The billed total is the procedure lines' charges, or the receipts' total when that is
    more (``deadlines.gfe_billed_cents``). The bill date is the first receipt's date (else
    the date of service). Estimates tied to no treatment are skipped: there is no bill to
    compare them with.
    """
    for estimate in facts.estimates:
        t = facts.treatments.get(estimate.treatment_id) if estimate.treatment_id else None
        if t is None:
            continue
        receipts = facts.receipts_by_treatment.get(t.id, ())
        billed = dl.gfe_billed_cents(
            sum(line.charge_cents for line in facts.procedure_lines.get(t.id, ())),
            sum(r.total_cents for r in receipts),
        )
        bill_date = min(r.paid_on for r in receipts) if receipts else t.date_of_service
        if not dl.gfe_overage(billed, estimate.total_cents):
            continue
        deadline = dl.gfe_dispute_deadline(bill_date)
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
