"""A drafted letter, shown to edit, copy, or save as PDF attached to the record it is about:
the request that the insurer confirm a call in writing (the call then counts as
"confirmation requested"), or the appeal of a denial (attached to the denial)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from ..core import models as m
from ..core.appeal_letter import FILE_PREFIX as APPEAL_FILE_PREFIX
from ..core.appeal_letter import draft_appeal
from ..core.enums import DocumentKind, WrittenConfirmation
from ..core.errors import RegenLogError
from ..core.fileio import write_bytes_atomic
from ..core.letters import Letter, draft_for_call, long_date
from .widgets import heading, sentence_label


@dataclass(frozen=True)
class LetterKind:
    """What differs between the letters the dialog shows."""

    window_title: str
    heading: str
    hint: str
    attach_label: str
    record_type: str  # the record the PDF is attached to
    noun: str  # that record, as the status line names it
    file_prefix: str
    document_title: str
    draft: Callable[..., Letter]  # (services, record id, today=...) -> Letter
    after_attach: Callable[..., None] | None = None  # (services, record id, today)


def _mark_requested(services, call_id: int, today: dt.date) -> None:
    call = services.records.get(m.InsurerCall, call_id)
    if call.written_confirmation == WrittenConfirmation.none:
        services.records.update(
            m.InsurerCall, call_id,
            written_confirmation=WrittenConfirmation.requested, confirmation_requested_on=today,
        )


CONFIRMATION_REQUEST = LetterKind(
    window_title="Written confirmation request",
    heading="Ask the insurer to confirm the call in writing",
    hint="Check the text, then send it by mail or through your insurer's member portal. "
         "Missing details show as [not recorded].",
    attach_label="Save as PDF and attach to the call",
    record_type="insurer_call", noun="call",
    file_prefix="confirmation-request-", document_title="Written confirmation request",
    draft=draft_for_call, after_attach=_mark_requested,
)
APPEAL = LetterKind(
    window_title="Appeal letter",
    heading="Appeal the denial",
    hint="Check the text and fill in what is in [brackets]. Send it, with the enclosures, to "
         "the address the denial letter gives for appeals, by a way that shows when it "
         "arrived; then mark the claim as appealed.",
    attach_label="Save as PDF and attach to the denial",
    record_type="determination", noun="denial",
    file_prefix=APPEAL_FILE_PREFIX, document_title="Appeal letter",
    draft=draft_appeal,
)


class LetterDraftDialog(QDialog):
    def __init__(self, services, bus, record_id: int, today, parent=None,
                 kind: LetterKind = CONFIRMATION_REQUEST):
        super().__init__(parent)
        self.services, self.bus, self.today = services, bus, today
        self.kind, self.record_id = kind, record_id
        self.setObjectName("letterDraft")
        self.setWindowTitle(kind.window_title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(680, 720)
        self.letter = kind.draft(services, record_id, today=today())
        self.text = QPlainTextEdit(self.letter.text())
        self.text.setAccessibleName("Letter text")
        self.deadline = QLabel(self._deadline_text())
        self.deadline.setObjectName("letterDeadline")
        self.deadline.setWordWrap(True)
        self.deadline.setStyleSheet("#letterDeadline { font-weight: bold; }")
        self.deadline.setVisible(bool(self.deadline.text()))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error = sentence_label()
        self.attach_button = QPushButton(kind.attach_label)
        self.attach_button.setDefault(True)
        self.export_button = QPushButton("Export PDF…")
        self.copy_button = QPushButton("Copy text")
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        for b in (self.copy_button, self.export_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.attach_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(kind.heading))
        hint = QLabel(kind.hint)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.deadline)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.attach_button.clicked.connect(self.attach)
        self.export_button.clicked.connect(self.export)
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.text.toPlainText())
        )
        self.close_button.clicked.connect(self.accept)

    @classmethod
    def open_for(cls, editors, kind: LetterKind, record_id: int) -> LetterDraftDialog:
        dialog = cls(editors.services, editors.bus, record_id, editors.today,
                     editors.parent_widget, kind=kind)
        dialog.finished.connect(dialog.deleteLater)
        editors.current_letter = dialog
        dialog.open()
        editors.dialogOpened.emit(dialog)
        return dialog

    @classmethod
    def open_for_call(cls, editors, call_id: int) -> LetterDraftDialog:
        return cls.open_for(editors, CONFIRMATION_REQUEST, call_id)

    @classmethod
    def open_for_denial(cls, editors, determination_id: int) -> LetterDraftDialog:
        return cls.open_for(editors, APPEAL, determination_id)

    def _deadline_text(self) -> str:
        deadline = self.letter.deadline
        if deadline is None:
            return ""
        left = (deadline.due - self.today()).days
        when = long_date(deadline.due)
        if left < 0:
            return f"The time to send it ended on {when}. {deadline.rule}"
        days = "today" if left == 0 else f"in {left} day{'s' * (left != 1)}"
        return f"Send it by {when} ({days}). {deadline.rule}"

    def pdf_bytes(self) -> bytes:
        from .pdf import letter_pdf

        return letter_pdf(self.text.toPlainText(), title=self.letter.subject)

    def file_name(self) -> str:
        return f"{self.kind.file_prefix}{self.today().isoformat()}.pdf"

    def attach(self) -> None:
        kind, today = self.kind, self.today()
        try:
            doc = self.services.documents.attach_bytes(
                self.pdf_bytes(), self.file_name(), kind=DocumentKind.correspondence,
                title=f"{kind.document_title}, {today.isoformat()}",
                document_date=today, links=[(kind.record_type, self.record_id)],
            )
            if kind.after_attach is not None:
                kind.after_attach(self.services, self.record_id, today)
        except RegenLogError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.status.setText(f"Saved “{doc.original_name}” and attached it to the {kind.noun}.")
        self.bus.notify("document")
        self.bus.notify(kind.record_type)

    def export(self) -> None:
        target, _ = QFileDialog.getSaveFileName(
            self, "Export the letter as PDF", self.file_name(), "PDF (*.pdf)"
        )
        if not target:
            return
        try:
            write_bytes_atomic(target, self.pdf_bytes())
        except OSError as error:
            self.error.setText(f"The PDF could not be written: {error.strerror or error}.")
            self.error.show()
            return
        self.status.setText(f"Wrote {target}.")
