"""What runs on a worker thread once a folder's data is on screen: today's automatic backup,
then the removal of leftovers and of attached files nothing refers to any more."""

from __future__ import annotations

import logging
import sqlite3

log = logging.getLogger("regenlog.ui.safety")


def run_maintenance(paths, cancelled=lambda: False) -> str | None:
    """Returns a sentence for the patient when the backup could not be made, else None.

    Never raises for a backup or clean-up that fails: neither may keep anyone from their
    records. Holds no connection of the window's: both steps open their own, read-only for
    the clean-up.
    """
    from ...store.backups import collect_garbage, daily_backup
    from ...store.sqlite_backup import BackupError

    warning = None
    try:
        if daily_backup(paths) is not None:
            log.info("daily backup written")
    except (BackupError, OSError) as error:
        reason = str(error) if isinstance(error, BackupError) else (error.strerror or str(error))
        warning = (
            f"RegenLog could not make today's automatic backup: {reason} Your records are "
            "unchanged; use Data ▸ Back up now… to keep a copy elsewhere."
        )
        log.warning("daily backup failed", exc_info=True)
    if cancelled():
        return warning
    try:
        report = collect_garbage(paths)
        if report.removed_files or report.removed_leftovers:
            log.info("clean-up removed %d unreferenced files (%d bytes) and %d leftovers",
                     report.removed_files, report.removed_bytes, report.removed_leftovers)
    except (OSError, sqlite3.Error):
        log.warning("clean-up of unreferenced files failed", exc_info=True)
    return warning
