"""Finding records: global search across every record type, and the filtered, sorted id lists
behind each list page.

Global search asks the store's FTS5 index (migration 0002). List pages filter with LIKE over
``SEARCH_FIELDS``, ask for the sorted ids of everything that matches (a few milliseconds even
for 50,000 rows) and then load rows by id in chunks as the user scrolls.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from . import models as m
from .dates import local_date, local_day_span, parse_date

# The text each record type is found by, in the order it is indexed. Enums are left out: a
# search for "prp" should find the treatment's words, and category filters do the rest.
SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    "person": ("name", "address", "notes"),
    "insurance_plan": ("insurer", "plan_name", "member_id", "group_number", "notes"),
    "account": ("administrator", "account_number", "notes"),
    "provider": ("name", "credentials", "npi", "address", "notes"),
    "treatment": ("description", "body_site", "indication", "notes"),
    "good_faith_estimate": ("notes",),
    "receipt": ("receipt_number", "notes"),
    "lab_result": ("test", "value", "notes"),
    "insurer_call": ("rep_name", "reference_number", "questions", "answer", "notes"),
    "determination": ("reference_number", "codes_covered", "notes"),
    "medical_necessity_letter": (
        "physician_name", "rationale", "treatment_and_frequency", "notes",
    ),
    "claim": ("notes",),
    "financing_plan": ("lender", "notes"),
    "document": ("title", "original_name", "notes"),
}

RANK_WINDOW = 500

# Which referenced record a list may also be filtered and sorted by, and by which column.
LABEL_COLUMNS: dict[str, str] = {
    "person": "name",
    "provider": "name",
    "insurance_plan": "insurer",
    "account": "administrator",
    "treatment": "description",
}


@dataclass(frozen=True)
class SearchHit:
    record_type: str  # table name, e.g. "insurer_call"
    record_id: int
    title: str
    subtitle: str
    date: dt.date | None


# -- describing a record in one line ----------------------------------------------------------

TYPE_LABELS: dict[str, str] = {
    "person": "Person",
    "insurance_plan": "Insurance plan",
    "account": "HSA/FSA account",
    "provider": "Provider",
    "treatment": "Treatment",
    "good_faith_estimate": "Good Faith Estimate",
    "receipt": "Receipt",
    "lab_result": "Lab result",
    "insurer_call": "Insurer call",
    "determination": "Determination",
    "medical_necessity_letter": "Letter of medical necessity",
    "claim": "Claim",
    "financing_plan": "Financing plan",
    "document": "Document",
}


def record_date(record: m.Record) -> dt.date | None:
    """The date a patient would file the record under."""
    for name in (
        "date_of_service", "paid_on", "called_at", "received_on", "written_on", "submitted_on",
        "purchase_date", "collected_on", "issued_on", "document_date", "opened_on",
    ):
        value = getattr(record, name, None)
        if isinstance(value, dt.date):
            return local_date(value)  # a call's time, on the patient's own calendar
    return None


def describe(record: m.Record) -> tuple[str, str]:
    """A title and a subtitle for a record, in the patient's words."""
    from .money import format_money

    r = record
    if isinstance(r, m.Person):
        return r.name, "Person"
    if isinstance(r, m.InsurancePlan):
        return " ".join(p for p in (r.insurer, r.plan_name) if p), f"Member ID {r.member_id}".strip()
    if isinstance(r, m.Account):
        return f"{r.kind.label} {r.administrator}".strip(), r.account_number
    if isinstance(r, m.Provider):
        return r.name, ", ".join(p for p in (r.credentials, f"NPI {r.npi}" if r.npi else "") if p)
    if isinstance(r, m.Treatment):
        site = " ".join(p for p in (r.side.label if r.side.value != "none" else "", r.body_site) if p)
        title = r.category.label + (f", {site}" if site else "")
        return title, r.description or r.indication
    if isinstance(r, m.GoodFaithEstimate):
        return f"Good Faith Estimate {format_money(r.total_cents)}", ""
    if isinstance(r, m.Receipt):
        number = f" #{r.receipt_number}" if r.receipt_number else ""
        return f"Receipt{number} {format_money(r.total_cents)}", r.payment_method.label
    if isinstance(r, m.LabResult):
        return f"{r.test}: {r.value} {r.unit}".strip(), r.reference_range
    if isinstance(r, m.InsurerCall):
        who = r.rep_name or "unnamed representative"
        return f"Call with {who}", f"{r.outcome.label}" + (
            f", ref. {r.reference_number}" if r.reference_number else ", no reference number"
        )
    if isinstance(r, m.Determination):
        return f"{r.kind.label}: {r.decision.label}", (
            f"Ref. {r.reference_number}" if r.reference_number else ""
        )
    if isinstance(r, m.MedicalNecessityLetter):
        return f"Letter of medical necessity, {r.physician_name}".rstrip(", "), r.treatment_and_frequency
    if isinstance(r, m.Claim):
        return f"{r.destination.label} claim {format_money(r.amount_claimed_cents)}", r.status.label
    if isinstance(r, m.FinancingPlan):
        return f"{r.lender} {format_money(r.amount_cents)}", "Financing plan"
    if isinstance(r, m.Document):
        return r.title or r.original_name, r.original_name
    return f"{type(r).__name__} {r.id}", ""


def _hit(record: m.Record) -> SearchHit:
    title, subtitle = describe(record)
    return SearchHit(record.__tablename__, record.id, title, subtitle, record_date(record))


# -- global search ---------------------------------------------------------------------------

def _words(text_: str) -> list[str]:
    # % and _ are LIKE wildcards and " is FTS syntax: none of them is a word anyone searches.
    cleaned = (text_ or "").replace("%", " ").replace("_", " ").replace('"', " ")
    return [w for w in cleaned.split() if w][:8]


def search_all(db, text_: str, limit: int = 50) -> list[SearchHit]:
    """Records of every type whose text contains every word of ``text_`` (prefixes match),
    live records only, at most ``limit``; documents are found by title and file name.

    The store's full-text index answers (SQLite FTS5); the records it names are then read
    through the models, which also drops anything moved to the trash since."""
    words = _words(text_)
    if not words or limit <= 0:
        return []
    order: list[tuple[str, int]] = []
    for record_type, record_id in db.search_matches(words, window=RANK_WINDOW, limit=limit * 2):
        key = ("treatment" if record_type == "diagnosis_code" else record_type, record_id)
        if key[0] in m.RECORD_TYPES and key not in order:
            order.append(key)
    by_type: dict[str, list[int]] = {}
    for record_type, record_id in order:
        by_type.setdefault(record_type, []).append(record_id)
    found: dict[tuple[str, int], SearchHit] = {}
    with db.session() as session:
        for record_type, ids in by_type.items():
            model = m.RECORD_TYPES[record_type]
            for record in session.exec(
                select(model).where(col(model.id).in_(ids), col(model.deleted_at).is_(None))
            ):
                found[(record_type, record.id)] = _hit(record)
    return [found[key] for key in order if key in found][:limit]


# -- list pages ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListQuery:
    """What a list page shows: one record type, a filter text, a sort and a scope.

    ``sort`` is a column of the model ("date_of_service") or a reference and the referenced
    record's column ("provider_id.name"). ``scope`` holds equality conditions
    ({"treatment_id": 5}) for lists inside a record's page.
    """

    record_type: str
    text: str = ""
    sort: str = "id"
    descending: bool = False
    scope: tuple[tuple[str, Any], ...] = ()


class RecordLists:
    """The queries behind list pages and choice boxes."""

    def __init__(self, db):
        self.db = db

    def ids(self, query: ListQuery) -> list[int]:
        """Ids of the live records matching ``query``, in its order."""
        model = m.RECORD_TYPES[query.record_type]
        statement = select(model.id).where(col(model.deleted_at).is_(None))
        for field, value in query.scope:
            statement = statement.where(getattr(model, field) == value)
        statement = statement.where(*self._filter(model, query.text))
        key, statement = self._sort_key(model, query.sort, statement)
        if query.descending:
            statement = statement.order_by(key.desc(), col(model.id).desc())
        else:
            statement = statement.order_by(key.asc(), col(model.id).asc())
        with self.db.session() as session:
            return list(session.exec(statement))

    def rows(self, record_type: str, ids: Sequence[int]) -> list[m.Record]:
        """The records with these ids, in the same order (missing ones left out)."""
        model = m.RECORD_TYPES[record_type]
        if not ids:
            return []
        with self.db.session() as session:
            found = {r.id: r for r in session.exec(select(model).where(col(model.id).in_(ids)))}
        return [found[i] for i in ids if i in found]

    def labels(self, record_type: str, ids: Iterable[int]) -> dict[int, str]:
        """A one-line label for each of these records (for columns that name a reference)."""
        wanted = sorted({i for i in ids if i is not None})
        out = {}
        for chunk_start in range(0, len(wanted), 500):
            for record in self.rows(record_type, wanted[chunk_start:chunk_start + 500]):
                out[record.id] = self.label(record)
        return out

    @staticmethod
    def label(record: m.Record) -> str:
        title, _ = describe(record)
        when = record_date(record)
        if isinstance(record, m.Treatment | m.InsurerCall | m.Determination | m.Receipt):
            return f"{when.isoformat() if when else ''} {title}".strip()
        return title

    def choices(
        self, record_type: str, *, scope: Sequence[tuple[str, Any]] = (), limit: int = 500,
        include: int | None = None,
    ) -> list[tuple[int, str]]:
        """(id, label) pairs for a choice box, newest first; ``include`` is kept even if old."""
        model = m.RECORD_TYPES[record_type]
        date_column = _date_column(model)
        order = col(getattr(model, date_column)).desc() if date_column else col(model.id).desc()
        statement = select(model).where(col(model.deleted_at).is_(None))
        for field, value in scope:
            statement = statement.where(getattr(model, field) == value)
        statement = statement.order_by(order, col(model.id).desc()).limit(limit)
        with self.db.session() as session:
            records = list(session.exec(statement))
            if include is not None and all(r.id != include for r in records):
                extra = session.get(model, include)
                if extra is not None:
                    records.append(extra)
        return [(r.id, self.label(r)) for r in records]

    def linked_to_treatment(self, record_type: str, treatment_id: int) -> list[tuple[int, str]]:
        """(id, label) of the live records of one type that belong to a treatment; letters of
        medical necessity through the treatments they cover."""
        if record_type == "medical_necessity_letter":
            model = m.MedicalNecessityLetter
            statement = (
                select(model).join(m.LetterTreatment, m.LetterTreatment.letter_id == model.id)
                .where(m.LetterTreatment.treatment_id == treatment_id,
                       col(model.deleted_at).is_(None))
                .order_by(col(model.written_on).desc())
            )
            with self.db.session() as session:
                return [(r.id, self.label(r)) for r in session.exec(statement)]
        return self.choices(record_type, scope=[("treatment_id", treatment_id)], limit=200)

    # -- helpers -------------------------------------------------------------------------
    def _filter(self, model: type[m.Record], text_: str) -> list:
        words = _words(text_)
        if not words:
            return []
        fields = SEARCH_FIELDS.get(model.__tablename__, ())
        columns = [getattr(model, f) for f in fields]
        # Words may also match the name of the person, provider or plan a record points to.
        related = []
        for column in model.__table__.columns:
            for fk in column.foreign_keys:
                target = fk.column.table.name
                if target in LABEL_COLUMNS and target != model.__tablename__:
                    related.append((getattr(model, column.name), m.RECORD_TYPES[target]))
        clauses = []
        for word in words:
            pattern = f"%{word}%"
            options = [c.like(pattern) for c in columns]
            for fk_column, target in related:
                label = getattr(target, LABEL_COLUMNS[target.__tablename__])
                options.append(fk_column.in_(select(target.id).where(label.like(pattern))))
            day = _maybe_date(word)
            date_column = _date_column(model)
            if day and date_column == "called_at":
                start, end = local_day_span(day)  # the patient's day, as stored in UTC
                options.append(and_(col(model.called_at) >= start,
                                    col(model.called_at) < end))
            elif day and date_column:
                options.append(getattr(model, date_column) == day)
            clauses.append(or_(*options))
        return [and_(*clauses)]

    @staticmethod
    def _sort_key(model: type[m.Record], sort: str, statement):
        if "." in sort:
            field, target_column = sort.split(".", 1)
            target = None
            for fk in model.__table__.columns[field].foreign_keys:
                target = m.RECORD_TYPES[fk.column.table.name]
            alias = aliased(target)
            statement = statement.outerjoin(alias, alias.id == getattr(model, field))
            return col(getattr(alias, target_column)), statement
        return col(getattr(model, sort)), statement


def _date_column(model: type[m.Record]) -> str | None:
    for name in (
        "date_of_service", "paid_on", "called_at", "received_on", "written_on", "submitted_on",
        "purchase_date", "collected_on", "issued_on", "document_date",
    ):
        if name in model.model_fields:
            return name
    return None


def _maybe_date(word: str) -> dt.date | None:
    if not any(ch.isdigit() for ch in word) or len(word) < 6:
        return None
    try:
        return parse_date(word)
    except Exception:
        return None


__all__ = [
    "SEARCH_FIELDS", "TYPE_LABELS", "ListQuery", "RecordLists", "SearchHit",
    "describe", "record_date", "search_all",
]
