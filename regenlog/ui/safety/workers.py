"""Long data-safety jobs (archives, restores, verification, the daily backup) on a worker
thread, one at a time, with progress the window can show and a Cancel that is only a request.

One job at a time on purpose: a restore must never overlap the start-up garbage collection
or a backup that is still reading the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog

from ...core.errors import RegenLogError

PROGRESS_STEPS = 1000  # the bar counts thousandths: byte counts overflow Qt's int


class JobSignals(QObject):
    progress = Signal(int)  # thousandths done
    done = Signal(object)  # what the work returned
    failed = Signal(str)  # one sentence


class SafetyJob(QRunnable):
    """Runs ``work(progress, cancelled)`` on a pool thread and reports through signals."""

    def __init__(self, work: Callable[[Callable[[int, int], None], Callable[[], bool]], Any]):
        super().__init__()
        self.work = work
        self.signals = JobSignals()
        self.cancel_requested = False  # set from the window's thread, read by the worker
        self.setAutoDelete(False)  # the runner keeps it until its signals were delivered

    def cancel(self) -> None:
        self.cancel_requested = True

    def _progress(self, done: int, total: int) -> None:
        self.signals.progress.emit(int(done * PROGRESS_STEPS / total) if total > 0 else 0)

    def run(self) -> None:
        import sqlite3  # here, not at the top: this module loads before the first paint

        try:
            result = self.work(self._progress, lambda: self.cancel_requested)
        except RegenLogError as error:
            self.signals.failed.emit(str(error))
        except OSError as error:
            self.signals.failed.emit(
                f"RegenLog could not finish: {error.strerror or error}. Nothing was changed."
            )
        except sqlite3.Error as error:
            from ...store.sqlite_backup import damage_reason

            self.signals.failed.emit(
                f"RegenLog could not read the database ({damage_reason(error)}).")
        except Exception as error:  # a bug must not leave a progress dialog up for ever
            logging.getLogger("regenlog.ui.safety").error("job failed", exc_info=True)
            self.signals.failed.emit(
                f"RegenLog ran into an unexpected problem ({type(error).__name__}); "
                "nothing more was changed."
            )
        else:
            self.signals.done.emit(result)


class JobRunner(QObject):
    """Queues SafetyJobs on a private one-thread pool and calls back on the window's thread."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.jobs: dict[SafetyJob, tuple] = {}
        self.dialog = None  # the progress dialog of the last job started with one

    @property
    def busy(self) -> bool:
        return bool(self.jobs)

    def start(self, work, on_done: Callable[[Any], None],
              on_failed: Callable[[str], None]) -> SafetyJob:
        job = SafetyJob(work)
        self.jobs[job] = (on_done, on_failed)
        # Bound to this object's slots, so a worker's signals arrive on the window's thread.
        job.signals.done.connect(self._done)
        job.signals.failed.connect(self._failed)
        self.pool.start(job)
        return job

    @Slot(object)
    def _done(self, value) -> None:
        self._finish(self.sender(), 0, value)

    @Slot(str)
    def _failed(self, text: str) -> None:
        self._finish(self.sender(), 1, text)

    def _finish(self, signals, which: int, value) -> None:
        job = next((j for j in self.jobs if j.signals is signals), None)
        if job is None:
            return
        callbacks = self.jobs.pop(job)
        callbacks[which](value)

    def cancel_all(self) -> None:
        for job in self.jobs:
            job.cancel()

    def wait(self, msecs: int = 120_000) -> bool:
        """Block until every queued job has run (closing the folder, quitting, tests)."""
        return self.pool.waitForDone(msecs)

    def stop(self) -> None:
        """Closing: ask running work to stop, wait for it, and drop its callbacks (the
        window they would update is going away)."""
        self.cancel_all()
        self.wait()
        self.jobs.clear()


def progress_dialog(parent, title: str, label: str, *, cancellable: bool) -> QProgressDialog:
    """A window-modal progress bar; without Cancel for work that must run to its end."""
    dialog = QProgressDialog(label, "Cancel" if cancellable else None, 0, PROGRESS_STEPS, parent)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumDuration(0)
    dialog.setMinimumWidth(420)
    dialog.setValue(0)
    return dialog


def run_with_progress(runner: JobRunner, parent, title: str, label: str, work, *,
                      on_done: Callable[[Any], None], on_failed: Callable[[str], None],
                      cancellable: bool = False) -> SafetyJob:
    """Start ``work`` on the runner with a progress dialog that closes when it ends."""
    dialog = progress_dialog(parent, title, label, cancellable=cancellable)

    def close() -> None:
        dialog.reset()
        dialog.hide()
        dialog.deleteLater()

    def done(value) -> None:
        close()
        on_done(value)

    def failed(text: str) -> None:
        close()
        on_failed(text)

    job = runner.start(work, done, failed)
    job.signals.progress.connect(dialog.setValue)
    if cancellable:
        dialog.canceled.connect(job.cancel)
        dialog.canceled.connect(lambda: dialog.setLabelText("Stopping…"))
    dialog.show()
    runner.dialog = dialog  # tests and screenshots find the dialog that is up
    return job
