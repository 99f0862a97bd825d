"""The "Export reimbursement bundle" wizard: treatments, destination, gaps, password and file,
export. The pages hold the choices; this class reads them for the steps after, runs the
export's worker pool and decides when the window may close (never mid-write: Cancel first)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import QWizard

from .choices import person_of
from .destination_page import TITLES, DestinationPage
from .export_page import ExportPage
from .gaps_page import GapsPage
from .password_page import PasswordPage
from .treatments_page import TreatmentsPage
from .worker import export_pool


class BundleWizard(QWizard):
    TREATMENTS, DESTINATION, GAPS, PASSWORD, EXPORT = range(5)

    def __init__(self, session, formats, *, treatment_ids: tuple[int, ...] = (),
                 open_gap: Callable | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("bundleWizard")
        self.setWindowTitle("Export a reimbursement bundle")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.session, self.formats = session, formats
        self.today = session.today()
        self.open_gap = open_gap
        self.pool = export_pool(self)
        self.treatments_page = TreatmentsPage(session, formats, tuple(treatment_ids))
        self.destination_page = DestinationPage()
        self.gaps_page = GapsPage()
        self.password_page = PasswordPage()
        self.export_page = ExportPage()
        for page_id, page in ((self.TREATMENTS, self.treatments_page),
                              (self.DESTINATION, self.destination_page),
                              (self.GAPS, self.gaps_page), (self.PASSWORD, self.password_page),
                              (self.EXPORT, self.export_page)):
            self.setPage(page_id, page)
        self.gaps_page.fixRequested.connect(self.go_fix)
        # Quitting mid-export stops the writer too (it removes its temporary file).
        QCoreApplication.instance().aboutToQuit.connect(self.stop)
        if treatment_ids:
            self.treatments_page.choose_person(person_of(session, treatment_ids[0]))
        self.resize(900, 640)

    # -- what the pages chose --------------------------------------------------------------
    @property
    def selection(self):
        return self.treatments_page.selection()

    @property
    def destination(self) -> str:
        return self.destination_page.destination

    @property
    def password(self) -> str | None:
        return self.password_page.chosen_password()

    @property
    def target(self) -> Path:
        return self.password_page.target()

    def who_and_what(self) -> str:
        """"Dana Whitfield, 2 treatments, HSA reimbursement": the bundle in a few words."""
        n = len(self.treatments_page.chosen())
        return (f"{self.treatments_page.person.currentText()}, {n} treatment"
                f"{'s' if n != 1 else ''}, {TITLES[self.destination]}")

    # -- leaving ---------------------------------------------------------------------------
    def go_fix(self, gap) -> None:
        """Close the wizard and take the patient to the record the gap is about."""
        self.reject()
        if self.open_gap is not None and not self.isVisible():
            self.open_gap(gap)

    def allow_back(self, allowed: bool) -> None:
        """Back from the export step: not while writing, nor once written (the bundle is
        done); yes after a cancel or an error, to change the file or the password."""
        # QWizard re-enables Back whenever it refreshes its buttons unless the page before is
        # a commit page, so the password page becomes one.
        self.password_page.setCommitPage(not allowed)
        self.export_page.completeChanged.emit()

    @Slot()
    def stop(self) -> None:
        """Cancel the export, if one is running (its worker removes what it wrote)."""
        if self.export_page.busy:
            self.export_page.cancel()

    def reject(self) -> None:
        # Escape or the window's close box while writing means "stop": cancel, and stay
        # open to say that nothing was written.
        if self.export_page.busy:
            self.stop()
            return
        super().reject()

    def wait_for_jobs(self, msecs: int = 60_000) -> None:
        """Block until the export has stopped (closing the window, tests)."""
        self.pool.waitForDone(msecs)
