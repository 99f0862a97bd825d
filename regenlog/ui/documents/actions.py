"""What can be done with documents from anywhere in the window: attach files (worker thread,
progress for large files), open one in the system viewer, and build a documents section."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from ...core import models as m
from ...core.enums import DocumentKind
from ...core.errors import RegenLogError
from .opened_copies import OpenedCopies, sweep_leftovers
from .worker import AttachJob

LARGE_FILE = 8 * 1024 * 1024  # show a progress bar above this many bytes in one go

# A file dropped on a record most likely is that record's paperwork.
KIND_FOR_RECORD = {
    "receipt": DocumentKind.receipt,
    "medical_necessity_letter": DocumentKind.medical_necessity_letter,
    "lab_result": DocumentKind.lab_report,
    "determination": DocumentKind.determination,
    "good_faith_estimate": DocumentKind.good_faith_estimate,
    "insurer_call": DocumentKind.correspondence,
    "treatment": DocumentKind.clinical_note,
}


class DocumentActions(QObject):
    jobStarted = Signal(object)  # noqa: N815 (the AttachJob)
    jobFinished = Signal(list, list)  # noqa: N815 (document ids attached, failure sentences)

    def __init__(self, services, bus, window):
        super().__init__(window)
        self.services, self.bus, self.window = services, bus, window
        self.pool = QThreadPool.globalInstance()
        self.jobs: list[AttachJob] = []
        self.copies = OpenedCopies()
        # Copies an earlier RegenLog could not delete when it quit (the viewer held them).
        self.pool.start(sweep_leftovers)

    def attach(self, files: list[Path], links: list[tuple[str, int]] = (),
               kind: str | None = None, on_done=None) -> AttachJob:
        """Attach ``files`` linked to ``links`` on a worker thread."""
        record_type = links[0][0] if links else ""
        kind = kind or KIND_FOR_RECORD.get(record_type, DocumentKind.other)
        job = AttachJob(self.services.documents, list(files), list(links), str(kind))
        attached: list[int] = []
        failures: list[str] = []
        job.signals.attached.connect(attached.append)
        job.signals.failed.connect(failures.append)
        progress = None
        if job.total > LARGE_FILE:
            progress = QProgressDialog("Copying into the data folder…", "Cancel", 0, 1000,
                                       self.window)
            progress.setWindowTitle("Attaching")
            progress.setMinimumDuration(300)
            progress.canceled.connect(job.cancel)
            job.signals.progress.connect(
                lambda done, total, name: (
                    progress.setLabelText(f"Copying {name} into the data folder…"),
                    progress.setValue(int(done * 1000 / max(total, 1))),
                )
            )

        def finished() -> None:
            if progress is not None:
                progress.reset()
                progress.deleteLater()
            if job in self.jobs:
                self.jobs.remove(job)
            if failures:
                QMessageBox.warning(self.window, "Some files were not attached",
                                    "\n".join(failures))
            if attached:
                self.bus.notify("document")
            if on_done is not None:
                on_done(attached)
            self.jobFinished.emit(attached, failures)

        job.signals.finished.connect(finished)
        self.jobs.append(job)
        self.jobStarted.emit(job)
        self.pool.start(job)
        return job

    def section(self, record_type: str, queued=()):
        from .panel import DocumentsSection

        return DocumentsSection(self, record_type, list(queued))

    def open_externally(self, document_id: int) -> bool:
        """Copy the document out under its own name and hand it to the system viewer."""
        doc = self.services.records.get(m.Document, document_id)
        try:
            folder = self.copies.folder() / str(document_id)
            folder.mkdir(exist_ok=True)
            target = folder / Path(doc.original_name).name
            if not target.exists():
                self.services.documents.export_to(document_id, target)
        except (RegenLogError, OSError) as error:
            reason = str(error) if isinstance(error, RegenLogError) else (
                f"RegenLog could not copy it to the temporary folder "
                f"({error.strerror or error}).")
            QMessageBox.warning(self.window, "The document could not be opened", reason)
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def wait_for_jobs(self, timeout_ms: int = 30000) -> bool:
        """Block until running jobs are done (used when closing the window)."""
        return self.pool.waitForDone(timeout_ms)
