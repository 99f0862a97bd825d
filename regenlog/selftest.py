"""``regenlog --self-test``: prove that this installation works, end to end, in a scratch folder.

It is what CI runs on every frozen build and what support asks a patient to run: a missing
data file, Qt plugin or migration script shows up here as one named step, not as a crash the
first time the patient opens a PDF. Nothing touches the real data folder or the real window
settings; everything happens in a temporary folder that is removed afterwards.

Exit 0 with one line::

    RegenLog 0.1.0 self-test passed: migrations, FTS5, records, ... (1.8 s)

or exit 1 with ``RegenLog 0.1.0 self-test failed at <step>: <reason>`` (and the traceback,
for whoever reads a CI log or a support email).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__

WINDOW_TIMEOUT_MS = 60_000
CODE = "M17.11"  # unilateral primary osteoarthritis, right knee: a billable FY2026 leaf code
ATTACHMENT = b"%PDF-1.4\n% RegenLog self-test receipt scan\n" + bytes(range(256)) * 64


class SelfTestFailure(Exception):
    """A check that ran but did not see what it expected."""


def expect(condition: bool, sentence: str) -> None:
    if not condition:
        raise SelfTestFailure(sentence)


@dataclass
class Scratch:
    """The temporary folders and the things one step hands to the next."""

    root: Path
    services: object = None
    treatment_id: int = 0
    closers: list[Callable[[], None]] = field(default_factory=list)

    def folder(self, name: str):
        from .store.paths import DataPaths

        return DataPaths(self.root / name)


# -- the steps, in order: each one names what a patient would lose if it failed ---------------

def check_migrations(s: Scratch) -> None:
    from .core.services import Services
    from .store import schema
    from .store.database import open_database, read_revision

    paths = s.folder("records")
    db = open_database(paths)  # runs every Alembic migration on a new, empty database
    s.closers.append(db.close)
    s.services = Services(db)
    revision = read_revision(paths.database)
    expect(revision == schema.HEAD, f"the schema is at {revision}, not {schema.HEAD}")


def check_fts5(s: Scratch) -> None:
    import sqlite3

    with sqlite3.connect(":memory:") as conn:
        conn.execute("CREATE VIRTUAL TABLE probe USING fts5(body)")
        conn.execute("INSERT INTO probe VALUES ('platelet rich plasma')")
        found = conn.execute("SELECT count(*) FROM probe WHERE probe MATCH 'plate*'").fetchone()
    expect(found == (1,), "SQLite's FTS5 full-text search returned nothing")
    expect(s.services.db.has_search_index(), "the migrated database has no search index")


def check_records(s: Scratch) -> None:
    from .core import models as m
    from .core.enums import Category
    from .core.search import search_all

    records = s.services.records
    person = records.create(m.Person, name="Dana Selftest")
    treatment = records.create(
        m.Treatment, person_id=person.id, date_of_service=dt.date(2026, 3, 2),
        category=Category.prp, description="PRP injection, right knee", body_site="knee",
    )
    s.services.details.set_diagnoses(treatment.id, [CODE])
    records.update(m.Treatment, treatment.id, notes="Paid in cash at the clinic.")
    again = records.get(m.Treatment, treatment.id)
    expect(again.notes == "Paid in cash at the clinic.", "an updated treatment read back wrong")
    codes = [d.code for d in s.services.details.diagnoses(treatment.id)]
    expect(codes == [CODE], f"the diagnosis codes read back as {codes}")
    hits = search_all(s.services.db, "selftest")
    expect(any(h.record_id == person.id for h in hits), "searching for a saved name found nothing")
    s.treatment_id = treatment.id


def check_attachments(s: Scratch) -> None:
    from .core.enums import DocumentKind

    docs = s.services.documents
    doc = docs.attach_bytes(
        ATTACHMENT, "receipt.pdf", kind=DocumentKind.receipt, links=[("treatment", s.treatment_id)]
    )
    from .core import models as m

    attached = [d.id for d in docs.for_record(m.Treatment, s.treatment_id)]
    expect(attached == [doc.id], "the attached receipt is not listed on its treatment")
    copy = s.root / "exported-receipt.pdf"
    docs.export_to(doc.id, copy)
    expect(copy.read_bytes() == ATTACHMENT, "an attached file came back different")
    expect(doc.sha256 == hashlib.sha256(ATTACHMENT).hexdigest(), "a stored file's hash is wrong")
    expect(s.services.db.attachments.verify(doc.sha256), "a stored file failed verification")


def check_records_file(s: Scratch) -> None:
    # Loading the demo household reads resources/ and checks a records file against the
    # shipped JSON Schema: both are data files a frozen build must carry.
    from .core import models as m
    from .core.demo import load_demo
    from .core.services import Services
    from .store.database import open_database

    db = open_database(s.folder("demo"))
    try:
        services = Services(db)
        load_demo(services)
        expect(services.records.count(m.Treatment) > 0, "the demo household has no treatments")
    finally:
        db.close()


def check_icd10(s: Scratch) -> None:
    from .core.codes import check_icd10

    result = check_icd10(CODE)
    expect(result.ok, f"{CODE} was not accepted: {result.message}")
    expect("knee" in result.description.lower(), f"{CODE} is described as {result.description!r}")


def check_pdf(s: Scratch) -> None:
    from .bundle.pdf import render_pdf

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


def check_main_window(s: Scratch) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    from .core import models as m
    from .ui.controller import AppController
    from .ui.icons import icon
    from .ui.settings import UiSettings
    from .ui.shell import SIDEBAR

    app = qt_application()
    # An SVG icon draws only when Qt's SVG plugins were shipped.
    expect(not icon("app").pixmap(32, 32).isNull(), "the SVG icons cannot be drawn")
    settings = UiSettings.at(s.root / "window.ini")  # never the patient's own settings
    controller = AppController(s.folder("demo"), settings)
    controller.interactive = False  # never wait for a click in CI or on a patient's machine
    outcome: dict[str, str] = {}
    loop = QEventLoop()

    def failed(message: str) -> None:
        outcome["failed"] = message
        controller.quit_without_asking()  # report here; no message box waiting for a click
        loop.quit()

    controller.dataReady.connect(lambda: (outcome.setdefault("ready", "yes"), loop.quit()))
    controller.failed.connect(failed)
    QTimer.singleShot(WINDOW_TIMEOUT_MS, loop.quit)
    controller.start()
    try:
        loop.exec()
        expect("failed" not in outcome, f"the window could not open its data: "
                                        f"{outcome.get('failed')}")
        expect("ready" in outcome, "the main window did not finish loading within 60 s")
        for info in SIDEBAR:
            controller.go(info.key)
            app.processEvents()
            expect(controller.pages.current_key == info.key, f"the {info.title} page did not open")
        first = controller.session.services.records.list(m.Treatment, limit=1)[0]
        controller.pages.open_treatment(first.id, {})
        app.processEvents()
        expect(controller.pages.current_key == "treatment", "a treatment page did not open")
        # The dashboard draws its chart (QtCharts) once its figures are shown.
        expect(controller.pages.page("dashboard").chart is not None, "the chart did not load")
        expect(not controller.window.grab().isNull(), "the main window could not be drawn")
    finally:
        controller.quit_without_asking()
        app.processEvents()
        if controller.session is not None:
            controller.session.close()
            controller.session = None
        controller.window.deleteLater()
        app.processEvents()


STEPS: list[tuple[str, Callable[[Scratch], None]]] = [
    ("migrations", check_migrations),
    ("FTS5", check_fts5),
    ("records", check_records),
    ("attachments", check_attachments),
    ("records file", check_records_file),
    ("ICD-10-CM", check_icd10),
    ("PDF", check_pdf),
    ("AES-256 ZIP", check_encryption),
    ("main window", check_main_window),
]


def qt_application():
    """The one QApplication of this process: widgets need it, not just a QGuiApplication."""
    if (
        sys.platform.startswith("linux")
        and "QT_QPA_PLATFORM" not in os.environ
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # CI and servers have no screen
    from .ui.app import create_application

    return create_application()


def run_steps(root: Path, steps=None, out=None, err=None) -> int:
    """Run ``steps`` (default: all) in the scratch folder ``root``; print one line; return
    0 when every step passed, else 1 naming the first that failed."""
    steps = STEPS if steps is None else steps
    out, err = out or sys.stdout, err or sys.stderr
    scratch = Scratch(root)
    started = time.perf_counter()
    try:
        for name, step in steps:
            try:
                step(scratch)
            except Exception as error:  # noqa: BLE001 (any failure is reported by its step)
                reason = str(error) or type(error).__name__
                print(f"RegenLog {__version__} self-test failed at {name}: {reason}", file=err)
                if not isinstance(error, SelfTestFailure):
                    traceback.print_exc(file=err)
                return 1
    finally:
        for close in reversed(scratch.closers):
            close()
    seconds = time.perf_counter() - started
    names = ", ".join(name for name, _ in steps)
    print(f"RegenLog {__version__} self-test passed: {names} ({seconds:.1f} s)", file=out)
    return 0


def run_self_test() -> int:
    """What ``regenlog --self-test`` runs: every step in a temporary data folder."""
    with tempfile.TemporaryDirectory(prefix="regenlog-selftest-", ignore_cleanup_errors=True) as tmp:
        return run_steps(Path(tmp))
