"""The human output of ``regenlog check``: the bundle's paperwork, then the patient's own
money and deadlines, each grouped by treatment with errors first, then the count; never
"Nothing is missing" while any rule, of any destination, finds something."""

from __future__ import annotations

from sqlmodel import col

from .. import models as m
from ..enums import Category
from ..ports import Database
from ..sql import select_columns
from ..text import plural
from ..vocabulary import About, Destination, Severity
from .gap import Gap
from .runner import CheckResult

# Short names for the tables the queries below read.
T, P = m.Treatment, m.Person


def _headings(db: Database, treatment_ids: set[int]) -> dict[int, str]:
    """'2026-03-14  PRP (right knee)  Dana Whitfield  [treatment 3]' per treatment, in one query."""
    if not treatment_ids:
        return {}
    with db.session() as s:
        rows = s.exec(
            select_columns(T.id, T.date_of_service, T.category, T.body_site, T.side, P.name)
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
    return (
        f"{plural(counts[Severity.error], 'error')}, "
        f"{plural(counts[Severity.warning], 'warning')}, {counts[Severity.info]:,} info."
    )


def section_titles(destination: Destination | None) -> dict[About, str]:
    """How the report (and the app) heads the bundle's findings and the patient's own."""
    if destination is None:
        return {About.bundle: "Paperwork a claim or reimbursement needs",
                About.patient: "About your own money and deadlines"}
    return {About.bundle: f"What the {Destination(destination).bundle_name} bundle still needs",
            About.patient: "About your own money and deadlines (not part of the bundle)"}


def others_line(n: int) -> str:
    return (f"{plural(n, 'other finding')} {'are' if n != 1 else 'is'} about "
            "paperwork other bundles need; `regenlog check` lists everything.")


def format_report(result: CheckResult, db: Database) -> str:
    """The bundle's paperwork, then the patient's own money and deadlines (each titled),
    grouped by treatment in date order (each heading: date, category, person), errors then
    warnings then info within a group, the records not tied to a treatment last; then a
    count line. Each gap is one line: ``ERROR  receipt.missing  <message> -> Fix: <fix>``."""
    heading = "Documentation check"
    if result.today:
        heading += f" on {result.today}"
    destination = result.destination
    heading += f" for {destination.for_phrase if destination else 'all destinations'}"
    heading += f" (ICD-10-CM {result.code_set_version})"
    lines = [heading, ""]
    if not result.gaps and not result.others:
        lines += ["Nothing is missing: every rule passed.", ""]
    titles = _headings(db, {g.treatment_id for g in result.gaps if g.treatment_id is not None})
    names = section_titles(destination)
    for about in About:
        mine = [g for g in result.gaps if g.about == about]
        if mine:
            lines += [f"{names[about]}:", ""]
            lines += _grouped(mine, titles)
        elif about == About.bundle and destination is not None and (result.gaps or result.others):
            lines += [f"The {destination.bundle_name} bundle's paperwork is complete.", ""]
    lines.append(count_line(result))
    if result.others:
        lines.append(others_line(result.others))
    return "\n".join(lines) + "\n"


def _grouped(gaps: list[Gap], titles: dict[int, str]) -> list[str]:
    groups: dict[int | None, list[Gap]] = {}
    for gap in gaps:
        groups.setdefault(gap.treatment_id, []).append(gap)

    def group_order(tid):
        title = titles.get(tid, "")
        return (tid is None, title[:10], tid or 0)

    lines = []
    for tid in sorted(groups, key=group_order):
        lines.append("Not tied to a treatment" if tid is None else titles.get(tid, f"Treatment {tid}"))
        # The result is sorted by severity first; keep that order (stable) inside each group.
        for gap in sorted(groups[tid], key=lambda g: g.severity.rank):
            lines.append("  " + format_line(gap))
        lines.append("")
    return lines
