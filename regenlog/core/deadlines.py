"""Deadline arithmetic for appeals, claims, FSA/HSA, Good Faith Estimates and financing.

Pure functions (DOMAIN.md section 4); no Qt, no database, no I/O.

Conventions, and why:

- "Within N days of X": the day after X is day 1 and day N is the last day to act, so the
  deadline is X + N calendar days (a denial dated 2026-01-01 can be appealed through
  2026-06-30, the 180th day). Leap days are ordinary calendar days.
- "Within N months of X": the same day N calendar months later, clamped to the month's
  last day when that day does not exist (Aug 31 + 4 months = Dec 31, Oct 31 + 4 = Feb 28).
- We show the earliest date a rule can close, never a later one: the day a notice is
  dated (not the later day it arrived), no roll-forward past weekends or holidays, and the
  clamped month end even where a rule allows the 1st of the next month (45 CFR
  147.136(d)(2)(i) lets an external review request that has no matching day run to the first
  day of the fifth month). A patient who acts by our date is always in time.
"""

import datetime as dt
from dataclasses import dataclass

from .dates import add_months
from .errors import ValidationError
from .money import format_money
from .text import plural

# Longest FSA grace period: to the 15th day of the 3rd calendar month after the plan year
# (2 months and 15 days for a calendar year: Dec 31 -> Mar 15). IRS Notice 2005-42.
_GRACE_MONTHS, _GRACE_DAY = 3, 15
GFE_OVERAGE_CENTS = 40_000  # $400 over the estimate (45 CFR 149.620)
GFE_DISPUTE_DAYS = 120
INTERNAL_APPEAL_DAYS = 180
EXTERNAL_REVIEW_MONTHS = 4
FSA_EXTENSIONS = ("none", "grace_period", "run_out", "carryover")
_FSA_SOURCES = {
    "grace_period": "your plan document; IRS Notice 2005-42",
    "carryover": "your plan document; IRS Notice 2013-71",
}


@dataclass(frozen=True)
class Deadline:
    """One date to act by: ``due`` is the last day, inclusive.

    ``kind`` is a stable key (``internal_appeal``, ``external_review``, ``claim_filing``,
    ``medicare_filing``, ``fsa_claims``, ``gfe_dispute``, ``lmn_expiry``, ``promo_end``);
    ``source_date`` is the date it is counted from; ``rule`` is one sentence naming where the
    rule comes from; ``label`` is a short line for a list of what is due next.
    """

    kind: str
    due: dt.date
    source_date: dt.date
    rule: str
    label: str


def _check_date(value: object, what: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise TypeError(f"{what} must be a date, got {value!r}")
    return value


def _check_days(value: object, what: str, minimum: int = 1) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{what} must be a whole number of days, got {value!r}")
    if value < minimum:
        raise ValidationError(f"The {what} must be at least {plural(minimum, 'day')}.")
    return value


def _days_after(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:  # a year-9999 date kept from before dates were limited
        return dt.date.max


def internal_appeal_deadline(denial_date: dt.date) -> Deadline:
    """180 days after the denial notice; the 180th day is the last day (2026-01-01 -> 06-30).

    Plans must allow at least 180 days, so a plan's own notice may give more.
    """
    denial = _check_date(denial_date, "denial_date")
    return Deadline(
        kind="internal_appeal",
        due=_days_after(denial, INTERNAL_APPEAL_DAYS),
        source_date=denial,
        rule="Internal appeals must be filed within 180 days of the denial notice (45 CFR 147.136).",
        label=f"Internal appeal of the denial dated {denial}",
    )


def external_review_deadline(final_denial_date: dt.date) -> Deadline:
    """4 calendar months after the final internal denial, clamped to the month end.

    Aug 31 -> Dec 31; Oct 31 -> Feb 28 (Feb 29 in a leap year). The regulation would allow
    Mar 1 in the second case; see the module docstring for why we show the earlier day.
    """
    denial = _check_date(final_denial_date, "final_denial_date")
    return Deadline(
        kind="external_review",
        due=add_months(denial, EXTERNAL_REVIEW_MONTHS),
        source_date=denial,
        rule=(
            "External review must be requested within 4 months of the final internal denial "
            "(45 CFR 147.136(d))."
        ),
        label=f"External review of the final denial dated {denial}",
    )


def claim_filing_deadline(date_of_service: dt.date, filing_limit_days: int) -> Deadline:
    """The plan's claim-filing limit in days after the date of service (e.g. 90 or 365)."""
    dos = _check_date(date_of_service, "date_of_service")
    limit = _check_days(filing_limit_days, "claim-filing limit")
    return Deadline(
        kind="claim_filing",
        due=_days_after(dos, limit),
        source_date=dos,
        rule=f"Your plan requires claims within {limit} days of the date of service (your plan documents).",
        label=f"Claim for the service on {dos}",
    )


def medicare_filing_deadline(date_of_service: dt.date) -> Deadline:
    """12 months (1 calendar year) after the date of service; Feb 29 -> Feb 28 next year."""
    dos = _check_date(date_of_service, "date_of_service")
    return Deadline(
        kind="medicare_filing",
        due=add_months(dos, 12),
        source_date=dos,
        rule=(
            "Medicare claims must be filed within 12 months of the date of service; patients "
            "file with form CMS-1490S (medicare.gov)."
        ),
        label=f"Medicare claim for the service on {dos}",
    )


def latest_grace_period_end(plan_year_end: dt.date) -> dt.date:
    """The 15th day of the 3rd calendar month after the plan year ends (Dec 31 -> Mar 15)."""
    return add_months(plan_year_end.replace(day=1), _GRACE_MONTHS).replace(day=_GRACE_DAY)


def fsa_claims_deadline(
    plan_year_end: dt.date,
    extension: str = "none",
    grace_period_end: dt.date | None = None,
    run_out_days: int | None = None,
) -> Deadline:
    """The last day to act on a plan year's FSA money.

    The two extensions are different things:

    - grace period: expenses may still be *incurred* after the plan year, up to
      ``grace_period_end`` (at most 2 months 15 days later; a longer one is rejected). If
      it is not given, the longest allowed is assumed and the rule sentence says so.
    - run-out: expenses must have been incurred in the plan year, but claims for them may
      still be *submitted* for ``run_out_days`` days after it ends (required).

    With ``run_out_days`` (any extension), the deadline is the claim deadline: the last day
    to incur (plan year end or grace end) plus the run-out days. Without it, it is the last
    day to incur. ``carryover`` moves up to the IRS limit ($680 from 2026 to 2027) into the
    next year but adds no days, and a plan cannot offer both a grace period and carryover.
    """
    year_end = _check_date(plan_year_end, "plan_year_end")
    kind = str(extension)
    if kind not in FSA_EXTENSIONS:
        raise ValidationError(
            f'"{extension}" is not an FSA option; use none, grace_period, run_out or carryover.'
        )
    if kind == "run_out" and run_out_days is None:
        raise ValidationError(
            "Enter how many days the FSA run-out period lasts; your plan summary says."
        )
    last_incur, rule = year_end, "FSA expenses must be incurred by the end of the plan year"
    if kind == "grace_period":
        latest = latest_grace_period_end(year_end)
        if grace_period_end is None:
            last_incur = latest
            rule = f"The grace period lets expenses be incurred until {latest}, the longest allowed (check your plan)"
        else:
            last_incur = _check_date(grace_period_end, "grace_period_end")
            if last_incur <= year_end:
                raise ValidationError(
                    f"The grace period must end after the plan year ends on {year_end}."
                )
            if last_incur > latest:
                raise ValidationError(
                    f"An FSA grace period can last at most 2 months and 15 days, to {latest}; check the date on your plan."
                )
            rule = f"The grace period lets expenses be incurred until {last_incur}"
    elif kind == "carryover":
        rule += "; only the carryover amount moves to next year"
    if run_out_days is None:
        due, what = last_incur, "Last day to incur FSA expenses"
    else:
        days = _check_days(run_out_days, "FSA run-out period", minimum=0)
        due, what = _days_after(last_incur, days), "Last day to submit FSA claims"
        rule += f", and claims for them are due within {days} days after that"
    return Deadline(
        kind="fsa_claims",
        due=due,
        source_date=year_end,
        rule=f"{rule} ({_FSA_SOURCES.get(kind, 'your plan document')}).",
        label=f"{what} for the plan year ending {year_end}",
    )


def gfe_dispute_deadline(bill_date: dt.date) -> Deadline:
    """120 days from the bill date to start a patient-provider dispute (counted from the bill's
    date, not the day it arrived, so never late)."""
    bill = _check_date(bill_date, "bill_date")
    return Deadline(
        kind="gfe_dispute",
        due=_days_after(bill, GFE_DISPUTE_DAYS),
        source_date=bill,
        rule=(
            "A bill at least $400 over the Good Faith Estimate can be disputed within 120 days "
            "of receiving it (45 CFR 149.620)."
        ),
        label=f"Good Faith Estimate dispute for the bill dated {bill}",
    )


def gfe_billed_cents(charges_cents: int, paid_cents: int) -> int:
    """The bill to hold against a Good Faith Estimate: the billed charges (CMS-1500 box 28),
    or what was paid when that is more (charges not all entered). Never the payments alone:
    a deposit is not the bill, and would hide an overage until the balance is paid."""
    return max(charges_cents, paid_cents)


def gfe_overage(billed_cents: int, estimate_cents: int) -> bool:
    """True when the bill is at least $400 over the estimate: $400.00 over is, $399.99 is not.

    Compare per provider or facility, as the rule does.
    """
    for value, what in ((billed_cents, "billed amount"), (estimate_cents, "estimate")):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{what} must be integer cents, got {value!r}")
        if value < 0:
            raise ValidationError(f"The {what} of {format_money(value)} cannot be negative.")
    return billed_cents >= estimate_cents + GFE_OVERAGE_CENTS


def lmn_expiry_warning(
    valid_until: dt.date, today: dt.date, window_days: int = 30
) -> Deadline | None:
    """A renewal deadline when the letter of medical necessity has expired or expires within
    ``window_days`` of today (the letter is valid through ``valid_until``); otherwise None."""
    until = _check_date(valid_until, "valid_until")
    now = _check_date(today, "today")
    window = _check_days(window_days, "warning window", minimum=0)
    if until > _days_after(now, window):
        return None
    verb = "expired" if until < now else "expires"
    return Deadline(
        kind="lmn_expiry",
        due=until,
        source_date=until,
        rule="A letter of medical necessity covers only its stated duration; renew it when it expires (fsafeds.com).",
        label=f"Letter of medical necessity {verb} on {until}; ask for a renewal",
    )


def hsa_expense_eligible(expense_date: dt.date, hsa_opened_on: dt.date) -> bool:
    """True when the expense was incurred on or after the day the HSA was opened.

    IRS Notice 2004-2 Q&A-26: expenses incurred before the HSA was established do not
    qualify. There is no deadline to reimburse yourself afterwards (Notice 2004-50 Q&A-39).
    """
    return _check_date(expense_date, "expense_date") >= _check_date(hsa_opened_on, "hsa_opened_on")


def promo_end_deadline(promo_end: dt.date, purchase_date: dt.date | None = None) -> Deadline:
    """Pay the financed balance in full by the promotion's last day, payments that day count."""
    end = _check_date(promo_end, "promo_end")
    return Deadline(
        kind="promo_end",
        due=end,
        source_date=_check_date(purchase_date, "purchase_date") if purchase_date else end,
        rule=(
            "If a deferred-interest balance is not paid in full by the end of the promotion, "
            "interest is charged from the purchase date (your cardholder agreement)."
        ),
        label=f"Financing promotion ends {end}",
    )


def within(today: dt.date, deadline: Deadline | dt.date, days: int) -> bool:
    """True when the deadline is today or later and at most ``days`` days away."""
    due = deadline.due if isinstance(deadline, Deadline) else deadline
    return today <= due <= _days_after(today, days)
