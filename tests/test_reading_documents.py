"""A patient reads the demo household's paperwork, generated documents, a payer's FHIR
download, and damaged files: every value proposed is the one printed, and a file that
cannot be read ends in one sentence."""

import datetime as dt
import json
from pathlib import Path

import pytest
from reading_corpus import write_corpus

from regenlog.cli import main
from regenlog.core.reading import ReadingCancelled, ReadingError, read_document
from regenlog.core.reading.ocr import install_hint

DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo" / "files"


def fields(result):
    return {name: p.as_json()["value"] for name, p in result.fields.items()}


def test_the_demo_elbow_receipt_gives_every_field_of_the_receipt_and_its_superbill():
    result = read_document(DEMO / "elbow-prp-receipt-2026-03-12.pdf")
    assert (result.kind, result.method) == ("receipt", "text")
    assert fields(result) == {
        "provider_name": "Boise Sports & Spine Medicine", "provider_npi": "1837204654",
        "provider_tax_id": "83-2245180", "receipt_number": "BSS-10377",
        "date_of_service": "2026-03-12", "payment_date": "2026-03-12",
        "patient_name": "Dana Whitfield", "member_id": "GPH448210937-01",
        "total_cents": 85000, "paid_cents": 85000, "balance_cents": 0,
        "payment_method": "card", "diagnosis_codes": ["M77.11"],
    }
    [line] = result.lines
    assert (line.code, line.modifiers, line.date_of_service, line.units, line.charge_cents) == (
        "0232T", ["RT"], dt.date(2026, 3, 12), 1, 85000)
    assert line.description == "Platelet-rich plasma injection incl. prep and ultrasound"
    box = result.fields["receipt_number"].box
    # Top-left origin in points: the receipt number sits in the upper quarter of the page.
    assert 0 < box.y0 < box.y1 < 792 / 4 and 0 < box.x0 < box.x1 < 612


def test_the_demo_knee_receipt_reads_both_lines_and_the_financed_payment():
    result = read_document(DEMO / "knee-stem-cell-receipt-2025-12-20.pdf")
    values = fields(result)
    assert values["paid_cents"] == 700000 and values["payment_method"] == "financing"
    assert [(ln.code, ln.modifiers, ln.charge_cents) for ln in result.lines] == [
        ("38232", [], 620000), ("20611", ["RT"], 80000)]
    assert result.lines[0].description.endswith("(my own cells), with processing")


def test_the_demo_eob_gives_the_claim_and_its_amounts():
    result = read_document(DEMO / "elbow-prp-eob-2026-04-22.pdf")
    assert result.kind == "eob"
    assert fields(result) == {
        "patient_name": "Dana Whitfield", "member_id": "GPH448210937-01",
        "claim_number": "GPH-CLM-2603-1185203", "decision_date": "2026-04-22",
        "provider_name": "Priya Raman, MD", "reference_number": "PA-2603-088417",
        "billed_cents": 85000, "allowed_cents": 62000, "plan_paid_cents": 37200,
        "patient_responsibility_cents": 47800, "date_of_service": "2026-03-12",
    }


def test_the_demo_preauthorization_and_denial_give_their_decisions():
    approval = read_document(DEMO / "elbow-prp-preauth-approval-2026-03-04.pdf")
    assert approval.kind == "determination"
    assert fields(approval) == {
        # Printed with no label, above the address the letter is mailed to.
        "patient_name": "Dana Whitfield",
        "member_id": "GPH448210937-01", "reference_number": "PA-2603-088417",
        "provider_name": "Priya Raman, MD", "decision": "approved",
        "decision_date": "2026-03-04", "diagnosis_codes": ["M77.11"],
    }
    assert [(ln.code, ln.modifiers, ln.units) for ln in approval.lines] == [("0232T", ["RT"], 2)]
    denial = fields(read_document(DEMO / "shoulder-consult-denial-2026-06-10.pdf"))
    assert denial["decision"] == "denied" and denial["claim_number"] == "GPH-CLM-2605-0491107"
    assert denial["billed_cents"] == 35000 and denial["plan_paid_cents"] == 0


def test_the_demo_letter_lab_estimate_and_statement_are_told_apart():
    letter = read_document(DEMO / "b12-lmn-2026-01-20.pdf")
    assert letter.kind == "medical_necessity_letter"
    assert fields(letter) == {
        "provider_name": "Gem State Hematology", "provider_npi": "1320688579",
        "provider_tax_id": "81-5302288", "patient_name": "Marcus Whitfield",
        "diagnosis_codes": ["D51.0"],
    }
    lab = read_document(DEMO / "b12-lab-report-2026-01-14.pdf")
    assert lab.kind == "lab_result" and fields(lab)["date_of_service"] == "2026-01-14"
    estimate = read_document(DEMO / "knee-good-faith-estimate-2025-12-05.pdf")
    assert estimate.kind == "good_faith_estimate"
    assert fields(estimate)["total_cents"] == 640000
    statement = read_document(DEMO / "crestline-statement-2026-11.pdf")
    assert statement.kind == "financing_statement"
    assert fields(statement) == {"balance_cents": 160000, "promo_end_date": "2026-12-20",
                                 "patient_name": "Dana Whitfield"}  # the account holder


def test_the_demo_mri_statement_receipt_gives_the_hsa_payment_and_no_guessed_total():
    """An imaging center's account activity: the patient's payment is one line among the
    insurer's; its method is the one on the line whose amount was paid today."""
    result = fields(read_document(DEMO / "knee-mri-receipt-2025-12-09.pdf"))
    assert result["paid_cents"] == 12248 and result["payment_method"] == "hsa_card"
    assert result["payment_date"] == "2025-12-09" and result["receipt_number"] == "TVI-884213"
    # The $1,450.00 charge under "Amount" is not what the receipt totals: nothing is proposed.
    assert "total_cents" not in result


def test_generated_documents_of_every_kind_read_exactly_their_truth(tmp_path):
    for path, truth in write_corpus(tmp_path, count=8, seed=11):
        result = read_document(path)
        assert result.kind == truth["kind"], path.name
        assert fields(result) == truth["fields"], path.name


FHIR = {
    "resourceType": "Bundle", "type": "searchset", "entry": [
        {"resource": {"resourceType": "Patient", "id": "p1",
                      "name": [{"family": "Whitfield", "given": ["Dana"]}]}},
        {"resource": {"resourceType": "Coverage", "id": "c1", "status": "active",
                      "subscriberId": "GPH448210937-01"}},
        {"resource": {"resourceType": "Practitioner", "id": "d1", "identifier": [
            {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1837204654"}],
            "name": [{"family": "Raman", "given": ["Priya"]}]}},
        {"resource": {
            "resourceType": "ExplanationOfBenefit", "id": "e1", "status": "active",
            "outcome": "complete",
            "identifier": [{"type": {"coding": [{
                "system": "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType",
                "code": "uc"}]}, "value": "GPH-CLM-2603-1185203"}],
            "billablePeriod": {"start": "2026-03-12", "end": "2026-03-12"},
            "patient": {"reference": "Patient/p1"}, "provider": {"reference": "Practitioner/d1"},
            "insurance": [{"focal": True, "coverage": {"reference": "Coverage/c1"}}],
            "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [
                {"system": "http://hl7.org/fhir/sid/icd-10", "code": "M7711"}]}},
                {"sequence": 2, "diagnosisCodeableConcept": {"coding": [
                    {"system": "http://hl7.org/fhir/sid/icd-10", "code": "M545"}]}}],
            "item": [{"sequence": 1, "servicedDate": "2026-03-12",
                      "productOrService": {"coding": [{
                          "system": "https://bluebutton.cms.gov/resources/codesystem/hcpcs",
                          "code": "0232T"}]},
                      "modifier": [{"coding": [{"code": "RT"}]}], "quantity": {"value": 1},
                      "adjudication": [{"category": {"coding": [{"code": "submitted"}]},
                                        "amount": {"value": 850.00, "currency": "USD"}}]}],
            "total": [
                {"category": {"coding": [{"code": "submitted"}]}, "amount": {"value": 850.0, "currency": "USD"}},
                {"category": {"coding": [{"code": "eligible"}]}, "amount": {"value": 620.0, "currency": "USD"}},
                {"category": {"coding": [{"code": "memberliability"}]}, "amount": {"value": 478.0, "currency": "USD"}}],
            "payment": {"date": "2026-04-22", "amount": {"value": 372.0, "currency": "USD"}},
        }},
    ],
}


def test_a_payers_fhir_eob_reads_as_an_eob_with_medicare_codes_given_their_dot(tmp_path):
    path = tmp_path / "eob.json"
    path.write_text(json.dumps(FHIR))
    result = read_document(path)
    assert (result.kind, result.method) == ("eob", "fhir")
    # M54.5 is a heading, not billable, since FY2022: checked, and left out.
    assert fields(result) == {
        "claim_number": "GPH-CLM-2603-1185203", "date_of_service": "2026-03-12",
        "patient_name": "Dana Whitfield", "member_id": "GPH448210937-01",
        "provider_name": "Priya Raman", "provider_npi": "1837204654",
        "diagnosis_codes": ["M77.11"], "billed_cents": 85000, "allowed_cents": 62000,
        "patient_responsibility_cents": 47800, "plan_paid_cents": 37200,
        "decision_date": "2026-04-22", "decision": "approved",
    }
    assert all(p.page is None and p.box is None for p in result.fields.values())
    [line] = result.lines
    assert (line.code, line.modifiers, line.charge_cents) == ("0232T", ["RT"], 85000)
    ndjson = tmp_path / "eob.ndjson"
    ndjson.write_text("\n".join(json.dumps(e["resource"]) for e in FHIR["entry"]))
    assert fields(read_document(ndjson)) == fields(result)


@pytest.mark.parametrize(("content", "words"), [
    (b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF", "damaged or not a PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "is a photo"),
    (b"[project]\nname = 'x'\n", "is not a PDF, a photo"),
    (b'{"resourceType": "Patient", "id": "p"}', "holds no FHIR ExplanationOfBenefit"),
    (b'{"resourceType": "Bundle", "entry": [', "line 1 is not JSON"),
    (b'{"entry": ' + b"[" * 100_000, "nested too deeply"),
    (b"", "is empty"),
])
def test_a_damaged_or_unsupported_file_ends_in_one_sentence_and_exit_2(tmp_path, capsys, content, words, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no Tesseract: the PNG says how to get it
    monkeypatch.setattr("regenlog.core.reading.ocr._USUAL_FOLDERS", {})
    path = tmp_path / "document.bin"
    path.write_bytes(content)
    assert main(["--data-dir", str(tmp_path / "data"), "read", str(path)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and err.count("\n") == 1
    assert not (tmp_path / "data").exists()  # reading creates no data folder


def test_an_encrypted_pdf_asks_for_a_copy_without_its_password(tmp_path):
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(DEMO / "b12-lmn-2026-01-20.pdf"))
    writer.encrypt("secret", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as stream:
        writer.write(stream)
    assert pdfium.__name__  # the PDF library itself refuses it, not a check of ours
    with pytest.raises(ReadingError, match="protected by a password"):
        read_document(path)


def test_read_json_prints_the_contract_and_stores_nothing(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "read", str(DEMO / "elbow-prp-eob-2026-04-22.pdf"), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) >= {"kind", "method", "fields", "lines", "problems"}
    assert printed["kind"] == "eob" and printed["method"] == "text" and printed["problems"] == []
    claim = printed["fields"]["claim_number"]
    assert set(claim) == {"value", "confidence", "page", "box"}
    assert claim["value"] == "GPH-CLM-2603-1185203" and claim["page"] == 1 and 0 < claim["confidence"] <= 1
    assert len(claim["box"]) == 4
    [line] = printed["lines"]
    assert {"date_of_service", "code", "modifiers", "description", "units", "charge_cents",
            "confidence"} <= set(line)
    assert line["date_of_service"] == "2026-03-12" and line["charge_cents"] == 85000
    assert not data.exists()


def test_read_without_json_lists_what_a_patient_would_check(capsys):
    assert main(["read", str(DEMO / "elbow-prp-receipt-2026-03-12.pdf")]) == 0
    out = capsys.readouterr().out
    assert "a receipt, read from its text layer" in out
    assert "Receipt number" in out and "BSS-10377" in out and "$850.00" in out
    assert "0232T-RT" in out


def test_a_scanned_pdf_without_tesseract_says_how_to_install_it(tmp_path, monkeypatch):
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("L", (850, 1100), 255).save(path, "PDF", resolution=100)
    monkeypatch.setattr("regenlog.core.reading.ocr.find_tesseract", lambda folder=None: None)
    with pytest.raises(ReadingError) as error:
        read_document(path)
    assert str(error.value) == f"scan.pdf is a scan. {install_hint()}"


def test_the_install_sentence_names_each_systems_way():
    assert "UB Mannheim" in install_hint("win32")
    assert "brew install tesseract" in install_hint("darwin")
    assert "sudo apt install tesseract-ocr" in install_hint("linux")


def test_reading_can_be_cancelled_and_reports_progress():
    seen = []
    read_document(DEMO / "elbow-prp-eob-2026-04-22.pdf", progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 1)]
    with pytest.raises(ReadingCancelled):
        read_document(DEMO / "elbow-prp-eob-2026-04-22.pdf", cancelled=lambda: True)
