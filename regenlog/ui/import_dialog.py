"""Import records from a file: RegenLog's JSON format now; spreadsheets (CSV) later."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from .widgets import heading, sentence_label


class ImportDialog(QDialog):
    imported = Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("importDialog")
        self.setWindowTitle("Import records")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.explain = QLabel(
            "Choose a RegenLog records file (.json), such as one exported with "
            "“regenlog export-json”. Its records are added to this data folder; if anything "
            "in the file is wrong, nothing is imported and the problem is named.\n\n"
            "Spreadsheet (CSV) import, with a step to match your columns, comes in a later "
            "version of RegenLog."
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
            "RegenLog records (*.json);;Spreadsheet (*.csv)",
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> bool:
        from ..core.errors import RegenLogError
        from ..core.records_format import import_records

        self.error.hide()
        if path.suffix.lower() == ".csv":
            self._fail("Spreadsheet (CSV) import is not built yet; for now RegenLog imports "
                       "its own .json records files.")
            return False
        if path.suffix.lower() != ".json":
            self._fail(f"{path.name} is not a .json records file.")
            return False
        try:
            report = import_records(self.session.services.db, path)
        except RegenLogError as error:
            self._fail(str(error))
            return False
        except OSError as error:
            self._fail(f"RegenLog could not read {path.name}: {error.strerror or error}.")
            return False
        self.result.setText(f"{path.name}: {report.summary()}")
        self.imported.emit()
        return True

    def _fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
