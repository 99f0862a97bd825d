"""A list of one record type: filter box, row count, sortable table, New / Open / Delete."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import RegenLogError
from ...core.record_kinds import RECORD_KINDS, describe
from ..bus import ChangeBus
from ..table_model import RecordTableModel
from ..widgets import Debounced, configure_table, confirm_trash, heading, on_enter


class Opener(Protocol):
    def open_record(self, record_type: str, record_id: int) -> None: ...
    def new_record(self, record_type: str, **prefill) -> None: ...


# What a row count calls one record and several, per record type ("2 people", not "2 persons").
COUNT_NOUNS: dict[str, tuple[str, str]] = {
    "person": ("person", "people"),
    "insurance_plan": ("insurance plan", "insurance plans"),
    "account": ("HSA/FSA account", "HSA/FSA accounts"),
    "provider": ("provider", "providers"),
    "treatment": ("treatment", "treatments"),
    "good_faith_estimate": ("Good Faith Estimate", "Good Faith Estimates"),
    "receipt": ("receipt", "receipts"),
    "lab_result": ("lab result", "lab results"),
    "insurer_call": ("insurer call", "insurer calls"),
    "determination": ("determination", "determinations"),
    "medical_necessity_letter": ("letter", "letters"),
    "claim": ("claim", "claims"),
    "financing_plan": ("financing plan", "financing plans"),
    "document": ("document", "documents"),
}
IRREGULAR = {"person": "people"}


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else (nouns or IRREGULAR.get(noun, noun + 's'))}"


def count_text(n: int, record_type: str, noun: str) -> str:
    one, many = COUNT_NOUNS.get(record_type, (noun, IRREGULAR.get(noun, noun + "s")))
    return plural(n, one, many)


class ListPageView(QWidget):
    """Layout only."""

    def __init__(self, title: str | None, noun: str, *, show_title: bool = True):
        super().__init__()
        nouns = IRREGULAR.get(noun, noun + "s")
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText(f"Filter {nouns}")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setAccessibleName(f"Filter {nouns}")
        self.count_label = QLabel()
        self.count_label.setAccessibleName(f"Number of {nouns}")
        self.new_button = QPushButton(f"New {noun}")
        self.new_button.setAccessibleName(f"New {noun}")
        self.open_button = QPushButton("Open")
        self.open_button.setAccessibleName(f"Open the selected {noun}")
        self.delete_button = QPushButton("Move to trash")
        self.delete_button.setAccessibleName(f"Move the selected {noun} to the trash")
        self.table = QTableView()
        self.table.setAccessibleName(title or noun)
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()

        top = QHBoxLayout()
        if title and show_title:
            top.addWidget(heading(title))
        top.addStretch(1)
        top.addWidget(self.count_label)
        tools = QHBoxLayout()
        tools.addWidget(self.filter_box, 1)
        tools.addWidget(self.new_button)
        tools.addWidget(self.open_button)
        tools.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)


class ListPageController(QObject):
    """Wires a list view to its table model, the records service and the record opener."""

    def __init__(
        self,
        view: ListPageView,
        model: RecordTableModel,
        records,
        opener: Opener,
        bus: ChangeBus,
        noun: str,
        empty_text: str = "",
    ):
        super().__init__(view)
        self.view, self.model, self.records, self.opener = view, model, records, opener
        self.bus = bus
        self.noun = noun
        self.empty_text = empty_text or (
            f"No {IRREGULAR.get(noun, noun + 's')} yet. Use “New {noun}” (Ctrl+N) to add one.")
        view.table.setModel(model)
        view.table.setSortingEnabled(True)
        column, order = model.sort_state()
        view.table.horizontalHeader().setSortIndicator(column, order)
        # After sorting is on: a header's width includes room for the sort arrow.
        configure_table(view.table, [c.width for c in model.columns])

        self.debounce = Debounced(view.filter_box)
        self.debounce.settled.connect(model.set_filter)
        model.totalChanged.connect(self._show_count)
        view.new_button.clicked.connect(self.new)
        view.open_button.clicked.connect(self.open_selected)
        view.delete_button.clicked.connect(self.delete_selected)
        view.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        on_enter(view.table, self.open_selected)
        on_enter(view.filter_box, self._filter_now)
        view.table.selectionModel().selectionChanged.connect(self._update_buttons)
        model.modelReset.connect(self._update_buttons)
        bus.changed.connect(self._on_changed)
        self._update_buttons()

    # -- actions ---------------------------------------------------------------------------
    def load(self) -> None:
        self.model.ensure_loaded()

    def refresh(self) -> None:
        selected = self.selected_id()
        self.model.refresh()
        if selected is not None:
            self.select_id(selected)

    def new(self) -> None:
        self.opener.new_record(self.model.record_type)

    def open_selected(self) -> None:
        row = self.view.table.currentIndex().row()
        self._open_row(row)

    def delete_selected(self) -> None:
        record_id = self.selected_id()
        if record_id is None:
            return
        model = RECORD_KINDS[self.model.record_type].model
        record = self.model.record_at(self.view.table.currentIndex().row())
        title, _ = describe(record)
        if not confirm_trash(self.view, f"“{title}”"):
            return
        try:
            self.records.delete(model, record_id)
        except RegenLogError as error:
            QMessageBox.warning(self.view, "Not moved to the trash", str(error))
            return
        self.bus.notify(self.model.record_type)

    def focus_filter(self) -> None:
        self.view.filter_box.setFocus()
        self.view.filter_box.selectAll()

    def selected_id(self) -> int | None:
        index = self.view.table.currentIndex()
        if not index.isValid() or not self.view.table.selectionModel().isRowSelected(
            index.row(), index.parent()
        ):
            return None
        return self.model.id_at(index.row())

    def select_id(self, record_id: int) -> bool:
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        self.view.table.selectRow(row)
        self.view.table.scrollTo(self.model.index(row, 0))
        return True

    # -- helpers ---------------------------------------------------------------------------
    def _open_row(self, row: int) -> None:
        record_id = self.model.id_at(row)
        if record_id is not None:
            self.opener.open_record(self.model.record_type, record_id)

    def _filter_now(self) -> None:
        self.debounce.flush()
        if self.model.rowCount():
            self.view.table.setFocus()
            self.view.table.selectRow(0)

    def _show_count(self, total: int) -> None:
        text = count_text(total, self.model.record_type, self.noun)
        if self.view.filter_box.text().strip():
            text += " matches" if total == 1 else " match"
        self.view.count_label.setText(text)
        empty = total == 0 and not self.view.filter_box.text().strip()
        self.view.empty_label.setText(self.empty_text)
        self.view.empty_label.setVisible(empty)
        self.view.table.setVisible(not empty)

    def _update_buttons(self, *_args) -> None:
        has = self.selected_id() is not None
        self.view.open_button.setEnabled(has)
        self.view.delete_button.setEnabled(has)

    def _on_changed(self, record_type: str) -> None:
        relevant = record_type in ("*", self.model.record_type) or self._shows_refs_of(record_type)
        if relevant and self.model.loaded:
            self.refresh()

    def _shows_refs_of(self, record_type: str) -> bool:
        return any(c.ref == record_type for c in self.model.columns)
