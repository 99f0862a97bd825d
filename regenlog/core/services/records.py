"""Create, change, delete (to the trash), restore, list and search every kind of record.

One generic service serves all top-level records; the parts owned by a record (diagnosis
codes, procedure lines, receipt lines, payments, a letter's diagnoses) are edited through the
record's own service in ``details.py``. Every write is one transaction: validation happens
first, so a rejected change stores nothing.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Enum, String, func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from .. import models as m
from ..dates import typed_time
from ..errors import InUseError, NotFoundError, ValidationError
from ..ports import Database
from ..record_kinds import RECORD_KINDS
from ..validation import validate

R = TypeVar("R", bound=m.Record)

READ_ONLY = {"id", "created_at", "updated_at", "deleted_at"}


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def record_type_of(model: type[m.Record]) -> str:
    return model.__tablename__


def _label(model: type[m.Record]) -> str:
    return model.__tablename__.replace("_", " ")


def references(model: type[m.Record]) -> dict[str, type[m.Record]]:
    """The foreign-key fields of ``model`` and the record type each points to."""
    out = {}
    for column in model.__table__.columns:
        for fk in column.foreign_keys:
            kind = RECORD_KINDS.get(fk.column.table.name)
            if kind is not None:
                out[column.name] = kind.model
    return out


def dependents_of(target: type[m.Record]) -> list[tuple[type, str]]:
    """(model, field) pairs of top-level records that point at ``target``.

    A letter's coverage rows (LetterTreatment) are part of the letter, not dependents: a
    letter can be trashed, and a covered treatment too (the coverage waits for its restore).
    """
    out = []
    for model in (kind.model for kind in RECORD_KINDS.values()):
        for column in model.__table__.columns:
            for fk in column.foreign_keys:
                if fk.column.table.name == target.__tablename__:
                    out.append((model, column.name))
    return out


class Records:
    def __init__(self, db: Database):
        self.db = db

    # -- reading ---------------------------------------------------------------------------
    def get(self, model: type[R], record_id: int, *, include_deleted: bool = False) -> R:
        with self.db.session() as session:
            return self._get(session, model, record_id, include_deleted=include_deleted)

    def _get(self, session: Session, model: type[R], record_id: int, *, include_deleted=False) -> R:
        record = session.get(model, record_id)
        if record is None or (record.deleted_at is not None and not include_deleted):
            where = " (it is in the trash)" if record is not None else ""
            raise NotFoundError(f"There is no {_label(model)} number {record_id}{where}.")
        return record

    def list(
        self,
        model: type[R],
        *,
        include_deleted: bool = False,
        where: Iterable[Any] = (),
        order_by: Any = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> builtins.list[R]:
        statement = select(model)
        if not include_deleted:
            statement = statement.where(col(model.deleted_at).is_(None))
        for clause in where:
            statement = statement.where(clause)
        statement = statement.order_by(order_by if order_by is not None else col(model.id))
        statement = statement.offset(offset)
        if limit is not None:
            statement = statement.limit(limit)
        with self.db.session() as session:
            return list(session.exec(statement).all())

    def count(self, model: type[m.Record], *, include_deleted: bool = False) -> int:
        statement = select(func.count()).select_from(model)
        if not include_deleted:
            statement = statement.where(col(model.deleted_at).is_(None))
        with self.db.session() as session:
            return session.exec(statement).one()

    def search(self, model: type[R], text: str, *, limit: int = 200) -> builtins.list[R]:
        """Records whose text fields contain every word of ``text`` (case-insensitive)."""
        columns = [
            c for c in model.__table__.columns
            if isinstance(getattr(c.type, "impl", c.type), String)
            and not isinstance(c.type, Enum) and c.name != "sha256"
        ]
        words = [w for w in (text or "").split() if w]
        clauses = []
        for word in words:
            pattern = f"%{word.replace('%', '').replace('_', '')}%"
            clauses.append(or_(*(c.ilike(pattern) for c in columns)))
        return self.list(model, where=clauses, limit=limit)

    # -- writing ---------------------------------------------------------------------------
    def create(self, model: type[R], **values: Any) -> R:
        bad = READ_ONLY.intersection(values)
        if bad:
            raise ValidationError(f"{', '.join(sorted(bad))} cannot be set.")
        with self.db.session() as session:
            record = self.create_in(session, model, **values)
            self._commit(session)
            session.refresh(record)
            return record

    def create_in(self, session: Session, model: type[R], *, imported: bool = False,
                  **values: Any) -> R:
        """Create inside a caller's transaction; imports may also set id and timestamps, and
        keep values the check flags (``validation.FLAGGED_BY_THE_CHECK``)."""
        values = _clean(model, values)
        if model is m.Document and not values.get("title") and values.get("original_name"):
            # Lists and bundles name a document by its title: never leave it blank.
            values["title"] = Path(values["original_name"]).stem
        full = {name: _default(info) for name, info in model.model_fields.items()}
        full.update(values)
        validate(model, {k: v for k, v in full.items() if k not in READ_ONLY}, imported=imported)
        self._check_references(session, model, full)
        record = model(**values)
        session.add(record)
        session.flush()
        return record

    def update(self, model: type[R], record_id: int, **values: Any) -> R:
        with self.db.session() as session:
            record = self._get(session, model, record_id)
            bad = READ_ONLY.intersection(values)
            if bad:
                raise ValidationError(f"{', '.join(sorted(bad))} cannot be changed.")
            values = _clean(model, values)
            if model is m.Document and "title" in values and not values["title"]:
                raise ValidationError("Give the document a title.", "title")
            full = {name: getattr(record, name) for name in model.model_fields}
            full.update(values)
            validate(model, {k: v for k, v in full.items() if k not in READ_ONLY})
            self._check_references(session, model, values)
            for name, value in values.items():
                setattr(record, name, value)
            record.updated_at = now()
            session.add(record)
            self._commit(session)
            session.refresh(record)
            return record

    def delete(self, model: type[R], record_id: int) -> R:
        """Move a record to the trash; refused while live records depend on it."""
        with self.db.session() as session:
            record = self._get(session, model, record_id)
            in_use = self._live_dependents(session, model, record_id)
            if in_use:
                listing = ", ".join(f"{n} {_label(dep)}{'s' if n > 1 else ''}" for dep, n in in_use)
                raise InUseError(
                    f"This {_label(model)} is used by {listing}; delete or change those first."
                )
            record.deleted_at = now()
            session.add(record)
            self._commit(session)
            return record

    def restore(self, model: type[R], record_id: int) -> R:
        """Bring a record back from the trash (its references must be live again first)."""
        with self.db.session() as session:
            record = self._get(session, model, record_id, include_deleted=True)
            if record.deleted_at is None:
                return record
            for field, target in references(model).items():
                ref = getattr(record, field)
                if ref is not None:
                    parent = session.get(target, ref)
                    if parent is not None and parent.deleted_at is not None:
                        raise ValidationError(
                            f"Restore the {_label(target)} it belongs to first; it is in the trash too."
                        )
            record.deleted_at = None
            record.updated_at = now()
            session.add(record)
            self._commit(session)
            return record

    def trash(self) -> builtins.list[m.Record]:
        """Everything in the trash, newest first."""
        out: builtins.list[m.Record] = []
        with self.db.session() as session:
            for kind in RECORD_KINDS.values():
                model = kind.model
                out.extend(session.exec(select(model).where(col(model.deleted_at).is_not(None))))
        return sorted(out, key=lambda r: r.deleted_at or dt.datetime.min, reverse=True)

    def purge(self, model: type[R], record_id: int) -> None:
        """Remove a trashed record for good; refused while anything still points at it."""
        with self.db.session() as session:
            record = self._get(session, model, record_id, include_deleted=True)
            if record.deleted_at is None:
                raise ValidationError("Only records in the trash can be removed for good.")
            in_use = self._live_dependents(session, model, record_id, include_deleted=True)
            if in_use:
                raise InUseError(
                    f"This {_label(model)} is still referenced by other records (some in the "
                    "trash); remove those first."
                )
            links = select(m.DocumentLink).where(
                m.DocumentLink.record_type == record_type_of(model),
                m.DocumentLink.record_id == record_id,
            )
            for link in session.exec(links):
                session.delete(link)
            if model is m.Treatment:  # a treatment gone for good drops out of letters' coverage
                session.exec(delete(m.LetterTreatment).where(
                    col(m.LetterTreatment.treatment_id) == record_id
                ))
            if model is m.Document:
                for link in session.exec(
                    select(m.DocumentLink).where(m.DocumentLink.document_id == record_id)
                ):
                    session.delete(link)
            session.flush()  # links first: the unit of work may order the deletes otherwise
            session.delete(record)
            self._commit(session)

    # -- helpers ---------------------------------------------------------------------------
    def _check_references(self, session: Session, model: type[m.Record], values: dict) -> None:
        for field, target in references(model).items():
            ref = values.get(field)
            if ref is None:
                continue
            parent = session.get(target, ref)
            if parent is None or parent.deleted_at is not None:
                raise ValidationError(
                    f"There is no {_label(target)} number {ref} to link this {_label(model)} to.",
                    field,
                )

    def _live_dependents(
        self, session: Session, model: type[m.Record], record_id: int, include_deleted=False
    ) -> builtins.list[tuple[type, int]]:
        found = []
        for dep, field in dependents_of(model):
            statement = select(func.count()).select_from(dep).where(
                getattr(dep, field) == record_id
            )
            if not include_deleted and hasattr(dep, "deleted_at"):
                statement = statement.where(col(dep.deleted_at).is_(None))
            n = session.exec(statement).one()
            if n:
                found.append((dep, n))
        return found

    @staticmethod
    def _commit(session: Session) -> None:
        try:
            session.commit()
        except IntegrityError as error:
            session.rollback()
            raise ValidationError(
                "That change would break a link between records, so nothing was saved."
            ) from error


def _default(info) -> Any:
    if info.default_factory is not None:
        return info.default_factory()
    return None if info.is_required() else info.default


def _clean(model: type[m.Record], values: dict[str, Any]) -> dict[str, Any]:
    """Trim text fields so " " counts as empty and names do not keep stray spaces; a time
    without a zone (what a person types) is their local time, stored as UTC."""
    out = {}
    for name, value in values.items():
        if isinstance(value, str) and name in model.model_fields:
            value = value.strip()
        elif isinstance(value, dt.datetime):
            value = typed_time(value)
        out[name] = value
    return out
