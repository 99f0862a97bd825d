"""A treatment's diagnosis codes: type a code or words, pick from the code set (billable
codes marked), see the one sentence about a code that is not billable for the date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from ...core.errors import ValidationError
from ..widgets import sentence_label

LETTERS = "ABCDEFGHIJKL"


def suggestion_text(info) -> str:
    mark = "billable" if info.billable else "heading, not billable"
    return f"{info.code} — {info.description} ({mark})"


class DiagnosisEditor(QObject):
    changed = Signal()  # the stored codes changed

    def __init__(self, details):
        super().__init__()
        self.details = details
        self.treatment_id: int | None = None
        self.date_of_service: dt.date | None = None
        self.widget = QGroupBox("Diagnosis codes (ICD-10-CM)")
        self.list = QListWidget()
        self.list.setAccessibleName("Diagnosis codes, primary first")
        self.list.setMaximumHeight(130)
        self.input = QLineEdit()
        self.input.setObjectName("diagnosisInput")
        self.input.setPlaceholderText("Type a code (M17.11) or words (knee osteoarthritis right)")
        self.input.setAccessibleName("Add a diagnosis code")
        self.suggestions = QStringListModel(self)
        self.completer = QCompleter(self.suggestions, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        self.input.setCompleter(self.completer)
        self.add_button = QPushButton("Add code")
        self.remove_button = QPushButton("Remove")
        # Correcting a code keeps the procedure lines on it (Remove refuses a code in use).
        self.replace_button = QPushButton("Replace with typed code")
        self.replace_button.setToolTip("Select a code, type the right one, then replace it.")
        self.up_button = QPushButton("Make primary")
        self.sentence = sentence_label("diagnosisSentence")
        self.sentence.setAccessibleName("Problem with the diagnosis code")
        # Owned by the input, so a search pending when the page goes away dies with it.
        self.timer = QTimer(self.input)
        self.timer.setSingleShot(True)
        self.timer.setInterval(150)
        self.timer.timeout.connect(self.search_now)
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        row.addWidget(self.add_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.replace_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self.widget)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addLayout(row)
        layout.addWidget(self.sentence)
        self.input.textEdited.connect(lambda _t: self.timer.start())
        self.completer.activated.connect(self.pick)
        self.input.returnPressed.connect(self.add_typed)
        self.add_button.clicked.connect(self.add_typed)
        self.remove_button.clicked.connect(self.remove_selected)
        self.replace_button.clicked.connect(self.replace_selected)
        self.up_button.clicked.connect(self.make_primary)
        self.codes: list[str] = []
        self.household: list[str] = []  # codes used on the household's treatments and letters

    def set_treatment(self, treatment_id: int | None, date_of_service: dt.date | None) -> None:
        self.treatment_id, self.date_of_service = treatment_id, date_of_service
        self.widget.setEnabled(treatment_id is not None)
        self.widget.setToolTip("" if treatment_id else "Save the treatment first.")
        self.reload()

    def reload(self) -> None:
        from ...core.codes import check_icd10

        self.list.clear()
        self.codes = []
        if self.treatment_id is None:
            return
        self.household = self.details.household_diagnosis_codes()
        for n, dx in enumerate(self.details.diagnoses(self.treatment_id)):
            self.codes.append(dx.code)
            check = check_icd10(dx.code, self.date_of_service)
            mark = "" if check.ok else "  ⚠ " + check.message
            item = QListWidgetItem(f"{LETTERS[n]}   {dx.code} — {dx.description}{mark}")
            item.setData(Qt.ItemDataRole.UserRole, dx.code)
            self.list.addItem(item)

    # -- typing and picking ----------------------------------------------------------------
    def search_now(self) -> None:
        from ...core.codes import search

        self.timer.stop()
        text = self.input.text().strip()
        # The household's codes first, except those this treatment already lists.
        preferred = [c for c in self.household if c not in self.codes]
        hits = search(text, 20, preferred=preferred) if len(text) >= 2 else []
        self.suggestions.setStringList([suggestion_text(h) for h in hits])
        if hits and self.input.hasFocus():
            self.completer.complete()

    def pick(self, text: str) -> None:
        """A suggestion was chosen: add its code."""
        code = text.split(" — ", 1)[0].strip()
        self.add(code)

    def add_typed(self) -> None:
        text = self.input.text().strip()
        if " — " in text:
            self.pick(text)
        elif text:
            self.add(text)

    def add(self, code: str) -> bool:
        from ...core.codes import check_icd10

        if self.treatment_id is None:
            return False
        check = check_icd10(code, self.date_of_service)
        if check.severity == "error":
            self._say(check.message)
            return False
        if not self._store([*self.codes, check.code]):
            return False
        self.input.clear()
        self._say(check.message if check.severity == "warning" else "")
        return True

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self._store([c for n, c in enumerate(self.codes) if n != row])

    def replace_selected(self) -> bool:
        """The selected code becomes the typed one, in its place: lines pointing at it follow."""
        from ...core.codes import check_icd10

        row, text = self.list.currentRow(), self.input.text().strip()
        if row < 0 or not text:
            self._say("Select the code to correct, and type the right one.")
            return False
        check = check_icd10(text.split(" — ", 1)[0].strip(), self.date_of_service)
        if check.severity == "error":
            self._say(check.message)
            return False
        codes = list(self.codes)
        old, codes[row] = codes[row], check.code
        if not self._store(codes, replaced={old: check.code}):
            return False
        self.input.clear()
        self._say(check.message if check.severity == "warning" else "")
        return True

    def make_primary(self) -> None:
        row = self.list.currentRow()
        if row > 0:
            codes = list(self.codes)
            codes.insert(0, codes.pop(row))
            self._store(codes)

    def _store(self, codes: list[str], replaced: dict[str, str] | None = None) -> bool:
        try:
            self.details.set_diagnoses(self.treatment_id, codes, replaced=replaced)
        except ValidationError as error:
            self._say(str(error))
            return False
        self._say("")
        self.reload()
        self.changed.emit()
        return True

    def _say(self, text: str) -> None:
        self.sentence.setText(text)
        self.sentence.setVisible(bool(text))

    def focus(self) -> None:
        self.input.setFocus()
