"""Which treatments a letter of medical necessity covers; its diagnosis codes are a field of
the form ("codes") and are saved here together with the treatments."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout


class LetterCoverageSection(QObject):
    changed = Signal()

    def __init__(self, details, lists, form, treatment_id: int | None = None):
        super().__init__()
        self.details, self.lists, self.form = details, lists, form
        self.preselected = treatment_id
        self.widget = QGroupBox("Treatments this letter covers")
        self.list = QListWidget()
        self.list.setAccessibleName("Treatments this letter covers")
        self.list.setMinimumHeight(120)
        hint = QLabel("Tick each treatment the letter recommends; only the patient's own "
                      "treatments are listed.")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self.widget)
        layout.addWidget(hint)
        layout.addWidget(self.list)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        form.inputs["person_id"].changed.connect(self._refill)
        self._saved: set[int] = set()
        self._saved_codes: list[str] = []

    def _checked(self) -> set[int]:
        return {
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        }

    def _refill(self, checked: set[int] | None = None) -> None:
        keep = self._checked() if checked is None else checked
        person_id = self.form.inputs["person_id"].raw()
        self.list.blockSignals(True)
        self.list.clear()
        if person_id is not None:
            for tid, label in self.lists.choices("treatment", scope=[("person_id", person_id)]):
                item = QListWidgetItem(label)
                item.setData(Qt.ItemDataRole.UserRole, tid)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked if tid in keep else Qt.CheckState.Unchecked
                )
                self.list.addItem(item)
        self.list.blockSignals(False)
        self.changed.emit()

    def load(self, record) -> None:
        if record is None:
            self._refill({self.preselected} if self.preselected else set())
            # The pre-ticked treatment is where a new letter starts, not a change to it.
            self._saved = self._checked()
            return
        self._saved = set(self.details.letter_treatments(record.id))
        self._refill(set(self._saved))

    def save(self, record) -> None:
        codes = self.form.extras().get("codes") or []
        self.details.set_letter_coverage(record.id, codes, sorted(self._checked()))
        self._saved = self._checked()

    def is_dirty(self) -> bool:
        return self._checked() != self._saved

    def problem(self) -> str | None:
        return None
