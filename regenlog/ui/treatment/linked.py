"""The records that belong to a treatment: receipts, calls, written determinations, letters
of medical necessity, lab results and claims, each with its Add button. Files dropped on the
receipts list start a new receipt with the file attached."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QListWidgetItem, QPushButton

from ..documents.panel import DropList

SECTIONS = (
    ("receipt", "Receipts", "Add a receipt"),
    ("insurer_call", "Insurer calls", "Log a call"),
    ("determination", "Letters and determinations", "Add a determination"),
    ("medical_necessity_letter", "Medical necessity letters", "Add a letter"),
    ("lab_result", "Lab results", "Add a lab result"),
    ("claim", "Claims", "Log a claim"),
)


class LinkedRecords(QObject):
    def __init__(self, lists, editors, prefill_for):
        super().__init__()
        self.lists, self.editors, self.prefill_for = lists, editors, prefill_for
        self.treatment_id: int | None = None
        self.widget = QGroupBox("Linked records")
        grid = QGridLayout(self.widget)
        self.lists_by_type: dict[str, DropList] = {}
        self.add_buttons: dict[str, QPushButton] = {}
        for n, (record_type, title, add_label) in enumerate(SECTIONS):
            caption = QLabel(f"<b>{title}</b>")
            view = DropList()
            view.setObjectName(f"linked_{record_type}")
            view.setAccessibleName(title)
            view.setMaximumHeight(84)
            add = QPushButton(add_label)
            add.setObjectName(f"add_{record_type}")
            add.clicked.connect(lambda _c=False, t=record_type: self.add(t))
            view.itemActivated.connect(lambda item, t=record_type: self.open(t, item))
            view.filesDropped.connect(lambda files, t=record_type: self.add(t, files))
            row, column = divmod(n, 2)
            grid.addWidget(caption, row * 3, column)
            grid.addWidget(view, row * 3 + 1, column)
            grid.addWidget(add, row * 3 + 2, column, Qt.AlignmentFlag.AlignLeft)
            self.lists_by_type[record_type] = view
            self.add_buttons[record_type] = add
        self.lists_by_type["receipt"].setToolTip("Drop a receipt scan here to add the receipt.")
        from ..money.claim_form import ClaimsMoneyLabel

        # Under the claims: paid, reimbursed by source, outstanding.
        self.claims_money = ClaimsMoneyLabel(editors.services, editors.formats)
        row, column = divmod([s[0] for s in SECTIONS].index("claim"), 2)
        grid.addWidget(self.claims_money.widget, row * 3 + 3, column)

    def set_treatment(self, treatment_id: int | None) -> None:
        self.treatment_id = treatment_id
        self.widget.setEnabled(treatment_id is not None)
        self.reload()

    def reload(self) -> None:
        self.claims_money.show_treatment(self.treatment_id)
        for record_type, view in self.lists_by_type.items():
            view.clear()
            if self.treatment_id is None:
                continue
            for record_id, label in self.lists.linked_to_treatment(record_type, self.treatment_id):
                item = QListWidgetItem(label)
                item.setToolTip(label)
                item.setData(Qt.ItemDataRole.UserRole, record_id)
                view.addItem(item)

    def add(self, record_type: str, files=()) -> None:
        if self.treatment_id is None:
            return
        prefill = self.prefill_for(record_type)
        if files:
            prefill["_files"] = list(files)
        self.editors.new_record(record_type, **prefill)

    def open(self, record_type: str, item) -> None:
        self.editors.open_record(record_type, item.data(Qt.ItemDataRole.UserRole))
