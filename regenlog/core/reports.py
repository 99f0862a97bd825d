"""Money reports: per year and person, per month for the chart, and as a CSV file.

Everything is grouped by the treatment's date of service (the year the care was received),
so the yearly table, the monthly chart and each treatment's own figures always add up to the
same totals. The figures themselves come from ``reimbursement`` (paid, reimbursed by source,
paid to providers, awaiting an answer, outstanding, still claimable, never counting a dollar
twice) and ``reimbursement.hsa`` (which treatments the HSA may still repay).

Core never imports the store, so the CSV is written here with a small atomic write of its
own: a temporary file in the target's folder, flushed to disk, then renamed over the target.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path

from sqlmodel import Session, select

from . import models as m
from .enums import ClaimDestination
from .fileio import write_bytes_atomic
from .ports import Database, HasDatabase, database_of
from .reimbursement.amounts import TreatmentMoney, load_money
from .reimbursement.hsa import hsa_eligible_ids
from .text import printable


@dataclass(frozen=True)
class ReportRow:
    """One person's money for one year (``year``/``person_id`` None on a total row)."""

    year: int | None
    person_id: int | None
    person_name: str
    treatments: int = 0
    paid_cents: int = 0
    reimbursed_insurer_cents: int = 0
    reimbursed_hsa_cents: int = 0
    reimbursed_fsa_cents: int = 0
    paid_to_providers_cents: int = 0
    awaiting_cents: int = 0
    outstanding_cents: int = 0
    still_claimable_cents: int = 0
    hsa_eligible_unreimbursed_cents: int = 0

    @property
    def reimbursed_cents(self) -> int:
        return self.reimbursed_insurer_cents + self.reimbursed_hsa_cents + self.reimbursed_fsa_cents


_SUMMED = [f.name for f in fields(ReportRow) if f.name not in ("year", "person_id", "person_name")]


@dataclass(frozen=True)
class MonthPoint:
    """The money of the treatments received in one month (``month`` is its first day)."""

    month: dt.date
    paid_cents: int = 0
    reimbursed_cents: int = 0
    awaiting_cents: int = 0
    outstanding_cents: int = 0


def _money(session: Session, year: int | None, person_id: int | None) -> dict[int, TreatmentMoney]:
    return {
        tid: t for tid, t in load_money(session).items()
        if (year is None or t.date_of_service.year == year)
        and (person_id is None or t.person_id == person_id)
    }


def report_rows(db: Database | HasDatabase, year: int | None = None, person_id: int | None = None) -> list[ReportRow]:
    """A row per (year, person) that has live treatments, sorted by year then name.

    Outstanding and HSA-eligible amounts are summed per treatment, so one treatment's
    over-reimbursement never hides another's outstanding balance.
    """
    db = database_of(db)
    with db.session() as session:
        money = _money(session, year, person_id)
        eligible = hsa_eligible_ids(session, money)
        names = dict(session.exec(select(m.Person.id, m.Person.name)).all())
    groups: dict[tuple[int, int], dict[str, int]] = {}
    for tid, t in money.items():
        sums = groups.setdefault((t.date_of_service.year, t.person_id), dict.fromkeys(_SUMMED, 0))
        sums["treatments"] += 1
        sums["paid_cents"] += t.paid_cents
        for source in ClaimDestination:
            sums[f"reimbursed_{source}_cents"] += t.reimbursed_by(source)
        sums["paid_to_providers_cents"] += t.paid_to_provider_cents
        sums["awaiting_cents"] += t.awaiting_cents
        sums["outstanding_cents"] += t.outstanding_cents
        sums["still_claimable_cents"] += t.still_claimable_cents
        if tid in eligible:
            sums["hsa_eligible_unreimbursed_cents"] += t.claimable_cents("hsa")
    rows = [
        ReportRow(year=y, person_id=p, person_name=names.get(p, ""), **sums)
        for (y, p), sums in groups.items()
    ]
    return sorted(rows, key=lambda r: (r.year, r.person_name.casefold(), r.person_id))


def totals(rows: Iterable[ReportRow], label: str = "Total") -> ReportRow:
    """The sum of ``rows`` as one row with no year and no person."""
    rows = list(rows)
    return ReportRow(
        year=None, person_id=None, person_name=label,
        **{name: sum(getattr(r, name) for r in rows) for name in _SUMMED},
    )


def monthly_series(
    db: Database | HasDatabase, year: int | None = None, person_id: int | None = None
) -> list[MonthPoint]:
    """One point per month, no gaps: every month of ``year``, or from the first to the last
    month with a treatment. Empty when there is nothing to show."""
    db = database_of(db)
    with db.session() as session:
        money = _money(session, year, person_id)
    if not money:
        return []
    buckets: dict[dt.date, list[int]] = {}
    for t in money.values():
        month = t.date_of_service.replace(day=1)
        sums = buckets.setdefault(month, [0, 0, 0, 0])
        sums[0] += t.paid_cents
        sums[1] += t.reimbursed_cents
        sums[2] += t.awaiting_cents
        sums[3] += t.outstanding_cents
    if year is not None:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 1)
    else:
        first, last = min(buckets), max(buckets)
    points, month = [], first
    while month <= last:
        points.append(MonthPoint(month, *buckets.get(month, (0, 0, 0, 0))))
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return points


# -- CSV -------------------------------------------------------------------------------------
CSV_HEADER = [
    "Year", "Person", "Treatments", "Paid", "Reimbursed by insurer", "Reimbursed by HSA",
    "Reimbursed by FSA", "Reimbursed in all", "Paid to providers by payers",
    "Awaiting an answer", "Outstanding", "Still claimable", "HSA-eligible not yet reimbursed",
]


def _amount(cents: int) -> str:
    """1234.56: no currency sign or thousands separator, so every spreadsheet reads a number."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"


def _text(value: str) -> str:
    """Names typed by a person could start a formula in a spreadsheet, or hold terminal
    escapes for whoever prints the file: make them plain text."""
    value = printable(value)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def report_csv(rows: Iterable[ReportRow], *, with_total: bool = True) -> str:
    """The rows (and a total row) as CSV text, CRLF line ends as RFC 4180 says."""
    rows = list(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in [*rows, *([totals(rows)] if with_total and rows else [])]:
        writer.writerow([
            "All" if row.year is None else row.year,
            _text(row.person_name),
            row.treatments,
            _amount(row.paid_cents),
            _amount(row.reimbursed_insurer_cents),
            _amount(row.reimbursed_hsa_cents),
            _amount(row.reimbursed_fsa_cents),
            _amount(row.reimbursed_cents),
            _amount(row.paid_to_providers_cents),
            _amount(row.awaiting_cents),
            _amount(row.outstanding_cents),
            _amount(row.still_claimable_cents),
            _amount(row.hsa_eligible_unreimbursed_cents),
        ])
    return buffer.getvalue()


def write_report_csv(rows: Iterable[ReportRow], target: Path, *, with_total: bool = True) -> None:
    """Write ``report_csv`` to ``target`` atomically: the old file or the whole new one,
    never half of it. UTF-8 with a byte-order mark, which spreadsheet programs need to show
    accented names correctly."""
    write_bytes_atomic(Path(target), report_csv(rows, with_total=with_total).encode("utf-8-sig"))
