"""What a reviewer finds in a reimbursement bundle: the story of Dana's PRP injection.

Dana paid $1,750 cash for a PRP injection in her right knee, called her insurer first (the
rep said "not currently denied") and got a letter of medical necessity. She exports the
bundle for her insurer; later the insurer denies the claim, and she exports the bundles for
her HSA, her FSA and an appeal. A reviewer unzips each.
"""

import csv
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from base64 import b64encode

import pytest
from pypdf import PdfReader

from regenlog.bundle import BundleSelection, export_bundle
from regenlog.core import models as m
from regenlog.core.services import ProcedureInput, ReceiptLineInput, Services
from regenlog.store.database import open_database
from regenlog.store.paths import DataPaths

# pytest-qt's application (a QApplication, which the widget tests after these need too).
pytestmark = pytest.mark.usefixtures("qapp")

D = dt.date
UTC = dt.UTC
TODAY = D(2026, 5, 1)
NPI = "1234567893"


def build_dana(services):
    r, details, docs = services.records, services.details, services.documents
    person = r.create(m.Person, name="Dana Whitfield", date_of_birth=D(1964, 5, 2), sex="F",
                      address="12 Elm St\nSpringfield, IL 62701")
    plan = r.create(m.InsurancePlan, person_id=person.id, insurer="Blue Prairie Health",
                    plan_name="PPO Gold", member_id="BPH123456789", group_number="GRP-778",
                    claims_address="PO Box 1000\nChicago, IL 60601")
    r.create(m.Account, person_id=person.id, kind="hsa", administrator="HealthEquity",
             account_number="HSA-99812", opened_on=D(2026, 1, 1))
    clinic = r.create(m.Provider, name="Summit Regenerative", credentials="MD", npi=NPI,
                      tax_id="12-3456789", address="400 Lake Rd, Springfield, IL",
                      place_of_service="11", is_organization=True)
    knee = r.create(m.Treatment, person_id=person.id, provider_id=clinic.id, plan_id=plan.id,
                    date_of_service=D(2026, 3, 10), category="prp", body_site="knee",
                    side="right")
    details.set_diagnoses(knee.id, ["M17.11", "M25.561"])
    details.set_procedure_lines(knee.id, [
        ProcedureInput("0232T", 150000, 1, "RT", "A", "PRP injection"),
        ProcedureInput("76942", 25000, 1, "", "AB", "Ultrasound guidance"),
    ])
    receipt = r.create(m.Receipt, treatment_id=knee.id, paid_on=D(2026, 3, 10),
                       total_cents=175000, payment_method="card", receipt_number="R-1001")
    details.set_receipt_lines(receipt.id, [
        ReceiptLineInput("procedure", 150000, "PRP"),
        ReceiptLineInput("imaging_guidance", 25000, "Ultrasound"),
    ])
    r.create(m.InsurerCall, person_id=person.id, plan_id=plan.id, treatment_id=knee.id,
             called_at=dt.datetime(2026, 2, 20, 15, 30, tzinfo=UTC), rep_name="Marisol Ortega",
             reference_number="CALL-5521", outcome="not_currently_denied",
             answer="PRP is not currently denied for M17.11", written_confirmation="requested")
    letter = r.create(m.MedicalNecessityLetter, person_id=person.id, provider_id=clinic.id,
                      physician_name="Dr. Ana Ortiz", written_on=D(2026, 3, 1),
                      treatment_and_frequency="PRP, one injection", valid_until=D(2026, 12, 31))
    details.set_letter_coverage(letter.id, ["M17.11"], [knee.id])
    docs.attach_bytes(b"%PDF-1.4 receipt R-1001", "receipt.pdf", kind="receipt",
                      links=[("receipt", receipt.id)])
    docs.attach_bytes(b"%PDF-1.4 letter", "Ortiz letter.pdf", kind="medical_necessity_letter",
                      links=[("medical_necessity_letter", letter.id)])
    sam = r.create(m.Person, name="Sam Whitfield")
    docs.attach_bytes(b"%PDF-1.4 Sam's receipt", "sam.pdf", kind="receipt",
                      links=[("person", sam.id)])
    return knee


def deny(services, knee):
    """The insurer's answer: an EOB paying nothing, and the denial letter."""
    r = services.records
    denial = r.create(m.Determination, person_id=knee.person_id, plan_id=knee.plan_id,
                      treatment_id=knee.id, kind="denial", decision="denied",
                      reference_number="DEN-2026-0042", received_on=D(2026, 4, 15))
    r.create(m.Determination, person_id=knee.person_id, plan_id=knee.plan_id,
             treatment_id=knee.id, kind="eob", decision="denied", reference_number="EOB-77",
             received_on=D(2026, 4, 14), amount_allowed_cents=0, amount_paid_cents=0)
    services.documents.attach_bytes(b"%PDF-1.4 denial", "denial.pdf", kind="denial",
                                    links=[("determination", denial.id)])


@pytest.fixture
def dana(services):
    """Dana's records in this test's own data folder (for tests that change them)."""
    return build_dana(services)


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    """Dana's three bundles, exported once for the tests that only read them."""
    folder = tmp_path_factory.mktemp("dana")
    db = open_database(DataPaths(folder / "data"))
    try:
        services = Services(db)
        knee = build_dana(services)
        exported = {"insurer": export(db, folder, knee, "insurer")}
        deny(services, knee)
        exported.update({dest: export(db, folder, knee, dest) for dest in ("hsa", "fsa", "appeal")})
        yield exported
    finally:
        db.close()


def export(db, tmp_path, knee, destination):
    target = tmp_path / f"{destination}.zip"
    report = export_bundle(db, BundleSelection(treatment_ids=(knee.id,)), destination, target,
                           today=TODAY)
    return report, zipfile.ZipFile(target), knee


def pdf_text(archive, name) -> str:
    reader = PdfReader(io.BytesIO(archive.read(name)))
    # Qt writes word gaps as positioned glyphs; pypdf may read them as tabs.
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_every_file_in_the_bundle_matches_the_manifest(bundles):
    report, archive, _ = bundles["insurer"]
    manifest = json.loads(archive.read("manifest.json"))
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(archive.namelist()) == set(listed) | {"manifest.json"}
    for name, entry in listed.items():
        data = archive.read(name)
        assert len(data) == entry["size"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
    assert manifest["format_version"] == 1 and manifest["destination"] == "insurer"
    assert report.files == archive.namelist() and report.documents == 2
    assert report.total_bytes == report.target.stat().st_size


def test_the_index_numbers_the_documents_in_order_with_their_hashes(bundles):
    _, archive, knee = bundles["insurer"]
    rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode())))
    assert [r["number"] for r in rows] == ["00", "01", "02", "03"]
    assert [r["kind"] for r in rows] == [
        "cover_letter", "statement", "receipt", "medical_necessity_letter"]
    assert rows[2]["file"] == "documents/02-2026-03-10-receipt-receipt.pdf"
    assert rows[2]["treatment"] == str(knee.id) and rows[2]["date"] == "2026-03-10"
    for row in rows:
        assert hashlib.sha256(archive.read(row["file"])).hexdigest() == row["sha256"]
    # Documents are stored as they are; the small text files are deflated.
    assert archive.getinfo(rows[2]["file"]).compress_type == zipfile.ZIP_STORED
    assert archive.getinfo("manifest.json").compress_type == zipfile.ZIP_DEFLATED


def test_the_statement_shows_the_claim_form_fields_and_the_call_log(bundles):
    _, archive, _ = bundles["appeal"]
    text = pdf_text(archive, "01-statement.pdf")
    for seen in (NPI, "12-3456789", "BPH123456789", "M17.11", "M25.561", "0232T", "76942",
                 "RT", "$1,500.00", "$250.00", "$1,750.00", "Marisol Ortega", "CALL-5521",
                 "DEN-2026-0042", "Dana Whitfield", "1964-05-02"):
        assert seen in text, seen
    assert "not a guarantee of payment" in text
    assert "requested, not received" in text  # the written confirmation is still owed


def test_the_pdfs_are_letter_size_with_embedded_fonts_and_page_numbers(bundles):
    _, archive, _ = bundles["insurer"]
    for name in ("00-cover-letter.pdf", "01-statement.pdf"):
        reader = PdfReader(io.BytesIO(archive.read(name)))
        n = len(reader.pages)
        for i, page in enumerate(reader.pages, start=1):
            assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)
            text = page.extract_text()
            assert f"Page {i} of {n}" in re.sub(r"\s+", " ", text)
            # No "ﬁ" ligature glyphs: a search for "Whitfield" must find the name.
            assert not re.search("[\ufb00-\ufb06]", text)
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = (font["/DescendantFonts"][0].get_object()
                              if "/DescendantFonts" in font else font)["/FontDescriptor"]
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_the_cover_letter_lists_exactly_what_is_enclosed(bundles):
    # Sam's receipt (another patient of the household) is not Dana's to send.
    _, archive, _ = bundles["insurer"]
    text = pdf_text(archive, "00-cover-letter.pdf")
    enclosed = [n for n in archive.namelist() if n.startswith("documents/")]
    listed = re.findall(r"documents/\S+", text)
    assert listed == enclosed
    assert "Blue Prairie Health" in text and "BPH123456789" in text
    assert "$1,750.00" in text and "2026-03-10" in text


def test_an_appeal_names_the_denial_it_answers(bundles):
    _, archive, _ = bundles["appeal"]
    text = pdf_text(archive, "00-cover-letter.pdf")
    assert "appeal your denial, reference number DEN-2026-0042 of 2026-04-15 (enclosure 04)" in text


def test_an_hsa_statement_carries_the_letter_and_the_patients_attestation(bundles):
    _, archive, _ = bundles["hsa"]
    text = pdf_text(archive, "01-statement.pdf")
    assert "Dr. Ana Ortiz" in text and "2026-03-01" in text
    assert "Patient's attestation" in text and "have not been reimbursed" in text
    cover = pdf_text(archive, "00-cover-letter.pdf")
    assert "HealthEquity" in cover and "HSA-99812" in cover
    assert "letter of medical necessity from Dr. Ana Ortiz dated 2026-03-01 (enclosure 03)" in cover


def test_an_fsa_bundle_without_an_fsa_on_record_goes_to_the_fsa_administrator(bundles):
    _, archive, _ = bundles["fsa"]
    cover = pdf_text(archive, "00-cover-letter.pdf")
    assert "FSA administrator" in cover and "reimburse me from my FSA" in cover
    assert "HealthEquity" not in cover  # her HSA is not this payer
    assert "from my FSA" in pdf_text(archive, "01-statement.pdf")


def test_an_hsa_statement_shows_what_the_insurer_already_paid_instead(
    db, services, tmp_path, dana
):
    services.records.create(m.Claim, treatment_id=dana.id, destination="insurer",
                            plan_id=dana.plan_id, status="partly_paid",
                            amount_claimed_cents=175000, amount_paid_cents=40000,
                            paid_on=D(2026, 4, 20))
    _, archive, _ = export(db, tmp_path, dana, "hsa")
    text = pdf_text(archive, "01-statement.pdf")
    assert "Patient's attestation" not in text
    assert "$400.00" in text and "Requested in this bundle $1,350.00" in text
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["amounts"][0]["claimed_cents"] == 135000


def test_an_hsa_bundle_never_asks_for_what_an_open_insurer_claim_asks_for(
    db, services, tmp_path, dana
):
    services.records.create(m.Claim, treatment_id=dana.id, destination="insurer",
                            plan_id=dana.plan_id, status="pending", submitted_on=D(2026, 3, 20),
                            amount_claimed_cents=100000)
    _, archive, _ = export(db, tmp_path, dana, "hsa")
    text = pdf_text(archive, "01-statement.pdf")
    # $1,750 paid, $1,000 still claimed from the insurer: the HSA is asked for $750 only,
    # and the patient is not made to attest that nothing else is claimed.
    assert "Requested in this bundle $750.00" in text
    assert "Claimed from the insurer, still open (pending, submitted 2026-03-20)" in text
    assert "$1,000.00" in text
    assert "Patient's attestation" not in text
    assert json.loads(archive.read("manifest.json"))["amounts"][0]["claimed_cents"] == 75000


def test_a_treatment_paid_with_the_hsa_card_is_substantiated_not_claimed_again(
    db, services, tmp_path, dana
):
    receipt = services.records.list(m.Receipt)[0]
    services.records.update(m.Receipt, receipt.id, payment_method="hsa_card")
    _, archive, _ = export(db, tmp_path, dana, "hsa")
    text = pdf_text(archive, "01-statement.pdf")
    assert "Requested in this bundle $0.00" in text
    assert "Paid with your HSA card (tax-free already, not requested) $1,750.00" in text
    assert "paid 2026-03-10 by HSA card" in text
    assert "Patient's attestation" not in text
    cover = pdf_text(archive, "00-cover-letter.pdf")
    assert "paid with my HSA card, paid back or are claimed from another payer" in cover
    assert "Please reimburse" not in cover


def test_the_fhir_bundle_validates_as_r4(bundles):
    from fhir.resources.R4B.bundle import Bundle  # fhir.resources 8 ships R4B, not 4.0.1

    _, archive, _ = bundles["appeal"]
    data = json.loads(archive.read("fhir/bundle.json"))
    bundle = Bundle.model_validate(data)
    assert bundle.type == "collection"
    kinds = [e["resource"]["resourceType"] for e in data["entry"]]
    assert {"Patient", "Coverage", "Organization", "Claim", "ExplanationOfBenefit",
            "DocumentReference"} <= set(kinds)
    assert kinds.count("Claim") == 1 and kinds.count("DocumentReference") == 5
    # R4B and R4 agree on these resources; check the 4.0.1 required elements (DOMAIN.md 5)
    # explicitly as well, so a difference between the two versions cannot hide a gap.
    required = {
        "Claim": ("status", "type", "use", "patient", "created", "provider", "priority",
                  "insurance"),
        "ExplanationOfBenefit": ("status", "type", "use", "patient", "created", "insurer",
                                 "provider", "outcome", "insurance"),
        "Coverage": ("status", "beneficiary", "payor"),
        "DocumentReference": ("status", "content"),
    }
    urls = {e["fullUrl"] for e in data["entry"]}
    for entry in data["entry"]:
        resource = entry["resource"]
        for key in required.get(resource["resourceType"], ()):
            assert resource.get(key) not in (None, [], ""), (resource["resourceType"], key)
        for ref in re.findall(r'"reference": "([^"]+)"', json.dumps(resource)):
            assert ref in urls  # every reference resolves inside the bundle
    claim = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Claim")
    assert claim["insurance"][0]["focal"] is True and claim["insurance"][0]["sequence"] == 1
    assert claim["diagnosis"][0]["diagnosisCodeableConcept"]["coding"][0] == {
        "system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M17.11",
        "display": "Unilateral primary osteoarthritis, right knee"}
    codings = [i["productOrService"]["coding"][0] for i in claim["item"]]
    assert codings == [{"system": "http://www.ama-assn.org/go/cpt", "code": "0232T"},
                       {"system": "http://www.ama-assn.org/go/cpt", "code": "76942"}]
    assert claim["item"][1]["diagnosisSequence"] == [1, 2]
    assert claim["total"] == {"value": 1750.0, "currency": "USD"}


def test_each_document_reference_carries_the_files_sha1_and_sha256(bundles):
    _, archive, _ = bundles["insurer"]
    data = json.loads(archive.read("fhir/bundle.json"))
    references = [e["resource"] for e in data["entry"]
                  if e["resource"]["resourceType"] == "DocumentReference"]
    for ref in references:
        attachment = ref["content"][0]["attachment"]
        content = archive.read(attachment["url"])
        assert attachment["hash"] == b64encode(hashlib.sha1(content).digest()).decode()
        assert attachment["size"] == len(content)
        sha256 = ref["identifier"][0]["value"]
        assert sha256.startswith("ni:///sha-256;")


def test_an_hcpcs_drug_code_is_coded_as_hcpcs(db, services, tmp_path, dana):
    services.details.set_procedure_lines(dana.id, [
        ProcedureInput("J3420", 4000, 1, "", "A", "B12 injection")])
    _, archive, _ = export(db, tmp_path, dana, "insurer")
    data = json.loads(archive.read("fhir/bundle.json"))
    claim = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Claim")
    assert claim["item"][0]["productOrService"]["coding"][0]["system"] == (
        "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets")


def test_a_letter_whose_scan_is_missing_is_named_but_never_claimed_as_enclosed(
    db, services, tmp_path, dana
):
    letter = services.records.list(m.MedicalNecessityLetter)[0]
    scan = services.documents.for_record(m.MedicalNecessityLetter, letter.id)[0]
    services.documents.unlink(scan.id, "medical_necessity_letter", letter.id)
    _, archive, _ = export(db, tmp_path, dana, "hsa")
    cover = pdf_text(archive, "00-cover-letter.pdf")
    assert "letter of medical necessity from Dr. Ana Ortiz dated 2026-03-01." in cover
    assert "Letter of medical necessity" not in cover.split("Enclosed")[1]
    assert "not enclosed" in pdf_text(archive, "01-statement.pdf")
    assert not any("medical-necessity" in n for n in archive.namelist())


def test_a_referring_physician_is_on_the_statement_and_in_the_fhir_claim(
    db, services, tmp_path, dana
):
    from fhir.resources.R4B.bundle import Bundle

    # Without a referral the statement has no box 17 at all (most cash-pay care has none).
    _, archive, _ = export(db, tmp_path, dana, "insurer")
    assert "Referring provider" not in pdf_text(archive, "01-statement.pdf")

    gp = services.records.create(m.Provider, name="Maya Lindqvist", credentials="MD",
                                 npi="1245319599")
    services.records.update(m.Treatment, dana.id, referring_provider_id=gp.id)
    (tmp_path / "again").mkdir()
    _, archive, _ = export(db, tmp_path / "again", dana, "insurer")
    text = pdf_text(archive, "01-statement.pdf")
    assert "Referring provider (17) Maya Lindqvist, MD" in text
    assert "Referring provider NPI (17b) 1245319599" in text

    data = json.loads(archive.read("fhir/bundle.json"))
    Bundle.model_validate(data)
    by_url = {e["fullUrl"]: e["resource"] for e in data["entry"]}
    claim = next(r for r in by_url.values() if r["resourceType"] == "Claim")
    referral = by_url[claim["referral"]["reference"]]
    assert referral["resourceType"] == "ServiceRequest"
    assert (referral["status"], referral["intent"]) == ("completed", "order")
    requester = by_url[referral["requester"]["reference"]]
    assert requester["resourceType"] == "Practitioner"
    assert requester["identifier"] == [{"system": "http://hl7.org/fhir/sid/us-npi",
                                        "value": "1245319599"}]


def test_a_clinics_ein_typed_without_its_dash_prints_whole_a_physicians_number_does_not(
    db, services, tmp_path, dana
):
    clinic = services.records.get(m.Provider, dana.provider_id)
    services.records.update(m.Provider, clinic.id, tax_id="123456789")
    _, archive, _ = export(db, tmp_path, dana, "insurer")
    assert "Federal tax ID (25) 12-3456789" in pdf_text(archive, "01-statement.pdf")
    data = json.loads(archive.read("fhir/bundle.json"))
    org = next(e["resource"] for e in data["entry"] if e["resource"].get("name") == clinic.name)
    assert {"system": "urn:oid:2.16.840.1.113883.4.4", "value": "12-3456789"} in org["identifier"]

    # A physician's nine digits may be an SSN: only the last four show.
    services.records.update(m.Provider, clinic.id, is_organization=False)
    (tmp_path / "again").mkdir()
    _, archive, _ = export(db, tmp_path / "again", dana, "insurer")
    text = pdf_text(archive, "01-statement.pdf")
    assert "Federal tax ID (25) ***-**-6789" in text


def test_an_appealed_claim_part_paid_is_counted_once_as_the_core_counts_it(
    db, services, tmp_path, dana
):
    # $1,750 paid; the insurer paid $372 and the rest is under appeal: the claim stands for
    # the $1,500 it asks, so the HSA may still be asked for $250 (TreatmentMoney agrees).
    from regenlog.core.reimbursement import treatment_money

    services.records.create(m.Claim, treatment_id=dana.id, destination="insurer",
                            plan_id=dana.plan_id, status="appealed", submitted_on=D(2026, 3, 20),
                            amount_claimed_cents=150000, amount_paid_cents=37200)
    assert treatment_money(db, [dana.id])[dana.id].claimable_cents("hsa") == 25000
    _, archive, _ = export(db, tmp_path, dana, "hsa")
    assert json.loads(archive.read("manifest.json"))["amounts"][0]["claimed_cents"] == 25000
    assert "Requested in this bundle $250.00" in pdf_text(archive, "01-statement.pdf")
