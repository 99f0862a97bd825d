"""Deadlines as a service: what falls due soon (the dashboard's list), and the same as an
iCalendar file the patient adds to any calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..ports import Database
    from ..upcoming import UpcomingDeadline

# A calendar is for planning ahead: a year, where the dashboard looks 120 days out.
CALENDAR_HORIZON_DAYS = 365


class Deadlines:
    def __init__(self, db: Database):
        self.db = db

    def upcoming(self, today: dt.date, horizon_days: int = 120) -> list[UpcomingDeadline]:
        """Every deadline due from ``today`` to ``today + horizon_days``, soonest first."""
        from ..upcoming import upcoming_deadlines

        return upcoming_deadlines(self.db, today, horizon_days)

    def write_calendar(
        self, today: dt.date, target: Path, *, horizon_days: int = CALENDAR_HORIZON_DAYS,
        now: dt.datetime | None = None,
    ) -> int:
        """Write the deadlines due from ``today`` to ``today + horizon_days`` to ``target`` as
        an iCalendar file, atomically (the old file or the whole new one); returns how many
        events it holds. OSError when the file cannot be written."""
        from ..calendar_ics import deadlines_to_ics
        from ..fileio import write_bytes_atomic

        items = self.upcoming(today, horizon_days)
        text = deadlines_to_ics(items, now=now or dt.datetime.now(dt.UTC))
        write_bytes_atomic(Path(target), text.encode("utf-8"))
        return len(items)
