"""Dates that close doors, each with a fixed today: claim.filing_deadline, appeal.deadline,
hsa.before_opened, fsa.deadline, financing.promo_ending, gfe.overage."""

import datetime as dt

import pytest
from checklist_household import TODAY, Household

from regenlog.core import models as m
from regenlog.core.services import ProcedureInput, ReceiptLineInput

D = dt.date


@pytest.fixture
def home(services) -> Household:
    return Household(services)


# -- claim.filing_deadline -------------------------------------------------------------------
@pytest.fixture
def unfiled(home):
    """A stem-cell injection under a plan that takes claims for 365 days, not yet filed."""
    home.services.records.update(m.InsurancePlan, home.plan.id, filing_limit_days=365)
    return home.treatment("stem_cell_bone_marrow", D(2025, 12, 20), plan_id=home.plan.id,
                          dx=("M17.11",), body_site="knee")


def test_an_unfiled_claim_24_days_before_the_filing_limit_is_flagged(home, unfiled):
    gap = home.gap("claim.filing_deadline")
    assert (gap.severity, gap.record_type, gap.record_id) == ("warning", "treatment", unfiled.id)
    assert gap.due == D(2026, 12, 20)
    assert "Granite Peak Health" in gap.message and "24 days left" in gap.message
    assert "by 2026-12-20" in gap.fix


def test_31_days_before_the_limit_it_is_not_flagged_yet(home, unfiled):
    assert "claim.filing_deadline" not in home.rules(today=D(2026, 11, 19))
    assert "claim.filing_deadline" in home.rules(today=D(2026, 11, 20))


def test_a_submitted_claim_clears_it_but_a_draft_does_not(home, unfiled):
    claim = home.services.records.create(
        m.Claim, treatment_id=unfiled.id, destination="insurer", plan_id=home.plan.id,
    )
    assert "claim.filing_deadline" in home.rules()
    home.services.records.update(m.Claim, claim.id, status="submitted", submitted_on=TODAY)
    assert "claim.filing_deadline" not in home.rules()


def test_a_passed_limit_says_it_has_passed(home, unfiled):
    gap = home.gap("claim.filing_deadline", today=D(2027, 1, 5))
    assert "passed on 2026-12-20" in gap.message and "late" in gap.fix


def test_a_limit_that_passed_more_than_a_year_ago_is_no_longer_repeated(home, unfiled):
    assert "claim.filing_deadline" in home.rules(today=D(2027, 12, 20))
    assert "claim.filing_deadline" not in home.rules(today=D(2027, 12, 21))


def test_medicare_allows_twelve_months(home):
    home.services.records.update(m.InsurancePlan, home.plan.id, plan_type="medicare")
    home.treatment("prp", D(2025, 12, 20), plan_id=home.plan.id)
    assert home.gap("claim.filing_deadline").due == D(2026, 12, 20)


def test_a_plan_without_a_filing_limit_sets_no_deadline(home):
    home.treatment("prp", D(2025, 12, 20), plan_id=home.plan.id)
    assert "claim.filing_deadline" not in home.rules()


# -- appeal.deadline ---------------------------------------------------------------------------
@pytest.fixture
def denied(home):
    t = home.treatment("consultation", D(2026, 4, 21), body_site="shoulder")
    denial = home.determination("denial", treatment_id=t.id, decision="denied",
                                received_on=D(2026, 6, 10), reference_number="GPH-CLM-0491107")
    return t, denial


def test_a_denial_whose_appeal_window_closes_in_11_days_is_an_error(home, denied):
    t, denial = denied
    gap = home.gap("appeal.deadline")
    assert (gap.severity, gap.record_type, gap.record_id, gap.treatment_id) == (
        "error", "determination", denial.id, t.id)
    assert gap.due == D(2026, 12, 7)
    assert "GPH-CLM-0491107" in gap.message and "11 days left" in gap.message
    assert "call log" in gap.fix and "letter of medical necessity" in gap.fix


def test_31_days_before_the_window_closes_it_waits(home, denied):
    assert "appeal.deadline" not in home.rules(today=D(2026, 11, 6))
    assert "appeal.deadline" in home.rules(today=D(2026, 11, 7))


def test_once_the_window_has_closed_the_error_stops(home, denied):
    assert "appeal.deadline" in home.rules(today=D(2026, 12, 7))
    assert "appeal.deadline" not in home.rules(today=D(2026, 12, 8))


def test_a_claim_marked_appealed_means_the_appeal_was_filed(home, denied):
    t, denial = denied
    home.services.records.create(m.Claim, treatment_id=t.id, destination="insurer",
                                 plan_id=home.plan.id, determination_id=denial.id,
                                 status="appealed", submitted_on=D(2026, 5, 1))
    assert "appeal.deadline" not in home.rules()


def test_an_appeal_decision_after_the_denial_means_it_was_appealed(home, denied):
    t, _ = denied
    home.determination("appeal_decision", treatment_id=t.id, decision="denied",
                       received_on=D(2026, 10, 1))
    assert "appeal.deadline" not in home.rules()


def test_a_final_internal_denial_has_no_internal_appeal_left(home, denied):
    _, denial = denied
    home.services.records.update(m.Determination, denial.id, is_final=True)
    assert "appeal.deadline" not in home.rules()


# -- hsa.before_opened -------------------------------------------------------------------------
@pytest.fixture
def hsa(home):
    return home.services.records.create(
        m.Account, person_id=home.dana.id, kind="hsa", administrator="Harborline",
        opened_on=D(2025, 3, 1),
    )


def test_an_hsa_claim_for_care_before_the_hsa_was_opened_is_an_error(home, hsa):
    t = home.treatment("consultation", D(2025, 2, 18))
    claim = home.services.records.create(m.Claim, treatment_id=t.id, destination="hsa",
                                         account_id=hsa.id, status="submitted",
                                         submitted_on=D(2026, 10, 2))
    gap = home.gap("hsa.before_opened")
    assert (gap.severity, gap.record_type, gap.record_id, gap.treatment_id) == (
        "error", "claim", claim.id, t.id)
    assert "opened on 2025-03-01" in gap.message and "Notice 2004-2" in gap.message


def test_care_on_the_day_the_hsa_was_opened_qualifies(home, hsa):
    t = home.treatment("consultation", D(2025, 3, 1))
    home.services.records.create(m.Claim, treatment_id=t.id, destination="hsa", account_id=hsa.id)
    assert "hsa.before_opened" not in home.rules()


def test_an_hsa_bundle_warns_about_unclaimed_care_from_before_the_opening(home, hsa):
    t = home.treatment("consultation", D(2025, 2, 18))
    assert "hsa.before_opened" not in home.rules()
    gap = home.gap("hsa.before_opened", destination="hsa")
    assert (gap.record_type, gap.record_id) == ("treatment", t.id)


# -- fsa.deadline ------------------------------------------------------------------------------
@pytest.fixture
def fsa(home):
    return home.services.records.create(
        m.Account, person_id=home.dana.id, kind="fsa", administrator="BenefitWorks",
        plan_year_start=D(2026, 1, 1), plan_year_end=D(2026, 12, 31), extension="run_out",
        run_out_days=90,
    )


def test_unclaimed_fsa_expenses_21_days_before_the_run_out_ends(home, fsa):
    home.treatment()
    gap = home.gap("fsa.deadline", today=D(2027, 3, 10))
    assert (gap.severity, gap.record_type, gap.record_id, gap.treatment_id) == (
        "warning", "account", fsa.id, None)
    assert gap.due == D(2027, 3, 31)
    assert "BenefitWorks" in gap.message and "21 days left" in gap.message
    assert "1 treatment from that year is not claimed" in gap.message


def test_32_days_before_the_fsa_deadline_nothing_is_said(home, fsa):
    home.treatment()
    assert "fsa.deadline" not in home.rules(today=D(2027, 2, 27))


def test_claimed_expenses_leave_nothing_to_claim(home, fsa):
    t = home.treatment()
    home.services.records.create(m.Claim, treatment_id=t.id, destination="fsa",
                                 account_id=fsa.id, status="submitted",
                                 submitted_on=D(2026, 11, 20))
    assert "fsa.deadline" not in home.rules(today=D(2027, 3, 10))


def test_care_paid_with_the_fsa_card_needs_no_claim(home, fsa):
    t = home.treatment(receipt=False)
    rec = home.receipt(t, 85_000)
    home.services.records.update(m.Receipt, rec.id, payment_method="fsa_card")
    assert "fsa.deadline" not in home.rules(today=D(2027, 3, 10))


# -- financing.promo_ending --------------------------------------------------------------------
@pytest.fixture
def card(home):
    t = home.treatment("stem_cell_bone_marrow", D(2025, 12, 20), dx=("M17.11",), receipt=False)
    home.receipt(t, 600_000, lines=[ReceiptLineInput("procedure", 600_000)])
    plan = home.services.records.create(
        m.FinancingPlan, person_id=home.dana.id, treatment_id=t.id,
        lender="Crestline Patient Card", amount_cents=600_000, purchase_date=D(2025, 12, 20),
        promo_months=12, promo_end=D(2026, 12, 20), standard_apr_bp=2999,
    )
    for month in range(1, 12):
        home.services.details.add_payment(plan.id, D(2026, month, 15), 40_000)
    return t, plan


def test_a_balance_left_24_days_before_the_promotion_ends(home, card):
    t, plan = card
    gap = home.gap("financing.promo_ending")
    assert (gap.severity, gap.record_type, gap.record_id, gap.treatment_id) == (
        "warning", "financing_plan", plan.id, t.id)
    assert gap.due == D(2026, 12, 20)
    assert "$1,600.00 is still owed" in gap.message and "deferred interest" in gap.message
    assert gap.fix == "Pay the remaining $1,600.00 by 2026-12-20."


def test_61_days_before_the_promotion_ends_nothing_is_said(home, card):
    assert "financing.promo_ending" not in home.rules(today=D(2026, 10, 20))
    assert "financing.promo_ending" in home.rules(today=D(2026, 10, 21))


def test_a_paid_off_plan_is_not_flagged(home, card):
    _, plan = card
    home.services.details.add_payment(plan.id, D(2026, 11, 20), 160_000)
    assert "financing.promo_ending" not in home.rules()


def test_a_plain_promotional_rate_defers_no_interest(home, card):
    _, plan = card
    home.services.records.update(m.FinancingPlan, plan.id, deferred_interest=False)
    assert "financing.promo_ending" not in home.rules()


# -- gfe.overage ---------------------------------------------------------------------------------
@pytest.fixture
def estimate(home):
    t = home.treatment("stem_cell_adipose", D(2026, 9, 1), dx=("M17.11",), receipt=False)
    gfe = home.services.records.create(
        m.GoodFaithEstimate, person_id=home.dana.id, provider_id=home.clinic.id,
        treatment_id=t.id, issued_on=D(2026, 8, 1), total_cents=640_000,
    )
    return t, gfe


def test_a_bill_400_dollars_over_the_estimate_can_be_disputed(home, estimate):
    t, gfe = estimate
    home.receipt(t, 680_000, lines=[ReceiptLineInput("procedure", 680_000)])
    gap = home.gap("gfe.overage")
    assert (gap.record_type, gap.record_id, gap.treatment_id) == (
        "good_faith_estimate", gfe.id, t.id)
    assert gap.due == D(2026, 12, 30)
    assert "$400.00 more than the Good Faith Estimate of $6,400.00" in gap.message


def test_a_deposit_does_not_hide_a_bill_over_the_estimate(home, estimate):
    """The *billed* total (superbill box 28) counts, not what was paid so far."""
    t, _ = estimate
    home.services.details.set_procedure_lines(t.id, [ProcedureInput("15769", 700_000)])
    home.receipt(t, 100_000, lines=[ReceiptLineInput("procedure", 100_000)])
    gap = home.gap("gfe.overage")
    assert "was billed $7,000.00, $600.00 more than the Good Faith Estimate" in gap.message


def test_a_bill_399_99_over_the_estimate_is_within_it(home, estimate):
    t, _ = estimate
    home.receipt(t, 679_999, lines=[ReceiptLineInput("procedure", 679_999)])
    assert "gfe.overage" not in home.rules()


def test_after_the_120_days_the_dispute_window_is_gone(home, estimate):
    t, _ = estimate
    home.receipt(t, 700_000, lines=[ReceiptLineInput("procedure", 700_000)])
    assert "gfe.overage" in home.rules(today=D(2026, 12, 30))
    assert "gfe.overage" not in home.rules(today=D(2026, 12, 31))


def test_money_rules_run_on_every_check_as_the_patients_own_business(home, estimate, card):
    t, _ = estimate
    home.receipt(t, 700_000, lines=[ReceiptLineInput("procedure", 700_000)])
    assert {"gfe.overage", "financing.promo_ending"} <= home.rules()
    for destination in (None, "insurer", "hsa", "fsa", "appeal"):
        money = {(g.rule, g.about) for g in home.check(destination=destination).gaps
                 if g.rule in ("gfe.overage", "financing.promo_ending")}
        assert money == {("gfe.overage", "patient"), ("financing.promo_ending", "patient")}


def test_a_spouses_hsa_is_judged_by_its_own_opening_date(home, hsa):
    """An HSA may reimburse a spouse's care; what counts is when that HSA was opened."""
    marcus = home.services.records.create(m.Person, name="Marcus Whitfield")
    t = home.treatment("consultation", D(2025, 2, 18), person=marcus)
    claim = home.services.records.create(m.Claim, treatment_id=t.id, destination="hsa",
                                         account_id=hsa.id)
    assert home.found() >= {("hsa.before_opened", "claim", claim.id)}
    scoped = home.check(treatment_ids=[t.id])
    assert [(g.rule, g.record_id) for g in scoped.gaps if g.rule == "hsa.before_opened"] == [
        ("hsa.before_opened", claim.id)]
