"""The human output of ``regenlog check``: gaps grouped by treatment, errors first."""

from __future__ import annotations

from sqlmodel import col, select

from .. import models as m
from ..enums import Category
from .gap import ERROR, INFO, SEVERITY_RANK, WARNING, Gap
from .runner import CheckResult

_DESTINATION_NAMES = {
    None: "all destinations",
    "insurer": "an insurer claim",
    "hsa": "an HSA reimbursement",
    "fsa": "an FSA reimbursement",
    "appeal": "an appeal",
}


def _headings(db, treatment_ids: set[int]) -> dict[int, str]:
    """'2026-03-14  PRP (right knee)  Dana Whitfield  [treatment 3]' per treatment, in one query."""
    if not treatment_ids:
        return {}
    T, P = m.Treatment, m.Person
    with db.session() as s:
        rows = s.exec(
            select(T.id, T.date_of_service, T.category, T.body_site, T.side, P.name)
            .join(P, col(P.id) == T.person_id)
            .where(col(T.id).in_(treatment_ids))
        ).all()
    out = {}
    for tid, day, category, site, side, person in rows:
        where = f"{side} {site}" if site and side != "none" else site
        what = Category(category).label + (f", {where}" if where else "")
        out[tid] = f"{day}  {what}  {person}  [treatment {tid}]"
    return out


def format_line(gap: Gap) -> str:
    return f"{gap.severity.upper()}  {gap.rule}  {gap.message} -> Fix: {gap.fix}"


def count_line(result: CheckResult) -> str:
    counts = result.counts_by_severity()
    n_err, n_warn, n_info = counts[ERROR], counts[WARNING], counts[INFO]
    return (
        f"{n_err} error{'s' * (n_err != 1)}, {n_warn} warning{'s' * (n_warn != 1)}, "
        f"{n_info} info."
    )


def format_report(result: CheckResult, db) -> str:
    """Grouped by treatment in date order (each heading: date, category, person), errors then
    warnings then info within a group, then the records not tied to a treatment, then a
    count line. Each gap is one line: ``ERROR  receipt.missing  <message> -> Fix: <fix>``."""
    heading = "Documentation check"
    if result.today:
        heading += f" on {result.today}"
    heading += f" for {_DESTINATION_NAMES.get(result.destination, result.destination)}"
    heading += f" (ICD-10-CM {result.code_set_version})"
    lines = [heading, ""]
    if not result.gaps:
        lines += ["Nothing is missing: every rule passed.", ""]
    groups: dict[int | None, list[Gap]] = {}
    for gap in result.gaps:
        groups.setdefault(gap.treatment_id, []).append(gap)
    titles = _headings(db, {tid for tid in groups if tid is not None})

    def group_order(tid):
        title = titles.get(tid, "")
        return (tid is None, title[:10], tid or 0)

    for tid in sorted(groups, key=group_order):
        lines.append("Not tied to a treatment" if tid is None else titles.get(tid, f"Treatment {tid}"))
        # The result is sorted by severity first; keep that order (stable) inside each group.
        for gap in sorted(groups[tid], key=lambda g: SEVERITY_RANK[g.severity]):
            lines.append("  " + format_line(gap))
        lines.append("")
    lines.append(count_line(result))
    return "\n".join(lines) + "\n"
