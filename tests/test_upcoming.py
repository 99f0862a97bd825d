"""What is due next: the dashboard's list of deadlines, computed from a household's records."""

import datetime as dt

import pytest

from regenlog.core import models as m
from regenlog.core.errors import ValidationError
from regenlog.core.reimbursement import create_claim
from regenlog.core.upcoming import treatment_phrase, upcoming_deadlines

D = dt.date
TODAY = D(2026, 11, 26)


@pytest.fixture
def dana(services):
    r = services.records
    person = r.create(m.Person, name="Dana Whitfield")
    plan = r.create(m.InsurancePlan, person_id=person.id, insurer="Aetna", filing_limit_days=90)
    knee = r.create(m.Treatment, person_id=person.id, plan_id=plan.id, date_of_service=D(2026, 5, 1),
                    category="prp", body_site="knee", side="right")
    return person, plan, knee


def _denial(services, person, plan, treatment, day, **extra):
    return services.records.create(
        m.Determination, person_id=person.id, plan_id=plan.id,
        treatment_id=treatment.id if treatment else None, kind="denial", decision="denied",
        received_on=day, **extra,
    )


def _listed(services, **kw):
    return [(u.kind, u.due, u.title) for u in upcoming_deadlines(services.db, TODAY, **kw)]


def test_a_denial_gives_180_days_to_appeal_and_the_180th_day_still_counts(services, dana):
    person, plan, knee = dana
    last_day = _denial(services, person, plan, knee, TODAY - dt.timedelta(days=180),
                       reference_number="12345")
    _denial(services, person, plan, knee, TODAY - dt.timedelta(days=181))  # closed yesterday
    items = upcoming_deadlines(services.db, TODAY)
    assert [(u.kind, u.due, u.record_type, u.record_id) for u in items] == [
        ("internal_appeal", TODAY, "determination", last_day.id),
    ]
    item = items[0]
    assert item.title == "Appeal deadline: right knee PRP denial (ref 12345)"
    assert item.person_name == "Dana Whitfield"
    assert item.days_left(TODAY) == 0
    assert "180 days" in item.deadline.rule


def test_a_denial_on_31_august_and_its_final_denial(services, dana):
    person, plan, knee = dana
    _denial(services, person, plan, knee, D(2026, 8, 31))
    _denial(services, person, plan, None, D(2026, 8, 31), is_final=True, reference_number="F-9")
    assert _listed(services) == [
        # Four calendar months after Aug 31 is Dec 31; 180 days after it is Feb 27.
        ("external_review", D(2026, 12, 31), "External review deadline: Aetna final denial (ref F-9)"),
        ("internal_appeal", D(2027, 2, 27), "Appeal deadline: right knee PRP denial"),
    ]


def test_an_appeal_stops_the_appeal_clock(services, dana):
    person, plan, knee = dana
    _denial(services, person, plan, knee, D(2026, 9, 1))
    decided = services.records.create(
        m.Determination, person_id=person.id, plan_id=plan.id, treatment_id=knee.id,
        kind="appeal_decision", decision="approved", received_on=D(2026, 10, 20),
    )
    assert _listed(services) == []
    # Trash the appeal decision: the clock shows again. Mark the claim appealed: it stops.
    services.records.delete(m.Determination, decided.id)
    assert [k for k, *_ in _listed(services)] == ["internal_appeal"]
    services.records.create(m.Receipt, treatment_id=knee.id, paid_on=D(2026, 5, 1), total_cents=90_000)
    create_claim(services, treatment_id=knee.id, destination="insurer", plan_id=plan.id,
                 amount_claimed_cents=90_000, status="appealed", submitted_on=D(2026, 5, 5))
    assert _listed(services) == []


def test_an_unclaimed_treatment_shows_the_plans_filing_limit(services, dana):
    person, plan, _ = dana
    r = services.records
    recent = r.create(m.Treatment, person_id=person.id, plan_id=plan.id,
                      date_of_service=D(2026, 10, 1), category="iv_therapy")
    r.create(m.Receipt, treatment_id=recent.id, paid_on=D(2026, 10, 1), total_cents=30_000)
    filed = r.create(m.Treatment, person_id=person.id, plan_id=plan.id,
                     date_of_service=D(2026, 10, 2), category="prp")
    r.create(m.Receipt, treatment_id=filed.id, paid_on=D(2026, 10, 2), total_cents=30_000)
    create_claim(services, treatment_id=filed.id, destination="insurer", plan_id=plan.id,
                 amount_claimed_cents=30_000, status="submitted")
    # A draft is not a filed claim; a treatment with nothing paid or billed needs no claim.
    create_claim(services, treatment_id=recent.id, destination="insurer", plan_id=plan.id,
                 amount_claimed_cents=100, status="draft")
    medicare = r.create(m.InsurancePlan, person_id=person.id, insurer="Medicare", plan_type="medicare")
    old = r.create(m.Treatment, person_id=person.id, plan_id=medicare.id,
                   date_of_service=D(2026, 1, 15), category="imaging", body_site="knee")
    r.create(m.Receipt, treatment_id=old.id, paid_on=D(2026, 1, 15), total_cents=50_000)
    assert _listed(services) == [
        ("claim_filing", D(2026, 12, 30), "Claim filing deadline: IV therapy on 2026-10-01 (Aetna)"),
        ("medicare_filing", D(2027, 1, 15),
         "Claim filing deadline: knee imaging on 2026-01-15 (Medicare)"),
    ]


def test_fsa_estimates_letters_and_financing(services, dana):
    person, _, knee = dana
    r = services.records
    r.create(m.Account, person_id=person.id, kind="fsa", administrator="WEX",
             plan_year_start=D(2026, 1, 1), plan_year_end=D(2026, 12, 31),
             extension="run_out", run_out_days=60)
    # A run-out with no days falls back to the plan-year end, the earliest it can be.
    r.create(m.Account, person_id=person.id, kind="fsa", plan_year_end=D(2026, 12, 31),
             extension="run_out")
    # Billed $2,900.00 against a $2,400.00 estimate: $500.00 over, 120 days from payment.
    r.create(m.Receipt, treatment_id=knee.id, paid_on=D(2026, 9, 1), total_cents=290_000)
    r.create(m.GoodFaithEstimate, person_id=person.id, treatment_id=knee.id,
             issued_on=D(2026, 4, 1), total_cents=240_000)
    r.create(m.GoodFaithEstimate, person_id=person.id, treatment_id=knee.id,
             issued_on=D(2026, 4, 2), total_cents=250_001)  # $399.99 over: no dispute
    # An old letter renewed by a newer one for the same diagnosis, and the newer one expiring.
    old = r.create(m.MedicalNecessityLetter, person_id=person.id, written_on=D(2026, 1, 5),
                   valid_until=D(2026, 12, 15), physician_name="Dr. Okafor")
    new = r.create(m.MedicalNecessityLetter, person_id=person.id, written_on=D(2026, 11, 1),
                   valid_until=D(2027, 1, 31), physician_name="Dr. Okafor")
    services.details.set_letter_coverage(old.id, ["E53.8"])
    services.details.set_letter_coverage(new.id, ["E53.8", "D51.0"])
    # Deferred interest: $6,000 on 2026-01-15, ten payments of $450 so far.
    loan = r.create(m.FinancingPlan, person_id=person.id, lender="CareCredit", amount_cents=600_000,
                    purchase_date=D(2026, 1, 15), promo_end=D(2027, 1, 15), standard_apr_bp=2999)
    for month in range(2, 12):
        services.details.add_payment(loan.id, D(2026, month, 15), 45_000)
    paid_off = r.create(m.FinancingPlan, person_id=person.id, lender="Alphaeon", amount_cents=1_000,
                        purchase_date=D(2026, 1, 15), promo_end=D(2027, 1, 15), standard_apr_bp=2999)
    services.details.add_payment(paid_off.id, D(2026, 2, 1), 1_000)

    items = upcoming_deadlines(services.db, TODAY)
    assert [(u.kind, u.due, u.record_type) for u in items] == [
        ("gfe_dispute", D(2026, 12, 30), "good_faith_estimate"),
        ("fsa_claims", D(2026, 12, 31), "account"),
        ("promo_end", D(2027, 1, 15), "financing_plan"),
        ("lmn_expiry", D(2027, 1, 31), "medical_necessity_letter"),
        ("fsa_claims", D(2027, 3, 1), "account"),
    ]
    by_kind = {(u.kind, u.due): u for u in items}
    assert by_kind["fsa_claims", D(2027, 3, 1)].title == (
        "Last day to submit FSA claims for the plan year ending 2026-12-31 (WEX)"
    )
    gfe = by_kind["gfe_dispute", D(2026, 12, 30)]
    assert gfe.title == "Good Faith Estimate dispute: right knee PRP billed $500.00 over the estimate"
    assert gfe.detail == (
        "The bill of $2,900.00 is $500.00 more than the estimate of $2,400.00; counted from the "
        "first payment on 2026-09-01 (if the bill is dated earlier, count from the bill's date)."
    )
    promo = by_kind["promo_end", D(2027, 1, 15)]
    assert promo.title == "Promotion ends: pay the $1,500.00 left on CareCredit"
    assert "back-interest will be charged on 2027-01-15" in promo.detail
    letter = by_kind["lmn_expiry", D(2027, 1, 31)]
    assert (letter.record_id, letter.title) == (
        new.id, "Renew the letter of medical necessity from Dr. Okafor (written 2026-11-01)",
    )


def test_the_list_is_sorted_by_date_and_respects_the_horizon(services, dana):
    person, plan, knee = dana
    _denial(services, person, plan, knee, D(2026, 10, 1))  # due 2027-03-30
    _denial(services, person, plan, knee, D(2026, 6, 30))  # due 2026-12-27
    assert [d for _, d, _ in _listed(services)] == [D(2026, 12, 27)]
    assert [d for _, d, _ in _listed(services, horizon_days=130)] == [
        D(2026, 12, 27), D(2027, 3, 30),
    ]
    with pytest.raises(ValidationError):
        upcoming_deadlines(services.db, TODAY, horizon_days=-1)


def test_titles_say_what_the_patient_calls_the_treatment():
    assert treatment_phrase("prp", "knee", "right") == "right knee PRP"
    assert treatment_phrase("stem_cell_bone_marrow", "hip", "bilateral") == "bilateral hip bone-marrow stem-cell"
    assert treatment_phrase("other", "", "none", "Ozone injection") == "Ozone injection"
    assert treatment_phrase("other") == "treatment"


def test_a_deposit_does_not_hide_a_bill_over_the_estimate(services, dana):
    from regenlog.core.services import ProcedureInput

    person, _, knee = dana
    services.details.set_procedure_lines(knee.id, [ProcedureInput("0232T", 290_000)])
    services.records.create(m.Receipt, treatment_id=knee.id, paid_on=D(2026, 9, 1),
                            total_cents=50_000)  # a deposit; the balance is still owed
    services.records.create(m.GoodFaithEstimate, person_id=person.id, treatment_id=knee.id,
                            issued_on=D(2026, 4, 1), total_cents=240_000)
    gfe = next(u for u in upcoming_deadlines(services.db, TODAY) if u.kind == "gfe_dispute")
    assert gfe.title == "Good Faith Estimate dispute: right knee PRP billed $500.00 over the estimate"


def test_a_year_9999_date_kept_from_an_old_version_does_not_stop_the_list(services, dana):
    # Dates are limited to 1900-2099 now; a database written before may still hold one.
    person, plan, knee = dana
    services.records.create(m.Receipt, treatment_id=knee.id, paid_on=D(2026, 5, 1),
                            total_cents=10_000)
    with services.db.session() as session:
        session.connection().exec_driver_sql(
            "UPDATE treatment SET date_of_service = '9999-12-31' WHERE id = ?", (knee.id,))
        session.commit()
    assert upcoming_deadlines(services.db, TODAY) == []
    final = _denial(services, person, plan, None, D(2026, 1, 1), is_final=True)
    with services.db.session() as session:
        session.connection().exec_driver_sql(
            "UPDATE determination SET received_on = '9999-08-15' WHERE id = ?", (final.id,))
        session.commit()
    assert upcoming_deadlines(services.db, TODAY) == []
