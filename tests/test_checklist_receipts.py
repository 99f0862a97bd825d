"""What was paid, and the proof of it: receipt.missing, receipt.not_itemized, payment.no_proof."""

import datetime as dt

import pytest
from checklist_household import TODAY, Household

from regenlog.core import models as m
from regenlog.core.services import ReceiptLineInput


@pytest.fixture
def home(services) -> Household:
    return Household(services)


def test_a_fully_documented_prp_injection_has_nothing_missing(home):
    t = home.treatment()
    assert home.check().gaps == []
    items = home.checklist(t)
    assert items["receipt.missing"].done and items["receipt.not_itemized"].done
    assert items["payment.no_proof"].done and items["lmn.missing"].done


def test_a_paid_treatment_without_a_receipt_asks_for_one(home):
    t = home.treatment(receipt=False)
    gap = home.gap("receipt.missing")
    assert (gap.severity, gap.record_type, gap.record_id, gap.treatment_id) == (
        "error", "treatment", t.id, t.id)
    assert "2026-09-01" in gap.message and "itemized receipt" in gap.message
    assert gap.fix == "Ask the clinic for an itemized receipt and record it on this treatment."
    assert not home.checklist(t)["receipt.missing"].done


def test_a_visit_billed_to_the_insurer_and_not_paid_needs_no_receipt_yet(home):
    home.treatment(receipt=False, paid_by_patient=False)
    assert "receipt.missing" not in home.rules()


def test_scheduled_care_needs_no_receipt_until_its_day(home):
    t = home.treatment(day=TODAY + dt.timedelta(days=10), receipt=False)
    assert "receipt.missing" not in home.rules()
    assert "receipt.missing" in home.rules(today=t.date_of_service)


def test_a_receipt_without_lines_is_not_itemized(home):
    t = home.treatment(receipt=False)
    rec = home.receipt(t, 22_500, lines=[])
    gap = home.gap("receipt.not_itemized")
    assert (gap.record_type, gap.record_id, gap.treatment_id) == ("receipt", rec.id, t.id)
    assert "$225.00" in gap.message and "lab processing of cells" in gap.message


def test_receipt_lines_that_do_not_add_up_to_the_total_are_flagged(home):
    t = home.treatment(receipt=False)
    home.receipt(t, 700_000, lines=[
        ReceiptLineInput("consultation", 25_000), ReceiptLineInput("lab_processing", 280_000),
        ReceiptLineInput("procedure", 340_000), ReceiptLineInput("imaging_guidance", 35_000),
    ])
    gap = home.gap("receipt.not_itemized")
    assert "add up to $6,800.00, not its total of $7,000.00" in gap.message


def test_receipt_lines_that_add_up_to_the_cent_pass(home):
    t = home.treatment(receipt=False)
    home.receipt(t, 700_000, lines=[
        ReceiptLineInput("consultation", 25_000), ReceiptLineInput("lab_processing", 280_000),
        ReceiptLineInput("procedure", 340_000), ReceiptLineInput("imaging_guidance", 35_000),
        ReceiptLineInput("follow_up", 20_000),
    ])
    assert home.rules() == set()


def test_a_receipt_with_no_scan_or_statement_lacks_proof_of_payment(home):
    t = home.treatment(receipt=False)
    rec = home.receipt(t, 85_000, scan=False)
    gap = home.gap("payment.no_proof")
    assert (gap.severity, gap.record_type, gap.record_id) == ("warning", "receipt", rec.id)
    assert gap.fix == "Attach a scan of the receipt or the card statement."


def test_a_card_statement_filed_on_the_treatment_counts_as_proof(home):
    t = home.treatment(receipt=False)
    home.receipt(t, 85_000, scan=False)
    home.services.documents.attach_bytes(
        b"visa statement", "visa-sept.pdf", kind="card_statement", links=[("treatment", t.id)]
    )
    assert "payment.no_proof" not in home.rules()


def test_a_clinical_note_on_the_treatment_is_not_proof_of_payment(home):
    t = home.treatment(receipt=False)
    home.receipt(t, 85_000, scan=False)
    home.services.documents.attach_bytes(
        b"visit note", "note.pdf", kind="clinical_note", links=[("treatment", t.id)]
    )
    assert "payment.no_proof" in home.rules()


def test_a_scan_in_the_trash_is_no_proof(home):
    t = home.treatment(receipt=False)
    rec = home.receipt(t, 85_000, scan=False)
    doc = home.services.documents.attach_bytes(
        b"scan", "scan.pdf", kind="receipt", links=[("receipt", rec.id)]
    )
    assert "payment.no_proof" not in home.rules()
    home.services.records.delete(m.Document, doc.id)
    assert "payment.no_proof" in home.rules()
