"""A receipt's itemized lines: kind of charge, description, amount; their sum is checked
against the receipt's total as the user types (insurers and HSAs want itemized receipts)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ...core.enums import ReceiptLineKind
from ...core.errors import ValidationError
from ...core.money import format_money, parse_money
from ...core.services import ReceiptLineInput
from ..widgets import configure_table, sentence_label


class ReceiptLinesSection(QObject):
    changed = Signal()

    def __init__(self, details, formats, form):
        super().__init__()
        self.details, self.formats, self.form = details, formats, form
        self.widget = QGroupBox("Itemized lines")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Kind of charge", "Description", "Amount"])
        self.table.setAccessibleName("Receipt lines")
        configure_table(self.table, [190, 220, 100])
        self.table.setEditTriggers(QTableWidget.EditTrigger.AllEditTriggers)
        self.table.setMinimumHeight(150)
        self.add_button = QPushButton("Add line")
        self.add_button.setAccessibleName("Add a receipt line")
        self.remove_button = QPushButton("Remove line")
        self.sum_label = QLabel()
        self.sum_label.setWordWrap(True)
        self.sentence = sentence_label("linesSentence")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self.widget)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.sum_label)
        layout.addWidget(self.sentence)
        self.add_button.clicked.connect(lambda: self.add_line())
        self.remove_button.clicked.connect(self._remove)
        self.table.itemChanged.connect(self._on_change)
        form.edited.connect(self._show_sum)
        self._saved: list[tuple] = []

    def add_line(self, kind: str = "procedure", description: str = "", amount: str = "") -> None:
        row = self.table.rowCount()
        blocked = self.table.blockSignals(True)
        self.table.insertRow(row)
        combo = QComboBox()
        combo.setAccessibleName(f"Kind of charge, line {row + 1}")
        for member in ReceiptLineKind:
            combo.addItem(member.label, member.value)
        combo.setCurrentIndex(max(combo.findData(kind), 0))
        combo.currentIndexChanged.connect(self._on_change)
        self.table.setCellWidget(row, 0, combo)
        self.table.setItem(row, 1, QTableWidgetItem(description))
        self.table.setItem(row, 2, QTableWidgetItem(amount))
        self.table.blockSignals(blocked)
        self._on_change()

    def _remove(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self._on_change()

    # -- Section protocol ------------------------------------------------------------------
    def load(self, record) -> None:
        self.table.setRowCount(0)
        if record is not None:
            for line in self.details.receipt_lines(record.id):
                self.add_line(line.kind.value, line.description,
                              format_money(line.amount_cents, symbol=False))
        self._saved = self._raw()
        self._on_change()

    def save(self, record) -> None:
        if self.is_dirty() or not self._saved:
            self.details.set_receipt_lines(record.id, self.lines())
        self._saved = self._raw()

    def is_dirty(self) -> bool:
        return self._raw() != self._saved

    def problem(self) -> str | None:
        try:
            self.lines()
        except ValidationError as error:
            return str(error)
        return None

    # -- helpers ---------------------------------------------------------------------------
    def _raw(self) -> list[tuple]:
        out = []
        for row in range(self.table.rowCount()):
            combo = self.table.cellWidget(row, 0)
            out.append((
                combo.currentData() if combo else "",
                (self.table.item(row, 1) or QTableWidgetItem()).text(),
                (self.table.item(row, 2) or QTableWidgetItem()).text(),
            ))
        return out

    def lines(self) -> list[ReceiptLineInput]:
        out = []
        for n, (kind, description, amount) in enumerate(self._raw(), start=1):
            if not amount.strip() and not description.strip():
                continue
            try:
                cents = parse_money(amount)
            except ValidationError as error:
                raise ValidationError(f"Line {n}: {error}") from None
            out.append(ReceiptLineInput(kind, cents, description))
        return out

    def _on_change(self, *_args) -> None:
        problem = self.problem()
        self.sentence.setText(problem or "")
        self.sentence.setVisible(bool(problem))
        self._show_sum()
        self.changed.emit()

    def _show_sum(self) -> None:
        try:
            lines = self.lines()
            total = self.form.inputs["total_cents"].value()
        except ValidationError:
            self.sum_label.setText("")
            return
        added = sum(line.amount_cents for line in lines)
        if not lines:
            text = "No lines yet: an itemized receipt lists each charge."
        elif added == total:
            text = f"The lines add up to the total, {self.formats.money(total)}."
        else:
            text = (f"The lines add up to {self.formats.money(added)} but the receipt total is "
                    f"{self.formats.money(total)}; an insurer or HSA wants them to match.")
        self.sum_label.setText(text)
