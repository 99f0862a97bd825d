"""A patient's deadlines land on the right day: the last day counts, leap days and month ends too."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regenlog.core.deadlines import (
    Deadline,
    claim_filing_deadline,
    external_review_deadline,
    fsa_claims_deadline,
    gfe_dispute_deadline,
    gfe_overage,
    hsa_expense_eligible,
    internal_appeal_deadline,
    latest_grace_period_end,
    lmn_expiry_warning,
    medicare_filing_deadline,
    promo_end_deadline,
    within,
)
from regenlog.core.enums import FsaExtension
from regenlog.core.errors import ValidationError

D = dt.date


# --- appeals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "denial, due",
    [
        (D(2026, 1, 1), D(2026, 6, 30)),  # the day after the notice is day 1; day 180 counts
        (D(2028, 1, 1), D(2028, 6, 29)),  # the window holds 2028-02-29, one day earlier
        (D(2027, 9, 2), D(2028, 2, 29)),  # lands on the leap day itself
    ],
)
def test_internal_appeal_is_due_on_the_180th_day(denial, due):
    deadline = internal_appeal_deadline(denial)
    assert deadline == Deadline(
        kind="internal_appeal",
        due=due,
        source_date=denial,
        rule="Internal appeals must be filed within 180 days of the denial notice (45 CFR 147.136).",
        label=f"Internal appeal of the denial dated {denial}",
    )


@pytest.mark.parametrize(
    "denial, due",
    [
        (D(2026, 1, 15), D(2026, 5, 15)),
        (D(2026, 8, 31), D(2026, 12, 31)),
        (D(2026, 10, 31), D(2027, 2, 28)),  # no Feb 31: the month's last day
        (D(2027, 10, 31), D(2028, 2, 29)),  # leap year
        (D(2026, 11, 30), D(2027, 3, 30)),
    ],
)
def test_external_review_is_four_calendar_months_clamped(denial, due):
    deadline = external_review_deadline(denial)
    assert (deadline.kind, deadline.due, deadline.source_date) == ("external_review", due, denial)
    assert "4 months" in deadline.rule


# --- claims --------------------------------------------------------------------------------


def test_claim_filing_counts_days_after_the_date_of_service():
    assert claim_filing_deadline(D(2026, 1, 1), 90).due == D(2026, 4, 1)
    assert claim_filing_deadline(D(2028, 1, 1), 365).due == D(2028, 12, 31)  # 2028 has 366 days
    with pytest.raises(ValidationError, match="at least 1 day"):
        claim_filing_deadline(D(2026, 1, 1), 0)


def test_medicare_allows_one_calendar_year():
    assert medicare_filing_deadline(D(2026, 3, 15)).due == D(2027, 3, 15)
    assert medicare_filing_deadline(D(2028, 2, 29)).due == D(2029, 2, 28)
    assert "CMS-1490S" in medicare_filing_deadline(D(2026, 3, 15)).rule


# --- FSA -----------------------------------------------------------------------------------


def test_fsa_without_extension_ends_with_the_plan_year():
    deadline = fsa_claims_deadline(D(2026, 12, 31))
    assert deadline.due == D(2026, 12, 31) and deadline.kind == "fsa_claims"
    assert fsa_claims_deadline(D(2026, 12, 31), "carryover").due == D(2026, 12, 31)


def test_fsa_grace_period_is_at_most_two_months_and_fifteen_days():
    assert latest_grace_period_end(D(2026, 12, 31)) == D(2027, 3, 15)
    assert latest_grace_period_end(D(2027, 12, 31)) == D(2028, 3, 15)
    assert latest_grace_period_end(D(2026, 6, 30)) == D(2026, 9, 15)
    assert fsa_claims_deadline(D(2026, 12, 31), "grace_period", D(2027, 3, 15)).due == D(
        2027, 3, 15
    )
    assert fsa_claims_deadline(D(2026, 12, 31), FsaExtension.grace_period).due == D(2027, 3, 15)
    with pytest.raises(ValidationError, match="at most 2 months and 15 days, to 2027-03-15"):
        fsa_claims_deadline(D(2026, 12, 31), "grace_period", D(2027, 3, 16))
    with pytest.raises(ValidationError, match="must end after the plan year"):
        fsa_claims_deadline(D(2026, 12, 31), "grace_period", D(2026, 12, 31))


def test_fsa_run_out_adds_days_to_submit_claims():
    deadline = fsa_claims_deadline(D(2026, 12, 31), "run_out", run_out_days=90)
    assert deadline.due == D(2027, 3, 31)
    assert deadline.label.startswith("Last day to submit FSA claims")
    both = fsa_claims_deadline(D(2026, 12, 31), "grace_period", D(2027, 3, 15), run_out_days=30)
    assert both.due == D(2027, 4, 14)  # incur until Mar 15, then 30 days to claim
    with pytest.raises(ValidationError, match="run-out period lasts"):
        fsa_claims_deadline(D(2026, 12, 31), "run_out")
    with pytest.raises(ValidationError, match="not an FSA option"):
        fsa_claims_deadline(D(2026, 12, 31), "forever")


# --- Good Faith Estimate, LMN, HSA, financing ----------------------------------------------


def test_gfe_dispute_window_and_the_400_dollar_line():
    assert gfe_dispute_deadline(D(2026, 1, 1)).due == D(2026, 5, 1)
    assert gfe_overage(140_000, 100_000) is True  # exactly $400 over
    assert gfe_overage(139_999, 100_000) is False  # $399.99 over
    with pytest.raises(ValidationError, match="cannot be negative"):
        gfe_overage(-1, 0)


def test_lmn_expiry_warns_within_the_window_and_after_expiry():
    assert lmn_expiry_warning(D(2026, 7, 1), D(2026, 5, 31)) is None  # 31 days away
    soon = lmn_expiry_warning(D(2026, 7, 1), D(2026, 6, 1))  # 30 days away
    assert soon.due == D(2026, 7, 1) and "expires on 2026-07-01" in soon.label
    assert "expired on" in lmn_expiry_warning(D(2026, 7, 1), D(2026, 7, 2)).label
    assert lmn_expiry_warning(D(2026, 7, 1), D(2026, 6, 20), window_days=5) is None


def test_hsa_expenses_count_from_the_opening_day():
    assert hsa_expense_eligible(D(2026, 3, 1), D(2026, 3, 1)) is True
    assert hsa_expense_eligible(D(2026, 2, 28), D(2026, 3, 1)) is False


def test_promo_end_is_a_deadline_that_day_included():
    deadline = promo_end_deadline(D(2027, 1, 15), D(2026, 1, 15))
    assert (deadline.due, deadline.source_date, deadline.kind) == (
        D(2027, 1, 15),
        D(2026, 1, 15),
        "promo_end",
    )


def test_within_means_today_through_n_days_ahead():
    deadline = internal_appeal_deadline(D(2026, 1, 1))  # due 2026-06-30
    assert within(D(2026, 6, 30), deadline, 0)
    assert within(D(2026, 5, 31), deadline, 30)
    assert not within(D(2026, 5, 30), deadline, 30)
    assert not within(D(2026, 7, 1), deadline, 30)  # already passed
    assert within(D(2026, 6, 1), D(2026, 6, 30), 30)


# --- properties ----------------------------------------------------------------------------

any_day = st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31))


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


@given(any_day)
def test_month_based_deadlines_land_in_the_right_month(day):
    for deadline, months in (
        (external_review_deadline(day), 4),
        (medicare_filing_deadline(day), 12),
    ):
        due = deadline.due
        assert _month_index(due) == _month_index(day) + months
        # the same day of the month, or the month's last day when that day does not exist
        assert due.day == day.day or (due.day < day.day and (due + dt.timedelta(days=1)).day == 1)


@given(any_day)
def test_day_based_deadlines_are_exactly_n_days_later(day):
    assert (internal_appeal_deadline(day).due - day).days == 180
    assert (gfe_dispute_deadline(day).due - day).days == 120
    assert (claim_filing_deadline(day, 90).due - day).days == 90


@given(any_day)
def test_the_grace_period_cap_is_the_15th_of_the_third_month(day):
    cap = latest_grace_period_end(day)
    assert cap.day == 15 and _month_index(cap) == _month_index(day) + 3
