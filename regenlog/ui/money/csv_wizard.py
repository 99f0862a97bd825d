"""Import a spreadsheet (CSV): pick the file, match its columns, see every bad row with its
line number, choose "the good rows now" or "nothing until every row is good", and read what
was imported. The checks and the one-transaction import are ``core.spreadsheet``'s; large
files are checked and imported on a worker thread (``csv_worker``).

The mapping of the last import is remembered in the window's settings (QSettings) and
offered again when its columns fit the next file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from ...core.errors import ValidationError
from ...core.spreadsheet import ImportResult, Mapping, import_csv, read_table
from ..widgets import sentence_label
from .csv_check_page import CheckPage
from .csv_mapping_page import MappingPage
from .csv_worker import Runner

MAPPING_KEY = "csv_import/last_mapping"


class FilePage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Choose the spreadsheet")
        self.setSubTitle(
            "Export it from Excel, Numbers or Google Sheets as CSV (CSV UTF-8 if offered). "
            "Each row becomes a treatment, with a receipt when it has an amount."
        )
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Spreadsheet file")
        self.path_edit.setPlaceholderText("A .csv file")
        self.choose_button = QPushButton("Choose…")
        self.sentence = sentence_label("fileSentence")
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.sentence)
        layout.addStretch(1)
        self.choose_button.clicked.connect(self.choose)
        self.path_edit.textChanged.connect(lambda _t: self.completeChanged.emit())

    def choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose the spreadsheet", str(Path.home()), "Spreadsheet (*.csv *.txt)"
        )
        if name:
            self.path_edit.setText(name)

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:  # noqa: N802
        return self.wizard().open_file(Path(self.path_edit.text().strip()))


class ResultPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Import")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName("Importing")
        self.busy.hide()
        self.message = QLabel()
        self.message.setObjectName("importResult")
        self.message.setWordWrap(True)
        self.sentence = sentence_label("importSentence")
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addWidget(self.sentence)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802
        wizard = self.wizard()
        self.busy.show()
        self.message.setText("Importing…")
        self.sentence.hide()
        db, path, mapping = wizard.session.services.db, wizard.path, wizard.mapping
        only_good = wizard.only_good_rows
        wizard.runner.run(
            lambda: import_csv(db, path, mapping, only_good_rows=only_good),
            len(wizard.table.rows), self._done, self._failed,
        )
        self.completeChanged.emit()

    def _done(self, result: ImportResult) -> None:
        self.busy.hide()
        self.setTitle("Imported")
        self.message.setText(
            result.summary() + " The checklist now shows what each imported treatment still "
            "needs (diagnosis codes, itemized receipts, letters)."
        )
        self.wizard().finish_import(result)
        self.completeChanged.emit()

    def _failed(self, text: str) -> None:
        self.busy.hide()
        self.setTitle("Nothing was imported")
        self.message.setText("Your records are unchanged.")
        self.sentence.setText(text)
        self.sentence.show()
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return not self.wizard().runner.busy


class CsvImportWizard(QWizard):
    imported = Signal(object)  # the ImportResult, once rows were stored

    FILE, MAPPING, CHECK, RESULT = range(4)

    def __init__(self, session, path: Path | None = None, settings: QSettings | None = None,
                 parent=None):
        super().__init__(parent)
        self.setObjectName("csvImportWizard")
        self.setWindowTitle("Import a spreadsheet (CSV)")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.session, self.settings = session, settings
        self.path: Path | None = None
        self.table = None  # core.spreadsheet.parse.Table of the chosen file
        self.mapping: Mapping | None = None
        self.report = None  # DryRunReport
        self.only_good_rows = True
        self.result: ImportResult | None = None
        self.runner = Runner(self)
        self.runner.started.connect(lambda _bg: self._set_busy(True))
        self.runner.finished.connect(lambda: self._set_busy(False))
        self.file_page, self.mapping_page = FilePage(), MappingPage()
        self.check_page, self.result_page = CheckPage(), ResultPage()
        for page_id, page in ((self.FILE, self.file_page), (self.MAPPING, self.mapping_page),
                              (self.CHECK, self.check_page), (self.RESULT, self.result_page)):
            self.setPage(page_id, page)
        self.resize(860, 620)
        if path is not None:
            self.file_page.path_edit.setText(str(path))
            if self.open_file(Path(path)):
                self.setStartId(self.MAPPING)

    # -- the file --------------------------------------------------------------------------
    def open_file(self, path: Path) -> bool:
        """Read the header and rows of ``path``; say what is wrong on the file page if not."""
        page = self.file_page
        try:
            table = read_table(path)
        except ValidationError as error:
            page.sentence.setText(str(error))
            page.sentence.show()
            return False
        if not table.rows:
            page.sentence.setText(f"{path.name} has a header row but no rows to import.")
            page.sentence.show()
            return False
        page.sentence.hide()
        self.path, self.table = path, table
        return True

    # -- the remembered mapping ------------------------------------------------------------
    def remembered_mapping(self) -> Mapping | None:
        if self.settings is None:
            return None
        text = self.settings.value(MAPPING_KEY, "")
        try:
            return Mapping.from_json(text) if isinstance(text, str) and text else None
        except ValidationError:
            return None  # saved by another version, or edited by hand: suggest afresh

    def remember_mapping(self, mapping: Mapping) -> None:
        if self.settings is not None:
            self.settings.setValue(MAPPING_KEY, mapping.to_json())
            self.settings.sync()

    # -- importing -------------------------------------------------------------------------
    def finish_import(self, result: ImportResult) -> None:
        self.result = result
        self.imported.emit(result)

    def _set_busy(self, busy: bool) -> None:
        # The work cannot be abandoned half way: an import is one transaction to its end.
        for button in (QWizard.WizardButton.CancelButton, QWizard.WizardButton.BackButton):
            self.button(button).setEnabled(not busy)

    def reject(self) -> None:
        if self.runner.busy:
            return
        super().reject()

    def wait_for_jobs(self, msecs: int = 60_000) -> None:
        self.runner.wait(msecs)
