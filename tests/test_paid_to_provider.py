"""Dana's knee MRI: her plan paid the imaging center $489.92 directly and she paid the
$122.48 coinsurance. The money the insurer paid the provider is recorded on the claim and on
the EOB; it is the insurer's payment, never money paid back to Dana, and it survives a
records file."""

import datetime as dt

import pytest

from regenlog.core import models as m
from regenlog.core.errors import ValidationError
from regenlog.core.records_format import build_document, import_records
from regenlog.core.reimbursement import create_claim, treatment_money
from regenlog.core.services import ProcedureInput

D = dt.date


@pytest.fixture
def mri(services):
    r = services.records
    dana = r.create(m.Person, name="Dana Whitfield")
    plan = r.create(m.InsurancePlan, person_id=dana.id, insurer="Granite Peak Health")
    center = r.create(m.Provider, name="Treasure Valley Imaging Center")
    mri = r.create(m.Treatment, person_id=dana.id, provider_id=center.id, plan_id=plan.id,
                   date_of_service=D(2025, 11, 6), category="imaging", body_site="knee",
                   side="right")
    services.details.set_diagnoses(mri.id, ["M17.11"])
    services.details.set_procedure_lines(mri.id, [ProcedureInput("73721", 145_000, 1, "RT", "A")])
    r.create(m.Receipt, treatment_id=mri.id, paid_on=D(2025, 12, 9), total_cents=12_248,
             payment_method="card")
    eob = r.create(m.Determination, person_id=dana.id, plan_id=plan.id, treatment_id=mri.id,
                   kind="eob", decision="approved", reference_number="GPH-CLM-2511-0774213",
                   received_on=D(2025, 12, 2), amount_allowed_cents=61_240,
                   amount_paid_to_provider_cents=48_992)
    return dana, plan, mri, eob


def test_an_eob_and_a_claim_keep_what_the_insurer_paid_the_provider(services, mri):
    _, plan, treatment, eob = mri
    claim = create_claim(
        services, treatment_id=treatment.id, destination="insurer", plan_id=plan.id,
        determination_id=eob.id, submitted_on=D(2025, 11, 7), amount_claimed_cents=145_000,
        status="paid", amount_paid_cents=0, amount_paid_to_provider_cents=48_992,
        paid_on=D(2025, 12, 2),
    )
    assert services.records.get(m.Claim, claim.id).amount_paid_to_provider_cents == 48_992
    assert services.records.get(m.Determination, eob.id).amount_paid_to_provider_cents == 48_992


def test_money_paid_to_the_provider_is_the_insurers_payment_never_a_reimbursement(
    services, mri
):
    _, _, treatment, _ = mri
    money = treatment_money(services.db, [treatment.id])[treatment.id]
    assert money.paid_to_provider_cents == 48_992
    assert money.paid_to_provider_by("insurer") == 48_992
    assert money.reimbursed_cents == 0  # nothing came back to Dana
    assert money.outstanding_cents == 12_248  # her coinsurance is still hers
    # An EOB is the insurer's decision: no new claim asks it again for this MRI.
    assert money.insurer_decided
    assert money.claimable_cents("insurer") == 0
    assert money.claimable_cents("hsa") == 12_248


def test_a_claim_with_money_paid_to_the_provider_is_paid_or_partly_paid(services, mri):
    _, plan, treatment, _ = mri
    with pytest.raises(ValidationError, match="set its status"):
        create_claim(services, treatment_id=treatment.id, destination="insurer",
                     plan_id=plan.id, status="submitted", amount_claimed_cents=12_248,
                     amount_paid_to_provider_cents=48_992)
    with pytest.raises(ValidationError, match="cannot be negative"):
        create_claim(services, treatment_id=treatment.id, destination="insurer",
                     plan_id=plan.id, status="paid", amount_paid_to_provider_cents=-1)


def test_the_amount_paid_to_the_provider_survives_a_records_file(services, mri, new_folder):
    _, plan, treatment, eob = mri
    create_claim(services, treatment_id=treatment.id, destination="insurer", plan_id=plan.id,
                 determination_id=eob.id, amount_claimed_cents=145_000, status="paid",
                 amount_paid_to_provider_cents=48_992)
    document = build_document(services.db, lambda doc: {})
    records = document["records"]
    assert records["claims"][0]["amount_paid_to_provider_cents"] == 48_992
    assert records["determinations"][0]["amount_paid_to_provider_cents"] == 48_992

    other = new_folder()
    import_records(other.db, document)
    assert other.records.get(m.Claim, 1).amount_paid_to_provider_cents == 48_992
    assert other.records.get(m.Determination, 1).amount_paid_to_provider_cents == 48_992
    # A file written before the field existed imports with nothing paid to the provider.
    del records["claims"][0]["amount_paid_to_provider_cents"]
    del records["determinations"][0]["amount_paid_to_provider_cents"]
    third = new_folder()
    import_records(third.db, document)
    assert third.records.get(m.Claim, 1).amount_paid_to_provider_cents == 0
    assert third.records.get(m.Determination, 1).amount_paid_to_provider_cents is None
