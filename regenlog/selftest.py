"""``regenlog --self-test``: prove that this installation works, end to end, in a scratch folder.

It is what CI runs on every frozen build and what support asks a patient to run: a missing
data file, Qt plugin, Qt module or migration script shows up here as one named step, not as a
crash the first time the patient opens a PDF. Beyond the parts one by one, it does what a
patient's first and second launch do: open a data folder in the window, take the day's
backup, listen for later launches, start this program again on the same folder and see it
hand over, preview a PDF and search.

A traceback anywhere fails the step that was running, even one the program survived: one
raised in a Qt slot (PySide prints it and carries on), in a worker thread, printed to stderr
or logged. Nothing touches the real data folder or the real window settings; everything
happens in a temporary folder that is removed afterwards.

Exit 0 with one line::

    RegenLog 0.1.0 self-test passed: migrations, FTS5, records, ... (1.8 s)

or exit 1 with ``RegenLog 0.1.0 self-test failed at <step>: <reason>`` (and the traceback,
for whoever reads a CI log or a support email).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__

WINDOW_TIMEOUT_S = 60.0
SECOND_LAUNCH_TIMEOUT_S = 60.0
TRACEBACK = "Traceback (most recent call last)"
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
    watch: TracebackWatch | None = None
    controller: object = None  # the window of the first launch
    maintained: list = field(default_factory=list)  # folders whose daily backup has run

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
    """The first launch: take the folder as ``regenlog`` does, open it in the window, visit
    every page."""
    from .core import models as m
    from .ui.controller import AppController
    from .ui.icons import icon
    from .ui.safety.claim import claim_folder
    from .ui.settings import UiSettings
    from .ui.shell import SIDEBAR

    app = qt_application()
    # An SVG icon draws only when Qt's SVG plugins were shipped.
    expect(not icon("app").pixmap(32, 32).isNull(), "the SVG icons cannot be drawn")
    paths = s.folder("demo")
    claim = claim_folder(paths, interactive=False)
    expect(claim.lock is not None, f"the data folder could not be taken (exit {claim.exit_code})")
    settings = UiSettings.at(s.root / "window.ini")  # never the patient's own settings
    controller = AppController(paths, settings, lock=claim.lock)
    controller.interactive = False  # never wait for a click in CI or on a patient's machine
    s.controller = controller
    s.closers.append(lambda: close_window(controller))
    outcome: dict[str, str] = {}

    def failed(message: str) -> None:
        outcome["failed"] = message
        controller.quit_without_asking()  # report here; no message box waiting for a click

    def ready() -> None:
        outcome.setdefault("ready", "yes")
        # Today's backup starts once the data is on screen, so its end can only come later.
        controller.safety.maintenanceDone.connect(s.maintained.append)

    controller.dataReady.connect(ready)
    controller.failed.connect(failed)
    controller.start()
    wait_until(s, lambda: bool(outcome), WINDOW_TIMEOUT_S)
    expect("failed" not in outcome, f"the window could not open its data: {outcome.get('failed')}")
    expect("ready" in outcome, f"the main window did not finish loading within "
                               f"{WINDOW_TIMEOUT_S:.0f} s")
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


def check_daily_backup(s: Scratch) -> None:
    """The backup a patient's first launch of the day takes, once the data is on screen."""
    from .core import models as m
    from .store.backups import DAILY, list_backups
    from .store.sqlite_backup import connect_read_only

    controller = s.controller
    paths = controller.paths
    wait_until(s, lambda: bool(s.maintained), WINDOW_TIMEOUT_S)
    expect(bool(s.maintained), f"today's backup did not finish within {WINDOW_TIMEOUT_S:.0f} s")
    daily = [b.path for b in list_backups(paths) if b.kind == DAILY]
    expect(len(daily) == 1, f"{len(daily)} daily backups were written instead of 1")
    connection = connect_read_only(daily[0])
    try:
        (count,) = connection.execute(
            f"SELECT count(*) FROM {m.Treatment.__tablename__}").fetchone()
    finally:
        connection.close()
    live = controller.session.services.records.count(m.Treatment)
    expect(count == live, f"today's backup holds {count} treatments instead of {live}")


def check_second_launch(s: Scratch) -> None:
    """The second launch on an open folder hands over to the window and exits."""
    from .ui.safety.single_instance import server_name

    controller = s.controller
    safety = controller.safety
    listening = safety.server is not None and safety.server.server is not None
    expect(listening and safety.server.server.isListening(),
           "the window does not listen for later launches on its folder")
    expect(safety.server.name == server_name(controller.paths.root),
           "the window listens under another folder's name")
    before = safety.activations
    # --quit-after-startup: should the hand-over fail, it says so and exits, never waiting
    # for a click on a message box.
    command = [*this_program(), "--data-dir", another_spelling(controller.paths.root),
               "--quit-after-startup"]
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, errors="replace")
    try:
        # The window keeps its event loop running, or it could not answer.
        wait_until(s, lambda: child.poll() is not None, SECOND_LAUNCH_TIMEOUT_S)
    finally:
        if child.poll() is None:
            child.kill()
        out, err = child.communicate()
    expect(TRACEBACK not in err, f"the second launch printed a traceback:\n{err.strip()}")
    expect(child.returncode == 0, f"the second launch exited {child.returncode}: "
                                  f"{(err or out).strip() or 'no message'}")
    expect(out.strip() == "", f"the second launch opened a window of its own: {out.strip()}")
    wait_until(s, lambda: safety.activations > before, 5.0)
    expect(safety.activations == before + 1, "the open window was not asked to come forward")


def check_document_preview(s: Scratch) -> None:
    """A PDF from the demo household in the Documents page's preview (QtPdf and pdfium)."""
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    from .core import models as m

    controller = s.controller
    documents = controller.session.services.records.list(m.Document)
    pdf = next((d for d in documents if d.content_type == "application/pdf"), None)
    expect(pdf is not None, "the demo household has no PDF to preview")
    controller.go("documents")
    page = controller.pages.page("documents")
    wait_until(s, lambda: page.list_page.select_id(pdf.id), 10.0)  # as a click on its row
    expect(page.list_page.selected_id() == pdf.id, f"{pdf.original_name} is not listed")
    qt_application().processEvents()
    document = page.preview.pdf_document
    expect(page.preview.kind == "pdf" and document is not None, "the PDF preview did not open")
    expect(document.status() == QPdfDocument.Status.Ready,
           f"the PDF preview could not read {pdf.original_name}: {document.error()}")
    expect(document.pageCount() >= 1, "the previewed PDF has no pages")
    image = document.render(0, QSize(200, 260))
    expect(not image.isNull(), "the PDF's first page could not be drawn")


def check_search(s: Scratch) -> None:
    """Typing in the window's search box lists the matching records."""
    controller = s.controller
    controller.window.search_box.setText("knee")
    page = controller.pages.page("search")
    wait_until(s, lambda: bool(page.hits), 10.0)
    expect(controller.pages.current_key == "search", "typing a search did not show the results")
    expect(page.view.results.count() > 0, "searching the demo household for knee found nothing")
    expect(any(h.record_type == "treatment" for h in page.hits),
           "searching for knee did not find the knee treatments")
    controller.window.search_box.clear()


def close_window(controller) -> None:
    app = qt_application()
    controller.quit_without_asking()
    app.processEvents()
    if controller.pages is not None:
        controller.pages.documents.wait_for_jobs()
    if controller.safety is not None and controller.safety._runner is not None:
        controller.safety._runner.wait()
    app.processEvents()
    if controller.session is not None:
        controller.session.close()
        controller.session = None
    if controller.safety is not None:
        controller.safety.shutdown()
    controller.window.deleteLater()
    app.processEvents()


def another_spelling(folder: Path) -> str:
    """The same folder, written as a shortcut or a typed path may write it: in other letter
    cases where the disk ignores case (Windows, macOS), else through ``..``."""
    upper = folder.with_name(folder.name.upper())
    try:
        if upper != folder and upper.exists() and upper.samefile(folder):
            return str(upper)
    except OSError:
        pass
    return os.path.join(str(folder), os.pardir, folder.name)


def this_program() -> list[str]:
    """How to start this installation again: the frozen program (on Windows the windowed
    RegenLog.exe a patient starts, beside the console regenlog-cli.exe), or the source."""
    if not getattr(sys, "frozen", False):
        return [sys.executable, "-m", "regenlog"]
    here = Path(sys.executable)
    windowed = here.with_name("RegenLog.exe")
    return [str(windowed if sys.platform == "win32" and windowed.is_file() else here)]


def wait_until(s: Scratch, condition: Callable[[], bool], timeout_s: float) -> None:
    """Run the event loop until ``condition`` holds, ``timeout_s`` pass, or a traceback
    shows (waiting on would only hide it)."""
    from PySide6.QtCore import QEventLoop

    app = qt_application()
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        if s.watch is not None and s.watch.noticed():
            return
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.005)


class TracebackWatch:
    """Every traceback the steps produce, wherever it went: raised in a Qt slot (PySide hands
    it to ``sys.excepthook`` and carries on), in a thread, unraisable (a finalizer), printed
    to stderr, or logged with its exception. Each is still printed, for whoever reads it."""

    def __init__(self, err):
        self.err = err
        self.seen: list[str] = []  # whole tracebacks, first first
        self._tee: _Tee | None = None

    def __enter__(self) -> TracebackWatch:
        self._saved = (sys.excepthook, threading.excepthook, sys.unraisablehook, sys.stderr)
        sys.excepthook = self._excepthook
        threading.excepthook = lambda a: self._excepthook(a.exc_type, a.exc_value,
                                                          a.exc_traceback)
        sys.unraisablehook = lambda u: self._excepthook(type(u.exc_value), u.exc_value,
                                                         u.exc_traceback)
        sys.stderr = self._tee = _Tee(self._saved[3])
        self._handler = _LoggedTracebacks(self)
        logging.getLogger("regenlog").addHandler(self._handler)
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger("regenlog").removeHandler(self._handler)
        sys.excepthook, threading.excepthook, sys.unraisablehook, sys.stderr = self._saved
        self.take_printed()

    def noticed(self) -> bool:
        return bool(self.seen) or (self._tee is not None and TRACEBACK in self._tee.text)

    def take_printed(self) -> None:
        """Move a traceback printed to stderr so far into ``seen``."""
        printed = self._tee.text if self._tee is not None else ""
        if TRACEBACK in printed:
            self.seen.append(printed[printed.index(TRACEBACK):])
        if self._tee is not None:
            self._tee.text = ""

    def _excepthook(self, kind, value, tb) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        self.seen.append(text)
        if self.err is not None:
            print(text, end="", file=self.err)

    def take(self) -> str | None:
        """The last line of the first traceback seen since the last call, or None."""
        self.take_printed()
        if not self.seen:
            return None
        first, self.seen = self.seen[0], []
        lines = [line for line in first.strip().splitlines() if line.strip()]
        return lines[-1] if lines else "a traceback"


class _Tee:
    """sys.stderr while the steps run: passes everything on, and keeps what was written since
    the watch last looked, from the first traceback on (else only a tail, in case one's
    first line comes in two writes)."""

    def __init__(self, stream):
        self.stream, self.text = stream, ""

    def write(self, text: str) -> int:
        if self.stream is not None:
            self.stream.write(text)
        self.text += text
        if TRACEBACK not in self.text:
            self.text = self.text[-len(TRACEBACK):]
        return len(text)

    def flush(self) -> None:
        if self.stream is not None:
            self.stream.flush()

    def __getattr__(self, name):
        return getattr(self.stream, name)


class _LoggedTracebacks(logging.Handler):
    def __init__(self, watch: TracebackWatch):
        super().__init__(logging.WARNING)
        self.watch = watch

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[0] is not None:
            kind, value, tb = record.exc_info
            text = "".join(traceback.format_exception(kind, value, tb))
            self.watch.seen.append(f"{record.getMessage()}\n{text}")
            if self.watch.err is not None:
                print(f"{record.getMessage()}\n{text}", end="", file=self.watch.err)


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
    ("daily backup", check_daily_backup),
    ("second launch", check_second_launch),
    ("document preview", check_document_preview),
    ("search", check_search),
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
    with TracebackWatch(err) as watch:
        scratch.watch = watch
        failure = _run(scratch, steps, err)
    if failure is None:  # closing the window and the databases must be clean as well
        seen = watch.take()
        failure = ("closing", seen) if seen is not None else None
        if failure is not None:
            print(f"RegenLog {__version__} self-test failed at closing: {failure[1]}", file=err)
    if failure is not None:
        return 1
    seconds = time.perf_counter() - started
    names = ", ".join(name for name, _ in steps)
    print(f"RegenLog {__version__} self-test passed: {names} ({seconds:.1f} s)", file=out)
    return 0


def _run(scratch: Scratch, steps, err) -> tuple[str, str] | None:
    """The steps, then the closers; the first failure as (step, reason), reported on err."""
    failure = None
    try:
        for name, step in steps:
            try:
                step(scratch)
                seen = scratch.watch.take()
                if seen is not None:
                    raise SelfTestFailure(f"a traceback was printed: {seen}")
            except Exception as error:  # noqa: BLE001 (any failure is reported by its step)
                reason = str(error) or type(error).__name__
                print(f"RegenLog {__version__} self-test failed at {name}: {reason}", file=err)
                if not isinstance(error, SelfTestFailure):
                    traceback.print_exc(file=err)
                failure = (name, reason)
                return failure
    finally:
        for close in reversed(scratch.closers):
            try:
                close()
            except Exception:  # noqa: BLE001 (the watch reports it)
                scratch.watch._excepthook(*sys.exc_info())
    return failure


def run_self_test() -> int:
    """What ``regenlog --self-test`` runs: every step in a temporary data folder."""
    with tempfile.TemporaryDirectory(prefix="regenlog-selftest-", ignore_cleanup_errors=True) as tmp:
        return run_steps(Path(tmp))
