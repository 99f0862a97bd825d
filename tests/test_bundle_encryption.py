"""An encrypted bundle tells nothing in what anyone can read without the password: the
entry names are numbers (documents/07.pdf), the titles, kinds and dates are in the encrypted
index.csv and manifest; and a password anyone could guess is refused."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
import pyzipper

from regenlog.bundle import BundleSelection, export_bundle
from regenlog.core import models as m
from regenlog.core.errors import ValidationError

pytestmark = pytest.mark.usefixtures("qapp")

TODAY = dt.date(2026, 7, 1)
STRONG = "tulip orbit canvas mellow quarry"


@pytest.fixture
def dana(services):
    r = services.records
    person = r.create(m.Person, name="Dana Whitfield", date_of_birth=dt.date(1964, 8, 14))
    visit = r.create(m.Treatment, person_id=person.id, date_of_service=dt.date(2026, 6, 10),
                     category="prp", description="PRP, right shoulder")
    services.documents.attach_bytes(
        b"%PDF-1.7 denial", "denial-letter-shoulder-2026-06-10.pdf", kind="denial",
        title="Denial letter shoulder", links=[("treatment", visit.id)])
    services.documents.attach_bytes(
        b"%PDF-1.7 lab", "vitamin-B12-and-intrinsic-factor-antibody.pdf", kind="lab_report",
        title="Vitamin B12 and intrinsic factor antibody", links=[("treatment", visit.id)])
    return services.db, visit


def test_an_encrypted_bundle_names_its_documents_by_number_only(dana, tmp_path):
    db, visit = dana
    target = tmp_path / "private.zip"
    export_bundle(db, BundleSelection(treatment_ids=(visit.id,)), "insurer", target,
                  password=STRONG, today=TODAY)
    with zipfile.ZipFile(target) as plain:  # what anyone holding the file can read
        names = plain.namelist()
    assert [n for n in names if n.startswith("documents/")] == [
        "documents/02.pdf", "documents/03.pdf"]
    readable = " ".join(names).lower() + target.read_bytes().decode("latin-1").lower()
    # Words of six letters or more: a shorter one turns up in random ciphertext by chance.
    for secret in ("denial", "shoulder", "vitamin", "intrinsic", "antibody", "whitfield",
                   "2026-06-10", "lab_report"):
        assert secret not in readable, secret
    with pyzipper.AESZipFile(target) as archive:
        archive.setpassword(STRONG.encode())
        rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode())))
        manifest = json.loads(archive.read("manifest.json"))
    titles = {r["file"]: r["title"] for r in rows}
    assert titles["documents/02.pdf"] in ("Denial letter shoulder",
                                           "Vitamin B12 and intrinsic factor antibody")
    assert {r["kind"] for r in rows} >= {"denial", "lab_report"}
    assert "Denial letter shoulder" in json.dumps(manifest)


def test_without_a_password_the_names_still_say_what_each_file_is(dana, tmp_path):
    db, visit = dana
    target = tmp_path / "plain.zip"
    export_bundle(db, BundleSelection(treatment_ids=(visit.id,)), "insurer", target,
                  today=TODAY)
    names = zipfile.ZipFile(target).namelist()
    assert any("denial-letter-shoulder" in n.lower() for n in names), names


@pytest.mark.parametrize("weak", ["a", "password1", "Whitfield1964", "dana08141964",
                                  "shoulder2026"])
def test_a_password_anyone_could_guess_is_refused_and_nothing_is_written(dana, tmp_path, weak):
    db, visit = dana
    out = tmp_path / "usb"
    out.mkdir()
    with pytest.raises(ValidationError, match="This password is too easy to guess"):
        export_bundle(db, BundleSelection(treatment_ids=(visit.id,)), "insurer",
                      out / "weak.zip", password=weak, today=TODAY)
    assert list(out.iterdir()) == []


def test_a_suggested_passphrase_is_strong_and_different_each_time():
    from regenlog.bundle.password import password_problem, suggest_passphrase

    phrases = {suggest_passphrase() for _ in range(20)}
    assert len(phrases) == 20
    for phrase in phrases:
        assert len(phrase.split("-")) == 5 and password_problem(phrase) is None
