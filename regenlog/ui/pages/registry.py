"""The pages of one open data folder: built when first shown, kept in the window's stack,
with the navigation between them (sidebar, Back, record pages, search)."""

from __future__ import annotations

from PySide6.QtCore import QObject

from ..columns import COLUMNS
from ..editors import RecordEditors
from ..table_model import RecordTableModel
from .list_page import ListPageController, ListPageView

# Sidebar key -> (record type, title, noun, sort column, descending)
LIST_PAGES: dict[str, tuple[str, str, str, int, bool]] = {
    "treatments": ("treatment", "Treatments", "treatment", 0, True),
    "receipts": ("receipt", "Receipts", "receipt", 0, True),
    "calls": ("insurer_call", "Insurer calls", "call", 0, True),
    "determinations": ("determination", "Letters and determinations", "determination", 0, True),
    "letters": ("medical_necessity_letter", "Medical necessity letters", "letter", 0, True),
    "claims": ("claim", "Claims", "claim", 0, True),
    "financing": ("financing_plan", "Financing", "financing plan", 0, True),
}


def make_list(session, formats, editors, record_type: str, title: str | None, noun: str,
              sort: int = 0, descending: bool = True, *, show_title: bool = True,
              empty_text: str = "") -> ListPageController:
    model = RecordTableModel(session.lists, record_type, COLUMNS[record_type], formats,
                             sort=sort, descending=descending)
    view = ListPageView(title, noun, show_title=show_title)
    model.setParent(view)
    return ListPageController(view, model, session.services.records, editors, session.bus,
                              noun, empty_text)


class PageSet(QObject):
    def __init__(self, app, session):
        super().__init__(app.window)
        self.app = app
        self.window = app.window
        self.session = session
        self.formats = app.formats
        self.pages: dict[str, object] = {}
        self.current_key: str | None = None
        self.history: list[str] = []
        from ..documents.actions import DocumentActions

        self.editors = RecordEditors(
            session.services, session.lists, self.formats, session.bus, self.window,
            self.open_treatment, session.today,
        )
        self.documents = DocumentActions(session.services, session.bus, self.window)
        self.editors.documents = self.documents

    # -- building --------------------------------------------------------------------------
    def page(self, key: str):
        if key not in self.pages:
            page = self._build(key)
            self.pages[key] = page
            self.window.stack.addWidget(page.view)
        return self.pages[key]

    def _build(self, key: str):
        s, f, e = self.session, self.formats, self.editors
        if key == "financing":
            from ..money.financing_page import FinancingPageController

            return FinancingPageController(s, f, e)
        if key in LIST_PAGES:
            record_type, title, noun, sort, descending = LIST_PAGES[key]
            return make_list(s, f, e, record_type, title, noun, sort, descending)
        if key == "welcome":
            from .welcome import WelcomeController

            return WelcomeController(self.app, e)
        if key == "dashboard":
            from .dashboard import DashboardController

            page = DashboardController(s, f, e, self.open_gap)
            page.view.calendar_button.clicked.connect(self.app.export_calendar)
            return page
        if key == "reports":
            from ..money.reports_page import ReportsPageController

            return ReportsPageController(s, f)
        if key == "documents":
            from ..documents.page import DocumentsPageController

            return DocumentsPageController(s, f, e, self.documents)
        if key == "people":
            from .people import PeoplePageController

            return PeoplePageController(s, f, e)
        if key == "trash":
            from .trash import TrashPageController

            return TrashPageController(s.services.records, s.bus, f)
        if key == "settings":
            from .settings_page import SettingsController

            return SettingsController(self.app.settings, s.paths, self.app.apply_formats)
        if key == "search":
            from .search_page import SearchPageController

            return SearchPageController(s, f, e)
        raise KeyError(key)

    def prepare_startup(self) -> None:
        """Fill what start-up promises: the dashboard's figures and the visible list."""
        self.page("dashboard").load()
        current = self.pages.get(self.current_key)
        if current is not None and hasattr(current, "load"):
            current.load()

    # -- navigation ------------------------------------------------------------------------
    def show(self, key: str, *, remember: bool = True) -> bool:
        if key == self.current_key and key != "treatment":
            return True
        if not self.can_leave():
            return False
        if self.current_key and remember and self.current_key not in ("search",):
            self.history.append(self.current_key)
            del self.history[:-20]
        page = self.page(key)
        if hasattr(page, "load"):
            page.load()
        self.window.stack.setCurrentWidget(page.view)
        self.current_key = key
        self.window.select_sidebar("treatments" if key == "treatment" else key)
        return True

    def back(self) -> None:
        while self.history:
            key = self.history.pop()
            if key in self.pages or key != "treatment":
                self.show(key, remember=False)
                return

    def can_leave(self) -> bool:
        page = self.pages.get(self.current_key)
        return page.can_leave() if page is not None and hasattr(page, "can_leave") else True

    def call_current(self, name: str) -> None:
        page = self.pages.get(self.current_key)
        method = getattr(page, name, None) if page is not None else None
        if callable(method):
            method()

    def open_treatment(self, treatment_id: int | None, prefill: dict) -> None:
        from ..treatment.page import TreatmentPageController

        if not self.can_leave():
            return
        old = self.pages.pop("treatment", None)
        page = TreatmentPageController(self.session, self.formats, self.editors, self.documents,
                                       treatment_id, prefill)
        page.on_back = self.back
        self.pages["treatment"] = page
        self.window.stack.addWidget(page.view)
        if self.current_key == "treatment":
            self.current_key = None  # the old one is being replaced, not left
        self.show("treatment")
        if old is not None:
            old.dispose()  # its handlers must not outlive its widgets
            self.window.stack.removeWidget(old.view)
            old.view.deleteLater()

    def open_gap(self, gap) -> None:
        """Take the user to where a gap from the checklist can be fixed."""
        if gap.treatment_id:
            self.open_treatment(gap.treatment_id, {})
        elif gap.record_type and gap.record_id:
            self.editors.open_record(gap.record_type, gap.record_id)

    def search(self, text: str) -> None:
        page = self.page("search")
        if text.strip():
            if self.current_key != "search":
                self.show("search")
            page.set_text(text)
        elif self.current_key == "search":
            self.back()

    def search_box_key(self, key: str) -> None:
        """Enter in the search box opens the highlighted result; Down moves into the list."""
        if self.current_key != "search":
            return
        page = self.page("search")
        if key == "enter":
            page.open_current()
        else:
            page.settle()
            page.focus_filter()

    def drop_files(self, files: list) -> None:
        page = self.pages.get(self.current_key)
        if page is not None and hasattr(page, "drop_files"):
            page.drop_files(files)
        else:
            self.show("documents")
            self.page("documents").drop_files(files)

    def dispose(self) -> None:
        for page in self.pages.values():
            if hasattr(page, "dispose"):
                page.dispose()
            self.window.stack.removeWidget(page.view)
            page.view.deleteLater()
        self.pages.clear()
        self.current_key = None
