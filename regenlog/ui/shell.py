"""The main window's layout: sidebar, page stack, search box, demo banner, menus.

Layout only, and cheap to build: this is what gets painted before any data is loaded, so it
imports nothing but Qt (no database, no sqlmodel).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .icons import icon


def dropped_files(mime) -> list:
    """Local files (not folders) among the URLs of a drop."""
    from pathlib import Path

    out = []
    for url in mime.urls() if mime.hasUrls() else []:
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.is_file():
                out.append(path)
    return out


@dataclass(frozen=True)
class PageInfo:
    key: str
    title: str
    icon: str


# The sidebar, in order. Ctrl+1 ... Ctrl+0 go to the first ten.
SIDEBAR: tuple[PageInfo, ...] = (
    PageInfo("dashboard", "Dashboard", "dashboard"),
    PageInfo("treatments", "Treatments", "treatments"),
    PageInfo("receipts", "Receipts", "receipts"),
    PageInfo("calls", "Insurer calls", "calls"),
    PageInfo("determinations", "Letters and determinations", "determinations"),
    PageInfo("letters", "Medical necessity letters", "letters"),
    PageInfo("claims", "Claims", "claims"),
    PageInfo("financing", "Financing", "financing"),
    PageInfo("reports", "Reports", "reports"),
    PageInfo("documents", "Documents", "documents"),
    PageInfo("people", "People and plans", "people"),
    PageInfo("trash", "Trash", "trash"),
    PageInfo("settings", "Settings", "settings"),
)

APP_TITLE = "RegenLog"


class PaintWatcher(QObject):
    """Emits ``painted`` once, after the window's first paint event."""

    painted = Signal()

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._done = False
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if not self._done and event.type() == QEvent.Type.Paint:
            self._done = True
            watched.removeEventFilter(self)
            self.painted.emit()
        return False


class MainWindowView(QMainWindow):
    """Widgets and actions of the main window; the AppController gives them meaning."""

    filesDropped = Signal(list)  # noqa: N815 (list of pathlib.Path)
    closed = Signal()

    def __init__(self):
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(icon("app"))
        self.resize(1180, 760)
        self.setMinimumSize(720, 480)
        self.setAcceptDrops(True)

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search everything (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_box.setAccessibleName("Search all records")

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Pages")
        self.sidebar.setFrameShape(QFrame.Shape.NoFrame)
        for info in SIDEBAR:
            item = QListWidgetItem(icon(info.icon), info.title)
            item.setData(Qt.ItemDataRole.UserRole, info.key)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, info.title)
            self.sidebar.addItem(item)
        self.sidebar.setFixedWidth(236)
        self.sidebar.setSpacing(1)

        side = QWidget()
        side.setObjectName("sidebarPanel")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(8, 10, 4, 8)
        side_layout.addWidget(self.search_box)
        side_layout.addWidget(self.sidebar, 1)

        self.banner = QFrame()
        self.banner.setObjectName("demoBanner")
        self.banner.setStyleSheet(
            "#demoBanner { background: #fff4ce; border-bottom: 1px solid #e0c36c; }"
            "#demoBanner QLabel { color: #5c4400; }"
        )
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(12, 6, 12, 6)
        self.banner_label = QLabel()
        self.banner_label.setWordWrap(True)
        self.banner_button = QPushButton("Back to my records")
        self.banner_button.setAccessibleName("Leave the demo and open my records")
        banner_layout.addWidget(self.banner_label, 1)
        banner_layout.addWidget(self.banner_button)
        self.banner.hide()

        self.stack = QStackedWidget()
        self.loading = QLabel("Opening your records…")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.loading)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.banner)
        # Data-safety notices (cloud-synced folder, backups) stack here; see ui/safety.
        self.notice_area = QVBoxLayout()
        self.notice_area.setSpacing(0)
        right_layout.addLayout(self.notice_area)
        right_layout.addWidget(self.stack, 1)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.VLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self.statusBar().setSizeGripEnabled(True)
        self.close_guard = None  # a callable returning False to keep the window open

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.close_guard is not None and not self.close_guard():
            event.ignore()
            return
        event.accept()
        self.closed.emit()

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        files = dropped_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.filesDropped.emit(files)

    def _action(self, text: str, shortcut=None, *, icon_name: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon_name:
            action.setIcon(icon(icon_name))
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action("&New record", QKeySequence.StandardKey.New)
        self.save_action = self._action("&Save", QKeySequence.StandardKey.Save)
        self.delete_action = self._action("&Delete…", QKeySequence(Qt.Key.Key_Delete))
        self.find_action = self._action("&Find in all records", QKeySequence.StandardKey.Find)
        self.attach_action = self._action("&Attach a document…", "Ctrl+Shift+A")
        self.import_action = self._action("&Import records…", "Ctrl+I")
        self.calendar_action = self._action("Export deadlines to &calendar (.ics)…")
        self.bundle_action = self._action("&Export reimbursement bundle…", "Ctrl+E")
        self.demo_action = self._action("Open the &demo")
        self.my_records_action = self._action("Back to &my records")
        self.settings_action = self._action("Se&ttings", "Ctrl+,", icon_name="settings")
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit)
        self.back_action = self._action("&Back", "Alt+Left")
        self.about_action = self._action("&About RegenLog")
        self.page_actions: dict[str, QAction] = {}
        for n, info in enumerate(SIDEBAR):
            shortcut = f"Ctrl+{(n + 1) % 10}" if n < 10 else None
            self.page_actions[info.key] = self._action(info.title, shortcut, icon_name=info.icon)

        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        for action in (self.new_action, self.save_action, self.attach_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.bundle_action)
        for action in (self.import_action, self.calendar_action, self.demo_action,
                       self.my_records_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addAction(self.quit_action)
        edit_menu = menus.addMenu("&Edit")
        edit_menu.addAction(self.delete_action)
        edit_menu.addAction(self.find_action)
        go_menu = menus.addMenu("&Go")
        go_menu.addAction(self.back_action)
        go_menu.addSeparator()
        for action in self.page_actions.values():
            go_menu.addAction(action)
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self.about_action)

    # -- small helpers the controller uses -------------------------------------------------
    def select_sidebar(self, key: str) -> None:
        for row in range(self.sidebar.count()):
            if self.sidebar.item(row).data(Qt.ItemDataRole.UserRole) == key:
                blocked = self.sidebar.blockSignals(True)
                self.sidebar.setCurrentRow(row)
                self.sidebar.blockSignals(blocked)
                return
        # A page with no sidebar entry (search): no entry stays highlighted as if it were open.
        blocked = self.sidebar.blockSignals(True)
        self.sidebar.setCurrentRow(-1)
        self.sidebar.blockSignals(blocked)

    def show_demo_banner(self, text: str | None) -> None:
        self.banner.setVisible(bool(text))
        self.banner_label.setText(text or "")
