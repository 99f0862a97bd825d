"""What the patient sees when the database cannot be opened at all: a damaged file (offer the
newest good backup, or quit) and a file from a newer RegenLog (say so, quit)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QVBoxLayout,
)

from ..widgets import heading
from .words import kind_in_words, when_in_words


def _paragraph(text: str, object_name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        label.setObjectName(object_name)
    return label


class DamagedDatabaseDialog(QDialog):
    """Accepted: restore ``backup`` (a BackupInfo, or None when there is none); rejected:
    quit at start-up, or stay in the folder that is open when switching."""

    def __init__(self, paths, backup, detail: str, formats=None, parent=None,
                 quit_label: str = "Quit"):
        super().__init__(parent)
        self.backup = backup
        self.setWindowTitle("Your records could not be opened")
        self.setModal(True)
        self.setMinimumWidth(560)

        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.title = heading("The database in your data folder is damaged")
        self.title.setWordWrap(True)
        self.unchanged = _paragraph(
            f"RegenLog cannot read <b>{paths.database.name}</b> and has not changed it. "
            "Your attached documents are not affected."
        )
        if backup is not None:
            self.plan = _paragraph(
                "If you restore, the damaged file is set aside: it stays in the data folder, "
                f"renamed <i>{paths.database.name}.damaged-</i> and today's date, for anyone "
                "who can repair it. The newest good backup takes its place:"
            )
            self.backup_label = _paragraph(
                f"<b>{kind_in_words(backup.kind)} of {when_in_words(backup.taken_at, formats)}"
                f"</b><br><span style='color: #555'>{backup.path.name}</span>",
                "backupName",
            )
            self.backup_label.setWordWrap(False)  # two short lines; wrapping adds a gap
            self.backup_label.setContentsMargins(16, 0, 0, 0)
            self.loss = _paragraph("Anything you entered after that backup is not in it.")
        else:
            self.plan = _paragraph(
                "There is no automatic backup that passes its check, so there is nothing to "
                "go back to here. Quit and keep the data folder as it is; if you have a backup "
                "archive, restore it with <i>regenlog restore FILE</i>."
            )
            self.backup_label = self.loss = None
        # The damage, without the command-line steps: this dialog is the way back.
        detail = html.escape(detail.split("; RegenLog left it untouched")[0].rstrip("."))
        self.detail = _paragraph(f"<span style='color: #555'>Details: {detail}.</span>")

        text = QVBoxLayout()
        text.setSpacing(10)
        for widget in (self.title, self.unchanged, self.plan, self.backup_label, self.loss,
                       self.detail):
            if widget is not None:
                text.addWidget(widget)
        text.addStretch(1)  # spare height goes below the words, not between them
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(text, 1)

        buttons = QDialogButtonBox()
        self.quit_button = QPushButton(quit_label)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button = None
        if backup is not None:
            self.restore_button = QPushButton("Restore from this backup")
            self.restore_button.setDefault(True)
            buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addWidget(buttons)

    def text(self) -> str:
        """Everything the dialog says, as plain text (tests, screen readers)."""
        labels = (self.title, self.unchanged, self.plan, self.backup_label, self.loss,
                  self.detail)
        from PySide6.QtGui import QTextDocument

        out = []
        for label in labels:
            if label is not None:
                doc = QTextDocument()
                doc.setHtml(label.text())
                out.append(doc.toPlainText())
        return "\n".join(out)


def ask_to_restore(paths, backup, detail: str, formats=None, parent=None, *,
                   quit_label: str = "Quit") -> bool:
    """Show the damaged-database dialog; True when the patient chose to restore."""
    dialog = DamagedDatabaseDialog(paths, backup, detail, formats, parent, quit_label)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted and backup is not None
    finally:
        dialog.deleteLater()


def tell_newer(message: str, parent=None, *, quitting: bool = True) -> None:
    """The sentence from a newer RegenLog's data, with Quit at start-up (Close otherwise)."""
    box = QMessageBox(parent)
    box.setObjectName("newerDatabaseBox")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("This data needs a newer RegenLog")
    box.setText(message)
    box.addButton("Quit" if quitting else "Close", QMessageBox.ButtonRole.AcceptRole)
    try:
        box.exec()
    finally:
        box.deleteLater()
