"""Finding records: global search across every record type, and the filtered, sorted id lists
behind each list page.

Global search asks the store's FTS5 index (migration 0002). List pages filter with LIKE over
each record kind's ``search_fields`` (``record_kinds``), ask for the sorted ids of everything
that matches (a few milliseconds even for 50,000 rows) and then load rows by id in chunks as
the user scrolls.
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
from .dates import local_day_span, parse_date
from .ports import Database
from .record_kinds import RECORD_KINDS, describe, record_date

RANK_WINDOW = 500


@dataclass(frozen=True)
class SearchHit:
    record_type: str  # table name, e.g. "insurer_call"
    record_id: int
    title: str
    subtitle: str
    date: dt.date | None


def _hit(record: m.Record) -> SearchHit:
    title, subtitle = describe(record)
    return SearchHit(record.__tablename__, record.id, title, subtitle, record_date(record))


# -- global search ---------------------------------------------------------------------------

def _words(text_: str) -> list[str]:
    # % and _ are LIKE wildcards and " is FTS syntax: none of them is a word anyone searches.
    cleaned = (text_ or "").replace("%", " ").replace("_", " ").replace('"', " ")
    return [w for w in cleaned.split() if w][:8]


def search_all(db: Database, text_: str, limit: int = 50) -> list[SearchHit]:
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
        if key[0] in RECORD_KINDS and key not in order:
            order.append(key)
    by_type: dict[str, list[int]] = {}
    for record_type, record_id in order:
        by_type.setdefault(record_type, []).append(record_id)
    found: dict[tuple[str, int], SearchHit] = {}
    with db.session() as session:
        for record_type, ids in by_type.items():
            model = RECORD_KINDS[record_type].model
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

    def __init__(self, db: Database):
        self.db = db

    def ids(self, query: ListQuery) -> list[int]:
        """Ids of the live records matching ``query``, in its order."""
        model = RECORD_KINDS[query.record_type].model
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
        model = RECORD_KINDS[record_type].model
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
        kind = RECORD_KINDS[record.__tablename__]
        title, _ = kind.describe(record)
        if kind.dated_label:
            when = kind.record_date(record)
            return f"{when.isoformat() if when else ''} {title}".strip()
        return title

    def choices(
        self, record_type: str, *, scope: Sequence[tuple[str, Any]] = (), limit: int = 500,
        include: int | None = None,
    ) -> list[tuple[int, str]]:
        """(id, label) pairs for a choice box, newest first; ``include`` is kept even if old."""
        kind = RECORD_KINDS[record_type]
        model, date_column = kind.model, kind.date_column
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
                select(model).join(m.LetterTreatment, col(m.LetterTreatment.letter_id) == model.id)
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
        kind = RECORD_KINDS[model.__tablename__]
        columns = [getattr(model, f) for f in kind.search_fields]
        # Words may also match the name of the person, provider or plan a record points to.
        related = []
        for column in model.__table__.columns:
            for fk in column.foreign_keys:
                target = RECORD_KINDS.get(fk.column.table.name)
                if target is not None and target.label_column and target is not kind:
                    label = getattr(target.model, target.label_column)
                    related.append((getattr(model, column.name), target.model, label))
        date_column = kind.date_column
        clauses = []
        for word in words:
            pattern = f"%{word}%"
            options = [c.like(pattern) for c in columns]
            for fk_column, target_model, label in related:
                options.append(fk_column.in_(select(target_model.id).where(label.like(pattern))))
            day = _maybe_date(word)
            if day and date_column == "called_at":
                start, end = local_day_span(day)  # the patient's day, as stored in UTC
                called_at = col(getattr(model, date_column))
                options.append(and_(called_at >= start, called_at < end))
            elif day and date_column:
                options.append(getattr(model, date_column) == day)
            clauses.append(or_(*options))
        return [and_(*clauses)]

    @staticmethod
    def _sort_key(model: type[m.Record], sort: str, statement: Any) -> tuple[Any, Any]:
        if "." in sort:
            field, target_column = sort.split(".", 1)
            (fk,) = model.__table__.columns[field].foreign_keys  # a reference names one record
            alias = aliased(RECORD_KINDS[fk.column.table.name].model)
            statement = statement.outerjoin(alias, alias.id == getattr(model, field))
            return col(getattr(alias, target_column)), statement
        return col(getattr(model, sort)), statement


def _maybe_date(word: str) -> dt.date | None:
    if not any(ch.isdigit() for ch in word) or len(word) < 6:
        return None
    try:
        return parse_date(word)
    except Exception:
        return None


__all__ = ["ListQuery", "RecordLists", "SearchHit", "search_all"]
