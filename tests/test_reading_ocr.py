"""Scans and photos read by Tesseract: a few pages only (each takes seconds); the sweep over
many scans is benchmarks/reading.py."""

import random
from pathlib import Path

import pytest
from reading_corpus import draw, make_doc, photo, scan

from regenlog.core.reading import ReadingError, find_tesseract, read_document

DEMO = Path(__file__).resolve().parent.parent / "resources" / "demo" / "files"

pytestmark = pytest.mark.skipif(
    find_tesseract() is None,
    reason="Tesseract is not installed here (sudo apt install tesseract-ocr tesseract-ocr-eng)",
)


def _scanned(tmp_path, kind, seed, *, as_pdf=False):
    rng = random.Random(seed)
    doc = make_doc(kind, rng)
    source = tmp_path / f"{kind}.pdf"
    draw(doc, source)
    out = scan(source, tmp_path / f"{kind}-scan.{'pdf' if as_pdf else 'jpg'}", rng, as_pdf=as_pdf)
    return out, doc.fields


def test_a_tilted_speckled_receipt_scan_proposes_only_what_it_shows(tmp_path):
    path, truth = _scanned(tmp_path, "receipt", 5)
    result = read_document(path)
    assert (result.kind, result.method) == ("receipt", "ocr")
    proposed = {name: p.as_json()["value"] for name, p in result.fields.items()}
    assert proposed == {name: truth[name] for name in proposed}  # nothing proposed is wrong
    assert {"provider_npi", "patient_name", "date_of_service", "total_cents"} <= set(proposed)
    assert all(p.page == 1 and p.box is not None for p in result.fields.values())


def test_a_scanned_pdf_is_read_page_by_page_by_ocr(tmp_path):
    path, truth = _scanned(tmp_path, "eob", 9, as_pdf=True)
    result = read_document(path)
    assert (result.kind, result.method) == ("eob", "ocr")
    proposed = {name: p.as_json()["value"] for name, p in result.fields.items()}
    # Tesseract is often unsure of the "MD" after a name: it is kept all the same.
    assert proposed["provider_name"] == truth["provider_name"] == "Maya Fitzgerald, MD"
    assert proposed == {name: truth[name] for name in proposed}
    assert proposed["allowed_cents"] == truth["allowed_cents"]


def test_a_truncated_photo_ends_in_one_sentence(tmp_path):
    path, _ = _scanned(tmp_path, "receipt", 5)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(ReadingError, match="damaged or not an image"):
        read_document(cut)


def test_the_demo_card_slip_photo_fills_the_receipt_it_pays():
    """A low-resolution phone photo of a till slip, tilted on a wooden table: the slip is
    found, straightened and read; the labels sit beside their values again."""
    result = read_document(DEMO / "wellness-drip-card-slip.jpg")
    assert (result.kind, result.method) == ("receipt", "ocr")
    assert {name: p.as_json()["value"] for name, p in result.fields.items()} == {
        "provider_name": "RIVERBEND HYDRATION LOUNGE", "payment_date": "2026-09-12",
        "total_cents": 22500, "paid_cents": 22500, "payment_method": "card",
    }
    # The amount's box is where "USD 225.00" is on the photo as the file holds it: 540 x 760
    # pixels at the 96 dpi it states, the amount at about (320-425, 420-437) pixels.
    box = result.fields["total_cents"].box.as_list()
    assert box == pytest.approx([320 * 0.75, 420 * 0.75, 425 * 0.75, 437 * 0.75], abs=8)


def test_a_phone_photo_of_a_receipt_on_a_table_reads_like_its_scan(tmp_path):
    rng = random.Random(21)
    doc = make_doc("receipt", rng)
    source = tmp_path / "receipt.pdf"
    draw(doc, source)
    result = read_document(photo(source, tmp_path / "receipt-photo.jpg", rng))
    assert (result.kind, result.method) == ("receipt", "ocr")
    proposed = {name: p.as_json()["value"] for name, p in result.fields.items()}
    assert proposed == {name: doc.fields[name] for name in proposed}  # nothing proposed is wrong
    assert {"provider_npi", "patient_name", "date_of_service", "total_cents",
            "payment_method"} <= set(proposed)
