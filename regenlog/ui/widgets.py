"""Small building blocks shared by pages: headings, table set-up, debounced text."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

DEBOUNCE_MS = 200


def heading(text: str, level: int = 1) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * (1.5 if level == 1 else 1.15))
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


def scroll_page(page: QWidget, body: QWidget) -> None:
    """Make ``body`` the scrollable, frameless content of a whole page."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(body)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)


def sentence_label(object_name: str = "") -> QLabel:
    """A label for the one sentence that explains what is wrong with a field."""
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName(object_name or "sentence")
    label.setStyleSheet("color: #b3261e;")
    label.hide()
    return label


def configure_table(table: QTableView, widths: list[int | None] | None = None) -> None:
    """Fixed row heights and no resize-to-contents: large lists stay fast."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    vertical = table.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 10)
    vertical.hide()
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    fit_headers(table, widths)


def fit_headers(table: QTableView, widths: list[int | None] | None = None) -> None:
    """Each column at its given width, and never narrower than its header's text: the header
    is measured, not the rows, so this costs the same on a list of a million records."""
    header = table.horizontalHeader()
    widths = list(widths or [])
    model = table.model()
    count = model.columnCount() if model is not None else len(widths)
    for n in range(count):
        given = widths[n] if n < len(widths) else None
        needed = header.sectionSizeHint(n) if model is not None else 0
        if given or needed > header.sectionSize(n):
            table.setColumnWidth(n, max(given or 0, needed))


def ask(parent, title: str, text: str, *, warning: bool = False, yes_first: bool = False) -> bool:
    """A Yes/No question; True for Yes. No is the default unless ``yes_first``; ``warning``
    shows it as a warning (for what cannot be undone)."""
    buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    default = QMessageBox.StandardButton.Yes if yes_first else QMessageBox.StandardButton.No
    box = QMessageBox.warning if warning else QMessageBox.question
    return box(parent, title, text, buttons, default) == QMessageBox.StandardButton.Yes


def confirm_trash(parent, what: str) -> bool:
    """The one question asked before anything goes to the trash."""
    return ask(parent, "Move to the trash?",
               f"Move {what} to the trash? You can restore it from the Trash page.")


def on_enter(widget, callback) -> None:
    """Run ``callback`` when Return or Enter is pressed in ``widget``."""
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        shortcut = QShortcut(QKeySequence(key), widget)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(callback)


class Debounced(QObject):
    """Emits ``settled(text)`` once typing in ``line`` pauses for ``DEBOUNCE_MS``."""

    settled = Signal(str)

    def __init__(self, line: QLineEdit, delay_ms: int = DEBOUNCE_MS):
        super().__init__(line)
        self.line = line
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(lambda: self.settled.emit(self.line.text()))
        line.textChanged.connect(lambda _text: self.timer.start())

    def flush(self) -> None:
        """Emit now (tests and Enter need not wait for the pause)."""
        if self.timer.isActive():
            self.timer.stop()
            self.settled.emit(self.line.text())
