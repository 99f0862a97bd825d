"""Dates that close doors: claim.filing_deadline, appeal.deadline, hsa.before_opened,
fsa.deadline. Every date comes from ``regenlog.core.deadlines``; ``today`` from the caller.

All four are about the patient's own money and deadlines (``patient=True``): they run
whatever bundle is being made, since a window that closes does not wait for one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ... import deadlines as dl
from ...enums import (
    AccountKind,
    ClaimDestination,
    ClaimStatus,
    Decision,
    DeterminationKind,
    PaymentMethod,
    PlanType,
)
from ...errors import ValidationError
from ...money import format_money
from ...text import plural
from ...vocabulary import Destination, Severity
from ..facts import cap
from ..gap import rule

if TYPE_CHECKING:
    from ..facts import Context, Facts
    from ..gap import Gap, Rule
    from ..rows import AccountRow, ClaimRow, DeterminationRow, PlanRow, TreatmentRow

SOON_DAYS = 30
# After this many days past a filing limit even a "not reasonably possible" late claim is out
# of reach (the usual outer limit is one year), so the warning stops repeating.
LATE_FILING_DAYS = 365


def _days(n: int) -> str:
    return plural(n, "day")


def _submitted(claims: Iterable[ClaimRow], destination: str) -> bool:
    return any(c.destination == destination and c.status != ClaimStatus.draft for c in claims)


_ANSWERS = (DeterminationKind.eob, DeterminationKind.denial, DeterminationKind.appeal_decision)


def _filed_with_insurer(facts: Facts, t: TreatmentRow) -> bool:
    """A claim past draft, or the insurer's own answer to one (an EOB or a denial)."""
    return _submitted(facts.claims_by_treatment.get(t.id, ()), ClaimDestination.insurer) or any(
        d.kind in _ANSWERS for d in facts.determinations_by_treatment.get(t.id, ())
    )


# Dates of service repeat across thousands of treatments: compute each deadline once.
_claim_deadline = lru_cache(maxsize=8192)(dl.claim_filing_deadline)
_medicare_deadline = lru_cache(maxsize=4096)(dl.medicare_filing_deadline)


def _service_window(
    plan: PlanRow, oldest: dt.date, soon: dt.date
) -> tuple[dt.date, dt.date] | None:
    """Dates of service whose filing deadline can fall between ``oldest`` and ``soon``: a
    cheap pre-filter so the exact deadline is computed only near the window. A day-count
    limit is a fixed offset; a calendar-month limit moves by at most 3 days against a
    365-day year, so a week's margin on each side is safe."""
    if plan.filing_limit_days:
        days = plan.filing_limit_days
    elif plan.plan_type == PlanType.medicare:
        days = 365
    else:
        return None
    margin = dt.timedelta(days=days + 7)
    return oldest - margin, soon - dt.timedelta(days=days - 7)


def _filing_deadline(t: TreatmentRow, plan: PlanRow) -> dl.Deadline | None:
    if plan.filing_limit_days:
        return _claim_deadline(t.date_of_service, plan.filing_limit_days)
    if plan.plan_type == PlanType.medicare:
        return _medicare_deadline(t.date_of_service)
    return None


def _filing_pending(facts: Facts, t: TreatmentRow, ctx: Context) -> str | None:
    """Not done while the claim is not filed, however far off the limit is."""
    plan = facts.plans.get(t.plan_id) if t.plan_id is not None else None
    if plan is None or _filed_with_insurer(facts, t):
        return None
    deadline = _filing_deadline(t, plan)
    if deadline is None:
        return f"Not filed with {plan.insurer} yet."
    if deadline.due >= ctx.today:
        return f"Not filed with {plan.insurer} yet; it accepts the claim until {deadline.due}."
    return f"Not filed with {plan.insurer}; its filing limit passed on {deadline.due}."


@rule(
    "claim.filing_deadline", Severity.warning,
    title="Claim filed within the plan's limit",
    reads=("treatment", "insurance_plan", "claim"),
    why="A plan refuses claims filed after its filing limit, however good the paperwork.",
    fix="Submit the claim to the insurer and mark it as submitted.",
    destinations=(Destination.insurer,),
    applies=lambda facts, t, ctx: t.plan_id in facts.plans,
    patient=True,
    pending=_filing_pending,
)
def claim_filing_deadline(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """A treatment with a plan (that has a filing limit, or is Medicare: 12 months) and no
    insurer claim past draft, whose deadline is within 30 days of today or has passed in the
    last year; a passed one says so, since a late claim may still be accepted when filing on
    time was not reasonably possible."""
    today = ctx.today
    soon = today + dt.timedelta(days=SOON_DAYS)
    oldest = today - dt.timedelta(days=LATE_FILING_DAYS)
    plans = facts.plans
    windows = {pid: _service_window(plan, oldest, soon) for pid, plan in plans.items()}
    for t in facts.treatments.values():
        if t.plan_id is None:
            continue
        window = windows.get(t.plan_id)
        if window is None or not window[0] <= t.date_of_service <= window[1]:
            continue
        plan = plans[t.plan_id]
        deadline = _filing_deadline(t, plan)
        if deadline is None or not oldest <= deadline.due <= soon:
            continue
        if _filed_with_insurer(facts, t):
            continue
        limit = f"{plan.filing_limit_days} days" if plan.filing_limit_days else "12 months"
        if deadline.due >= today:
            left = (deadline.due - today).days
            message = (
                f"{cap(facts.describe(t))} has not been submitted to {plan.insurer}, which accepts "
                f"claims only within {limit} of the service: the last day is {deadline.due} "
                f"({_days(left)} left)."
            )
            fix = f"Submit the claim to {plan.insurer} by {deadline.due} and mark it as submitted."
        else:
            message = (
                f"{cap(facts.describe(t))} was never submitted to {plan.insurer}, and its "
                f"{limit} filing limit passed on {deadline.due}; a late claim is refused unless "
                "filing on time was not reasonably possible."
            )
            fix = "Submit it now with a note explaining why it is late, and mark it as submitted."
        yield self.gap("treatment", t.id, message, treatment_id=t.id, fix=fix, due=deadline.due)


def _is_denial(d: DeterminationRow) -> bool:
    # An appeal decision that upholds a denial is the next step's business, not this window's.
    return d.kind == DeterminationKind.denial or (
        d.decision == Decision.denied and d.kind != DeterminationKind.appeal_decision
    )


def _appealed(denial: DeterminationRow, facts: Facts) -> bool:
    """An appeal was filed: a claim for the denied treatment (or tied to this denial) is marked
    appealed, or an appeal decision for the same treatment (or, for a denial not tied to one,
    the same plan) arrived on or after the denial."""
    claims = (facts.claims_by_treatment.get(denial.treatment_id, ())
              if denial.treatment_id is not None else ())
    if any(c.status == ClaimStatus.appealed for c in claims):
        return True
    if any(c.status == ClaimStatus.appealed for c in facts.claims_by_determination.get(denial.id, ())):
        return True
    for d in facts.determinations_by_person.get(denial.person_id, ()):
        if d.kind != DeterminationKind.appeal_decision:
            continue
        if d.received_on < denial.received_on:
            continue
        if denial.treatment_id is not None:
            if d.treatment_id == denial.treatment_id:
                return True
        elif denial.plan_id is None or d.plan_id in (None, denial.plan_id):
            return True
    return False


@rule(
    "appeal.deadline", Severity.error,
    title="Appeal filed within 180 days of the denial",
    reads=("determination", "claim"),
    why=(
        "An internal appeal must be filed within 180 days of the denial notice; after that the "
        "denial stands and the external review that follows an appeal is lost too."
    ),
    fix="File an internal appeal with the denial, your call log and the letter of medical necessity.",
    destinations=(Destination.appeal,),
    applies=lambda facts, t, ctx: any(
        _is_denial(d) for d in facts.determinations_by_treatment.get(t.id, ())
    ),
    patient=True,
    pending=lambda facts, t, ctx: _appeal_pending(facts, t, ctx),
)
def appeal_deadline(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """A denial (kind denial, or any non-appeal determination decided "denied") that is not a
    final internal denial, with no appeal filed, whose 180-day window closes within 30 days of
    today. Counted from the day the notice was received (the only date recorded), which is
    never earlier than its date. Once the window has closed the error stops: nothing can fix it."""
    today = ctx.today
    for d in facts.determinations:
        if not _is_denial(d) or d.is_final:
            continue
        deadline = dl.internal_appeal_deadline(d.received_on)
        if not dl.within(today, deadline, SOON_DAYS) or _appealed(d, facts):
            continue
        plan = facts.plans.get(d.plan_id) if d.plan_id else None
        source = f" from {plan.insurer}" if plan else ""
        ref = f" (reference {d.reference_number})" if d.reference_number else ""
        about = ""
        if d.treatment_id in facts.treatments:
            about = f" of {facts.describe(facts.treatments[d.treatment_id])}"
        left = (deadline.due - today).days
        yield self.gap(
            "determination", d.id,
            f"The denial{about}{source}{ref}, received on {d.received_on}, can be appealed only "
            f"until {deadline.due} ({_days(left)} left), and no appeal is on file; after that "
            "the denial stands.",
            treatment_id=d.treatment_id, due=deadline.due,
            fix=(
                f"File an internal appeal by {deadline.due} with the denial, your call log and "
                "the letter of medical necessity, then mark the claim as appealed."
            ),
        )


def _appeal_pending(facts: Facts, t: TreatmentRow, ctx: Context) -> str | None:
    """Not done while a denial of the treatment is neither appealed nor final."""
    for d in facts.determinations_by_treatment.get(t.id, ()):
        if not _is_denial(d) or d.is_final or _appealed(d, facts):
            continue
        due = dl.internal_appeal_deadline(d.received_on).due
        if due >= ctx.today:
            return f"The denial of {d.received_on} is not appealed yet; the window closes on {due}."
        return f"The denial of {d.received_on} was not appealed, and its window closed on {due}."
    return None


def _hsa_opened(facts: Facts, person_id: int, account_id: int | None) -> dt.date | None:
    """The HSA's opened date: the claim's own account (an HSA may pay a spouse's or a
    dependant's care, so it need not be the patient's), else the patient's earliest HSA."""
    accounts: Iterable[AccountRow]
    if account_id is not None:
        accounts = [a for a in facts.accounts if a.id == account_id]
    else:
        accounts = facts.accounts_by_person.get(person_id, ())
    days = [a.opened_on for a in accounts if a.kind == AccountKind.hsa and a.opened_on]
    return min(days) if days else None


_HSA_WHY = (
    "only expenses incurred after the HSA was established can be reimbursed from it "
    "(IRS Notice 2004-2)"
)


def _hsa_money(facts: Facts, t: TreatmentRow) -> bool:
    """An HSA claim, or a payment with the HSA card: HSA money is involved."""
    return any(c.destination == ClaimDestination.hsa
               for c in facts.claims_by_treatment.get(t.id, ())) or any(
        r.payment_method == PaymentMethod.hsa_card
        for r in facts.receipts_by_treatment.get(t.id, ()))


def _hsa_pending(facts: Facts, t: TreatmentRow, ctx: Context) -> str | None:
    if _hsa_opened(facts, t.person_id, None) is None and not any(
        c.destination == ClaimDestination.hsa and c.account_id is not None
        and _hsa_opened(facts, t.person_id, c.account_id)
        for c in facts.claims_by_treatment.get(t.id, ())
    ):
        return ("The HSA's opened date is not recorded, so RegenLog cannot tell whether this "
                "expense came after it; add it to the account.")
    return None


@rule(
    "hsa.before_opened", Severity.error,
    title="Expense dated after the HSA was opened",
    reads=("claim", "account", "treatment", "receipt"),
    why=cap(_HSA_WHY) + ".",
    fix="Pay this expense from other money, not the HSA; if the HSA's opened date is wrong, correct it.",
    destinations=(Destination.hsa,),
    applies=lambda facts, t, ctx: ctx.destination == Destination.hsa or _hsa_money(facts, t),
    patient=True,
    pending=_hsa_pending,
)
def hsa_before_opened(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """Every HSA claim (draft included: that is when it can still be stopped) and every
    payment made with the HSA card whose treatment is dated before the HSA was opened: both
    take HSA money for an expense it cannot pay, bundle or no bundle. When the check runs for
    the HSA destination, also every treatment in scope dated before the person's HSA was
    opened that has no HSA claim yet, since that is what the bundle is about to ask for."""
    hsa_claims = [
        c for claims in facts.claims_by_treatment.values() for c in claims
        if c.destination == ClaimDestination.hsa
    ]
    claimed = set()
    for c in hsa_claims:
        t = facts.treatments.get(c.treatment_id)
        if t is None:
            continue
        claimed.add(t.id)
        opened = _hsa_opened(facts, t.person_id, c.account_id)
        if opened and not dl.hsa_expense_eligible(t.date_of_service, opened):
            yield self.gap(
                "claim", c.id,
                f"The HSA claim for {facts.describe(t)} is for an expense incurred before the "
                f"HSA was opened on {opened}; {_HSA_WHY}.",
                treatment_id=t.id,
            )
    for r in facts.receipts:
        if r.payment_method != PaymentMethod.hsa_card:
            continue
        t = facts.treatments[r.treatment_id]
        opened = _hsa_opened(facts, t.person_id, None)
        if opened and not dl.hsa_expense_eligible(t.date_of_service, opened):
            yield self.gap(
                "receipt", r.id,
                f"The {format_money(r.total_cents)} paid with the HSA card for "
                f"{facts.describe(t)} was for an expense incurred before the HSA was opened on "
                f"{opened}; {_HSA_WHY}.",
                treatment_id=t.id,
                fix=("Ask the HSA administrator to return it as a mistaken distribution and pay "
                     "the expense from other money; if the HSA's opened date is wrong, correct "
                     "it."),
            )
    if ctx.destination != Destination.hsa:
        return
    for t in facts.treatments.values():
        if t.id in claimed:
            continue
        opened = _hsa_opened(facts, t.person_id, None)
        if opened and not dl.hsa_expense_eligible(t.date_of_service, opened):
            yield self.gap(
                "treatment", t.id,
                f"{cap(facts.describe(t))} was incurred before the HSA was opened on {opened}; "
                f"{_HSA_WHY}.",
                treatment_id=t.id,
                fix="Leave this treatment out of the HSA bundle and pay it from other money.",
            )


def _fsa_window(account: AccountRow) -> tuple[dl.Deadline, dt.date, dt.date] | None:
    """(claims deadline, first and last day to incur expenses) for an FSA plan year; None
    when the plan year's end is not recorded."""
    end = account.plan_year_end
    if end is None:
        return None
    start = account.plan_year_start or (end - dt.timedelta(days=364))
    last_incur = end
    if account.extension == "grace_period":
        last_incur = account.grace_period_end or dl.latest_grace_period_end(end)
    try:
        deadline = dl.fsa_claims_deadline(
            end, account.extension, account.grace_period_end, account.run_out_days
        )
    except ValidationError:
        # Inconsistent plan terms (a run-out with no days): warn by the earliest possible day.
        deadline = dl.fsa_claims_deadline(end)
    return deadline, start, last_incur


def _paid_with_fsa_card(facts: Facts, t: TreatmentRow) -> bool:
    receipts = facts.receipts_by_treatment.get(t.id, ())
    return bool(receipts) and all(r.payment_method == PaymentMethod.fsa_card for r in receipts)


def _fsa_years(facts: Facts, t: TreatmentRow) -> list[tuple[AccountRow, dl.Deadline]]:
    """(account, deadline) of the person's FSAs whose plan year the treatment falls in."""
    out = []
    for account in facts.accounts_by_person.get(t.person_id, ()):
        if account.kind != AccountKind.fsa:
            continue
        window = _fsa_window(account)
        if window is None:
            continue
        deadline, start, last_incur = window
        if start <= t.date_of_service <= last_incur:
            out.append((account, deadline))
    return out


def _fsa_pending(facts: Facts, t: TreatmentRow, ctx: Context) -> str | None:
    if _submitted(facts.claims_by_treatment.get(t.id, ()), ClaimDestination.fsa) or (
        _paid_with_fsa_card(facts, t)
    ):
        return None
    account, deadline = _fsa_years(facts, t)[0]
    verb = "close" if deadline.due >= ctx.today else "closed"
    return (f"Not claimed from the FSA yet; claims for the plan year ending "
            f"{account.plan_year_end} {verb} on {deadline.due}.")


@rule(
    "fsa.deadline", Severity.warning,
    title="FSA claims filed before the deadline",
    reads=("account", "treatment", "claim", "receipt"),
    why="FSA money not claimed by the plan's deadline is forfeited.",
    fix="Submit the FSA claims, with itemized receipts and any letter of medical necessity.",
    destinations=(Destination.fsa,),
    applies=lambda facts, t, ctx: bool(_fsa_years(facts, t)),
    patient=True,
    pending=_fsa_pending,
)
def fsa_deadline(self: Rule, facts: Facts, ctx: Context) -> Iterator[Gap]:
    """An FSA whose claims deadline (plan year end, grace period or run-out, as the plan says)
    is within 30 days of today, with treatments of that person in that plan year that have no
    FSA claim past draft and were not paid with the FSA card (already reimbursed)."""
    for account in facts.accounts:
        if account.kind != AccountKind.fsa:
            continue
        window = _fsa_window(account)
        if window is None or not dl.within(ctx.today, window[0], SOON_DAYS):
            continue
        deadline, start, last_incur = window
        unclaimed = [
            t for t in facts.treatments_by_person.get(account.person_id, ())
            if start <= t.date_of_service <= last_incur
            and not _submitted(facts.claims_by_treatment.get(t.id, ()), ClaimDestination.fsa)
            and not _paid_with_fsa_card(facts, t)
        ]
        if not unclaimed:
            continue
        unclaimed.sort(key=lambda t: (t.date_of_service, t.id))
        listed = "; ".join(facts.describe(t) for t in unclaimed[:3])
        more = f" and {len(unclaimed) - 3} more" if len(unclaimed) > 3 else ""
        left = (deadline.due - ctx.today).days
        admin = f" with {account.administrator}" if account.administrator else ""
        yield self.gap(
            "account", account.id,
            f"Claims to the FSA{admin} for the plan year ending {account.plan_year_end} close on "
            f"{deadline.due} ({_days(left)} left), and {len(unclaimed)} treatment"
            f"{'s' * (len(unclaimed) != 1)} from that year {'are' if len(unclaimed) != 1 else 'is'} "
            f"not claimed ({listed}{more}); unclaimed FSA money is forfeited.",
            treatment_id=None, due=deadline.due,
            fix=(
                f"Submit the FSA claims by {deadline.due}, with itemized receipts and any letter "
                "of medical necessity."
            ),
        )
