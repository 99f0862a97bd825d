"""The Data menu: back up now, restore from a backup, verify, and the automatic backups.

The menu joins the menu bar right after the first paint (a few actions); what each item does
loads the store's modules only when chosen. Long work runs on the DataSafety's JobRunner.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from ..widgets import ask

ARCHIVE_FILTER = "RegenLog backup (*.zip)"
LAST_FOLDER_KEY = "backup/last_folder"


class DataMenuView:
    """The menu and its actions, inserted into the window's menu bar before Help."""

    def __init__(self, window):
        def action(text: str, name: str) -> QAction:
            act = QAction(text, window)
            act.setObjectName(name)
            return act

        self.backup_action = action("&Back up now…", "backupNow")
        self.restore_action = action("&Restore from a backup…", "restoreBackup")
        self.verify_action = action("&Verify data", "verifyData")
        self.folder_action = action("Show backups &folder", "showBackupsFolder")
        self.automatic_action = action("&Automatic backups…", "automaticBackups")
        bar = window.menuBar()
        self.menu = bar.addMenu("&Data")
        help_menu = next((a for a in bar.actions() if a.text() == "&Help"), None)
        if help_menu is not None:  # keep Help last, where every platform expects it
            bar.insertMenu(help_menu, self.menu)
        for act in (self.backup_action, self.restore_action, self.verify_action):
            self.menu.addAction(act)
        self.menu.addSeparator()
        self.menu.addAction(self.automatic_action)
        self.menu.addAction(self.folder_action)

    def set_enabled(self, enabled: bool) -> None:
        for act in (self.backup_action, self.restore_action, self.verify_action,
                    self.automatic_action, self.folder_action):
            act.setEnabled(enabled)


class DataMenuController:
    def __init__(self, app, safety):
        self.app, self.safety = app, safety
        self.view = DataMenuView(app.window)
        self.view.set_enabled(False)  # until a folder is open
        self.view.backup_action.triggered.connect(self.back_up_now)
        self.view.restore_action.triggered.connect(self.restore)
        self.view.verify_action.triggered.connect(self.verify)
        self.view.folder_action.triggered.connect(self.show_backups_folder)
        self.view.automatic_action.triggered.connect(self.show_automatic_backups)
        self.last_message = ""  # the last result sentence shown (tests, screen readers)
        self.dialog = None  # the result dialog that is up

    @property
    def window(self):
        return self.app.window

    def _paths(self):
        return self.app.paths if self.app.session is not None else None

    def _start_folder(self) -> Path:
        value = self.app.settings.store.value(LAST_FOLDER_KEY, "")
        folder = Path(value) if isinstance(value, str) and value else Path.home()
        return folder if folder.is_dir() else Path.home()

    # -- back up now -----------------------------------------------------------------------
    def back_up_now(self) -> None:
        paths = self._paths()
        if paths is None or self.safety.busy_with_user_job():
            return
        from PySide6.QtWidgets import QFileDialog

        from ...store.archive import default_archive_name, write_archive

        name, _ = QFileDialog.getSaveFileName(
            self.window, "Back up your records",
            str(self._start_folder() / default_archive_name()), ARCHIVE_FILTER,
        )
        if not name:
            return
        target = Path(name)
        if target.suffix.lower() != ".zip":
            target = target.with_name(target.name + ".zip")
        self.app.settings.store.setValue(LAST_FOLDER_KEY, str(target.parent))

        def done(report) -> None:
            self._tell("information", "Backup written", report.summary() + (
                " Keep it on another disk or in the cloud: it holds everything needed to "
                "restore your records."))

        def failed(text: str) -> None:
            if job.cancel_requested:  # the patient's own choice: no warning box
                self.window.statusBar().showMessage(text, 10000)
                self.last_message = text
            else:
                self._tell("warning", "The backup was not written", text)

        job = self.safety.run_user_job(
            "Backing up", f"Writing {target.name}…",
            lambda progress, cancelled: write_archive(
                paths, target, progress=progress, cancelled=cancelled),
            done, failed, cancellable=True,
        )

    # -- restore ---------------------------------------------------------------------------
    def restore(self) -> None:
        paths = self._paths()
        if paths is None or self.safety.busy_with_user_job():
            return
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(
            self.window, "Restore from a backup", str(self._start_folder()),
            f"{ARCHIVE_FILTER};;All files (*)",
        )
        if not name:
            return
        archive = Path(name)
        if not ask(
            self.window, "Restore from this backup?",
            f"Your records will be replaced by the ones in {archive.name}.\n\n"
            "Your records as they are now are kept first, as a backup in the backups folder, "
            "so you can go back to them.",
        ):
            return
        if not self.app.close_folder():  # every connection closed: restore replaces the file
            return
        self.window.loading.setText("Restoring your backup…")
        self.window.stack.setCurrentWidget(self.window.loading)
        from ...store.archive import restore_archive

        def reopen() -> bool:
            self.window.loading.setText("Opening your records…")
            return self.app.open_folder(paths)

        def done(report) -> None:
            if reopen():
                self._tell("information", "Backup restored", report.summary())

        def failed(text: str) -> None:
            reopen()
            self._tell("warning", "Nothing was restored", text)

        self.safety.run_user_job(
            "Restoring", f"Checking and restoring {archive.name}…",
            lambda progress, _cancelled: restore_archive(paths, archive, progress=progress),
            done, failed, cancellable=False,
        )

    # -- verify ----------------------------------------------------------------------------
    def verify(self) -> None:
        paths = self._paths()
        if paths is None or self.safety.busy_with_user_job():
            return
        from ...store.verify import verify_data_folder
        from .verify_dialog import VerifyResultDialog

        def done(report) -> None:
            self.last_message = report.summary()
            self.dialog = VerifyResultDialog(report, self.window)
            self.dialog.open()

        self.safety.run_user_job(
            "Verifying", "Checking the database and every attached file…",
            lambda progress, _cancelled: verify_data_folder(paths, progress=progress),
            done, lambda text: self._tell("warning", "Verification did not finish", text),
        )

    # -- backups folder and list -----------------------------------------------------------
    def show_backups_folder(self) -> None:
        paths = self._paths()
        if paths is not None:
            from .backups_dialog import show_folder

            show_folder(paths.backups)

    def show_automatic_backups(self) -> None:
        paths = self._paths()
        if paths is None:
            return
        from .backups_dialog import BackupsDialog

        self.dialog = BackupsDialog(paths, self.app.formats, self.window)
        self.dialog.open()

    def _tell(self, kind: str, title: str, text: str) -> None:
        self.last_message = text
        getattr(QMessageBox, kind)(self.window, title, text)
