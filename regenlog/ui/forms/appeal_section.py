"""The determination dialog's "Draft appeal…" button: shown while the form says denial (a
denial letter, or any answer that denied), it saves the record if needed, then drafts."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from ...core.appeal_letter import denies


def add_appeal_button(dialog, editors) -> QPushButton:
    button = QPushButton("Draft appeal…")
    button.setObjectName("draftAppealButton")
    button.setAccessibleName("Draft a letter appealing this denial")
    button.setToolTip("A letter with the denial, the deadline, the codes and the papers on "
                      "file; save it as PDF and send it.")
    dialog.extra_buttons.addWidget(button)
    inputs = dialog.form.inputs

    def show_when_denied() -> None:
        button.setVisible(denies(inputs["kind"].raw() or "", inputs["decision"].raw() or ""))

    def draft() -> None:
        if dialog.record is None or dialog.is_dirty():
            if not dialog.save_button.isEnabled() or not dialog.save():
                return
            record_id = dialog.record.id
        else:
            record_id = dialog.record.id
            dialog.accept()
        from ..letter_draft import LetterDraftDialog

        LetterDraftDialog.open_for_denial(editors, record_id)

    inputs["kind"].changed.connect(show_when_denied)
    inputs["decision"].changed.connect(show_when_denied)
    show_when_denied()
    button.clicked.connect(draft)
    return button
