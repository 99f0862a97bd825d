"""The insurer call form's own parts: the seed article's questions filled in, the note that
says what an outcome does not promise, and the button that drafts the confirmation letter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QPushButton

from ...core.enums import CallOutcome
from ...core.letters import CALL_QUESTIONS, OUTCOME_NOTES
from .record_dialog import ShowsOnly


def call_defaults(values: dict[str, Any], *, now: dt.datetime) -> dict[str, Any]:
    out = dict(values)
    out.setdefault("questions", "\n".join(CALL_QUESTIONS))
    out.setdefault("called_at", now.replace(second=0, microsecond=0).astimezone(dt.UTC))
    return out


class OutcomeNoteSection(ShowsOnly, QObject):
    """Shows, under the form, what the chosen outcome means and does not mean."""

    changed = Signal()

    def __init__(self, form):
        super().__init__()
        self.form = form
        self.widget = QLabel()
        self.widget.setObjectName("outcomeNote")
        self.widget.setWordWrap(True)
        self.widget.setStyleSheet(
            "#outcomeNote { background: #eef4fb; border: 1px solid #b9d0ea; border-radius: 4px;"
            " padding: 8px; color: #1d3a5c; }"
        )
        form.inputs["outcome"].changed.connect(self._show)
        self._show()

    def _show(self) -> None:
        outcome = CallOutcome(self.form.inputs["outcome"].raw() or "unknown")
        self.widget.setText(f"{outcome.label}: {OUTCOME_NOTES[outcome]}")

    def load(self, record) -> None:
        self._show()


def add_call_buttons(dialog, editors) -> QPushButton:
    """A "Draft written confirmation request" button: saves the call if needed, then drafts."""
    button = QPushButton("Draft written confirmation request…")
    button.setObjectName("draftLetterButton")
    button.setAccessibleName("Draft a letter asking the insurer to confirm this call in writing")
    dialog.extra_buttons.addWidget(button)

    def draft() -> None:
        if dialog.record is None or dialog.is_dirty():
            if not dialog.save_button.isEnabled():
                return
            call_id = _save_keep_open(dialog)
            if call_id is None:
                return
        else:
            call_id = dialog.record.id
            dialog.accept()
        from ..letter_draft import LetterDraftDialog

        LetterDraftDialog.open_for_call(editors, call_id)

    button.clicked.connect(draft)
    return button


def _save_keep_open(dialog) -> int | None:
    return dialog.record.id if dialog.save() and dialog.record is not None else None
