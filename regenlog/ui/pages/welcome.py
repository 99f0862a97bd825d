"""The first page on an empty data folder: three ways to begin."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QCommandLinkButton, QLabel, QVBoxLayout, QWidget

from ..icons import icon
from ..widgets import heading


class WelcomeView(QWidget):
    def __init__(self):
        super().__init__()
        logo = QLabel()
        logo.setPixmap(icon("app").pixmap(72, 72))
        intro = QLabel(
            "RegenLog keeps the paperwork that can get money back for cash-paid stem-cell, "
            "PRP and IV treatments: receipts, codes, calls with your insurer and letters. "
            "It tells you, item by item, what is still missing and why it matters."
        )
        intro.setWordWrap(True)
        self.add_button = QCommandLinkButton(
            "Add your first treatment", "Start with the date, the clinic and what was done."
        )
        self.demo_button = QCommandLinkButton(
            "Open the demo",
            "Look around a sample household's records, kept in a separate demo folder.",
        )
        self.import_button = QCommandLinkButton(
            "Import from a spreadsheet or file",
            "Bring in a spreadsheet of treatments and receipts (CSV), matching its columns "
            "step by step, or records exported from RegenLog (.json).",
        )
        for button in (self.add_button, self.demo_button, self.import_button):
            button.setAccessibleName(button.text())
            button.setMinimumHeight(button.heightForWidth(600))
        column = QWidget()
        # A fixed width lets the wrapped texts compute their height; a centred column with
        # only a maximum width gets its (narrow) size hint and cuts the texts off.
        column.setFixedWidth(620)
        layout = QVBoxLayout(column)
        layout.addWidget(logo)
        layout.addWidget(heading("Welcome to RegenLog"))
        layout.addWidget(intro)
        layout.addSpacing(12)
        layout.addWidget(self.add_button)
        layout.addWidget(self.demo_button)
        layout.addWidget(self.import_button)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(column, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)


class WelcomeController(QObject):
    def __init__(self, app, editors):
        super().__init__()
        self.view = WelcomeView()
        self.view.add_button.clicked.connect(lambda: editors.new_record("treatment"))
        self.view.demo_button.clicked.connect(app.open_demo)
        self.view.import_button.clicked.connect(app.import_records)

    def new(self) -> None:
        self.view.add_button.click()
