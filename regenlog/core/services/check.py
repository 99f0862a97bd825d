"""The documentation check as a service: the whole check, one treatment's checklist, and the
report the command line prints. The rules load on first use, not with the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..checklist import ChecklistItem, CheckResult
    from ..ports import Database


class Check:
    def __init__(self, db: Database):
        self.db = db

    def run(
        self, *, today: dt.date, destination: str | None = None,
        treatment_ids: Iterable[int] | None = None,
    ) -> CheckResult:
        """Every gap (see ``checklist.run_check``): all destinations, or one bundle's."""
        from ..checklist import run_check

        return run_check(self.db, today=today, destination=destination,
                         treatment_ids=treatment_ids)

    def treatment_checklist(
        self, treatment_id: int, *, today: dt.date, destination: str | None = None
    ) -> list[ChecklistItem]:
        """Every rule's line for one treatment (see ``checklist.treatment_checklist``)."""
        from ..checklist import treatment_checklist

        return treatment_checklist(self.db, treatment_id, today=today, destination=destination)

    def report(self, result: CheckResult) -> str:
        """The text ``regenlog check`` prints for ``result``."""
        from ..checklist import format_report

        return format_report(result, self.db)
