"""Import records from a file: RegenLog's JSON format, or a spreadsheet (CSV) through the
column-matching wizard."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from .widgets import heading, sentence_label


class ImportDialog(QDialog):
    imported = Signal()

    def __init__(self, session, parent=None, *, settings=None):
        super().__init__(parent)
        self.session = session
        self.settings = settings  # UiSettings: the CSV wizard remembers its mapping there
        self.csv_wizard = None
        self.setObjectName("importDialog")
        self.setWindowTitle("Import records")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.explain = QLabel(
            "Choose a RegenLog records file (.json), such as one exported with "
            "“regenlog export-json”. Its records are added to this data folder; if anything "
            "in the file is wrong, nothing is imported and the problem is named.\n\n"
            "Or choose a spreadsheet of treatments and receipts saved as CSV: you match its "
            "columns to RegenLog's fields and see every row with a problem, by line number, "
            "before anything is imported."
        )
        self.explain.setWordWrap(True)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.error = sentence_label()
        self.choose_button = QPushButton("Choose a file…")
        self.choose_button.setDefault(True)
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Import records", 2))
        layout.addWidget(self.explain)
        layout.addWidget(self.result)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.resize(520, 260)
        self.choose_button.clicked.connect(self.choose)
        self.close_button.clicked.connect(self.accept)

    def choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import records", str(Path.home()),
            "Records or spreadsheets (*.json *.csv);;RegenLog records (*.json);;"
            "Spreadsheet (*.csv)",
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> bool:
        from ..core.errors import RegenLogError
        from ..core.records_format import import_records

        self.error.hide()
        if path.suffix.lower() == ".csv":
            self.open_csv_wizard(path)
            return False  # nothing imported yet: the wizard asks first
        if path.suffix.lower() != ".json":
            self._fail(f"{path.name} is neither a .json records file nor a .csv spreadsheet.")
            return False
        try:
            report = import_records(self.session.services.db, path)
        except RegenLogError as error:
            self._fail(str(error))
            return False
        except OSError as error:
            self._fail(f"RegenLog could not read {path.name}: {error.strerror or error}.")
            return False
        except Exception as error:  # whatever a file holds ends in a sentence
            from ..store.database import damaged_database_error

            damage = damaged_database_error(error)
            # Logged by kind only: the message could quote the file's contents.
            logging.getLogger(__name__).error("import of a records file failed: %s",
                                              type(error).__name__)
            self._fail(str(damage) if damage else (
                f"RegenLog could not import {path.name}: it holds something RegenLog does not "
                f"expect ({type(error).__name__}); nothing was imported."))
            return False
        self.result.setText(f"{path.name}: {report.summary()}")
        self.imported.emit()
        return True

    def open_csv_wizard(self, path: Path | None = None):
        from .money.csv_wizard import CsvImportWizard

        store = self.settings.store if self.settings is not None else None
        wizard = CsvImportWizard(self.session, path, store, self)
        wizard.imported.connect(
            lambda result: self.result.setText(f"{wizard.path.name}: {result.summary()}")
        )

        def closed(_code: int) -> None:
            # The window reloads the data folder once the wizard is closed, not under its feet.
            if wizard.result is not None:
                self.imported.emit()

        wizard.finished.connect(closed)
        self.csv_wizard = wizard
        wizard.open()
        return wizard

    def _fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
