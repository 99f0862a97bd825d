"""What every self-test step shares: the scratch folder, the way a step fails, the one
QApplication, and waiting on the event loop."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..core.services import Services
    from ..store.database import Database
    from .watch import TracebackWatch


class SelfTestFailure(Exception):  # noqa: N818 (a check that failed, named so)
    """A check that ran but did not see what it expected."""


def expect(condition: bool, sentence: str) -> None:
    if not condition:
        raise SelfTestFailure(sentence)


@dataclass
class Scratch:
    """The temporary folders and the things one step hands to the next."""

    root: Path
    db: Database | None = None  # the scratch folder's database, opened by the first step
    services: Services | None = None  # the services over it
    treatment_id: int = 0
    closers: list[Callable[[], None]] = field(default_factory=list)
    watch: TracebackWatch | None = None  # the TracebackWatch of the run
    controller: Any = None  # the window of the first launch (an AppController)
    maintained: list[Any] = field(default_factory=list)  # folders whose daily backup has run
    notes: list[str] = field(default_factory=list)  # said after "passed" (what is optional)

    def folder(self, name: str) -> Any:
        from ..store.paths import DataPaths

        return DataPaths(self.root / name)

    def opened(self) -> tuple[Database, Services]:
        """The scratch folder's database and its services (the first step opens them)."""
        if self.db is None or self.services is None:
            raise SelfTestFailure("the scratch folder's records were not opened")
        return self.db, self.services


def qt_application():
    """The one QApplication of this process: widgets need it, not just a QGuiApplication."""
    if (
        sys.platform.startswith("linux")
        and "QT_QPA_PLATFORM" not in os.environ
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # CI and servers have no screen
    from ..ui.app import create_application

    return create_application()


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
