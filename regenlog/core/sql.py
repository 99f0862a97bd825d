"""Building selects over columns, said once for the type checker.

sqlmodel types a model's class attribute as the value it holds (``Treatment.id`` is
``int | None`` to a checker, a column to SQLAlchemy), and its ``select`` is typed for at most
four columns. The queries that read many columns at once build them here: the statement and
its rows are ``Any`` to the checker, and the rows have one attribute per column (SQLAlchemy's
``Row``). The documentation check's bulk reads name their rows' fields instead
(``checklist/rows.py``); conditions and orderings wrap a column in sqlmodel's ``col()``.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

Row = Any
"""A row of a select over columns: one attribute per column, as selected."""


def select_columns(*columns: Any) -> Any:
    """``sqlmodel.select`` over any number of columns (or models)."""
    return select(*columns)
