"""The application controller: paints the shell, opens the data folder right after, builds
pages on demand and wires the menus, shortcuts and sidebar to them."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox

from ..store.paths import DataPaths
from .formats import Formats
from .settings import UiSettings
from .shell import APP_TITLE, SIDEBAR, MainWindowView, PaintWatcher

SIDEBAR_KEYS = {info.key for info in SIDEBAR}


class AppController(QObject):
    painted = Signal()
    dataReady = Signal()  # noqa: N815
    failed = Signal(str)

    def __init__(self, paths: DataPaths, settings: UiSettings, *, today=dt.date.today,
                 lock=None):
        super().__init__()
        self.paths = paths
        self.settings = settings
        self.today = today
        self.formats = Formats(settings.date_style, settings.money_style)
        self.window = MainWindowView()
        self.window.close_guard = self._can_close
        self.session = None
        self.pages = None  # PageSet, once a data folder is open
        self.real_paths = paths
        self._quitting = False
        self._watcher = PaintWatcher(self.window)
        self._watcher.painted.connect(self._on_painted)
        geometry = settings.geometry
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        self._wire_shell()
        # Data safety (ui/safety): the Data menu, notices, folder locks and their jobs; built
        # right after the first paint. ``lock``: the folder's, when run_gui took it already.
        self.interactive = True  # False with --quit-after-startup: no dialog may wait
        self.startup_lock = lock
        self.safety = None

    # -- start-up --------------------------------------------------------------------------
    def start(self) -> None:
        self.window.show()

    def _on_painted(self) -> None:
        self.painted.emit()
        # Let the paint reach the screen, then pay for sqlmodel and the database.
        QTimer.singleShot(0, self.load)

    def load(self) -> None:
        from .safety.guard import DataSafety
        from .session import is_demo_folder

        self.safety = DataSafety(self)
        self.open_folder(self.paths, announce_ready=True)
        if self.session is not None and not is_demo_folder(self.paths):
            self.real_paths = self.paths

    def open_folder(self, paths: DataPaths, *, announce_ready: bool = False) -> bool:
        from ..core.errors import RegenLogError
        from .pages.registry import PageSet
        from .safety.startup_checks import Stopped

        try:
            session = self.safety.open_session(paths)
        except Stopped as stop:  # the patient saw why and chose Quit (or Cancel)
            if not self.safety.started:  # Quit at start-up; Cancel keeps the open folder
                self.failed.emit(str(stop))
                self.quit_without_asking()
            return False
        except (RegenLogError, OSError) as error:
            message = str(error) if isinstance(error, RegenLogError) else (
                f"RegenLog could not open {paths.root}: {error.strerror or error}."
            )
            if not self.safety.started:  # at start-up: report it; an empty window helps nobody
                self.failed.emit(message)
            if not self._quitting:
                QMessageBox.critical(self.window, "RegenLog cannot open the data folder", message)
            if not self.safety.started:
                self.quit_without_asking()
            return False
        if self.pages is not None:
            self.pages.dispose()
        if self.session is not None:
            self.session.close()
        self.session, self.paths = session, paths
        self.pages = PageSet(self, session)
        self._show_folder()
        if self.session.is_empty():
            self.pages.show("welcome")
        else:
            last = self.settings.last_page
            self.pages.show(last if last in SIDEBAR_KEYS else "dashboard")
            self.pages.prepare_startup()
        self.safety.folder_opened(paths)
        if announce_ready:
            self.dataReady.emit()
        return True

    def _show_folder(self) -> None:
        demo = self.session.is_demo
        title = f"{APP_TITLE} — DEMO DATA (not your records)" if demo else APP_TITLE
        self.window.setWindowTitle(title)
        self.window.show_demo_banner(
            "You are looking at the demo household, kept in its own folder; nothing you do "
            "here touches your own records." if demo else None
        )
        self.window.my_records_action.setEnabled(demo)
        self.window.demo_action.setEnabled(not demo)
        self.window.statusBar().showMessage(f"Data folder: {self.paths.root}")

    # -- demo ------------------------------------------------------------------------------
    def open_demo(self) -> bool:
        from ..core.demo import load_demo
        from ..core.errors import RegenLogError
        from .session import DataSession, demo_paths_for

        demo = demo_paths_for(self.paths)
        newly_locked = False
        try:
            newly_locked = self.safety.locks.take(demo)  # filled under its own lock
            probe = DataSession.open(demo)
            try:
                if probe.is_empty():
                    load_demo(probe.services)
            finally:
                probe.close()
        except (RegenLogError, OSError) as error:
            if newly_locked:
                self.safety.locks.release(demo)
            QMessageBox.warning(self.window, "The demo could not be opened", str(error))
            return False
        opened = self.open_folder(demo)
        if not opened and newly_locked:
            self.safety.locks.release(demo)
        return opened

    def back_to_my_records(self) -> bool:
        return self.open_folder(self.real_paths)

    # -- shell wiring ----------------------------------------------------------------------
    def _wire_shell(self) -> None:
        w = self.window
        w.sidebar.currentRowChanged.connect(self._on_sidebar)
        for key, action in w.page_actions.items():
            action.triggered.connect(lambda _checked=False, k=key: self.go(k))
        w.quit_action.triggered.connect(w.close)
        w.about_action.triggered.connect(self._about)
        w.demo_action.triggered.connect(self.open_demo)
        w.my_records_action.triggered.connect(self.back_to_my_records)
        w.banner_button.clicked.connect(self.back_to_my_records)
        w.settings_action.triggered.connect(lambda: self.go("settings"))
        w.new_action.triggered.connect(lambda: self._page_call("new"))
        w.save_action.triggered.connect(lambda: self._page_call("save"))
        w.delete_action.triggered.connect(lambda: self._page_call("delete_selected"))
        w.attach_action.triggered.connect(lambda: self._page_call("attach"))
        w.back_action.triggered.connect(self.back)
        w.find_action.triggered.connect(self.focus_search)
        w.import_action.triggered.connect(self.import_records)
        w.calendar_action.triggered.connect(self.export_calendar)
        w.bundle_action.triggered.connect(self.export_bundle)
        w.search_box.textChanged.connect(self._on_search_text)
        w.search_box.returnPressed.connect(lambda: self._search_box_key("enter"))
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), w.search_box)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(lambda: self._search_box_key("down"))
        w.filesDropped.connect(self._on_files_dropped)
        w.closed.connect(self.closed)

    def _on_files_dropped(self, files: list) -> None:
        if self.pages is not None:
            self.pages.drop_files(files)

    def _on_sidebar(self, row: int) -> None:
        if 0 <= row < len(SIDEBAR):
            self.go(SIDEBAR[row].key)

    def go(self, key: str) -> None:
        if self.pages is None:
            return
        if not self.pages.show(key):
            self.window.select_sidebar(self.pages.current_key or "")

    def back(self) -> None:
        if self.pages is not None:
            self.pages.back()

    def focus_search(self) -> None:
        self.window.search_box.setFocus()
        self.window.search_box.selectAll()

    def _search_box_key(self, key: str) -> None:
        if self.pages is not None:
            self.pages.search_box_key(key)

    def _on_search_text(self, text: str) -> None:
        if self.pages is not None:
            self.pages.search(text)

    def _page_call(self, name: str) -> None:
        if self.pages is not None:
            self.pages.call_current(name)

    def import_records(self) -> None:
        if self.pages is None:
            return
        from .import_dialog import ImportDialog

        dialog = ImportDialog(self.session, self.window, settings=self.settings)
        dialog.imported.connect(lambda: self.open_folder(self.paths))
        self.import_dialog = dialog
        dialog.open()

    def export_calendar(self) -> None:
        if self.session is None:
            return
        from .money.calendar_export import export_deadlines_dialog

        export_deadlines_dialog(self.session, self.window)

    def export_bundle(self) -> None:
        """The bundle wizard; from a treatment's page it starts with that treatment ticked."""
        if self.pages is None:
            return
        from .bundle_wizard import BundleWizard

        page = self.pages.pages.get("treatment") if self.pages.current_key == "treatment" else None
        record = getattr(page, "record", None)
        self.bundle_wizard = BundleWizard(
            self.session, self.formats, treatment_ids=(record.id,) if record else (),
            open_gap=self.pages.open_gap, parent=self.window)
        self.bundle_wizard.finished.connect(self.bundle_wizard.deleteLater)
        self.bundle_wizard.open()

    def _about(self) -> None:
        from .. import __version__

        QMessageBox.about(
            self.window, "About RegenLog",
            f"RegenLog {__version__}\n\nKeeps the paperwork that gets cash-paid "
            "regenerative-medicine care reimbursed.\n\nData folder: " + str(self.paths.root),
        )

    # -- closing ---------------------------------------------------------------------------
    def _can_close(self) -> bool:
        if not self._quitting and self.pages is not None and not self.pages.can_leave():
            return False
        self.settings.geometry = self.window.saveGeometry()
        if self.pages is not None and self.pages.current_key in SIDEBAR_KEYS:
            self.settings.last_page = self.pages.current_key
        self.settings.sync()
        return True

    def quit_without_asking(self) -> None:
        self._quitting = True
        QTimer.singleShot(0, self.window.close)

    def closed(self) -> None:
        if self.pages is not None:
            self.pages.dispose()
        if self.session is not None:
            self.session.close()
            self.session = None
        if self.safety is not None:
            self.safety.shutdown()
        elif self.startup_lock is not None:  # closed before the data was opened
            self.startup_lock.release()

    def close_folder(self) -> bool:
        """Close the pages and every connection to the database (a restore replaces the
        file); False when a page keeps changes the patient did not want to leave."""
        if self.pages is not None:
            if not self.pages.can_leave():
                return False
            self.pages.documents.wait_for_jobs()
            self.pages.dispose()
            self.pages = None
        if self.session is not None:
            self.session.close()
            self.session = None
        return True

    def apply_formats(self) -> None:
        self.formats.date_style = self.settings.date_style
        self.formats.money_style = self.settings.money_style
        if self.session is not None:
            self.session.bus.notify("*")
