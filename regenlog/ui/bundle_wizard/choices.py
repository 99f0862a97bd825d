"""What the first step lists: one person's treatments with what was paid for each, read
through the core's list queries and money figures (no SQL here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ...core.reimbursement.amounts import treatment_money
from ...core.search import ListQuery


@dataclass(frozen=True)
class TreatmentChoice:
    id: int
    date_of_service: dt.date
    category: str  # the category's label ("Stem cells (bone marrow)")
    site: str  # "Right knee", or "" for an IV drip
    paid_cents: int
    description: str


def people(session) -> list[tuple[int, str]]:
    """(id, name) of every person, by name."""
    return sorted(session.lists.choices("person", limit=10_000), key=lambda p: p[1].casefold())


def treatments_of(session, person_id: int) -> list[TreatmentChoice]:
    """The person's live treatments, newest first, with the amount paid for each."""
    lists = session.lists
    ids = lists.ids(ListQuery("treatment", sort="date_of_service", descending=True,
                              scope=(("person_id", person_id),)))
    money = treatment_money(session.services.db, ids)
    out = []
    for t in lists.rows("treatment", ids):
        side = t.side.label if t.side.value != "none" else ""
        site = " ".join(p for p in (side, t.body_site) if p)
        paid = money[t.id].paid_cents if t.id in money else 0
        out.append(TreatmentChoice(t.id, t.date_of_service, t.category.label, site[:1].upper() + site[1:],
                                   paid, t.description or t.indication))
    return out


def person_of(session, treatment_id: int) -> int | None:
    """The person a treatment is for (None when it is gone)."""
    rows = session.lists.rows("treatment", [treatment_id])
    return rows[0].person_id if rows else None
