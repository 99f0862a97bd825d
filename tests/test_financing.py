"""A patient financed a treatment on a deferred-interest card: what is at stake, to the cent."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regenlog.core.errors import ValidationError
from regenlog.core.financing import (
    FinancingTerms,
    balance_on,
    current_pace,
    deferred_interest,
    months_left,
    payment_needed,
    principal_left,
    projection,
    summarize,
    upper_bound_interest,
)

D = dt.date


def worked_example(payments=None, **overrides) -> FinancingTerms:
    """DOMAIN.md section 6: $6,000 on 2026-01-15, promotion ends 2027-01-15, 29.99% APR."""
    if payments is None:  # 11 payments of $450 on the 15th, 2026-02-15 .. 2026-12-15
        payments = [(D(2026, month, 15), 45_000) for month in range(2, 13)]
    values = dict(
        amount_cents=600_000,
        purchase_date=D(2026, 1, 15),
        promo_end=D(2027, 1, 15),
        standard_apr_bp=2999,
        minimum_payment_cents=3_000,
        payments=payments,
    )
    values.update(overrides)
    return FinancingTerms(**values)


def second_case() -> FinancingTerms:
    """$2,400 on 2026-03-01, 6-month promotion to 2026-09-01, 26.99% APR, two payments.

    Payments: $400 on 2026-04-01 and $600 on 2026-06-15 (each counts from its own day).
    Balance segments up to the day before the promotion ends (2026-08-31), in dollars:

        2026-03-01 .. 2026-03-31   31 days x $2,400 =  74,400 dollar-days
        2026-04-01 .. 2026-06-14   75 days x $2,000 = 150,000  (Apr 30 + May 31 + Jun 14)
        2026-06-15 .. 2026-08-31   78 days x $1,400 = 109,200  (Jun 16 + Jul 31 + Aug 31)
                                  184 days            333,600 dollar-days

    Interest = 333,600 x 0.2699 / 365 = 90,038.64 / 365 = $246.68120... -> $246.68.
    Upper bound = 2,400 x 0.2699 x 184 / 365 = $326.54202... -> $326.54.
    $1,400 is left at the end, so the $246.68 is charged.
    """
    return FinancingTerms(
        amount_cents=240_000,
        purchase_date=D(2026, 3, 1),
        promo_end=D(2026, 9, 1),
        standard_apr_bp=2699,
        payments=[(D(2026, 4, 1), 40_000), (D(2026, 6, 15), 60_000)],
    )


# --- deferred interest ---------------------------------------------------------------------


def test_worked_example_leaves_1050_and_1053_63_of_back_interest():
    terms = worked_example()
    assert balance_on(D(2027, 1, 15), terms) == 105_000
    assert deferred_interest(terms) == 105_363  # $1,053.63, more than the balance left


def test_with_no_payments_the_whole_year_is_charged():
    terms = worked_example(payments=[])
    assert deferred_interest(terms) == 179_940  # 6000 x 0.2999 x 365/365 = $1,799.40
    assert upper_bound_interest(terms) == 179_940


def test_500_a_month_clears_it_with_no_interest():
    payments = [(D(2026 + (m > 12), (m - 1) % 12 + 1, 15), 50_000) for m in range(2, 14)]
    terms = worked_example(payments=payments)  # the 12th payment lands on 2027-01-15 itself
    assert balance_on(D(2027, 1, 15), terms) == 0
    assert deferred_interest(terms) == 0


def test_second_case_computed_by_hand():
    terms = second_case()
    assert balance_on(D(2026, 9, 1), terms) == 140_000
    assert deferred_interest(terms) == 24_668  # $246.68
    assert upper_bound_interest(terms) == 32_654  # $326.54


def test_interest_is_rounded_half_up_once_at_the_end():
    # $182.50 at 1% for one day is exactly half a cent: half-up gives 1 (to-even would give 0).
    terms = FinancingTerms(
        amount_cents=18_250,
        purchase_date=D(2026, 5, 1),
        promo_end=D(2026, 5, 2),
        standard_apr_bp=100,
    )
    assert deferred_interest(terms) == 1


def test_a_plan_without_deferred_interest_back_charges_nothing():
    assert deferred_interest(worked_example(deferred_interest=False)) == 0


def test_a_promotional_apr_is_not_charged_twice():
    terms = worked_example(
        payments=[], promo_apr_bp=999
    )  # only 29.99% - 9.99% = 20% is back-charged
    assert deferred_interest(terms) == 120_000


def test_balance_is_never_negative_and_zero_before_the_purchase():
    terms = worked_example(payments=[(D(2026, 2, 1), 700_000)])
    assert balance_on(D(2026, 1, 14), terms) == 0
    assert balance_on(D(2026, 1, 31), terms) == 600_000
    assert balance_on(D(2026, 2, 1), terms) == 0


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, message",
    [
        (dict(amount_cents=-1), "amount financed cannot be negative"),
        (dict(promo_end=D(2026, 1, 14)), "cannot end on 2026-01-14, before the purchase date"),
        (dict(payments=[(D(2026, 1, 1), 100)]), "dated before the purchase"),
        (dict(payments=[(D(2026, 2, 1), -100)]), "payment cannot be negative"),
        (dict(standard_apr_bp=10_001), "over 100%"),
        (dict(promo_apr_bp=-5), "cannot be negative"),
    ],
)
def test_bad_terms_are_refused_with_one_sentence(overrides, message):
    with pytest.raises(ValidationError, match=message):
        worked_example(**overrides)


def test_money_must_be_integer_cents():
    with pytest.raises(TypeError):
        worked_example(amount_cents=6000.0)


# --- payment needed ------------------------------------------------------------------------


def test_payment_needed_is_remaining_over_months_left():
    assert payment_needed(D(2026, 1, 15), worked_example(payments=[])) == 50_000  # 6000 / 12
    ten_paid = worked_example(payments=[(D(2026, m, 15), 45_000) for m in range(2, 12)])
    assert months_left(D(2026, 11, 20), ten_paid) == 2  # 2026-12-15 and 2027-01-15
    assert payment_needed(D(2026, 11, 20), ten_paid) == 75_000  # 1500 / 2


def test_payment_needed_rounds_up_to_the_cent():
    terms = second_case()
    assert months_left(D(2026, 6, 20), terms) == 3  # 07-01, 08-01, 09-01
    assert payment_needed(D(2026, 6, 20), terms) == 46_667  # 1400 / 3 = 466.666...


def test_payment_needed_respects_the_minimum_but_not_beyond_the_balance():
    assert payment_needed(D(2026, 1, 15), worked_example(amount_cents=10_000, payments=[])) == 3_000
    assert payment_needed(D(2026, 1, 15), worked_example(amount_cents=2_000, payments=[])) == 2_000


def test_payment_needed_on_the_last_day_ended_or_paid():
    terms = worked_example()
    assert payment_needed(D(2027, 1, 15), terms) == 105_000  # a payment today still counts
    assert payment_needed(D(2027, 1, 16), terms) == 0  # ended: too late to clear in time
    assert payment_needed(D(2026, 3, 1), worked_example(payments=[(D(2026, 2, 1), 600_000)])) == 0


def test_before_the_purchase_the_plan_counts_from_the_purchase():
    assert payment_needed(D(2025, 12, 1), worked_example(payments=[])) == 50_000


# --- projection and summary ----------------------------------------------------------------


def test_projection_at_500_clears_in_time_and_costs_the_amount():
    plan = projection(D(2026, 1, 15), 50_000, worked_example(payments=[]))
    assert plan.cleared_in_time and plan.deferred_interest_cents == 0
    assert plan.total_cost_cents == 600_000
    assert plan.payoff_date == D(2027, 1, 15)
    assert plan.schedule[0] == (D(2026, 1, 15), 600_000)
    assert plan.schedule[-1] == (D(2027, 1, 15), 0)


def test_projection_at_450_charges_the_back_interest_then_the_standard_apr():
    plan = projection(D(2026, 1, 15), 45_000, worked_example(payments=[]))
    assert not plan.cleared_in_time
    assert plan.deferred_interest_cents == 105_363
    # 2027-01-15: $1,050 - $450 + $1,053.63 back-interest
    assert (D(2027, 1, 15), 165_363) in plan.schedule
    # 2027-02-15: 165,363 + 165,363 x 29.99% / 12 (4,132.73 -> 4,133) - 45,000
    assert (D(2027, 2, 15), 124_496) in plan.schedule
    assert plan.payoff_date == D(2027, 5, 15)
    assert plan.total_cost_cents == 600_000 + plan.interest_cents
    assert plan.interest_cents > 105_363


def test_a_pace_that_never_beats_the_interest_never_pays_off():
    plan = projection(D(2026, 1, 15), 0, worked_example(payments=[]))
    assert plan.deferred_interest_cents == 179_940
    assert plan.payoff_date is None and plan.total_cost_cents is None


def test_summary_warns_with_the_figure_and_the_payment_needed():
    ten_paid = worked_example(payments=[(D(2026, m, 15), 45_000) for m in range(2, 12)])
    summary = summarize(D(2026, 11, 20), ten_paid)
    assert summary.balance_cents == 150_000
    assert summary.days_left == 56
    assert summary.payment_needed_cents == 75_000
    assert summary.current_pace_cents == 45_000
    assert summary.deferred_interest_at_pace_cents == 105_363
    assert summary.interest_at_risk_cents > 105_363  # if nothing more is paid
    assert summary.total_cost_at_pace_cents == 715_662
    assert summary.warning == (
        "$1,053.63 of back-interest will be charged on 2027-01-15 "
        "unless you pay at least $750.00 a month."
    )


def test_summary_in_the_last_month_and_after_the_end():
    terms = worked_example()
    last = summarize(D(2026, 12, 20), terms)
    assert last.warning.endswith("unless you pay off the remaining $1,050.00 by then.")
    after = summarize(D(2027, 2, 1), terms)
    assert after.promo_ended and after.days_left == 0 and after.payment_needed_cents == 0
    assert after.balance_cents == 210_363  # the account now: $1,050 + $1,053.63 back-interest
    assert after.warning == (
        "The promotion ended on 2027-01-15 with $1,050.00 unpaid, so $1,053.63 of "
        "back-interest was charged; the 29.99% standard APR applies from then on."
    )


def test_no_warning_when_the_pace_clears_it_or_nothing_is_owed():
    on_track = worked_example(payments=[(D(2026, 2, 15), 50_000)])
    assert current_pace(D(2026, 3, 1), on_track) == 50_000
    assert summarize(D(2026, 3, 1), on_track).warning is None
    assert (
        summarize(D(2026, 3, 1), worked_example(payments=[(D(2026, 2, 1), 600_000)])).warning
        is None
    )


# --- properties ----------------------------------------------------------------------------

days = st.integers(min_value=0, max_value=800)


@st.composite
def plans(draw):
    purchase = D(2025, 1, 1) + dt.timedelta(days=draw(days))
    end = purchase + dt.timedelta(days=draw(st.integers(min_value=0, max_value=730)))
    pays = draw(
        st.lists(
            st.tuples(st.integers(min_value=0, max_value=900), st.integers(0, 500_000)), max_size=15
        )
    )
    return FinancingTerms(
        amount_cents=draw(st.integers(0, 5_000_000)),
        purchase_date=purchase,
        promo_end=end,
        standard_apr_bp=draw(st.integers(0, 10_000)),
        promo_apr_bp=draw(st.integers(0, 3_000)),
        minimum_payment_cents=draw(st.integers(0, 10_000)),
        payments=[(purchase + dt.timedelta(days=offset), cents) for offset, cents in pays],
    )


@given(plans())
def test_interest_never_exceeds_the_upper_bound(terms):
    assert 0 <= deferred_interest(terms) <= upper_bound_interest(terms)


@given(plans(), st.integers(0, 900), st.integers(1, 500_000))
def test_adding_a_payment_never_raises_the_interest(terms, offset, cents):
    extra = (terms.purchase_date + dt.timedelta(days=offset), cents)
    more = FinancingTerms(**{**terms.__dict__, "payments": (*terms.payments, extra)})
    assert deferred_interest(more) <= deferred_interest(terms)


@given(plans(), st.integers(-30, 1_000))
def test_balances_are_never_negative(terms, offset):
    day = terms.purchase_date + dt.timedelta(days=offset)
    assert 0 <= balance_on(day, terms) <= terms.amount_cents
    plan = projection(day, terms.minimum_payment_cents, terms)
    assert all(balance >= 0 for _, balance in plan.schedule)
    if plan.total_cost_cents is not None:
        assert plan.total_cost_cents >= terms.amount_cents


@given(plans(), st.integers(0, 730))
def test_paying_the_needed_amount_clears_the_promotion(terms, offset):
    today = terms.purchase_date + dt.timedelta(days=offset)
    if today >= terms.promo_end or balance_on(today, terms) == 0:
        return
    needed = payment_needed(today, terms)
    assert needed * max(1, months_left(today, terms)) >= balance_on(today, terms)
    if months_left(today, terms):
        assert projection(today, needed, terms).cleared_in_time


def test_principal_left_counts_every_recorded_payment_and_never_goes_below_zero():
    assert principal_left(100_000, [(D(2026, 2, 1), 30_000)]) == 70_000
    assert principal_left(100_000, [(D(2026, 2, 1), 30_000), (D(2030, 1, 1), 90_000)]) == 0
    assert principal_left(100_000, []) == 100_000
