"""A bundle is all or nothing, private when asked, and refuses what it cannot do well.

Lee paid for IV B12 in March, opened an HSA in June, and now tries to send the March
receipt to the HSA. Along the way the export is cancelled, the disk fills up, and a
password is forgotten.
"""

import datetime as dt
import errno
import hashlib
import io
import json
import os
import zipfile

import pytest
import pyzipper

from regenlog.bundle import BundleCancelled, BundleError, BundleSelection, export_bundle
from regenlog.bundle.command import read_password_file, run_bundle_command
from regenlog.bundle.select import resolve_treatments
from regenlog.bundle.writer import preflight
from regenlog.core import models as m
from regenlog.core.errors import ValidationError
from regenlog.core.services import ProcedureInput, ReceiptLineInput, Services
from regenlog.store.database import open_database
from regenlog.store.paths import DataPaths

# pytest-qt's application (a QApplication, which the widget tests after these need too).
pytestmark = pytest.mark.usefixtures("qapp")

D = dt.date
TODAY = D(2026, 7, 1)
SCAN = os.urandom(3 * 1024 * 1024 + 17)  # several 1 MiB chunks, incompressible


def build_lee(services):
    r, details = services.records, services.details
    person = r.create(m.Person, name="Lee Park", date_of_birth=D(1980, 1, 9))
    r.create(m.Account, person_id=person.id, kind="hsa", administrator="Fidelity",
             opened_on=D(2026, 6, 1))
    clinic = r.create(m.Provider, name="Drip Clinic", npi="1234567893", tax_id="12-3456789",
                      address="1 Main St", place_of_service="11")
    visit = r.create(m.Treatment, person_id=person.id, provider_id=clinic.id,
                     date_of_service=D(2026, 3, 10), category="iv_therapy")
    details.set_diagnoses(visit.id, ["D51.0"])
    details.set_procedure_lines(visit.id, [ProcedureInput("J3420", 9000, 1, "", "A")])
    receipt = r.create(m.Receipt, treatment_id=visit.id, paid_on=D(2026, 3, 10),
                       total_cents=9000, payment_method="card")
    details.set_receipt_lines(receipt.id, [ReceiptLineInput("procedure", 9000)])
    services.documents.attach_bytes(SCAN, "receipt.jpg", kind="receipt",
                                    links=[("receipt", receipt.id)])
    return visit


@pytest.fixture
def lee(services):
    """Lee's records in this test's own data folder (for tests that change them)."""
    return build_lee(services)


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One data folder with Lee's records for the tests that only read them."""
    db = open_database(DataPaths(tmp_path_factory.mktemp("lee") / "data"))
    try:
        yield db, build_lee(Services(db))
    finally:
        db.close()


def selection(visit):
    return BundleSelection(treatment_ids=(visit.id,))


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir())


def test_an_hsa_claim_for_care_before_the_hsa_opened_is_flagged(shared):
    db, lee = shared
    gaps = preflight(db, selection(lee), "hsa", TODAY)
    flagged = [g for g in gaps if g.rule == "hsa.before_opened"]
    assert flagged and flagged[0].severity == "error"
    assert flagged[0].treatment_id == lee.id


def test_the_export_reports_the_gaps_and_still_writes_the_bundle(shared, tmp_path):
    db, lee = shared
    report = export_bundle(db, selection(lee), "hsa", tmp_path / "lee.zip", today=TODAY)
    assert "hsa.before_opened" in {g.rule for g in report.gaps}
    assert zipfile.ZipFile(tmp_path / "lee.zip").testzip() is None


def test_an_encrypted_bundle_opens_with_the_password_and_not_without(shared, tmp_path):
    db, lee = shared
    target = tmp_path / "private.zip"
    report = export_bundle(db, selection(lee), "hsa", target, password="correct horse orbit canvas",
                           today=TODAY)
    assert report.encrypted
    raw = target.read_bytes()
    assert SCAN[:4096] not in raw and b"Lee Park" not in raw  # contents are ciphertext
    with pyzipper.AESZipFile(target) as archive:
        archive.setpassword(b"correct horse orbit canvas")
        manifest = json.loads(archive.read("manifest.json"))
        for entry in manifest["files"]:
            assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
        scan = next(n for n in archive.namelist() if n.startswith("documents/"))
        assert archive.read(scan) == SCAN
        assert archive.getinfo(scan).compress_type == zipfile.ZIP_STORED
    for wrong in (None, b"Correct horse orbit canvas"):
        with pyzipper.AESZipFile(target) as archive, pytest.raises(RuntimeError):
            archive.read("manifest.json", pwd=wrong)


def test_an_empty_password_is_refused_and_nothing_is_written(shared, tmp_path):
    db, lee = shared
    with pytest.raises(ValidationError, match="password is empty"):
        export_bundle(db, selection(lee), "hsa", tmp_path / "x.zip", password="", today=TODAY)
    assert leftovers(tmp_path) == []


def test_a_cancelled_export_leaves_nothing_and_keeps_the_old_bundle(shared, tmp_path):
    db, lee = shared
    target = tmp_path / "out" / "lee.zip"
    target.parent.mkdir()
    target.write_bytes(b"last week's bundle")
    seen = []

    def progress(done, total):
        seen.append((done, total))

    with pytest.raises(BundleCancelled):
        export_bundle(db, selection(lee), "hsa", target, today=TODAY, progress=progress,
                      cancelled=lambda: len(seen) >= 3)  # partway through the scan
    assert leftovers(target.parent) == ["lee.zip"]
    assert target.read_bytes() == b"last week's bundle"
    assert 0 < seen[-1][0] < seen[-1][1]


def test_a_full_disk_leaves_no_partial_bundle(shared, tmp_path, monkeypatch):
    db, lee = shared
    written = [0]
    real_write = zipfile._ZipWriteFile.write

    def write(self, data):
        written[0] += len(data)
        if written[0] > 2 * 1024 * 1024:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(zipfile._ZipWriteFile, "write", write)
    with pytest.raises(BundleError, match="disk is full"):
        export_bundle(db, selection(lee), "hsa", tmp_path / "lee.zip", today=TODAY)
    assert leftovers(tmp_path) == []


def test_a_damaged_attachment_stops_the_export_cleanly(db, services, tmp_path, lee):
    doc = services.documents.for_record(m.Receipt, services.records.list(m.Receipt)[0].id)[0]
    stored = db.attachments.path_for(doc.sha256)
    os.chmod(stored, 0o600)
    stored.write_bytes(b"\0" * doc.size)  # same size, different content: bit rot
    with pytest.raises(BundleError, match="regenlog verify"):
        export_bundle(db, selection(lee), "hsa", tmp_path / "lee.zip", today=TODAY)
    assert leftovers(tmp_path) == ["data"]
    stored.unlink()
    with pytest.raises(BundleError, match="missing or damaged"):
        export_bundle(db, selection(lee), "hsa", tmp_path / "lee.zip", today=TODAY)
    assert leftovers(tmp_path) == ["data"]


def test_progress_climbs_to_the_total(shared, tmp_path):
    db, lee = shared
    seen = []
    export_bundle(db, selection(lee), "hsa", tmp_path / "lee.zip", today=TODAY,
                  progress=lambda done, total: seen.append((done, total)))
    dones = [d for d, _ in seen]
    assert dones == sorted(dones) and seen[-1][0] == seen[-1][1] >= len(SCAN)


def test_treatments_are_chosen_by_number_or_by_dates_for_one_patient(services, lee):
    r = services.records
    later = r.create(m.Treatment, person_id=lee.person_id, date_of_service=D(2026, 4, 2),
                     category="follow_up")
    pat = r.create(m.Person, name="Pat Park")
    other = r.create(m.Treatment, person_id=pat.id, date_of_service=D(2026, 3, 20),
                     category="prp")
    pick = resolve_treatments
    assert [t.id for t in pick(services, BundleSelection((later.id, lee.id)))] == [lee.id, later.id]
    in_march = BundleSelection(date_from=D(2026, 3, 1), date_to=D(2026, 3, 31),
                               person_id=lee.person_id)
    assert [t.id for t in pick(services, in_march)] == [lee.id]
    for wrong, sentence in [
        (BundleSelection((lee.id, other.id)), "more than one person"),
        (BundleSelection(date_from=D(2026, 3, 1), date_to=D(2026, 3, 31)), "more than one person"),
        (BundleSelection(date_from=D(2025, 1, 1), date_to=D(2025, 2, 1)), "No treatment"),
        (BundleSelection((lee.id,), date_from=D(2026, 1, 1)), "not both"),
        (BundleSelection(), "give their numbers or a date range"),
        (BundleSelection(date_from=D(2026, 5, 1), date_to=D(2026, 4, 1)), "before its start"),
    ]:
        with pytest.raises(ValidationError, match=sentence):
            pick(services, wrong)


def test_an_unknown_destination_is_refused(shared, tmp_path):
    db, lee = shared
    with pytest.raises(ValidationError, match="not a bundle destination"):
        export_bundle(db, selection(lee), "medicare", tmp_path / "x.zip", today=TODAY)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("content, password", [
    (b"s3cret\n", "s3cret"), (b"s3cret\r\nsecond line\n", "s3cret"),
    (b"\xef\xbb\xbfp\xc3\xa4ss \n", "p\u00e4ss "), (b"no newline", "no newline"),
])
def test_the_password_file_gives_its_first_line(tmp_path, content, password):
    path = tmp_path / "pw.txt"
    path.write_bytes(content)
    assert read_password_file(path) == password


@pytest.mark.parametrize("content", [b"", b"\n", b"\r\nsecond"])
def test_an_empty_password_file_is_refused(tmp_path, content):
    path = tmp_path / "pw.txt"
    path.write_bytes(content)
    with pytest.raises(ValidationError, match="empty"):
        read_password_file(path)


def test_the_bundle_command_lists_the_gaps_then_writes(shared, tmp_path):
    db, lee = shared
    pw = tmp_path / "pw.txt"
    pw.write_text("horse battery tulip quarry\n")
    out, err = io.StringIO(), io.StringIO()
    code = run_bundle_command(
        Services(db), destination="hsa", output=tmp_path / "lee.zip", date_from="2026-03-01",
        date_to="3/31/2026", password_file=pw, today=TODAY, out=out, err=err,
    )
    assert code == 0
    assert "hsa.before_opened" in err.getvalue()
    assert out.getvalue().startswith(f"Wrote {tmp_path / 'lee.zip'}: 6 files (1 attached document)")
    assert "encrypted with AES-256" in out.getvalue()
    with pyzipper.AESZipFile(tmp_path / "lee.zip") as archive:
        archive.setpassword(b"horse battery tulip quarry")
        assert archive.testzip() is None


def test_the_bundle_command_refuses_a_date_it_cannot_read(shared, tmp_path):
    db, _ = shared
    with pytest.raises(ValidationError, match="not a real calendar date"):
        run_bundle_command(Services(db), destination="hsa", output=tmp_path / "x.zip",
                           date_from="2/30/2026", out=io.StringIO(), err=io.StringIO())
    assert leftovers(tmp_path) == []


def test_a_bare_visit_with_nothing_recorded_still_exports_for_every_destination(
    db, services, tmp_path
):
    from fhir.resources.R4B.bundle import Bundle

    kim = services.records.create(m.Person, name="Kim")
    visit = services.records.create(m.Treatment, person_id=kim.id, category="consultation",
                                    date_of_service=D(2026, 2, 2))
    for destination in ("insurer", "hsa", "fsa", "appeal"):
        target = tmp_path / f"{destination}.zip"
        report = export_bundle(db, selection(visit), destination, target, today=TODAY)
        with zipfile.ZipFile(target) as archive:
            assert report.documents == 0 and archive.testzip() is None
            Bundle.model_validate(json.loads(archive.read("fhir/bundle.json")))
        # The bundle goes out, and the patient is told what a reviewer will miss.
        assert "dx.missing" in {g.rule for g in report.gaps}
