"""Results of the global search (Ctrl+F), updated as the user types, after a short pause."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ...core.record_kinds import RECORD_KINDS
from ...core.search import search_all
from ..widgets import DEBOUNCE_MS, heading, on_enter


class SearchView(QWidget):
    def __init__(self):
        super().__init__()
        self.summary = QLabel()
        self.summary.setAccessibleName("Search summary")
        self.results = QListWidget()
        self.results.setAccessibleName("Search results")
        self.results.setUniformItemSizes(True)
        # Long results end in "…" (the whole line is the tooltip) rather than scroll sideways.
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading("Search"))
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)


class SearchPageController(QObject):
    LIMIT = 50

    def __init__(self, session, formats, editors):
        super().__init__()
        self.session, self.formats, self.editors = session, formats, editors
        self.view = SearchView()
        self.text = ""
        self.hits = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run)
        self.view.results.itemActivated.connect(self._open)
        on_enter(self.view.results, lambda: self._open(self.view.results.currentItem()))

    def set_text(self, text: str) -> None:
        self.text = text
        self.timer.start()

    def run(self) -> None:
        self.timer.stop()
        started = time.perf_counter()
        self.hits = search_all(self.session.services.db, self.text, limit=self.LIMIT)
        took = (time.perf_counter() - started) * 1000
        self.view.results.clear()
        for hit in self.hits:
            when = f"{self.formats.date(hit.date)}  " if hit.date else ""
            line = f"{RECORD_KINDS[hit.record_type].label}: {hit.title}"
            if hit.subtitle:
                line += f" — {hit.subtitle}"
            item = QListWidgetItem(when + line)
            item.setToolTip(when + line)
            item.setData(Qt.ItemDataRole.UserRole, (hit.record_type, hit.record_id))
            self.view.results.addItem(item)
        n = len(self.hits)
        more = " (the first 50)" if n >= self.LIMIT else ""
        self.view.summary.setText(
            f"{n} result{'s' if n != 1 else ''}{more} for “{self.text.strip()}” ({took:.0f} ms)"
            if self.text.strip() else ""
        )
        if n:
            self.view.results.setCurrentRow(0)

    def settle(self) -> None:
        """Search now if the pause after typing has not come yet (Enter or Down pressed)."""
        if self.timer.isActive():
            self.run()

    def open_current(self) -> None:
        """Enter in the search box opens the highlighted (first) result."""
        self.settle()
        self._open(self.view.results.currentItem())

    def _open(self, item) -> None:
        if item is None:
            return
        record_type, record_id = item.data(Qt.ItemDataRole.UserRole)
        self.editors.open_record(record_type, record_id)

    def focus_filter(self) -> None:
        self.view.results.setFocus()
