"""Claims and reimbursement: what a treatment cost, what came back, and no dollar claimed twice."""

import datetime as dt

import pytest

from regenlog.core import models as m
from regenlog.core.errors import NotFoundError, ValidationError
from regenlog.core.reimbursement import (
    check_claim,
    create_claim,
    treatment_money,
    update_claim,
)
from regenlog.core.services import ProcedureInput

D = dt.date


@pytest.fixture
def knee(services):
    """Dana paid $2,000.00 by card for a PRP injection in her right knee."""
    r = services.records
    dana = r.create(m.Person, name="Dana Whitfield")
    plan = r.create(m.InsurancePlan, person_id=dana.id, insurer="Aetna", filing_limit_days=365)
    hsa = r.create(m.Account, person_id=dana.id, kind="hsa", opened_on=D(2025, 1, 1))
    treatment = r.create(
        m.Treatment, person_id=dana.id, plan_id=plan.id, date_of_service=D(2026, 3, 14),
        category="prp", body_site="knee", side="right",
    )
    r.create(m.Receipt, treatment_id=treatment.id, paid_on=D(2026, 3, 14), total_cents=150_000)
    r.create(m.Receipt, treatment_id=treatment.id, paid_on=D(2026, 3, 20), total_cents=50_000)
    return dana, plan, hsa, treatment


def _insurer_paid(services, knee, cents=45_000, status="partly_paid", **extra):
    _, plan, _, treatment = knee
    return create_claim(
        services, treatment_id=treatment.id, destination="insurer", plan_id=plan.id,
        submitted_on=D(2026, 4, 1), amount_claimed_cents=200_000, status=status,
        amount_paid_cents=cents, paid_on=D(2026, 5, 2), **extra,
    )


def test_the_insurer_pays_part_and_the_hsa_can_take_exactly_the_rest(services, knee):
    _, _, hsa, treatment = knee
    _insurer_paid(services, knee)

    with pytest.raises(ValidationError) as refused:
        create_claim(services, treatment_id=treatment.id, destination="hsa", account_id=hsa.id,
                     amount_claimed_cents=155_001)
    assert str(refused.value) == (
        "The insurer already reimbursed $450.00 of this $2,000.00 treatment; "
        "you can claim at most $1,550.00 from the HSA."
    )
    assert services.records.count(m.Claim) == 1  # the refused claim stored nothing

    claim = create_claim(services, treatment_id=treatment.id, destination="hsa",
                         account_id=hsa.id, amount_claimed_cents=155_000, status="submitted")
    assert services.records.get(m.Claim, claim.id).amount_claimed_cents == 155_000

    # The HSA claim is still open: it counts as claimed, so even one more cent is refused.
    with pytest.raises(ValidationError, match="nothing is left to claim from the FSA"):
        check_claim(services.db, treatment.id, "fsa", 1)


def test_a_refusal_lists_every_share_already_spoken_for(services, knee):
    _, _, hsa, treatment = knee
    _insurer_paid(services, knee)
    create_claim(services, treatment_id=treatment.id, destination="hsa", account_id=hsa.id,
                 amount_claimed_cents=30_000, status="pending")
    with pytest.raises(ValidationError) as refused:
        check_claim(services.db, treatment.id, "fsa", 200_000)
    assert str(refused.value) == (
        "Of this $2,000.00 treatment, the insurer already reimbursed $450.00 and an open claim "
        "to the HSA already asks for $300.00; you can claim at most $1,250.00 from the FSA."
    )


def test_a_denied_claim_frees_the_money_for_another_source(services, knee):
    _, plan, hsa, treatment = knee
    denied = create_claim(services, treatment_id=treatment.id, destination="insurer",
                          plan_id=plan.id, amount_claimed_cents=200_000, status="submitted")
    with pytest.raises(ValidationError, match="An open claim to the insurer already asks for \\$2,000.00"):
        check_claim(services.db, treatment.id, "hsa", 1)
    update_claim(services, denied.id, status="denied")
    check_claim(services.db, treatment.id, "hsa", 200_000)  # no error: all of it is free


def test_changing_a_claim_does_not_count_it_against_itself(services, knee):
    _, _, hsa, treatment = knee
    claim = create_claim(services, treatment_id=treatment.id, destination="hsa",
                         account_id=hsa.id, amount_claimed_cents=200_000, status="submitted")
    paid = update_claim(services, claim.id, status="paid", amount_paid_cents=200_000)
    assert paid.status == "paid"
    with pytest.raises(ValidationError, match="at most \\$2,000.00 from the HSA"):
        update_claim(services, claim.id, amount_paid_cents=200_001)
    assert services.records.get(m.Claim, claim.id).amount_paid_cents == 200_000


def test_money_paid_with_an_hsa_card_cannot_be_claimed_from_the_hsa_again(services):
    r = services.records
    sam = r.create(m.Person, name="Sam")
    iv = r.create(m.Treatment, person_id=sam.id, date_of_service=D(2026, 2, 1), category="iv_therapy")
    r.create(m.Receipt, treatment_id=iv.id, paid_on=D(2026, 2, 1), total_cents=30_000,
             payment_method="hsa_card")
    with pytest.raises(ValidationError) as refused:
        check_claim(services.db, iv.id, "hsa", 30_000)
    assert str(refused.value) == (
        "$300.00 of this $300.00 treatment was paid with an HSA card; "
        "nothing is left to claim from the HSA."
    )
    check_claim(services.db, iv.id, "insurer", 30_000)  # the insurer may still be asked


def test_a_claim_needs_a_receipt_or_a_bill_to_stand_on(services):
    r = services.records
    sam = r.create(m.Person, name="Sam")
    visit = r.create(m.Treatment, person_id=sam.id, date_of_service=D(2026, 2, 1),
                     category="consultation", paid_by_patient=False)
    with pytest.raises(ValidationError, match="No payment or charge is recorded"):
        check_claim(services.db, visit.id, "insurer", 100)
    services.details.set_procedure_lines(visit.id, [ProcedureInput("99204", 32_000)])
    check_claim(services.db, visit.id, "insurer", 32_000)
    with pytest.raises(ValidationError) as refused:
        check_claim(services.db, visit.id, "insurer", 32_001)
    assert str(refused.value) == (
        "You were billed $320.00 for this treatment; you can claim at most $320.00 from the insurer."
    )


@pytest.mark.parametrize("destination, amount, sentence", [
    ("employer", 1, '"employer" is not a place to claim from'),
    ("hsa", -5, "cannot be negative"),
])
def test_bad_claim_input_is_refused_with_one_sentence(services, knee, destination, amount, sentence):
    _, _, _, treatment = knee
    with pytest.raises(ValidationError, match=sentence):
        check_claim(services.db, treatment.id, destination, amount)


def test_a_claim_for_a_treatment_in_the_trash_is_refused(services, knee):
    with pytest.raises(NotFoundError, match="no treatment number 999"):
        check_claim(services.db, 999, "hsa", 1)


def test_an_eob_linked_to_its_claim_is_counted_once(services, knee):
    dana, plan, _, treatment = knee
    eob = services.records.create(
        m.Determination, person_id=dana.id, plan_id=plan.id, treatment_id=treatment.id,
        kind="eob", decision="partial", received_on=D(2026, 5, 1), amount_paid_cents=45_000,
    )
    # The EOB alone: the insurer's payment is known from it.
    alone = treatment_money(services.db)[treatment.id]
    assert alone.reimbursed_by("insurer") == 45_000
    assert alone.outstanding_cents == 155_000

    # The claim that links the EOB speaks for it: still $450.00, not $900.00.
    _insurer_paid(services, knee, determination_id=eob.id)
    money = treatment_money(services.db)[treatment.id]
    assert money.paid_cents == 200_000
    assert money.reimbursed_by("insurer") == 45_000
    assert money.reimbursed_cents == 45_000
    assert money.outstanding_cents == 155_000
    assert money.inconsistency is None


def test_an_unlinked_eob_and_a_claim_both_count_and_overpayment_is_reported(services, knee):
    dana, plan, _, treatment = knee
    _insurer_paid(services, knee)
    # An EOB typed in later and not linked to the claim: RegenLog takes it as a second payment.
    services.records.create(
        m.Determination, person_id=dana.id, plan_id=plan.id, treatment_id=treatment.id,
        kind="eob", received_on=D(2026, 5, 1), amount_paid_cents=180_000,
    )
    money = treatment_money(services.db)[treatment.id]
    assert money.reimbursed_by("insurer") == 225_000
    assert money.outstanding_cents == 0  # never negative
    assert money.inconsistency == (
        "Reimbursements of $2,250.00 are recorded for this $2,000.00 treatment, $250.00 more "
        "than was paid; check its claims and EOBs."
    )


def test_the_trash_holds_no_money(services, knee):
    _, _, hsa, treatment = knee
    claim = create_claim(services, treatment_id=treatment.id, destination="hsa",
                         account_id=hsa.id, amount_claimed_cents=50_000, status="paid",
                         amount_paid_cents=50_000)
    receipt = services.records.list(m.Receipt)[1]
    services.records.delete(m.Receipt, receipt.id)
    services.records.delete(m.Claim, claim.id)
    money = treatment_money(services.db, [treatment.id])[treatment.id]
    assert (money.paid_cents, money.reimbursed_cents) == (150_000, 0)


def test_money_for_many_treatments_comes_from_a_few_queries(services, db):
    r = services.records
    pat = r.create(m.Person, name="Pat")
    ids = []
    for day in range(1, 29):
        t = r.create(m.Treatment, person_id=pat.id, date_of_service=D(2026, 2, day), category="prp")
        r.create(m.Receipt, treatment_id=t.id, paid_on=D(2026, 2, day), total_cents=day * 100)
        ids.append(t.id)
    statements = []
    from sqlalchemy import event

    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        everything = treatment_money(db)
        some = treatment_money(db, ids[:3] + [12345])
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 10  # five per call, whatever the number of treatments
    assert sum(t.paid_cents for t in everything.values()) == sum(d * 100 for d in range(1, 29))
    assert sorted(some) == ids[:3]


@pytest.mark.parametrize("fields, sentence", [
    ({"destination": "hsa", "account": "fsa"},
     "An HSA claim goes to an HSA; this account is an FSA."),
    ({"destination": "hsa", "status": "submitted", "amount_paid_cents": 30_000},
     "This claim has money paid back, so it is paid or partly paid"),
    ({"destination": "insurer", "submitted_on": D(2026, 4, 1), "paid_on": D(2026, 3, 30),
      "status": "paid", "amount_paid_cents": 30_000},
     "A claim cannot be paid before it was submitted."),
    ({"destination": "insurer", "submitted_on": D(2026, 3, 1)},
     "A claim cannot be submitted before the date of service (2026-03-14)."),
    ({"destination": "insurer", "status": "paid", "amount_paid_cents": 30_000,
      "paid_on": D(2020, 1, 1)},
     "A claim cannot be paid before the date of service (2026-03-14)."),
])
def test_a_claim_that_contradicts_itself_or_its_treatment_is_refused(
    services, knee, fields, sentence
):
    dana, plan, hsa, treatment = knee
    fsa = services.records.create(m.Account, person_id=dana.id, kind="fsa")
    fields = dict(fields)
    account = fields.pop("account", "hsa")
    values = {"treatment_id": treatment.id, "amount_claimed_cents": 30_000, **fields}
    if values["destination"] == "insurer":
        values["plan_id"] = plan.id
    else:
        values["account_id"] = (fsa if account == "fsa" else hsa).id
    with pytest.raises(ValidationError, match=sentence.replace("(", r"\(").replace(")", r"\)")):
        create_claim(services, **values)
    assert services.records.list(m.Claim) == []
    # Changing a good claim into the same contradiction is refused too.
    good = create_claim(services, treatment_id=treatment.id, destination="insurer",
                        plan_id=plan.id, amount_claimed_cents=10_000)
    if values["destination"] == "insurer":
        with pytest.raises(ValidationError):
            update_claim(services, good.id, **{k: v for k, v in fields.items()})


def test_an_insurer_claim_leaves_an_hsa_claim_its_share_when_a_card_paid_part(services, knee):
    """$2,000 paid, $300 of it by HSA card; an HSA claim asks $500. Raising (or making) an
    insurer claim past $1,200 would leave the HSA claim counting on card money."""
    dana, plan, hsa, treatment = knee
    services.records.create(m.Receipt, treatment_id=treatment.id, paid_on=D(2026, 3, 14),
                            total_cents=30_000, payment_method="hsa_card")
    # The card receipt adds to what was paid: $2,300 in all, $300 of it by card.
    insurer = create_claim(services, treatment_id=treatment.id, destination="insurer",
                           plan_id=plan.id, amount_claimed_cents=20_000)
    create_claim(services, treatment_id=treatment.id, destination="hsa", account_id=hsa.id,
                 amount_claimed_cents=50_000)
    with pytest.raises(ValidationError, match=r"you can claim at most \$1,500.00 from the insurer"):
        update_claim(services, insurer.id, amount_claimed_cents=150_001)
    update_claim(services, insurer.id, amount_claimed_cents=150_000)
    with pytest.raises(ValidationError, match="HSA or FSA claims already count on"):
        create_claim(services, treatment_id=treatment.id, destination="insurer",
                     plan_id=plan.id, amount_claimed_cents=1)


# -- what is still claimable, from one set of rules ----------------------------------------
def test_an_open_claim_is_awaited_and_no_payer_is_asked_for_it_again(services, knee):
    # Dana's $2,000 PRP: a $500 HSA claim is pending. Neither the HSA (again) nor the FSA nor
    # the insurer may be asked for those $500: a second request could be paid twice.
    _, _, hsa, treatment = knee
    create_claim(services, treatment_id=treatment.id, destination="hsa", account_id=hsa.id,
                 amount_claimed_cents=50_000, status="pending")
    money = treatment_money(services.db, [treatment.id])[treatment.id]
    assert money.awaiting_from("hsa") == 50_000
    assert [money.claimable_cents(d) for d in ("insurer", "hsa", "fsa")] == [150_000] * 3
    assert money.still_claimable_cents == 150_000


def test_an_insurer_that_has_decided_is_not_asked_again_but_an_appeal_may_ask(services, knee):
    dana, plan, _, treatment = knee
    pending = services.records.create(
        m.Determination, person_id=dana.id, plan_id=plan.id, treatment_id=treatment.id,
        kind="eob", decision="pending", received_on=D(2026, 4, 20))
    money = treatment_money(services.db, [treatment.id])[treatment.id]
    assert not money.insurer_decided  # an EOB still pending has decided nothing
    assert money.claimable_cents("insurer") == 200_000

    services.records.create(
        m.Determination, person_id=dana.id, plan_id=plan.id, treatment_id=treatment.id,
        kind="denial", decision="denied", reference_number="DEN-7", received_on=D(2026, 5, 2))
    money = treatment_money(services.db, [treatment.id])[treatment.id]
    assert [d.words for d in money.decisions] == ["the denial DEN-7 of 2026-05-02"]
    assert money.claimable_cents("insurer") == 0
    assert money.claimable_cents("appeal") == 200_000
    assert money.claimable_cents("hsa") == 200_000
    # The claim form still records a corrected claim if the insurer asks for one.
    check_claim(services.db, treatment.id, "insurer", 200_000)
    assert pending.id  # the pending EOB stays on file


def test_an_appealed_claim_counts_what_it_paid_as_paid_back_and_the_rest_as_awaited(
    services, knee
):
    _insurer_paid(services, knee, status="appealed")
    _, _, _, treatment = knee
    money = treatment_money(services.db, [treatment.id])[treatment.id]
    assert money.reimbursed_by("insurer") == 45_000
    assert money.awaiting_from("insurer") == 155_000
    assert money.claimable_cents("hsa") == 0  # the appeal asks for the rest
    assert money.claimable_cents("appeal") == 155_000


def test_a_claim_that_links_its_eob_is_checked_without_counting_the_eob_twice(services, knee):
    # $2,000 paid; the EOB says $1,200 came back. Recording the claim that the EOB answers,
    # with the same $1,200, must not read as $2,400 paid back.
    dana, plan, _, treatment = knee
    eob = services.records.create(
        m.Determination, person_id=dana.id, plan_id=plan.id, treatment_id=treatment.id,
        kind="eob", decision="partial", received_on=D(2026, 5, 1), amount_paid_cents=120_000)
    _insurer_paid(services, knee, cents=120_000, determination_id=eob.id)
    money = treatment_money(services.db, [treatment.id])[treatment.id]
    assert money.reimbursed_cents == 120_000


def test_a_provider_paid_beyond_its_charges_owes_the_patient_and_no_payer_is_asked(services):
    # A $1,450 MRI paid in full by card at the visit; the insurer then also paid the imaging
    # center $489.92. The center owes Dana $489.92: the HSA may be asked for $960.08 only.
    r = services.records
    dana = r.create(m.Person, name="Dana")
    mri = r.create(m.Treatment, person_id=dana.id, date_of_service=D(2025, 11, 6),
                   category="imaging")
    services.details.set_procedure_lines(mri.id, [ProcedureInput("73721", 145_000, 1, "", "")])
    r.create(m.Receipt, treatment_id=mri.id, paid_on=D(2025, 11, 6), total_cents=145_000)
    r.create(m.Determination, person_id=dana.id, treatment_id=mri.id, kind="eob",
             decision="approved", received_on=D(2025, 12, 2), amount_paid_to_provider_cents=48_992)
    money = treatment_money(services.db, [mri.id])[mri.id]
    assert money.overpaid_cents == 48_992
    assert money.claimable_cents("hsa") == 96_008
    assert money.inconsistency == (
        "The insurer paid the provider $489.92 and you paid $1,450.00, $489.92 more than the "
        "$1,450.00 charged: ask the provider to refund you the difference."
    )
