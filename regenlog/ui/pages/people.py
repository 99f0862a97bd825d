"""People and plans: the household, insurance plans, HSA/FSA accounts, providers, lab results
and Good Faith Estimates, one tab each."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ..widgets import heading

TABS = (
    ("person", "People", "person"),
    ("insurance_plan", "Insurance plans", "plan"),
    ("account", "HSA and FSA", "account"),
    ("provider", "Providers and clinics", "provider"),
    ("lab_result", "Lab results", "lab result"),
    ("good_faith_estimate", "Good Faith Estimates", "estimate"),
)


class PeoplePageView(QWidget):
    def __init__(self):
        super().__init__()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("People and plans")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading("People and plans"))
        layout.addWidget(self.tabs, 1)


class PeoplePageController(QObject):
    def __init__(self, session, formats, editors):
        super().__init__()
        from .registry import make_list

        self.view = PeoplePageView()
        self.lists = []
        for record_type, title, noun in TABS:
            page = make_list(session, formats, editors, record_type, title, noun, 0,
                             record_type in ("lab_result", "good_faith_estimate"),
                             show_title=False)
            page.view.layout().setContentsMargins(0, 8, 0, 0)
            self.lists.append(page)
            self.view.tabs.addTab(page.view, title)
        self.view.tabs.currentChanged.connect(lambda _i: self.load())

    @property
    def current(self):
        return self.lists[self.view.tabs.currentIndex()]

    def load(self) -> None:
        self.current.load()

    def new(self) -> None:
        self.current.new()

    def delete_selected(self) -> None:
        self.current.delete_selected()

    def focus_filter(self) -> None:
        self.current.focus_filter()
