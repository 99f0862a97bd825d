"""Opening a data folder in the order that keeps it safe.

1. the writer lock (one RegenLog per folder; a lock left by a crashed one is simply free),
2. a cloud-synced folder draws a notice (once, never blocking),
3. files other users can read: offer to make them private,
4. the log goes to this folder,
5. the database opens; a damaged one is offered its newest good backup, a newer one is
   refused with its sentence.

The daily backup and the garbage collection come after the data is on screen, on a worker
thread (``guard.DataSafety``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox

from ..widgets import ask
from .locks import FolderLocks


class Stopped(Exception):  # noqa: N818 (not an error: the patient chose to stop)
    """The patient has been told why the folder cannot be opened and chose not to go on;
    ``str()`` is the sentence, for the log and ``--quit-after-startup``."""


class PendingNotice:
    """A notice decided while opening, shown once the folder is the window's."""

    def __init__(self, key: str, text: str, kind: str = "warning"):
        self.key, self.text, self.kind = key, text, kind


class FolderOpener:
    """Runs steps 1-5 for one folder and returns its DataSession, or raises ``Stopped`` or
    the store's error (``RegenLogError``/``OSError``) with the folder left as it was."""

    def __init__(self, window, today, formats, interactive: Callable[[], bool],
                 locks: FolderLocks):
        self.window, self.today, self.formats = window, today, formats
        self.interactive = interactive
        self.locks = locks
        self.pending: list[PendingNotice] = []

    def open_session(self, paths, *, at_startup: bool, current=None):
        from ...store.logging_setup import configure_logging

        self.pending = []
        newly_locked = self.locks.take(paths)
        try:
            self._check_cloud(paths)
            self._check_permissions(paths)
            configure_logging(paths)
            return self._open_database(paths, at_startup)
        except BaseException:
            if newly_locked:
                self.locks.release(paths)
            if current is not None:  # the log stays with the folder that stays open
                configure_logging(current)
            raise

    # -- 2. cloud --------------------------------------------------------------------------
    def _check_cloud(self, paths) -> None:
        from ...store.cloud import cloud_sync_warning

        warning = cloud_sync_warning(paths.root)
        if warning:
            self.pending.append(PendingNotice("cloud", warning))

    # -- 3. permissions --------------------------------------------------------------------
    def _check_permissions(self, paths) -> None:
        # A folder RegenLog is creating holds nothing yet, and opening it makes it private.
        if not paths.database.exists() or not self.interactive():
            return
        from ...store.permissions import check_permissions, fix_permissions

        problems = check_permissions(paths)
        if not problems:
            return
        if ask(
            self.window, "Your data folder is not private",
            "Other people who use this computer could read your health and insurance "
            "records:\n\n" + "\n".join(f"• {p}" for p in problems)
            + "\n\nMake the data folder private to you now?",
            yes_first=True,
        ):
            try:
                fix_permissions(paths)
            except OSError as error:
                QMessageBox.warning(
                    self.window, "The data folder is still not private",
                    f"RegenLog could not change the permissions ({error.strerror or error}); "
                    "ask the computer's owner to make the folder private to you.",
                )

    # -- 5. the database -------------------------------------------------------------------
    def _open_database(self, paths, at_startup: bool):
        from ...store.database import DatabaseError, NewerDatabaseError
        from ..session import DataSession

        try:
            return DataSession.open(paths, today=self.today)
        except NewerDatabaseError as error:
            if self.interactive():
                from .recovery_dialog import tell_newer

                tell_newer(str(error), self.window, quitting=at_startup)
            raise Stopped(str(error)) from error
        except DatabaseError as error:
            if not self.interactive():
                raise Stopped(str(error)) from error
            recovery = self._recover(paths, error, at_startup)
        session = DataSession.open(paths, today=self.today)
        self.pending.append(PendingNotice("recovered", recovery.summary(), "info"))
        return session

    def _recover(self, paths, error, at_startup: bool):
        """Offer the newest good backup; returns the Recovery, or raises Stopped."""
        from ...core.errors import RegenLogError
        from ...store.recovery import newest_good_backup, recover_from_backup
        from .recovery_dialog import ask_to_restore

        backup = newest_good_backup(paths)
        if not ask_to_restore(paths, backup, str(error), self.formats, self.window,
                              quit_label="Quit" if at_startup else "Cancel"):
            raise Stopped(str(error))
        try:
            return recover_from_backup(paths)
        except (RegenLogError, OSError) as failure:
            text = str(failure) if isinstance(failure, RegenLogError) else (
                f"RegenLog could not restore the backup: {failure.strerror or failure}.")
            QMessageBox.critical(self.window, "The backup could not be restored", text)
            raise Stopped(text) from failure
