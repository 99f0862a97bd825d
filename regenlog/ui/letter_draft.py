"""The drafted letter asking the insurer to confirm a call in writing: edit, copy, save as PDF
attached to the call (which then counts as "confirmation requested")."""

from __future__ import annotations

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
from ..core.enums import DocumentKind, WrittenConfirmation
from ..core.errors import RegenLogError
from ..core.fileio import write_bytes_atomic
from ..core.letters import draft_for_call
from .widgets import heading, sentence_label


class LetterDraftDialog(QDialog):
    def __init__(self, services, bus, call_id: int, today, parent=None):
        super().__init__(parent)
        self.services, self.bus, self.call_id, self.today = services, bus, call_id, today
        self.setObjectName("letterDraft")
        self.setWindowTitle("Written confirmation request")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(680, 720)
        self.letter = draft_for_call(services, call_id, today=today())
        self.text = QPlainTextEdit(self.letter.text())
        self.text.setAccessibleName("Letter text")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.error = sentence_label()
        self.attach_button = QPushButton("Save as PDF and attach to the call")
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
        layout.addWidget(heading("Ask the insurer to confirm the call in writing"))
        hint = QLabel("Check the text, then send it by mail or through your insurer's member "
                      "portal. Missing details show as [not recorded].")
        hint.setWordWrap(True)
        layout.addWidget(hint)
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
    def open_for_call(cls, editors, call_id: int) -> LetterDraftDialog:
        dialog = cls(editors.services, editors.bus, call_id, editors.today, editors.parent_widget)
        dialog.finished.connect(dialog.deleteLater)
        editors.current_letter = dialog
        dialog.open()
        editors.dialogOpened.emit(dialog)
        return dialog

    def pdf_bytes(self) -> bytes:
        from .pdf import letter_pdf

        return letter_pdf(self.text.toPlainText(), title=self.letter.subject)

    def file_name(self) -> str:
        return f"confirmation-request-{self.today().isoformat()}.pdf"

    def attach(self) -> None:
        try:
            doc = self.services.documents.attach_bytes(
                self.pdf_bytes(), self.file_name(), kind=DocumentKind.correspondence,
                title=f"Written confirmation request, {self.today().isoformat()}",
                document_date=self.today(), links=[("insurer_call", self.call_id)],
            )
            call = self.services.records.get(m.InsurerCall, self.call_id)
            if call.written_confirmation == WrittenConfirmation.none:
                self.services.records.update(
                    m.InsurerCall, self.call_id,
                    written_confirmation=WrittenConfirmation.requested,
                    confirmation_requested_on=self.today(),
                )
        except RegenLogError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.status.setText(f"Saved “{doc.original_name}” and attached it to the call.")
        self.bus.notify("document")
        self.bus.notify("insurer_call")

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
