"""The self-test's last steps: what a patient's first and second launch do, in the window,
on the demo household the earlier steps imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .scratch import Scratch, SelfTestFailure, expect, qt_application, wait_until
from .watch import TRACEBACK

WINDOW_TIMEOUT_S = 60.0
SECOND_LAUNCH_TIMEOUT_S = 60.0


def check_main_window(s: Scratch) -> None:
    """The first launch: take the folder as ``regenlog`` does, open it in the window, visit
    every page."""
    from ..core import models as m
    from ..ui.controller import AppController
    from ..ui.icons import icon
    from ..ui.safety.claim import claim_folder
    from ..ui.settings import UiSettings
    from ..ui.shell import SIDEBAR

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
    from ..core import models as m
    from ..store.backups import DAILY, list_backups
    from ..store.sqlite_backup import connect_read_only

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
    from ..ui.safety.single_instance import server_name

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

    from ..core import models as m

    controller = s.controller
    documents = controller.session.services.records.list(m.Document)
    pdf = next((d for d in documents if d.content_type == "application/pdf"), None)
    if pdf is None:
        raise SelfTestFailure("the demo household has no PDF to preview")
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
    """Close the window as a patient does: its pages, database, jobs, listener and writer
    lock go with it (AppController.closed)."""
    from PySide6.QtCore import QEventLoop

    app = qt_application()
    controller.quit_without_asking()
    for _ in range(200):  # the close is queued: give it up to ~10 s
        if not controller.window.isVisible():
            break
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    if controller.session is not None or (controller.safety is not None
                                          and not controller.safety.stopped):
        controller.closed()  # the window would not close: let go of everything all the same
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
