"""The bundle never asks twice: on the demo household, each payer is asked only for what is
still claimable from it, the rest is shown as lines a reviewer can read, and an insurer that
has already decided a treatment is not asked again.

Dana's first PRP injection (treatment 4, $850 by card) has an EOB: the insurer paid her $372.
Her knee MRI (treatment 2) was paid by the insurer to the imaging center ($489.92); she paid
the $122.48 coinsurance with her HSA card. Her second PRP (treatment 5) has an insurer claim
still pending. Marcus's shoulder consultation (treatment 9, $350) was denied.
"""

import datetime as dt
import io
import json
import re
import zipfile

import pytest
from pypdf import PdfReader

from regenlog.bundle import BundleSelection, export_bundle, preflight
from regenlog.core.demo import load_demo
from regenlog.core.errors import ValidationError
from regenlog.core.reimbursement import treatment_money

pytestmark = pytest.mark.usefixtures("qapp")

TODAY = dt.date(2026, 11, 26)
MRI, PRP_1, PRP_2, PRP_BOOSTER, SHOULDER = 2, 4, 5, 6, 9


@pytest.fixture
def demo(services):
    load_demo(services)
    return services


def export(services, tmp_path, destination, *ids):
    target = tmp_path / f"{destination}-{'-'.join(map(str, ids))}.zip"
    export_bundle(services.db, BundleSelection(treatment_ids=ids), destination, target,
                  today=TODAY)
    return zipfile.ZipFile(target)


def pdf_text(archive, name) -> str:
    reader = PdfReader(io.BytesIO(archive.read(name)))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def fhir_claims(archive) -> list[dict]:
    bundle = json.loads(archive.read("fhir/bundle.json"))
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Claim"]


@pytest.mark.parametrize("treatment, decision", [
    (PRP_1, "the EOB GPH-CLM-2603-1185203 of 2026-04-22"),
    (MRI, "the EOB GPH-CLM-2511-0774213 of 2025-12-02"),
])
def test_an_insurer_bundle_refuses_to_ask_again_for_a_treatment_the_insurer_decided(
    demo, tmp_path, treatment, decision
):
    with pytest.raises(ValidationError) as refused:
        export(demo, tmp_path, "insurer", treatment)
    sentence = str(refused.value)
    assert sentence.startswith("Granite Peak Health has already decided ")
    assert decision in sentence
    assert sentence.endswith(
        "make an appeal bundle to ask it to reconsider, or leave this treatment out."
    )
    assert not list(tmp_path.glob("*.zip*"))  # nothing written, not even a part
    # The wizard's gap step says the same before anything is written.
    with pytest.raises(ValidationError, match="has already decided"):
        preflight(demo.db, BundleSelection(treatment_ids=(treatment,)), "insurer", TODAY)


def test_several_decided_treatments_are_named_in_one_sentence(demo, tmp_path):
    with pytest.raises(ValidationError) as refused:
        export(demo, tmp_path, "insurer", MRI, PRP_1, PRP_2)
    sentence = str(refused.value)
    assert "has already decided 2 of these treatments: the imaging of the right knee on " \
           "2025-11-06 (the EOB GPH-CLM-2511-0774213 of 2025-12-02) and the PRP injection " in sentence
    assert sentence.endswith("or leave those treatments out.")


def test_the_hsa_is_asked_only_for_what_the_insurer_did_not_pay_back(demo, tmp_path):
    archive = export(demo, tmp_path, "hsa", PRP_1)
    statement = pdf_text(archive, "01-statement.pdf")
    assert "Paid back to you by the insurer EOB GPH-CLM-2603-1185203 2026-04-22 $372.00" \
        in statement
    assert "Requested in this bundle $478.00" in statement
    assert "Claimed in this bundle" not in statement and "$1,700.00" not in statement
    letter = pdf_text(archive, "00-cover-letter.pdf")
    assert "which I paid out of pocket and nobody has paid back: $478.00 in all" in letter
    [claim] = fhir_claims(archive)
    assert claim["total"] == {"value": 478.0, "currency": "USD"}
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["amounts"] == [{
        "treatment_id": PRP_1, "charges_cents": 85_000, "paid_cents": 85_000,
        "reimbursed_cents": 37_200, "paid_to_provider_cents": 0, "awaiting_cents": 0,
        "claimed_cents": 47_800,
    }]


def test_the_mri_the_insurer_paid_to_the_imaging_center_is_never_claimed_again(demo, tmp_path):
    money = treatment_money(demo.db, [MRI])[MRI]
    assert (money.paid_to_provider_cents, money.reimbursed_cents) == (48_992, 0)
    archive = export(demo, tmp_path, "hsa", MRI)
    statement = pdf_text(archive, "01-statement.pdf")
    assert ("Paid by the insurer to the provider (not paid back to you) "
            "EOB GPH-CLM-2511-0774213 2025-12-02 $489.92") in statement
    assert "Paid with your HSA card (tax-free already, not requested) $122.48" in statement
    assert "Requested in this bundle $0.00" in statement
    assert "$1,450.00 Requested" not in statement
    [claim] = fhir_claims(archive)
    assert claim["total"]["value"] == 0
    # The EOB in FHIR says whom the insurer paid (CARIN Blue Button adjudication codes).
    bundle = json.loads(archive.read("fhir/bundle.json"))
    [eob] = [e["resource"] for e in bundle["entry"]
             if e["resource"]["resourceType"] == "ExplanationOfBenefit"]
    totals = {t["category"]["coding"][0]["code"]: t["amount"]["value"] for t in eob["total"]}
    assert totals["paidtoprovider"] == 489.92 and totals["benefit"] == 489.92
    assert "paidtopatient" not in totals


def test_an_open_insurer_claim_is_supported_not_asked_for_again(demo, tmp_path):
    archive = export(demo, tmp_path, "insurer", PRP_2)
    statement = pdf_text(archive, "01-statement.pdf")
    assert "Already claimed from the insurer, still open (pending, submitted 2026-04-20) " \
           "claim 5 $850.00" in statement
    assert "Requested in this bundle $0.00" in statement
    letter = pdf_text(archive, "00-cover-letter.pdf")
    assert "supports my claim of 2026-04-20 for $850.00, still open with you; it does not ask " \
           "for that amount again" in letter


def test_an_appeal_asks_for_what_the_denial_left_unpaid(demo, tmp_path):
    archive = export(demo, tmp_path, "appeal", SHOULDER)
    statement = pdf_text(archive, "01-statement.pdf")
    assert "Requested in this bundle $350.00" in statement
    [claim] = fhir_claims(archive)
    assert claim["total"]["value"] == 350.0


def test_every_authorization_on_file_for_the_date_and_code_is_named(demo, tmp_path):
    # PA-2603-088417 approves two 0232T injections from 2026-03-05 to 2026-06-30. It is filed
    # with the first injection, and covers the second as well; not the booster in September.
    archive = export(demo, tmp_path, "hsa", PRP_1, PRP_2, PRP_BOOSTER)
    statement = pdf_text(archive, "01-statement.pdf")
    found = re.findall(r"Prior authorization number \(23\) (\S+(?: on file)?)", statement)
    assert found == ["PA-2603-088417", "PA-2603-088417", "none on file"]
    refs = [c["insurance"][0].get("preAuthRef") for c in fhir_claims(archive)]
    assert refs == [["PA-2603-088417"], ["PA-2603-088417"], None]
