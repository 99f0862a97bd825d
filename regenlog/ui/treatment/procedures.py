"""A treatment's procedure lines (CMS-1500 box 24): code, modifiers, units, charge and
diagnosis pointers, each checked as it is typed with the sentence shown beside the field."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ...core.errors import ValidationError
from ...core.money import format_money, parse_money
from ...core.services import ProcedureInput
from ..widgets import configure_table, sentence_label

FIELDS = (
    ("code", "Code", "20610"),
    ("modifiers", "Modifiers", "RT, GA"),
    ("units", "Units", "1"),
    ("charge", "Charge", "0.00"),
    ("pointers", "Diagnosis pointers", "A"),
    ("description", "Description (from your paperwork)", ""),
)


class ProcedureEditor(QObject):
    changed = Signal()

    def __init__(self, details, formats):
        super().__init__()
        self.details, self.formats = details, formats
        self.treatment_id: int | None = None
        self.lines: list = []
        self.editing_row: int | None = None
        self.widget = QGroupBox("Procedure lines (CPT/HCPCS)")
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            ["Code", "Modifiers", "Units", "Charge", "Pointers", "Description"])
        self.table.setAccessibleName("Procedure lines")
        configure_table(self.table, [70, 80, 50, 90, 70])  # the description takes the rest
        self.table.setMaximumHeight(150)
        self.inputs: dict[str, QLineEdit] = {}
        self.sentences: dict[str, QLabel] = {}
        grid = QGridLayout()
        for column, (name, label, placeholder) in enumerate(FIELDS):
            edit = QLineEdit()
            edit.setObjectName(f"procedure_{name}")
            edit.setPlaceholderText(placeholder)
            edit.setAccessibleName(f"Procedure {label.lower()}")
            caption = QLabel(label)
            caption.setBuddy(edit)
            sentence = sentence_label(f"procedureSentence_{name}")
            if name == "description":
                # Free text gets a row of its own, so the short fields fit a narrow pane.
                grid.addWidget(caption, 2, 0, 1, len(FIELDS) - 1)
                grid.addWidget(edit, 3, 0, 1, len(FIELDS) - 1)
            else:
                grid.addWidget(caption, 0, column)
                grid.addWidget(edit, 1, column)
            self.inputs[name] = edit
            self.sentences[name] = sentence
            edit.textChanged.connect(self.validate)
            edit.returnPressed.connect(self.add_or_update)
        self.sentence_box = QVBoxLayout()
        for sentence in self.sentences.values():
            self.sentence_box.addWidget(sentence)
        self.add_button = QPushButton("Add line")
        self.add_button.setAccessibleName("Add the procedure line")
        self.edit_button = QPushButton("Edit selected")
        self.remove_button = QPushButton("Remove selected")
        self.store_sentence = sentence_label("procedureStoreSentence")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self.widget)
        layout.addWidget(self.table)
        layout.addLayout(grid)
        layout.addLayout(self.sentence_box)
        layout.addLayout(buttons)
        layout.addWidget(self.store_sentence)
        self.add_button.clicked.connect(self.add_or_update)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemDoubleClicked.connect(lambda _i: self.edit_selected())
        self.validate()

    def set_treatment(self, treatment_id: int | None) -> None:
        if treatment_id != self.treatment_id:
            self.editing_row = None  # a row number means nothing on another treatment
        self.treatment_id = treatment_id
        self.widget.setEnabled(treatment_id is not None)
        self.reload()

    def reload(self) -> None:
        self.lines = self.details.procedure_lines(self.treatment_id) if self.treatment_id else []
        self.table.setRowCount(0)
        for row, line in enumerate(self.lines):
            self.table.insertRow(row)
            for column, text in enumerate((
                line.code, line.modifiers, str(line.units), self.formats.money(line.charge_cents),
                line.pointers, line.description,
            )):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # a long description is cut to the column
                self.table.setItem(row, column, item)
        self.validate()

    # -- the entry row ---------------------------------------------------------------------
    def n_diagnoses(self) -> int:
        return len(self.details.diagnoses(self.treatment_id)) if self.treatment_id else 0

    def parsed(self) -> tuple[ProcedureInput | None, dict[str, str]]:
        """The entry row as a ProcedureInput, or the sentence for each field that is wrong."""
        from ...core.codes import check_modifiers, check_pointers, check_procedure_code

        text = {n: e.text().strip() for n, e in self.inputs.items()}
        errors: dict[str, str] = {}
        values = {}
        checks = {
            "code": lambda t: check_procedure_code(t),
            "modifiers": lambda t: ",".join(check_modifiers(t)),
            "units": _units,
            "charge": lambda t: parse_money(t) if t else 0,
            "pointers": lambda t: check_pointers(t or "A", n_dx) if (n_dx := self.n_diagnoses())
            else "",
        }
        for name, check in checks.items():
            if name == "code" and not text["code"]:
                errors[name] = ""  # nothing typed yet: no sentence, but nothing to add
                continue
            try:
                values[name] = check(text[name])
            except ValidationError as error:
                errors[name] = str(error)
        if errors:
            return None, errors
        return ProcedureInput(
            code=values["code"], charge_cents=values["charge"], units=values["units"],
            modifiers=values["modifiers"], pointers=values["pointers"] or "A",
            description=text["description"],
        ), {}

    def validate(self, *_args) -> bool:
        line, errors = self.parsed()
        for name, sentence in self.sentences.items():
            message = errors.get(name, "")
            sentence.setText(message)
            sentence.setVisible(bool(message))
        self.add_button.setEnabled(line is not None and self.treatment_id is not None)
        self.add_button.setText("Update line" if self.editing_row is not None else "Add line")
        return line is not None

    def add_or_update(self) -> bool:
        line, _errors = self.parsed()
        if line is None or self.treatment_id is None:
            return False
        current = [_as_input(existing) for existing in self.lines]
        if self.editing_row is not None and self.editing_row < len(current):
            current[self.editing_row] = line
        else:
            current.append(line)
        if not self._store(current):
            return False
        self.cancel_edit()
        return True

    def edit_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.lines):
            line = self.lines[row]
            self.editing_row = row
            for name, value in (
                ("code", line.code), ("modifiers", line.modifiers), ("units", str(line.units)),
                ("charge", format_money(line.charge_cents, symbol=False)),
                ("pointers", line.pointers), ("description", line.description),
            ):
                self.inputs[name].setText(value)
            self.inputs["code"].setFocus()

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.lines):
            return
        if not self._store([_as_input(x) for n, x in enumerate(self.lines) if n != row]):
            return
        # The rows below the removed one moved up: an edit in progress must follow its line,
        # or "Update line" would overwrite the line that moved into its row.
        if self.editing_row == row:
            self.cancel_edit()
        elif self.editing_row is not None and self.editing_row > row:
            self.editing_row -= 1

    def diagnoses_changed(self) -> None:
        """Codes were reordered or removed: the stored lines were re-lettered to keep their
        codes (Details.set_diagnoses), so show them, and give the line being edited its new
        letters too, or "Update line" would save the old ones onto other codes."""
        self.reload()
        if self.editing_row is not None and self.editing_row < len(self.lines):
            self.inputs["pointers"].setText(self.lines[self.editing_row].pointers)
            self.validate()

    def cancel_edit(self) -> None:
        """Stop editing a line: the entry row is emptied and adds a new line again."""
        self.editing_row = None
        for edit in self.inputs.values():
            edit.clear()
        self.validate()

    def _store(self, lines: list[ProcedureInput]) -> bool:
        try:
            self.details.set_procedure_lines(self.treatment_id, lines)
        except ValidationError as error:
            self.store_sentence.setText(str(error))
            self.store_sentence.show()
            return False
        self.store_sentence.hide()
        self.reload()
        self.changed.emit()
        return True

    def focus(self) -> None:
        self.inputs["code"].setFocus()


def _units(text: str) -> int:
    if not text:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= 999:
        raise ValidationError(f'"{text}" is not a number of units; enter a whole number from 1 to 999.')
    return int(text)


def _as_input(line) -> ProcedureInput:
    return ProcedureInput(
        code=line.code, charge_cents=line.charge_cents, units=line.units,
        modifiers=line.modifiers, pointers=line.pointers or "A", description=line.description,
    )
