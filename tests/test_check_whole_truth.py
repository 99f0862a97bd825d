"""The check tells the whole truth: with no destination every rule runs; with one, the
patient's own money and deadlines are checked too and said apart from the bundle's
paperwork; the text never says "Nothing is missing" while a rule finds something; and a
checklist line says "Done" only when what it names exists and holds."""

import datetime as dt
import json

import pytest
from checklist_household import TODAY, Household

from regenlog.cli import main
from regenlog.core import models as m
from regenlog.core.checklist import RULES, format_report, run_check
from regenlog.core.demo import load_demo

D = dt.date
PATIENT_RULES = {"claim.filing_deadline", "appeal.deadline", "hsa.before_opened",
                 "fsa.deadline", "financing.promo_ending", "gfe.overage"}


@pytest.fixture
def home(services) -> Household:
    return Household(services)


def test_an_hsa_card_payment_before_the_hsa_opened_is_found_by_the_full_check(home):
    # Dana paid a consultation with her new HSA card two weeks before the HSA's opened date:
    # that distribution is not for a qualified expense, bundle or no bundle.
    r = home.services.records
    r.create(m.Account, person_id=home.dana.id, kind="hsa", opened_on=D(2025, 3, 1))
    t = home.treatment("consultation", D(2025, 2, 18), receipt=False)
    receipt = r.create(m.Receipt, treatment_id=t.id, paid_on=D(2025, 2, 18), total_cents=32_500,
                       payment_method="hsa_card")
    found = [g for g in home.check().gaps if g.rule == "hsa.before_opened"]
    assert [(g.record_type, g.record_id, g.about) for g in found] == [
        ("receipt", receipt.id, "patient")]
    assert found[0].message == (
        "The $325.00 paid with the HSA card for the consultation for the right elbow on "
        "2025-02-18 was for an expense incurred before the HSA was opened on 2025-03-01; only "
        "expenses incurred after the HSA was established can be reimbursed from it (IRS "
        "Notice 2004-2)."
    )
    # Every destination checks it too: it is the patient's own money.
    for destination in ("insurer", "hsa", "fsa", "appeal"):
        assert "hsa.before_opened" in home.rules(destination=destination)


def test_every_rule_runs_without_a_destination_and_patient_rules_run_with_each(home):
    for rule in RULES.values():
        assert rule.runs_for(None)
        assert rule.patient == (rule.id in PATIENT_RULES)
        for destination in ("insurer", "hsa", "fsa", "appeal"):
            assert rule.runs_for(destination) == (
                destination in rule.destinations or rule.id in PATIENT_RULES)


@pytest.fixture
def demo(services):
    load_demo(services)
    return services


@pytest.mark.parametrize("destination", ["insurer", "hsa", "fsa", "appeal"])
def test_a_bundle_check_names_the_patients_own_money_and_says_which_is_which(
    demo, destination
):
    result = run_check(demo.db, today=D(2026, 11, 26), destination=destination)
    about = {(g.rule, g.about) for g in result.gaps}
    # The $1,600 deferred-interest balance and the $650 estimate overage are shown whatever
    # the bundle, as the patient's own business.
    assert ("financing.promo_ending", "patient") in about
    assert ("gfe.overage", "patient") in about
    for rule, said in about:
        if destination in RULES[rule].destinations:
            assert said == "bundle", rule
        else:
            assert said == "patient" and rule in PATIENT_RULES, rule
    # What only other bundles check is counted, so nothing found goes unmentioned.
    everything = run_check(demo.db, today=D(2026, 11, 26))
    assert result.others == len(everything.gaps) - len(result.gaps)
    assert {(g.rule, g.record_id) for g in result.gaps} <= {
        (g.rule, g.record_id) for g in everything.gaps}


def test_check_json_keeps_its_keys_and_says_what_each_finding_is_about(demo, capsys):
    folder = demo.db.paths.root
    demo.db.close()
    assert main(["--data-dir", str(folder), "check", "--json", "--destination", "insurer"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found and all(list(g) == ["rule", "severity", "record_type", "record_id", "message",
                                      "fix", "about"] for g in found)
    assert {g["about"] for g in found if g["rule"] == "financing.promo_ending"} == {"patient"}
    assert {g["about"] for g in found if g["rule"] == "provider.incomplete"} == {"bundle"}


def test_the_text_says_nothing_is_missing_only_when_no_rule_finds_anything(home):
    home.treatment()
    home.call(reference_number="")  # a call log gap: only insurer and appeal bundles check it
    text = format_report(home.check(destination="hsa"), home.services.db)
    assert "Nothing is missing" not in text
    assert "The HSA reimbursement bundle's paperwork is complete." in text
    assert ("1 other finding is about paperwork other bundles need; `regenlog check` lists "
            "everything.") in text

    home.services.records.update(m.InsurerCall, home.services.records.list(m.InsurerCall)[0].id,
                                 reference_number="GPH-1")
    text = format_report(home.check(destination="hsa"), home.services.db)
    assert "Nothing is missing: every rule passed." in text


def test_a_bundle_check_prints_the_patients_deadlines_apart(home):
    t = home.treatment()
    home.services.records.create(
        m.FinancingPlan, person_id=home.dana.id, treatment_id=t.id, lender="Crestline",
        amount_cents=600_000, purchase_date=D(2025, 12, 20), promo_months=12,
        standard_apr_bp=2699, deferred_interest=True)
    lines = format_report(home.check(destination="insurer"), home.services.db).splitlines()
    assert "Nothing is missing" not in "\n".join(lines)
    assert "The insurer claim bundle's paperwork is complete." in lines
    heading = lines.index("About your own money and deadlines (not part of the bundle):")
    assert any("financing.promo_ending" in line for line in lines[heading:])


# -- the treatment checklist -----------------------------------------------------------------
def test_a_checklist_line_about_a_letter_is_not_done_when_there_is_no_letter(home):
    t = home.treatment(letter=False)
    items = home.checklist(t)
    assert not items["lmn.missing"].done
    assert not items["lmn.expired"].done
    assert not items["lmn.expired"].applies  # nothing to be valid: lmn.missing speaks

    covered = home.treatment(day=D(2026, 10, 1))
    assert home.checklist(covered)["lmn.expired"].done


def test_deadline_lines_are_not_done_until_the_thing_is_done(home):
    t = home.treatment(plan_id=home.plan.id)
    home.services.records.update(m.InsurancePlan, home.plan.id, filing_limit_days=365)
    items = home.checklist(t)
    filing = items["claim.filing_deadline"]
    assert filing.applies and not filing.done and not filing.gaps
    assert filing.note == ("Not filed with Granite Peak Health yet; it accepts the claim "
                           "until 2027-09-01.")
    home.services.records.create(m.Claim, treatment_id=t.id, destination="insurer",
                                 plan_id=home.plan.id, status="submitted",
                                 submitted_on=D(2026, 9, 15), amount_claimed_cents=85_000)
    assert home.checklist(t)["claim.filing_deadline"].done


def test_a_bill_over_the_estimate_is_not_done_after_the_dispute_window_closes(home):
    t = home.treatment(day=D(2026, 1, 10))
    home.services.records.create(m.GoodFaithEstimate, person_id=home.dana.id,
                                 treatment_id=t.id, issued_on=D(2026, 1, 2), total_cents=40_000)
    item = home.checklist(t)["gfe.overage"]
    assert not item.gaps and not item.done  # $450 over; the window closed on 2026-05-10
    assert item.note.startswith("Billed $850.00, $450.00 more than the estimate")


def test_a_promotion_not_yet_paid_off_is_not_done(home):
    t = home.treatment()
    home.services.records.create(
        m.FinancingPlan, person_id=home.dana.id, treatment_id=t.id, lender="Crestline",
        amount_cents=85_000, purchase_date=D(2026, 9, 1), promo_months=12, deferred_interest=True)
    item = home.checklist(t)["financing.promo_ending"]
    assert not item.gaps and not item.done
    assert item.note == ("$850.00 is still owed to Crestline; pay it off by 2027-09-01 to avoid "
                         "deferred interest.")


def test_a_checklist_says_which_lines_are_about_the_patients_money(home):
    t = home.treatment()
    items = home.checklist(t)
    assert {rule for rule, item in items.items() if item.about == "patient"} == PATIENT_RULES


def test_an_account_with_no_opened_date_does_not_make_an_hsa_line_done(home):
    r = home.services.records
    hsa = r.create(m.Account, person_id=home.dana.id, kind="hsa")
    t = home.treatment()
    r.create(m.Claim, treatment_id=t.id, destination="hsa", account_id=hsa.id,
             amount_claimed_cents=10_000, status="draft")
    item = home.checklist(t)["hsa.before_opened"]
    assert item.applies and not item.done
    assert "opened date" in item.note
    assert TODAY  # the household's day
