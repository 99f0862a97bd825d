"""Loading ``Facts``: about twenty bulk queries (``queries.py``) in one read transaction.

Nothing loads one record at a time and nothing builds ORM objects; each table is read once
and folded into the dictionaries the rules look up. Only live records are loaded: the trash
is not paperwork anyone will send.

With ``treatment_ids`` the load is scoped: those treatments and what hangs off them, plus the
person-level records (calls, letters, labs, determinations, accounts, financing) of the
people they belong to, since a bundle for one treatment still needs its call log and letter.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

from ..ports import Database, RowReader
from . import queries as q
from .facts import Facts, Letter

RowT = TypeVar("RowT", bound=tuple[Any, ...])
Named = TypeVar("Named", bound=NamedTuple)


def load_facts(db: Database, treatment_ids: Iterable[int] | None = None) -> Facts:
    """Everything the rules read, for all live records or for the chosen treatments."""
    scope = None if treatment_ids is None else frozenset(int(t) for t in treatment_ids)
    facts = Facts(scope=scope)
    with db.row_reader() as reader:
        _Loader(reader, scope).fill(facts)
    return facts


def _group(rows: list[Named], key: str) -> dict[int, list[Named]]:
    """Rows by one of their columns. The queries order rows by it, so groupby (in C) folds
    whole runs instead of a Python step per row; out-of-order rows would still be kept."""
    out: dict[int, list[Named]] = {}
    if rows:
        by = itemgetter(rows[0]._fields.index(key))
        for k, run in groupby(rows, key=by):
            out.setdefault(k, []).extend(run)
    return out


class _Loader:
    def __init__(self, reader: RowReader, scope: frozenset[int] | None):
        self.reader, self.scope = reader, scope
        self.people: set[int] | None = None  # the scoped treatments' people

    def rows(self, query: q.Query[RowT]) -> list[RowT]:
        return query.run(self.reader, self.scope, self.people)

    def fill(self, facts: Facts) -> None:
        rows = self.rows(q.TREATMENTS)
        facts.treatments = dict(zip(map(itemgetter(0), rows), rows, strict=True))
        if self.scope is not None:
            self.people = {t.person_id for t in facts.treatments.values()}
        facts.providers = {r.id: r for r in self.rows(q.PROVIDERS)}
        facts.plans = {r.id: r for r in self.rows(q.PLANS)}
        facts.accounts = self.rows(q.ACCOUNTS)
        code_of = itemgetter(1)
        facts.diagnoses = {
            treatment_id: list(map(code_of, run))
            for treatment_id, run in groupby(self.rows(q.DIAGNOSES), key=itemgetter(0))
        }
        facts.procedure_lines = _group(self.rows(q.PROCEDURE_LINES), "treatment_id")
        facts.claims_by_treatment = _group(self.rows(q.CLAIMS), "treatment_id")
        facts.estimates = self.rows(q.ESTIMATES)
        # A receipt of a treatment in the trash is not this run's business.
        facts.receipts = [r for r in self.rows(q.RECEIPTS) if r.treatment_id in facts.treatments]
        facts.receipts_by_treatment = _group(facts.receipts, "treatment_id")
        facts.receipt_lines = {rid: (n, total) for rid, n, total in self.rows(q.RECEIPT_LINE_TOTALS)}
        facts.receipts_with_documents = {r[0] for r in self.rows(q.RECEIPT_DOCUMENTS)}
        facts.treatments_with_payment_documents = {r[0] for r in self.rows(q.TREATMENT_PROOF)}
        facts.labs_by_person = _group(self.rows(q.LABS), "person_id")
        facts.calls = self.rows(q.CALLS)
        facts.determinations = self.rows(q.DETERMINATIONS)
        self._letters(facts)
        facts.financing_plans = self.rows(q.FINANCING_PLANS)
        if facts.financing_plans:
            plans = {p.id for p in facts.financing_plans}
            payments: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
            for plan_id, paid_on, cents in self.rows(q.FINANCING_PAYMENTS):
                if plan_id in plans:
                    payments[plan_id].append((paid_on, cents))
            facts.financing_payments = dict(payments)

    def _letters(self, facts: Facts) -> None:
        none: frozenset[Any] = frozenset()
        make = Letter._make
        by_person, by_code, by_treatment = (
            facts.letters_by_person, facts.letters_by_code, facts.letters_by_treatment
        )
        for r in self.rows(q.LETTERS):
            codes = frozenset(r.codes.split()) if r.codes else none
            ids = frozenset(map(int, r.treatment_ids.split())) if r.treatment_ids else none
            letter = make((r.id, r.person_id, r.physician_name or "", r.written_on,
                           r.valid_until, codes, ids))
            by_person.setdefault(letter.person_id, []).append(letter)
            for code in codes:
                by_code.setdefault((letter.person_id, code), []).append(letter)
            for treatment_id in ids:
                by_treatment.setdefault(treatment_id, []).append(letter)
