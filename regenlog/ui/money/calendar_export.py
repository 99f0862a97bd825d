"""Export deadlines to calendar (.ics)…: every deadline of the next twelve months as all-day
events with a reminder a week before, written atomically (the old file or the whole new
one). Importing a newer export into the same calendar updates the events (stable UIDs)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from ...core.calendar_ics import deadlines_to_ics
from ...core.fileio import write_bytes_atomic
from ...core.upcoming import upcoming_deadlines

HORIZON_DAYS = 365  # a calendar is for planning ahead: a year, not the dashboard's 120 days
FILE_NAME = "regenlog-deadlines.ics"


def export_deadlines(db, today: dt.date, target: Path, *, horizon_days: int = HORIZON_DAYS,
                     now: dt.datetime | None = None) -> int:
    """Write the deadlines due from ``today`` to ``today + horizon_days`` to ``target`` as an
    iCalendar file; returns how many events it holds."""
    items = upcoming_deadlines(db, today, horizon_days)
    text = deadlines_to_ics(items, now=now or dt.datetime.now(dt.UTC))
    write_bytes_atomic(Path(target), text.encode("utf-8"))
    return len(items)


def export_deadlines_dialog(session, window) -> Path | None:
    """Ask where to save, write the file, say what was written in the status bar."""
    today = session.today()
    if not upcoming_deadlines(session.services.db, today, HORIZON_DAYS):
        QMessageBox.information(
            window, "No deadlines to export",
            "No deadline falls in the next twelve months, so there is nothing to add to a "
            "calendar.",
        )
        return None
    name, _ = QFileDialog.getSaveFileName(
        window, "Export deadlines to a calendar", str(Path.home() / FILE_NAME),
        "Calendar file (*.ics)",
    )
    if not name:
        return None
    target = Path(name)
    if target.suffix.lower() != ".ics":
        target = target.with_name(target.name + ".ics")
    try:
        count = export_deadlines(session.services.db, today, target)
    except OSError as error:
        QMessageBox.warning(window, "The calendar file was not saved",
                            f"RegenLog could not write {target}: {error.strerror or error}.")
        return None
    window.statusBar().showMessage(
        f"Saved {count} deadline{'s' if count != 1 else ''} to {target}. Open it with your "
        "calendar to add them; a newer export updates the same events.", 15000,
    )
    return target
