"""Start the desktop app: paint the window first, open the data right after.

``run_gui`` is what ``regenlog`` with no command calls. With ``quit_after_startup`` it
prints two figures (milliseconds since the process started) and exits once the data is
ready::

    window painted: 412 ms
    data ready: 1187 ms
"""

from __future__ import annotations

import contextlib
import sys

from .clock import uptime_ms


def _print(line: str) -> None:
    # A reader that stopped early (`| head -1`) must not keep the app from quitting.
    with contextlib.suppress(BrokenPipeError, OSError):
        print(line, flush=True)


def create_application(argv: list[str] | None = None):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName("RegenLog")
    app.setApplicationName("RegenLog")
    app.setDesktopFileName("regenlog")
    from .icons import icon

    app.setWindowIcon(icon("app"))
    return app


def run_gui(data_dir: str | None, *, quit_after_startup: bool = False) -> int:
    """Open the main window on ``data_dir`` (or the default data folder); return the exit code.

    With ``quit_after_startup``: print "window painted: N ms" once the window has painted and
    "data ready: N ms" once the lists are filled and the dashboard computed, then exit 0 (or
    2 if the data folder could not be opened). Exit 2 with one sentence, before any Qt, when
    a Linux desktop lacks a library Qt's X11 plugin needs (platform_check.py).
    """
    from .platform_check import platform_problem

    # Qt aborts the process when its X11 plugin cannot load; say why first, in one sentence.
    problem = platform_problem()
    if problem:
        print(f"regenlog: {problem}", file=sys.stderr, flush=True)
        return 2
    from ..store.paths import resolve_data_dir
    from .controller import AppController
    from .settings import UiSettings

    app = create_application()
    paths = resolve_data_dir(data_dir)
    # The folder is taken (or handed over to the window that has it) before any window.
    from .safety.claim import claim_folder

    claim = claim_folder(paths, interactive=not quit_after_startup)
    if claim.lock is None:
        return claim.exit_code
    controller = AppController(paths, UiSettings.default(), lock=claim.lock)
    controller.interactive = not quit_after_startup
    result = {"code": 0}

    if quit_after_startup:
        controller.painted.connect(lambda: _print(f"window painted: {uptime_ms():.0f} ms"))

        def ready() -> None:
            _print(f"data ready: {uptime_ms():.0f} ms")
            controller.quit_without_asking()

        def failed(message: str) -> None:
            print(f"regenlog: {message}", file=sys.stderr, flush=True)
            result["code"] = 2
            controller.quit_without_asking()

        controller.dataReady.connect(ready)
        controller.failed.connect(failed)
    else:
        controller.failed.connect(lambda _message: result.update(code=2))
    controller.start()
    code = app.exec()
    return result["code"] or code
