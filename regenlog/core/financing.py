"""Deferred-interest ("no interest if paid in full") promotions: money over time.

Pure functions over plain values (DOMAIN.md section 6); no Qt, no database, no I/O.

Conventions, and why:

- Money is integer cents and rates are integer basis points (29.99% APR == 2999). Interest is
  summed exactly as a ``Fraction`` and rounded half-up to the cent once, at the end, so a
  long sum never collects rounding drift and the figures match the worked example to the cent.
- Simple daily interest: balance x APR / 365 for each day from the purchase date up to the day
  before the promotion ends (365 in leap years too, as in DOMAIN.md; issuers that compound or
  use 366 differ by cents, so this is an estimate). A payment counts from its own day.
- A payment on the promotion's end date is still in time: the promotion is cleared when the
  balance after that day's payments is 0. That is why 12 payments of $500 from 2026-02-15 to
  2027-01-15 clear $6,000 bought on 2026-01-15 with no interest.
- Monthly due dates are the promotion end date and the same day in every other month
  (``add_months`` clamps month ends), so the last payment in the promotion falls on its end.
- Back-interest is charged at the standard APR. If the promotion itself had a non-zero APR,
  that interest was billed along the way, so only the difference is back-charged (an
  assumption: issuers vary; read the cardholder agreement).
- During the promotion the balance is the purchase principal; promotional-APR interest, if
  any, is counted as a cost, not added to it.
"""

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction

from .dates import add_months
from .errors import ValidationError
from .money import format_money, format_percent_bp

Payment = tuple[dt.date, int]

_BP = 10_000  # basis points in 100%
_DAYS_PER_YEAR = 365
_MAX_MONTHS = 600  # a pace that needs more than 50 years is reported as never paying off


def _cents_half_up(value: Fraction) -> int:
    """Round a non-negative amount of cents half-up (0.5 -> 1), not to even."""
    return math.floor(value + Fraction(1, 2))


def _check_cents(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{what} must be integer cents, got {value!r}")
    if value < 0:
        raise ValidationError(f"The {what} cannot be negative.")
    return value


def _check_rate(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{what} must be integer basis points, got {value!r}")
    if value < 0:
        raise ValidationError(f"The {what} cannot be negative.")
    if value > _BP:
        raise ValidationError(
            f"The {what} of {format_percent_bp(value)} is over 100%; check your cardholder agreement."
        )
    return value


def _check_date(value: object, what: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise TypeError(f"{what} must be a date, got {value!r}")
    return value


@dataclass(frozen=True, kw_only=True)
class FinancingTerms:
    """One financed purchase and the payments made on it, validated on construction.

    ``payments`` is any iterable of ``(date, cents)``; it is stored sorted by date.
    ``deferred_interest=False`` describes a plain promotional rate: nothing is back-charged.
    """

    amount_cents: int
    purchase_date: dt.date
    promo_end: dt.date
    standard_apr_bp: int
    promo_apr_bp: int = 0
    deferred_interest: bool = True
    minimum_payment_cents: int = 0
    payments: tuple[Payment, ...] = ()

    def __post_init__(self) -> None:
        _check_cents(self.amount_cents, "amount financed")
        _check_cents(self.minimum_payment_cents, "minimum payment")
        _check_rate(self.standard_apr_bp, "standard APR")
        _check_rate(self.promo_apr_bp, "promotional APR")
        purchase = _check_date(self.purchase_date, "purchase_date")
        end = _check_date(self.promo_end, "promo_end")
        if end < purchase:
            raise ValidationError(
                f"The promotion cannot end on {end}, before the purchase date {purchase}."
            )
        payments = []
        for day, cents in self.payments:
            _check_date(day, "payment date")
            _check_cents(cents, "payment")
            if day < purchase:
                raise ValidationError(
                    f"The payment on {day} is dated before the purchase on {purchase}; check the date."
                )
            payments.append((day, cents))
        object.__setattr__(self, "payments", tuple(sorted(payments)))


def _balance_after(amount: int, payments: Iterable[Payment], day: dt.date) -> int:
    """Principal left after every payment dated on or before ``day`` (never below 0)."""
    return max(0, amount - sum(cents for paid_on, cents in payments if paid_on <= day))


def _payoff_day(amount: int, start: dt.date, payments: Iterable[Payment]) -> dt.date | None:
    """The day the principal reached 0, if it did."""
    if amount == 0:
        return start
    left = amount
    for day, cents in sorted(payments):
        left -= cents
        if left <= 0:
            return day
    return None


def _balance_days(terms: FinancingTerms, payments: Iterable[Payment]) -> int:
    """Sum of the day-end balances (cent-days) from the purchase to the day before promo end.

    Works segment by segment (balance x days between payments), so it is exact and fast.
    """
    total, balance, cursor = 0, terms.amount_cents, terms.purchase_date
    for day, cents in sorted(payments):
        if day >= terms.promo_end:
            break
        total += balance * (day - cursor).days
        cursor, balance = day, max(0, balance - cents)
    return total + balance * (terms.promo_end - cursor).days


def _interest(terms: FinancingTerms, payments: Iterable[Payment], rate_bp: int) -> Fraction:
    return Fraction(_balance_days(terms, payments) * rate_bp, _BP * _DAYS_PER_YEAR)


def _back_interest(terms: FinancingTerms, payments: Iterable[Payment]) -> int:
    payments = list(payments)
    cleared = _balance_after(terms.amount_cents, payments, terms.promo_end) == 0
    if cleared or not terms.deferred_interest:
        return 0
    rate = max(0, terms.standard_apr_bp - terms.promo_apr_bp)
    return _cents_half_up(_interest(terms, payments, rate))


def _due_dates(anchor: dt.date, after: dt.date, until: dt.date | None = None) -> Iterator[dt.date]:
    """Monthly due dates ``anchor + k months`` with after < date <= until (open-ended if None)."""
    k = (after.year - anchor.year) * 12 + after.month - anchor.month - 1  # a month before `after`
    while True:
        due = add_months(anchor, k)
        if until is not None and due > until:
            return
        if due > after:
            yield due
        k += 1


def principal_left(amount_cents: int, payments: Iterable[Payment]) -> int:
    """What is left of the amount financed after every payment recorded (never below 0)."""
    return _balance_after(amount_cents, payments, dt.date.max)


def balance_on(day: dt.date, terms: FinancingTerms) -> int:
    """Amount financed minus the payments made on or before ``day``; 0 before the purchase."""
    if day < terms.purchase_date:
        return 0
    return _balance_after(terms.amount_cents, terms.payments, day)


def deferred_interest(terms: FinancingTerms) -> int:
    """Back-interest in cents charged at promo end, given the payments recorded so far.

    DI = sum over days d from the purchase date to the day before the promotion ends of
    B_d x APR / 365, B_d being the balance after day d's payments; summed exactly with
    ``Fraction`` and rounded half-up once. 0 when the balance is cleared by the end of the
    promo end date, or when the plan does not defer interest.
    Worked example: $6,000, 29.99%, 11 payments of $450 -> 105363 cents ($1,053.63).
    """
    return _back_interest(terms, terms.payments)


def upper_bound_interest(terms: FinancingTerms) -> int:
    """P x standard APR x promo days / 365, rounded half-up: the most back-interest can be."""
    days = (terms.promo_end - terms.purchase_date).days
    return _cents_half_up(
        Fraction(terms.amount_cents * terms.standard_apr_bp * days, _BP * _DAYS_PER_YEAR)
    )


def months_left(today: dt.date, terms: FinancingTerms) -> int:
    """Monthly due dates after ``today`` up to and including the promotion's end date.

    Today's own due date is not counted: a payment made today is already in the balance, and
    one not yet made is safer planned as late (the needed amount comes out higher, not lower).
    """
    start = max(today, terms.purchase_date)
    return sum(1 for _ in _due_dates(terms.promo_end, start, terms.promo_end))


def payment_needed(today: dt.date, terms: FinancingTerms) -> int:
    """Cents a month to clear the balance by promo end: remaining / months left, rounded up.

    Never less than the minimum payment, never more than the balance. While the promotion
    runs and no due date is left (for example on its last day) the whole balance is needed.
    Returns 0 when the balance is paid, or when the promotion has already ended: clearing it
    "in time" is then impossible (any back-interest has been charged; see ``summarize``).
    """
    remaining = balance_on(max(today, terms.purchase_date), terms)
    if remaining == 0 or today > terms.promo_end:
        return 0
    months = max(1, months_left(today, terms))
    per_month = -(-remaining // months)  # ceiling division on integers
    return min(remaining, max(per_month, terms.minimum_payment_cents))


@dataclass(frozen=True)
class Projection:
    """What a steady monthly payment leads to, for the payoff chart.

    ``schedule`` holds (date, balance) points: today, then each due date after the payment;
    the promo end point includes any back-interest charged. ``interest_cents`` and
    ``total_cost_cents`` (amount + all interest) are None when the pace never pays it off.
    """

    monthly_payment_cents: int
    schedule: tuple[tuple[dt.date, int], ...]
    cleared_in_time: bool
    deferred_interest_cents: int
    interest_cents: int | None
    total_cost_cents: int | None
    payoff_date: dt.date | None


def projection(today: dt.date, monthly_payment_cents: int, terms: FinancingTerms) -> Projection:
    """Project the payoff if ``monthly_payment_cents`` is paid on every due date after today.

    Payments recorded on or before today are used as they are; later ones are ignored in
    favour of the pace. Simplification after the promotion: interest at the standard APR is
    added once a month, on each due date before that day's payment, as balance x APR / 12
    rounded half-up to the cent (compounding monthly); any back-interest joins the balance on
    the promo end date. A pace that never gets ahead of that interest, or needs more than 50
    years, never pays off.
    """
    pace = _check_cents(monthly_payment_cents, "monthly payment")
    start, end = max(today, terms.purchase_date), terms.promo_end
    recorded = [p for p in terms.payments if p[0] <= start]
    promo_payments = [p for p in recorded if p[0] <= end]
    schedule: list[tuple[dt.date, int]] = []

    # During the promotion: principal only.
    principal = _balance_after(terms.amount_cents, promo_payments, min(start, end))
    if start <= end:
        schedule.append((start, principal))
        for due in _due_dates(end, start, end):
            if principal == 0:
                break
            pay = min(pace, principal)
            promo_payments.append((due, pay))
            principal -= pay
            schedule.append((due, principal))
    cleared = principal == 0
    back = _back_interest(terms, promo_payments)
    interest = _cents_half_up(_interest(terms, promo_payments, terms.promo_apr_bp)) + back
    payoff = _payoff_day(terms.amount_cents, terms.purchase_date, promo_payments)
    account = principal + back
    if back and schedule:
        schedule[-1] = (end, account)

    # After the promotion: monthly interest on the account, recorded payments, then the pace.
    later = [p for p in recorded if p[0] > end]
    months_paid = 0

    def pay_recorded(before: dt.date, inclusive: bool) -> None:
        nonlocal account, payoff
        while later and (later[0][0] < before or (inclusive and later[0][0] == before)):
            day, cents = later.pop(0)
            if account and cents >= account:
                payoff = day
            account = max(0, account - cents)

    for due in _due_dates(end, end):
        if payoff is not None or months_paid >= _MAX_MONTHS:
            break
        pay_recorded(due, inclusive=False)
        if payoff is not None:
            break
        if due > start and not schedule:
            schedule.append((start, account))
        charge = _cents_half_up(Fraction(account * terms.standard_apr_bp, _BP * 12))
        account, interest = account + charge, interest + charge
        pay_recorded(due, inclusive=True)
        if due > start and payoff is None:
            months_paid += 1
            account -= min(pace, account)
            schedule.append((due, account))
            if account == 0:
                payoff = due
            elif pace <= charge:
                break  # the balance can only grow from here
    if not schedule:
        schedule.append((start, account))
    paid_off = payoff is not None
    return Projection(
        monthly_payment_cents=pace,
        schedule=tuple(schedule),
        cleared_in_time=cleared,
        deferred_interest_cents=back,
        interest_cents=interest if paid_off else None,
        total_cost_cents=terms.amount_cents + interest if paid_off else None,
        payoff_date=payoff,
    )


@dataclass(frozen=True)
class FinancingSummary:
    """What the financing page shows for one plan on ``today``.

    ``balance_cents``: the purchase balance left; once the promotion has ended, the estimated
    account balance (back-interest and standard-APR interest included, as ``projection``).
    ``interest_at_risk_cents``: back-interest charged at promo end if nothing more is paid.
    ``current_pace_cents``: the average payment so far (the minimum payment if none yet);
    the ``*_at_pace`` fields project that pace. ``warning`` is one sentence, or None when
    the pace clears the promotion or nothing is owed.
    """

    balance_cents: int
    promo_end: dt.date
    days_left: int
    promo_ended: bool
    months_left: int
    payment_needed_cents: int
    interest_at_risk_cents: int
    current_pace_cents: int
    deferred_interest_at_pace_cents: int
    cleared_at_pace: bool
    total_cost_at_pace_cents: int | None
    warning: str | None


def current_pace(today: dt.date, terms: FinancingTerms) -> int:
    """Average of the payments made on or before today (half-up), else the minimum payment."""
    made = [cents for day, cents in terms.payments if day <= today]
    if not made:
        return terms.minimum_payment_cents
    return _cents_half_up(Fraction(sum(made), len(made)))


def summarize(today: dt.date, terms: FinancingTerms) -> FinancingSummary:
    """Bundle the figures and the one-sentence warning (DOMAIN.md section 6)."""
    start, end = max(today, terms.purchase_date), terms.promo_end
    needed = payment_needed(today, terms)
    at_risk = _back_interest(terms, [p for p in terms.payments if p[0] <= start])
    pace = current_pace(today, terms)
    plan = projection(today, pace, terms)
    balance = plan.schedule[0][1]  # today's point: principal, or the account after promo end
    return FinancingSummary(
        balance_cents=balance,
        promo_end=end,
        days_left=max(0, (end - today).days),
        promo_ended=today > end,
        months_left=months_left(today, terms),
        payment_needed_cents=needed,
        interest_at_risk_cents=at_risk,
        current_pace_cents=pace,
        deferred_interest_at_pace_cents=plan.deferred_interest_cents,
        cleared_at_pace=plan.cleared_in_time,
        total_cost_at_pace_cents=plan.total_cost_cents,
        warning=_warning(today, terms, balance, needed, plan),
    )


def _warning(
    today: dt.date, terms: FinancingTerms, balance: int, needed: int, plan: Projection
) -> str | None:
    end, apr = terms.promo_end, format_percent_bp(terms.standard_apr_bp)
    if balance == 0 or (today <= end and plan.cleared_in_time):
        return None
    if today > end:
        back = deferred_interest(terms)
        charged = f", so {format_money(back)} of back-interest was charged" if back else ""
        unpaid = format_money(balance_on(end, terms))
        return (
            f"The promotion ended on {end} with {unpaid} unpaid{charged}; "
            f"the {apr} standard APR applies from then on."
        )
    if months_left(today, terms) <= 1:
        unless = f"unless you pay off the remaining {format_money(balance)} by then"
    else:
        unless = f"unless you pay at least {format_money(needed)} a month"
    if plan.deferred_interest_cents:
        owed = format_money(plan.deferred_interest_cents)
        return f"{owed} of back-interest will be charged on {end} {unless}."
    if terms.standard_apr_bp:
        return f"A balance will be left when the promotion ends on {end}, accruing {apr} APR, {unless}."
    return None
