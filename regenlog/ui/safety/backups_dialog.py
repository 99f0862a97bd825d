"""Data ▸ Automatic backups…: the copies RegenLog keeps on its own, newest first."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..formats import Formats
from ..widgets import configure_table, heading
from .words import kind_in_words, when_in_words

RETENTION = (
    "RegenLog makes a backup each day it starts and before every import or restore. It keeps "
    "one for each of the last 7 days, 4 weeks and 12 months, and the copies made before an "
    "import or restore for a week. They stay inside the data folder: to keep a copy on "
    "another disk, use Data ▸ Back up now…"
)


def show_folder(folder) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class BackupsDialog(QDialog):
    def __init__(self, paths, formats=None, parent=None):
        from ...store.backups import list_backups

        super().__init__(parent)
        self.paths = paths
        self.setWindowTitle("Automatic backups")
        self.resize(640, 420)
        backups = list_backups(paths)
        self.table = QTableWidget(len(backups), 3)
        self.table.setHorizontalHeaderLabels(["Taken", "Kind", "Size"])
        self.table.setAccessibleName("Automatic backups")
        configure_table(self.table, [170, 330])
        for row, backup in enumerate(backups):
            try:
                size = Formats.size(backup.path.stat().st_size)
            except OSError:
                size = "gone"
            for col, text in enumerate((when_in_words(backup.taken_at, formats),
                                        kind_in_words(backup.kind), size)):
                item = QTableWidgetItem(text)
                item.setToolTip(backup.path.name)
                self.table.setItem(row, col, item)
        self.empty = QLabel("There is no automatic backup yet: RegenLog makes the first one "
                            "shortly after it opens your records.")
        self.empty.setWordWrap(True)
        self.empty.setVisible(not backups)
        note = QLabel(RETENTION)
        note.setWordWrap(True)

        self.folder_button = QPushButton("Show backups folder")
        self.folder_button.clicked.connect(lambda: show_folder(paths.backups))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading("Automatic backups", 2))
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, str, str]]:
        return [tuple(self.table.item(r, c).text() for c in range(3))
                for r in range(self.table.rowCount())]
