"""Step 5: writing the ZIP on a worker thread, with a progress bar and a Cancel that really
stops it (the writer removes its temporary file, so nothing is left behind). Then what was
written, and a button that opens the folder."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from ..widgets import sentence_label
from .worker import STEPS, ExportJob

CANCELLED = "Cancelled; nothing was written."


class ExportPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Export")
        self.status = QLabel()
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("exportProgress")
        self.progress.setAccessibleName("Writing the bundle")
        self.progress.setRange(0, STEPS)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelExport")
        self.cancel_button.setAccessibleName("Cancel the export")
        self.cancel_button.clicked.connect(self.cancel)
        self.summary = QLabel()
        self.summary.setObjectName("exportSummary")
        self.summary.setWordWrap(True)
        self.where = QLabel()
        self.where.setObjectName("exportPath")
        self.where.setWordWrap(True)
        self.open_folder_button = QPushButton("Open the folder")
        self.open_folder_button.setObjectName("openFolder")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.sentence = sentence_label("exportSentence")
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(bar)
        layout.addWidget(self.sentence)
        layout.addWidget(self.summary)
        layout.addWidget(self.where)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.open_folder_button)
        folder_row.addStretch(1)
        layout.addLayout(folder_row)
        layout.addStretch(1)
        self.job: ExportJob | None = None
        self.finished_job: ExportJob | None = None
        self.report = None  # the BundleReport, once written
        self.outcome = ""  # "", "done", "cancelled" or "failed"

    @property
    def busy(self) -> bool:
        return self.job is not None

    # -- running ---------------------------------------------------------------------------
    def initializePage(self) -> None:  # noqa: N802
        from ...bundle import export_bundle

        wizard = self.wizard()
        self.report, self.outcome = None, ""
        self.setTitle("Exporting")
        self.setSubTitle(wizard.who_and_what())
        self.status.setText(f"Writing {wizard.target.name}…")
        self.progress.setValue(0)
        self.progress.show()
        self.status.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        for widget in (self.summary, self.where, self.open_folder_button, self.sentence):
            widget.hide()
        db, selection, destination = wizard.session.services.db, wizard.selection, wizard.destination
        target, password, today = wizard.target, wizard.password, wizard.today

        def work(progress, cancelled):
            return export_bundle(db, selection, destination, target, password=password,
                                 today=today, progress=progress, cancelled=cancelled)

        job = ExportJob(work)
        job.signals.progress.connect(self._progress)
        job.signals.done.connect(self._done)
        job.signals.cancelled.connect(self._cancelled)
        job.signals.failed.connect(self._failed)
        self.job = job
        wizard.allow_back(False)
        wizard.pool.start(job)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling…")

    @Slot(int)
    def _progress(self, step: int) -> None:
        self.progress.setValue(step)

    @Slot(object)
    def _done(self, report) -> None:
        self.report = report
        self._finish("done", "Bundle written")
        f = self.wizard().formats
        n, docs = len(report.files), report.documents
        lines = [
            f"{n} file{'s' if n != 1 else ''}, {f.size(report.total_bytes)}, "
            + ("encrypted with AES-256." if report.encrypted else "not encrypted."),
            f"Inside: the cover letter, the itemized statement, {docs} attached "
            f"document{'s' if docs != 1 else ''}, index.csv, manifest.json and the FHIR bundle.",
        ]
        if report.encrypted:
            lines.append("Open it with 7-Zip on Windows, or Keka or The Unarchiver on macOS.")
        errors = sum(1 for g in report.gaps if g.severity == "error")
        if errors:
            lines.append(f"{errors} error{'s' if errors != 1 else ''} of the checklist "
                         f"remain{'s' if errors == 1 else ''}; the reviewer may ask for what "
                         "is missing.")
        self.status.setText("The bundle is ready to send.")
        self.summary.setText("\n".join(lines))
        self.where.setText(f"Saved as {report.target}")
        for widget in (self.summary, self.where, self.open_folder_button):
            widget.show()

    @Slot()
    def _cancelled(self) -> None:
        self._finish("cancelled", "Export cancelled")
        self.status.setText(CANCELLED)

    @Slot(str)
    def _failed(self, text: str) -> None:
        self._finish("failed", "The bundle was not written")
        self.status.hide()
        self.sentence.setText(text)
        self.sentence.show()
        self.summary.setText("Go back to choose another file or password, or close and try "
                             "again once it is fixed.")
        self.summary.show()

    def _finish(self, outcome: str, title: str) -> None:
        # Kept until the next export: dropped now, the job (and its signals' QObject) could be
        # freed by the worker thread as its run() returns.
        self.finished_job, self.job = self.job, None
        self.outcome = outcome
        self.setTitle(title)
        self.progress.hide()
        self.cancel_button.hide()
        wizard = self.wizard()
        wizard.allow_back(outcome != "done")
        self.setButtonText(QWizard.WizardButton.FinishButton,
                           "Close" if outcome != "done" else "Finish")

    # -- afterwards ------------------------------------------------------------------------
    def open_folder(self) -> None:
        if self.report is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report.target.parent)))

    def isComplete(self) -> bool:  # noqa: N802
        return not self.busy
