"""Writing the bundle on a worker thread (a QThreadPool of its own): the window stays live,
the progress bar moves, and Cancel is honoured between 1 MiB chunks.

``export_bundle`` removes its temporary file on a cancel or an error, so whatever the
outcome nothing half-written is left; this module only carries the outcome back to the
window's thread as one of three signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ...core.errors import RegenLogError

log = logging.getLogger(__name__)

STEPS = 1000  # the progress bar's range: per mille (byte counts overflow a C++ int signal)


class ExportSignals(QObject):
    progress = Signal(int)  # 0..STEPS
    done = Signal(object)  # the BundleReport
    cancelled = Signal()
    failed = Signal(str)  # one sentence


class ExportJob(QRunnable):
    """One export; ``work(progress, cancelled)`` is ``export_bundle`` with its arguments bound."""

    def __init__(self, work: Callable):
        super().__init__()
        self.work = work
        self.signals = ExportSignals()
        self._cancel = threading.Event()
        self._last = -1
        self.setAutoDelete(False)  # the page keeps it until its signals were delivered

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, done: int, total: int) -> None:
        step = done * STEPS // total if total else STEPS
        if step != self._last:  # one signal per visible step, not one per chunk
            self._last = step
            self.signals.progress.emit(step)

    def run(self) -> None:
        from ...bundle import BundleCancelled

        try:
            report = self.work(self._progress, self._cancel.is_set)
        except BundleCancelled:
            self.signals.cancelled.emit()
        except RegenLogError as error:
            self.signals.failed.emit(str(error))
        except OSError as error:
            self.signals.failed.emit(
                f"The bundle could not be written ({error.strerror or error}); "
                "nothing was left behind."
            )
        except Exception as error:  # a bug: say so in one sentence, keep the trace in the log
            log.exception("bundle export failed")
            self.signals.failed.emit(
                f"The bundle could not be written because of an unexpected error "
                f"({type(error).__name__}); nothing was left behind."
            )
        else:
            # A cancel that came after the last chunk is too late: the bundle is complete
            # and in place, so say what is true.
            self.signals.done.emit(report)


def export_pool(parent: QObject) -> QThreadPool:
    """A pool of one thread for the wizard: its exports never queue behind other work."""
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(1)
    return pool
