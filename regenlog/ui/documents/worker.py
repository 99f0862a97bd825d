"""Attaching files on a worker thread: hashing and copying a large scan never freezes the
window, shows progress and can be cancelled (nothing is stored for a cancelled file)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal

from ...core.errors import RegenLogError


class JobSignals(QObject):
    progress = Signal(int, int, str)  # bytes done, bytes total (all files), current file name
    attached = Signal(int)  # a document id
    failed = Signal(str)  # one sentence per file that could not be attached
    finished = Signal()


class AttachJob(QRunnable):
    def __init__(self, documents, files: list[Path], links: list[tuple[str, int]], kind: str):
        super().__init__()
        self.documents = documents
        self.files = [Path(f) for f in files]
        self.links = links
        self.kind = kind
        self.signals = JobSignals()
        self._cancel = threading.Event()
        self.total = sum(_size(f) for f in self.files)
        self.setAutoDelete(False)  # the DocumentActions keeps it until its signals are done

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        done_before = 0
        for path in self.files:
            def progress(done: int, _total: int, base=done_before, name=path.name) -> None:
                self.signals.progress.emit(base + done, self.total, name)

            try:
                doc = self.documents.attach_file(
                    path, kind=self.kind, links=self.links, progress=progress,
                    cancelled=self._cancel.is_set,
                )
                self.signals.attached.emit(doc.id)
            except RegenLogError as error:
                self.signals.failed.emit(f"{path.name}: {error}")
            except OSError as error:
                self.signals.failed.emit(f"{path.name}: {error.strerror or error}")
            done_before += _size(path)
            if self._cancel.is_set():
                break
        self.signals.finished.emit()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
