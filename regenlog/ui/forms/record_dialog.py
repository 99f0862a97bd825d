"""The dialog that creates or edits one record: its form, extra sections (lines, coverage,
documents), Save disabled while anything is invalid, and a guard against losing changes."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core import models as m
from ...core.errors import RegenLogError, ValidationError
from ...core.record_kinds import RECORD_KINDS, describe
from ..widgets import confirm_trash, heading, sentence_label
from .record_form import RecordForm


class Section(Protocol):
    """A part of the dialog beyond the record's own fields."""

    widget: QWidget
    changed: Signal

    def load(self, record: m.Record | None) -> None: ...
    def save(self, record: m.Record) -> None: ...
    def is_dirty(self) -> bool: ...
    def problem(self) -> str | None: ...


class ShowsOnly:
    """For a section that only shows something about the record (a note, a payoff, money):
    saving refreshes it, and it never has unsaved changes or problems of its own."""

    def save(self, record: m.Record) -> None:
        self.load(record)

    def is_dirty(self) -> bool:
        return False

    def problem(self) -> str | None:
        return None


def confirm_discard(parent, noun: str) -> bool:
    answer = QMessageBox.question(
        parent, "Discard your changes?",
        f"This {noun} has changes that are not saved. Discard them?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


class RecordDialog(QDialog):
    saved = Signal(str, int)  # record type, record id
    deleted = Signal(str, int)

    def __init__(
        self,
        form: RecordForm,
        services,
        *,
        record: m.Record | None = None,
        prefill: dict[str, Any] | None = None,
        sections: list[Section] = (),
        parent=None,
    ):
        super().__init__(parent)
        self.form = form
        self.services = services
        self.sections = list(sections)
        self.record_type = form.record_type
        self.noun = RECORD_KINDS[self.record_type].label.lower()
        self.setObjectName(f"dialog_{self.record_type}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(640, 720)

        self.title = heading("")
        self.error_label = sentence_label("saveError")
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName(f"Save the {self.noun}")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.cancel_button = QPushButton("Close")
        self.delete_button = QPushButton("Move to trash")
        self.delete_button.setAccessibleName(f"Move this {self.noun} to the trash")
        self.extra_buttons = QHBoxLayout()

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(form)
        for section in self.sections:
            body_layout.addWidget(section.widget)
            section.changed.connect(self._update_state)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addLayout(self.extra_buttons)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self._scroll = scroll

        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.delete_button.clicked.connect(self.delete)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self._save_if_enabled)
        form.validityChanged.connect(self._update_state)
        form.edited.connect(self._update_state)

        form.load(record, **(prefill or {}))
        for section in self.sections:
            section.load(record)
        self._show_title()
        self._update_state()

    @property
    def record(self) -> m.Record | None:
        return self.form.record

    def showEvent(self, event) -> None:  # noqa: N802
        # Wide sections (the payoff figures, filled in when the record loads) can need more
        # than the default width, and a sideways scrollbar would cut every field off: widen
        # to fit once shown, never beyond a laptop screen.
        super().showEvent(event)
        body, scroll = self._scroll.widget(), self._scroll
        needed = body.minimumSizeHint().width() - scroll.viewport().width()
        if needed > 0:
            # the vertical scrollbar and frame are not in the viewport width: leave room for both
            pad = scroll.verticalScrollBar().sizeHint().width() + 2 * scroll.frameWidth() + 8
            self.resize(min(self.width() + needed + pad, 1100),
                        self.height())

    # -- state -----------------------------------------------------------------------------
    def is_dirty(self) -> bool:
        return self.form.is_dirty() or any(s.is_dirty() for s in self.sections)

    def _problem(self) -> str | None:
        for section in self.sections:
            problem = section.problem()
            if problem:
                return problem
        return None

    def _update_state(self, *_args) -> None:
        problem = self._problem()
        can_save = self.form.is_valid() and problem is None and (
            self.record is None or self.is_dirty()
        )
        self.save_button.setEnabled(can_save)
        self.delete_button.setVisible(self.record is not None)
        if problem and (self.is_dirty() or self.record is not None):
            self.error_label.setText(problem)
            self.error_label.show()
        elif not self.error_label.property("fromSave"):
            self.error_label.hide()

    def _show_title(self) -> None:
        if self.record is None:
            self.title.setText(f"New {self.noun}")
        else:
            title, _ = describe(self.record)
            self.title.setText(title)
        self.setWindowTitle(self.title.text())

    # -- actions ---------------------------------------------------------------------------
    def _save_if_enabled(self) -> None:
        if self.save_button.isEnabled():
            self.save()

    def save(self) -> bool:
        self.error_label.setProperty("fromSave", False)
        try:
            record = self._write(self.form.values())
            self.form.set_record(record)
            for section in self.sections:
                section.save(record)
        except ValidationError as error:
            self.form.show_error(error) if error.field else self._show_save_error(str(error))
            self._update_state()
            return False
        except RegenLogError as error:
            self._show_save_error(str(error))
            self._update_state()
            return False
        self.form.load(record)
        for section in self.sections:
            section.load(record)
        self._show_title()
        self.saved.emit(self.record_type, record.id)
        self.accept()
        return True

    def _write(self, values: dict[str, Any]) -> m.Record:
        """Create or change the record (a claim's dialog goes through the claims rule)."""
        records = self.services.records
        if self.record is None:
            return records.create(self.form.model, **values)
        changed = {k: v for k, v in values.items() if getattr(self.record, k) != v}
        return records.update(self.form.model, self.record.id, **changed)

    def _show_save_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setProperty("fromSave", True)
        self.error_label.show()

    def delete(self) -> None:
        if self.record is None:
            return
        title, _ = describe(self.record)
        if not confirm_trash(self, f"“{title}”"):
            return
        try:
            self.services.records.delete(self.form.model, self.record.id)
        except RegenLogError as error:
            self._show_save_error(str(error))
            return
        self.deleted.emit(self.record_type, self.record.id)
        self.form.mark_saved()
        for section in self.sections:
            section.load(None)
        super().reject()

    def reject(self) -> None:
        # QDialog routes Esc and the title bar's close button through here too.
        if self.is_dirty() and not confirm_discard(self, self.noun):
            return
        super().reject()
