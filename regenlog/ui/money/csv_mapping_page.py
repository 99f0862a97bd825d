"""The wizard's mapping step: each column of the spreadsheet with its first values and a
choice of the RegenLog field it fills (suggested from its name, or the mapping used last
time when it fits), the values for blank cells, and Save / Load of the mapping as JSON."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from ...core.enums import Category, PaymentMethod
from ...core.errors import ValidationError
from ...core.fileio import write_bytes_atomic
from ...core.spreadsheet import FIELDS, Mapping
from ...core.spreadsheet.command import load_mapping
from ..widgets import sentence_label

NOT_IMPORTED = "— not imported —"
SAMPLE_ROWS = 3


def header_key(header: str) -> str:
    """How the mapping matches a header: case and extra spaces ignored."""
    return " ".join(header.split()).casefold()


class MappingPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Match the columns")
        self.setSubTitle(
            "Choose the RegenLog field each column fills. Only the date of service is "
            "required; columns left “not imported” are skipped."
        )
        self.note = QLabel()
        self.note.setObjectName("mappingNote")
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("mappingTable")
        self.table.setAccessibleName("Columns of the spreadsheet")
        self.table.setHorizontalHeaderLabels(["Column in your file", "First values", "Fills"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the choice boxes take the focus
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(2, 220)
        self.combos: list[QComboBox] = []

        self.default_person = QLineEdit()
        self.default_person.setPlaceholderText("Needed when no column names the patient")
        self.default_person.setAccessibleName("Patient for rows without one")
        self.default_category = QComboBox()
        for member in Category:
            self.default_category.addItem(member.label, member.value)
        self.default_method = QComboBox()
        for member in PaymentMethod:
            self.default_method.addItem(member.label, member.value)
        defaults = QFormLayout()
        defaults.addRow("Patient for rows without one", self.default_person)
        defaults.addRow("Category for rows without one", self.default_category)
        defaults.addRow("Payment method for rows without one", self.default_method)

        self.save_button = QPushButton("Save mapping…")
        self.load_button = QPushButton("Load mapping…")
        self.sentence = sentence_label("mappingSentence")
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(defaults)
        layout.addLayout(buttons)
        layout.addWidget(self.sentence)

        self._problem: str | None = "Choose a file first."
        self.default_person.textChanged.connect(self._on_changed)
        self.default_category.currentIndexChanged.connect(self._on_changed)
        self.default_method.currentIndexChanged.connect(self._on_changed)
        self.save_button.clicked.connect(self.save_mapping)
        self.load_button.clicked.connect(self.load_mapping)

    # -- building --------------------------------------------------------------------------
    def initializePage(self) -> None:  # noqa: N802
        wizard = self.wizard()
        table = wizard.table
        self.table.setRowCount(0)
        self.combos = []
        for column, header in enumerate(table.headers):
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, QTableWidgetItem(header or "(no name)"))
            samples = [r.cells[column].strip() for r in table.rows[:SAMPLE_ROWS]
                       if column < len(r.cells) and r.cells[column].strip()]
            shown = " · ".join(s if len(s) <= 24 else s[:23] + "…" for s in samples)
            self.table.setItem(row, 1, QTableWidgetItem(shown.replace("\n", " ")))
            combo = QComboBox()
            combo.setAccessibleName(f"Field filled by the column {header}")
            combo.addItem(NOT_IMPORTED, None)
            for name, label in FIELDS.items():
                combo.addItem(label, name)
            combo.setEnabled(bool(header.strip()))  # a nameless column cannot be mapped
            combo.currentIndexChanged.connect(self._on_changed)
            self.table.setCellWidget(row, 2, combo)
            self.combos.append(combo)
        remembered = wizard.remembered_mapping()
        if remembered is not None and _fits(remembered, table.headers):
            self.apply(remembered)
            self.note.setText("Using the mapping of your last import; check it still fits.")
        else:
            from ...core.spreadsheet import suggest_mapping

            self.apply(suggest_mapping(table.headers, table.rows))
            self.note.setText(
                f"{wizard.table.name}: {len(table.rows):,} row"
                f"{'s' if len(table.rows) != 1 else ''}. The fields were guessed from the "
                "column names and what the columns hold."
            )

    def apply(self, mapping: Mapping) -> None:
        """Show ``mapping`` in the combo boxes and the default fields."""
        by_header = {header_key(h): name for name, h in mapping.columns.items()}
        headers = self.wizard().table.headers
        for combo, header in zip(self.combos, headers, strict=True):
            blocked = combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(by_header.get(header_key(header)))))
            combo.blockSignals(blocked)
        for widget, value in ((self.default_category, mapping.default_category),
                              (self.default_method, mapping.default_payment_method)):
            blocked = widget.blockSignals(True)
            widget.setCurrentIndex(max(0, widget.findData(value)))
            widget.blockSignals(blocked)
        self.default_person.setText(mapping.default_person)
        self._on_changed()

    # -- reading ---------------------------------------------------------------------------
    def mapping(self) -> Mapping:
        """The mapping as chosen, checked against the file's columns (ValidationError)."""
        headers = self.wizard().table.headers
        columns: dict[str, str] = {}
        for combo, header in zip(self.combos, headers, strict=True):
            name = combo.currentData()
            if not name:
                continue
            if name in columns:
                raise ValidationError(
                    f"The columns “{columns[name]}” and “{header}” both fill the "
                    f"{FIELDS[name].lower()}; choose one."
                )
            columns[name] = header
        mapping = Mapping(
            columns=columns, default_person=self.default_person.text().strip(),
            default_category=self.default_category.currentData(),
            default_payment_method=self.default_method.currentData(),
        )
        mapping.indexes(headers)
        return mapping

    def _on_changed(self, *_args) -> None:
        try:
            self.mapping()
            self._problem = None
        except ValidationError as error:
            self._problem = str(error)
        self.sentence.setText(self._problem or "")
        self.sentence.setVisible(bool(self._problem))
        self.save_button.setEnabled(self._problem is None)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self._problem is None

    def validatePage(self) -> bool:  # noqa: N802
        try:
            mapping = self.mapping()
        except ValidationError:
            return False
        self.wizard().mapping = mapping
        self.wizard().remember_mapping(mapping)
        return True

    # -- save and load ---------------------------------------------------------------------
    def save_mapping(self) -> Path | None:
        try:
            mapping = self.mapping()
        except ValidationError:
            return None
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the column mapping", str(Path.home() / "regenlog-csv-mapping.json"),
            "Column mapping (*.json)",
        )
        if not name:
            return None
        target = Path(name)
        if target.suffix.lower() != ".json":
            target = target.with_name(target.name + ".json")
        try:
            write_bytes_atomic(target, mapping.to_json().encode("utf-8"))
        except OSError as error:
            self._say(f"The mapping could not be saved to {target}: {error.strerror or error}.")
            return None
        self.note.setText(f"Mapping saved to {target}; load it for the next spreadsheet like "
                          "this one, or pass it to “regenlog import --map”.")
        return target

    def load_mapping(self) -> bool:
        name, _ = QFileDialog.getOpenFileName(
            self, "Load a column mapping", str(Path.home()), "Column mapping (*.json)"
        )
        if not name:
            return False
        try:
            mapping = load_mapping(Path(name))
            mapping.indexes(self.wizard().table.headers)
        except ValidationError as error:
            self._say(str(error))
            return False
        self.apply(mapping)
        self.note.setText(f"Mapping loaded from {Path(name).name}.")
        return True

    def _say(self, text: str) -> None:
        self.sentence.setText(text)
        self.sentence.show()


def _fits(mapping: Mapping, headers) -> bool:
    try:
        mapping.indexes(headers)
    except ValidationError:
        return False
    return True
