"""Money as a service: each treatment's figures (paid, reimbursed, awaited, still claimable),
and the reports and monthly series the money pages and the dashboard show. Every figure is
the core's (``reimbursement.amounts``); nothing here adds up money on its own."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..ports import Database
    from ..reimbursement import TreatmentMoney
    from ..reports import MonthPoint, ReportRow


class Money:
    def __init__(self, db: Database):
        self.db = db

    def of_treatments(self, treatment_ids: Iterable[int] | None = None) -> dict[int, TreatmentMoney]:
        """The money figures of these treatments (all live ones with None), by id."""
        from ..reimbursement import treatment_money

        return treatment_money(self.db, treatment_ids)


class Reports:
    def __init__(self, db: Database):
        self.db = db

    def rows(self, *, year: int | None = None, person_id: int | None = None) -> list[ReportRow]:
        """One row per year and person (see ``reports.report_rows``)."""
        from ..reports import report_rows

        return report_rows(self.db, year=year, person_id=person_id)

    def monthly(self, *, year: int | None = None, person_id: int | None = None) -> list[MonthPoint]:
        """Paid and reimbursed per month (see ``reports.monthly_series``)."""
        from ..reports import monthly_series

        return monthly_series(self.db, year=year, person_id=person_id)
