"""The self-test's first steps: each part of RegenLog on its own, in the scratch folder. Each
names what a patient would lose if it failed."""

from __future__ import annotations

import datetime as dt
import hashlib

from .scratch import Scratch, expect, qt_application

CODE = "M17.11"  # unilateral primary osteoarthritis, right knee: a billable FY2026 leaf code
ATTACHMENT = b"%PDF-1.4\n% RegenLog self-test receipt scan\n" + bytes(range(256)) * 64


def check_migrations(s: Scratch) -> None:
    from ..core.services import Services
    from ..store import schema
    from ..store.database import open_database, read_revision

    paths = s.folder("records")
    db = open_database(paths)  # runs every Alembic migration on a new, empty database
    s.closers.append(db.close)
    s.db, s.services = db, Services(db)
    revision = read_revision(paths.database)
    expect(revision == schema.HEAD, f"the schema is at {revision}, not {schema.HEAD}")


def check_fts5(s: Scratch) -> None:
    import sqlite3

    with sqlite3.connect(":memory:") as conn:
        conn.execute("CREATE VIRTUAL TABLE probe USING fts5(body)")
        conn.execute("INSERT INTO probe VALUES ('platelet rich plasma')")
        found = conn.execute("SELECT count(*) FROM probe WHERE probe MATCH 'plate*'").fetchone()
    expect(found == (1,), "SQLite's FTS5 full-text search returned nothing")
    db, _ = s.opened()
    expect(db.has_search_index(), "the migrated database has no search index")


def check_records(s: Scratch) -> None:
    from ..core import models as m
    from ..core.enums import Category
    from ..core.search import search_all

    db, services = s.opened()
    records = services.records
    person = records.create(m.Person, name="Dana Selftest")
    treatment = records.create(
        m.Treatment, person_id=person.id, date_of_service=dt.date(2026, 3, 2),
        category=Category.prp, description="PRP injection, right knee", body_site="knee",
    )
    services.details.set_diagnoses(treatment.id, [CODE])
    records.update(m.Treatment, treatment.id, notes="Paid in cash at the clinic.")
    again = records.get(m.Treatment, treatment.id)
    expect(again.notes == "Paid in cash at the clinic.", "an updated treatment read back wrong")
    codes = [d.code for d in services.details.diagnoses(treatment.id)]
    expect(codes == [CODE], f"the diagnosis codes read back as {codes}")
    hits = search_all(db, "selftest")
    expect(any(h.record_id == person.id for h in hits), "searching for a saved name found nothing")
    s.treatment_id = treatment.id


def check_attachments(s: Scratch) -> None:
    from ..core.enums import DocumentKind

    db, services = s.opened()
    docs = services.documents
    doc = docs.attach_bytes(
        ATTACHMENT, "receipt.pdf", kind=DocumentKind.receipt, links=[("treatment", s.treatment_id)]
    )
    from ..core import models as m

    attached = [d.id for d in docs.for_record(m.Treatment, s.treatment_id)]
    expect(attached == [doc.id], "the attached receipt is not listed on its treatment")
    copy = s.root / "exported-receipt.pdf"
    docs.export_to(doc.id, copy)
    expect(copy.read_bytes() == ATTACHMENT, "an attached file came back different")
    expect(doc.sha256 == hashlib.sha256(ATTACHMENT).hexdigest(), "a stored file's hash is wrong")
    expect(db.attachments.verify(doc.sha256), "a stored file failed verification")


def check_records_file(s: Scratch) -> None:
    # Loading the demo household reads resources/ and checks a records file against the
    # shipped JSON Schema: both are data files a frozen build must carry.
    from ..core import models as m
    from ..core.demo import load_demo
    from ..core.services import Services
    from ..store.database import open_database

    db = open_database(s.folder("demo"))
    try:
        services = Services(db)
        load_demo(services)
        expect(services.records.count(m.Treatment) > 0, "the demo household has no treatments")
    finally:
        db.close()


def check_icd10(s: Scratch) -> None:
    from ..core.codes import check_icd10

    result = check_icd10(CODE)
    expect(result.ok, f"{CODE} was not accepted: {result.message}")
    expect("knee" in result.description.lower(), f"{CODE} is described as {result.description!r}")


def check_pdf(s: Scratch) -> None:
    from ..bundle.pdf import render_pdf

    qt_application()
    pdf = render_pdf(
        "<h1>RegenLog self-test</h1><p>One page, fonts embedded.</p>",
        title="RegenLog self-test", footer="Self-test",
    )
    expect(pdf.startswith(b"%PDF"), "Qt's PDF writer wrote no PDF")
    # Read it back with QtPdf, the viewer the documents page uses.
    from PySide6.QtPdf import QPdfDocument

    path = s.root / "self-test.pdf"
    path.write_bytes(pdf)
    document = QPdfDocument()
    document.load(str(path))
    pages = document.pageCount()
    document.close()
    expect(pages == 1, f"the PDF viewer read {pages} pages instead of 1")


def check_reading(s: Scratch) -> None:
    # PDFium is a compiled library a build can miss; Tesseract is the patient's own program,
    # so its absence is said, not failed.
    from ..core.reading import find_tesseract, read_document
    from ..resources import resource

    result = read_document(resource("demo", "files", "elbow-prp-receipt-2026-03-12.pdf"))
    number = result.fields.get("receipt_number")
    expect(result.kind == "receipt" and result.method == "text",
           f"the demo receipt read as {result.kind} by {result.method}, not a receipt by text")
    expect(number is not None and number.value == "BSS-10377",
           "the demo receipt's number was not read from its text layer")
    tesseract = find_tesseract()
    s.notes.append(f"OCR available ({tesseract})" if tesseract else "OCR not available")


def check_encryption(s: Scratch) -> None:
    # Encrypted bundles use pyzipper, whose AES lives in compiled libraries a build can miss.
    import io

    import pyzipper

    buffer = io.BytesIO()
    with pyzipper.AESZipFile(buffer, "w", encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(b"self-test password")
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        archive.writestr("receipt.pdf", ATTACHMENT)
    with pyzipper.AESZipFile(io.BytesIO(buffer.getvalue())) as archive:
        expect(archive.getinfo("receipt.pdf").flag_bits & 0x1, "the ZIP was not encrypted")
        archive.setpassword(b"self-test password")
        expect(archive.read("receipt.pdf") == ATTACHMENT, "an AES-256 ZIP read back different")
