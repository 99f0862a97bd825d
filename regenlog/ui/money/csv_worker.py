"""Running the spreadsheet check or import off the window's thread when the file is large, so
a sheet of thousands of rows never freezes the window; small files run at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from ...core.errors import RegenLogError

LARGE_ROWS = 2_000  # above this many rows the work goes to a worker thread


class JobSignals(QObject):
    done = Signal(object)  # what the work returned
    failed = Signal(str)  # one sentence


class Job(QRunnable):
    def __init__(self, work: Callable[[], Any]):
        super().__init__()
        self.work = work
        self.signals = JobSignals()
        self.setAutoDelete(False)  # the runner keeps it until its signals were delivered

    def run(self) -> None:
        try:
            result = self.work()
        except RegenLogError as error:
            self.signals.failed.emit(str(error))
        except OSError as error:
            self.signals.failed.emit(f"The file could not be read: {error.strerror or error}.")
        else:
            self.signals.done.emit(result)


class Runner(QObject):
    """Runs one piece of work at a time, in the background when ``rows`` is large."""

    started = Signal(bool)  # True when it went to a worker thread
    finished = Signal()

    def __init__(self, parent=None, large_rows: int = LARGE_ROWS):
        super().__init__(parent)
        self.large_rows = large_rows
        self.job: Job | None = None
        self.in_background = False
        self._callbacks: tuple = (None, None)

    @property
    def busy(self) -> bool:
        return self.job is not None

    def run(self, work: Callable[[], Any], rows: int, on_done: Callable[[Any], None],
            on_failed: Callable[[str], None]) -> None:
        job = Job(work)
        self.job, self._callbacks = job, (on_done, on_failed)
        self.in_background = rows > self.large_rows
        # Connected to this object's slots, so a worker's signals arrive on the window's thread.
        job.signals.done.connect(self._done)
        job.signals.failed.connect(self._failed)
        self.started.emit(self.in_background)
        if self.in_background:
            QThreadPool.globalInstance().start(job)
        else:
            job.run()

    @Slot(object)
    def _done(self, value: Any) -> None:
        self._finish(0, value)

    @Slot(str)
    def _failed(self, text: str) -> None:
        self._finish(1, text)

    def _finish(self, which: int, value: Any) -> None:
        self.job = None
        self._callbacks[which](value)
        self.finished.emit()

    def wait(self, msecs: int = 60_000) -> None:
        """Block until background work is done (closing the window, tests)."""
        QThreadPool.globalInstance().waitForDone(msecs)
