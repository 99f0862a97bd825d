"""DataSafety: the window's side of data safety, in one object the AppController owns.

- ``open_session(paths)``: the safe opening order (``startup_checks``);
- ``folder_opened(paths)``: notices, then, after the data is on screen, the single-instance
  listener and today's backup plus clean-up on a worker thread;
- the Data menu and its jobs; ``shutdown()`` when the window closes.

Built right after the first paint (the Data menu joins the menu bar then); the opener, the
job runner and the store's modules come in on first use.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from .data_menu import DataMenuController
from .locks import FolderLocks
from .notices import NoticeArea

log = logging.getLogger("regenlog.ui.safety")


class DataSafety(QObject):
    activated = Signal()  # a later launch on this folder asked the window to come forward
    maintenanceDone = Signal(object)  # noqa: N815 (the folder's DataPaths)

    def __init__(self, app):
        super().__init__(app)
        self.app = app
        self.window = app.window
        self.notices = NoticeArea(app.window.notice_area)
        self.locks = FolderLocks()
        if app.startup_lock is not None:
            self.locks.adopt(app.paths, app.startup_lock)
        self._opener = None
        self._runner = None
        self.menu = DataMenuController(app, self)
        self.server = None  # InstanceServer, once data is on screen (QtNetwork loads late)
        self.started = False  # a folder has been opened once in this window
        self.maintained: set[Path] = set()
        self.cloud_warned: set[Path] = set()
        self.notices_for: Path | None = None
        self.activations = 0
        self.user_job = None
        self.stopped = False

    @property
    def opener(self):
        if self._opener is None:
            from .startup_checks import FolderOpener

            app = self.app
            self._opener = FolderOpener(
                app.window, app.today, app.formats,
                interactive=lambda: app.interactive and not app._quitting, locks=self.locks,
            )
        return self._opener

    @property
    def runner(self):
        if self._runner is None:
            from .workers import JobRunner

            self._runner = JobRunner(self)
        return self._runner

    # -- opening ---------------------------------------------------------------------------
    def open_session(self, paths):
        current = self.app.paths if self.app.session is not None else None
        return self.opener.open_session(paths, at_startup=not self.started, current=current)

    def folder_opened(self, paths) -> None:
        """The folder is the window's now: let go of any other, show its notices, and
        schedule what waits until its data is on screen."""
        self.started = True
        if any(root != paths.root for root in self.locks.held):
            if self._runner is not None:
                self._runner.wait()  # a clean-up of the previous folder needs its lock to the end
            self.locks.keep_only(paths)
        if paths.root != self.notices_for:  # notices are about one folder: not the next
            self.notices.clear()
            self.notices_for = paths.root
        for notice in self.opener.pending:
            if notice.key == "cloud":
                if paths.root in self.cloud_warned:
                    continue
                self.cloud_warned.add(paths.root)
            self.notices.show(notice.key, notice.text, notice.kind)
        self.opener.pending = []
        self.menu.view.set_enabled(True)
        QTimer.singleShot(0, lambda: self._after_data_ready(paths))

    def _after_data_ready(self, paths) -> None:
        if self.stopped or self.app.session is None or self.app.paths != paths:
            return
        self._listen(paths)
        if paths.root in self.maintained:
            return
        self.maintained.add(paths.root)
        from .maintenance import run_maintenance

        def finished(warning) -> None:
            if warning and self.app.paths == paths and self.app.session is not None:
                self.notices.show("backup", warning)
            self.maintenanceDone.emit(paths)

        self.runner.start(lambda _progress, cancelled: run_maintenance(paths, cancelled),
                          finished, finished)

    # -- one window per folder -------------------------------------------------------------
    def _listen(self, paths) -> None:
        from .single_instance import InstanceServer

        if self.server is None:
            self.server = InstanceServer(self)
            self.server.activateRequested.connect(self.bring_to_front)
        if not self.server.listen(paths.root):
            log.warning("single-instance listener could not start")

    def bring_to_front(self) -> None:
        window = self.window
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()
        self.activations += 1
        self.activated.emit()

    # -- the Data menu's jobs --------------------------------------------------------------
    def busy_with_user_job(self) -> bool:
        return self.user_job is not None

    def run_user_job(self, title: str, label: str, work, on_done, on_failed, *,
                     cancellable: bool = False):
        """Run a Data-menu job with a progress dialog; returns the SafetyJob."""
        def finish(callback, value) -> None:
            self.user_job = None
            callback(value)

        from .workers import run_with_progress

        self.user_job = run_with_progress(
            self.runner, self.window, title, label, work,
            on_done=lambda value: finish(on_done, value),
            on_failed=lambda text: finish(on_failed, text),
            cancellable=cancellable,
        )
        return self.user_job

    # -- closing ---------------------------------------------------------------------------
    def shutdown(self) -> None:
        """The window is closing: finish or cancel jobs, stop listening, let the folder go."""
        if self.stopped:
            return
        self.stopped = True
        if self._runner is not None:
            self._runner.stop()
        if self.server is not None:
            self.server.close()
        self.locks.release_all()
        from ...store.logging_setup import stop_logging

        stop_logging()
