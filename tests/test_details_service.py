"""The parts a record owns: codes and procedure lines of a treatment, receipt lines, a
letter's coverage, payments on a financing plan."""

import datetime as dt

import pytest

from regenlog.core import models as m
from regenlog.core.errors import ValidationError
from regenlog.core.services import ProcedureInput, ReceiptLineInput

D = dt.date


@pytest.fixture
def knee(services):
    dana = services.records.create(m.Person, name="Dana Whitfield")
    return services.records.create(
        m.Treatment, person_id=dana.id, date_of_service=D(2026, 3, 2), category="prp"
    )


def test_diagnosis_codes_are_normalised_ordered_and_described(services, knee):
    stored = services.details.set_diagnoses(knee.id, ["m1711", " M25.561 ", ""])
    assert [(d.position, d.code) for d in stored] == [(0, "M17.11"), (1, "M25.561")]
    assert "right knee" in stored[0].description.lower()


@pytest.mark.parametrize(
    "codes, sentence",
    [(["M17.11", "m17.11"], "M17.11 is listed twice."),
     (["17.11"], "is not an ICD-10-CM code"),
     ([f"M17.{i}" for i in range(13)], "at most 12 diagnosis codes")],
)
def test_bad_diagnosis_lists_change_nothing(services, knee, codes, sentence):
    services.details.set_diagnoses(knee.id, ["M17.11"])
    with pytest.raises(ValidationError, match=sentence):
        services.details.set_diagnoses(knee.id, codes)
    assert [d.code for d in services.details.diagnoses(knee.id)] == ["M17.11"]


def test_procedure_lines_validate_code_modifiers_and_pointers(services, knee):
    services.details.set_diagnoses(knee.id, ["M17.11", "M25.561"])
    lines = services.details.set_procedure_lines(knee.id, [
        ProcedureInput("0232t", charge_cents=150000, modifiers="rt", pointers="a,b"),
        ProcedureInput("76942", charge_cents=20000),
    ])
    assert [(p.code, p.modifiers, p.pointers, p.units) for p in lines] == [
        ("0232T", "RT", "AB", 1), ("76942", "", "A", 1)
    ]
    with pytest.raises(ValidationError, match="^Line 2: 0232 has 4 characters"):
        services.details.set_procedure_lines(knee.id, [
            ProcedureInput("20610"), ProcedureInput("0232")
        ])
    with pytest.raises(ValidationError, match="^Line 1: .*C"):
        services.details.set_procedure_lines(knee.id, [ProcedureInput("20610", pointers="C")])
    assert [p.code for p in services.details.procedure_lines(knee.id)] == ["0232T", "76942"]


def test_removing_a_diagnosis_a_line_points_at_is_refused(services, knee):
    services.details.set_diagnoses(knee.id, ["M17.11", "M25.561"])
    services.details.set_procedure_lines(knee.id, [ProcedureInput("20610", pointers="B")])
    with pytest.raises(ValidationError, match="no longer exist"):
        services.details.set_diagnoses(knee.id, ["M17.11"])
    assert len(services.details.diagnoses(knee.id)) == 2


def test_receipt_lines_are_replaced_as_a_whole(services, knee):
    receipt = services.records.create(
        m.Receipt, treatment_id=knee.id, paid_on=D(2026, 3, 2), total_cents=170000
    )
    services.details.set_receipt_lines(receipt.id, [
        ReceiptLineInput("consultation", 20000), ReceiptLineInput("procedure", 150000, "PRP"),
    ])
    assert sum(line.amount_cents for line in services.details.receipt_lines(receipt.id)) == 170000
    with pytest.raises(ValidationError, match='"massage" is not a kind of charge'):
        services.details.set_receipt_lines(receipt.id, [ReceiptLineInput("massage", 100)])
    assert len(services.details.receipt_lines(receipt.id)) == 2


def test_a_letter_covers_diagnoses_and_treatments_of_one_patient(services, knee):
    letter = services.records.create(
        m.MedicalNecessityLetter, person_id=knee.person_id, written_on=D(2026, 2, 1)
    )
    services.details.set_letter_coverage(letter.id, ["m17.11"], [knee.id])
    assert services.details.letter_diagnoses(letter.id) == ["M17.11"]
    assert services.details.letter_treatments(letter.id) == [knee.id]
    other = services.records.create(m.Person, name="Marcus Whitfield")
    elbow = services.records.create(
        m.Treatment, person_id=other.id, date_of_service=D(2026, 4, 1), category="prp"
    )
    with pytest.raises(ValidationError, match="for someone else"):
        services.details.set_letter_coverage(letter.id, ["M77.11"], [elbow.id])
    assert services.details.letter_diagnoses(letter.id) == ["M17.11"]


def test_financing_payments(services, knee):
    plan = services.records.create(
        m.FinancingPlan, person_id=knee.person_id, lender="CareCredit", amount_cents=600000,
        purchase_date=D(2026, 1, 15), promo_end=D(2027, 1, 15), standard_apr_bp=2999,
    )
    services.details.add_payment(plan.id, D(2026, 2, 15), 45000)
    with pytest.raises(ValidationError, match="before the purchase"):
        services.details.add_payment(plan.id, D(2025, 12, 1), 45000)
    with pytest.raises(ValidationError, match="more than"):
        services.details.add_payment(plan.id, D(2026, 3, 15), 0)
    assert [(p.paid_on, p.amount_cents) for p in services.details.payments(plan.id)] == [
        (D(2026, 2, 15), 45000)
    ]


@pytest.mark.parametrize("paid_on, amount, sentence", [
    ("2026-02-15", 45000, "must be a date"),
    (dt.datetime(2026, 2, 15, 9, 0), 45000, "must be a date"),
    (D(2026, 2, 15), True, "whole number of cents"),
    (D(2026, 2, 15), 12.5, "whole number of cents"),
])
def test_a_payment_typed_wrong_is_refused_with_a_sentence(services, knee, paid_on, amount, sentence):
    plan = services.records.create(
        m.FinancingPlan, person_id=knee.person_id, lender="CareCredit", amount_cents=600000,
        purchase_date=D(2026, 1, 15),
    )
    with pytest.raises(ValidationError, match=sentence):
        services.details.add_payment(plan.id, paid_on, amount)
    assert services.details.payments(plan.id) == []


def test_true_is_not_a_number_of_units(services, knee):
    services.details.set_diagnoses(knee.id, ["M17.11"])
    with pytest.raises(ValidationError, match="units must be a whole number"):
        services.details.set_procedure_lines(knee.id, [ProcedureInput("20610", units=True)])


def test_lines_entered_before_any_code_point_at_the_first_code_added(services, knee):
    services.details.set_procedure_lines(knee.id, [ProcedureInput("0232T")])
    assert services.details.procedure_lines(knee.id)[0].pointers == ""
    services.details.set_diagnoses(knee.id, ["M77.11"])
    assert services.details.procedure_lines(knee.id)[0].pointers == "A"


@pytest.mark.parametrize("write, sentence", [
    (lambda s, t, r, f: s.details.set_procedure_lines(t, [ProcedureInput("20610", 2**62)]),
     "Line 1: the charge is more than $10,000,000.00; check the amount."),
    (lambda s, t, r, f: s.details.set_receipt_lines(r, [ReceiptLineInput("procedure", 2**62)]),
     "Line 1: the amount is more than $10,000,000.00; check the amount."),
    (lambda s, t, r, f: s.details.add_payment(f, dt.date(2026, 2, 1), 2**62),
     "The payment is more than $10,000,000.00; check the amount."),
])
def test_amounts_a_sum_could_overflow_on_are_refused(services, write, sentence):
    r = services.records
    person = r.create(m.Person, name="Dana")
    t = r.create(m.Treatment, person_id=person.id, date_of_service=dt.date(2026, 1, 1),
                 category="prp")
    receipt = r.create(m.Receipt, treatment_id=t.id, paid_on=dt.date(2026, 1, 1), total_cents=100)
    plan = r.create(m.FinancingPlan, person_id=person.id, lender="CareCredit", amount_cents=100,
                    purchase_date=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError) as error:
        write(services, t.id, receipt.id, plan.id)
    assert str(error.value).endswith(sentence)
    assert services.details.procedure_lines(t.id) == []
    assert services.details.receipt_lines(receipt.id) == []


def test_reordering_or_removing_codes_keeps_each_line_on_the_same_diagnosis(services, knee):
    d = services.details
    d.set_diagnoses(knee.id, ["M17.11", "M25.561", "M23.221"])
    d.set_procedure_lines(knee.id, [
        ProcedureInput("0232T", 150000, 1, "RT", "A", "PRP"),
        ProcedureInput("76942", 25000, 1, "", "AB", "Ultrasound guidance"),
    ])
    # "Make primary" on M25.561: a line that pointed at M17.11 still does, now letter B.
    d.set_diagnoses(knee.id, ["M25.561", "M17.11", "M23.221"])
    assert [x.pointers for x in d.procedure_lines(knee.id)] == ["B", "BA"]
    # Removing a code nothing points at re-letters nothing but what moved.
    d.set_diagnoses(knee.id, ["M25.561", "M17.11"])
    assert [x.pointers for x in d.procedure_lines(knee.id)] == ["B", "BA"]
    # Removing one a line points at is refused, and nothing changes.
    with pytest.raises(ValidationError, match="Procedure line 2 points at a diagnosis"):
        d.set_diagnoses(knee.id, ["M17.11"])
    assert [c.code for c in d.diagnoses(knee.id)] == ["M25.561", "M17.11"]
    assert [x.pointers for x in d.procedure_lines(knee.id)] == ["B", "BA"]


def test_correcting_a_code_in_place_keeps_the_lines_on_it(services, knee):
    d = services.details
    d.set_diagnoses(knee.id, ["M17.1", "M25.561"])  # a heading typed by mistake
    d.set_procedure_lines(knee.id, [ProcedureInput("0232T", 150000, 1, "RT", "AB", "PRP")])
    d.set_diagnoses(knee.id, ["M17.11", "M25.561"], replaced={"m17.1": "M17.11"})
    assert [c.code for c in d.diagnoses(knee.id)] == ["M17.11", "M25.561"]
    assert d.procedure_lines(knee.id)[0].pointers == "AB"
