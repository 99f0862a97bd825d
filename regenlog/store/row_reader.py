"""Reading many rows fast: a select compiled once, run on the DB-API cursor, rows as tuples.

SQLAlchemy's per-value result processing is what costs at tens of thousands of rows. Here a
select is compiled to SQL once (literal binds: the callers bind only ids and constants), run
on the raw sqlite3 cursor, and SQLite's ISO date texts are turned back into dates column by
column in C-level loops. Knowing how SQLite stores dates is this layer's business, which is
why this lives in the store and the documentation check only hands it selects.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Date, DateTime


@dataclass(frozen=True)
class CompiledSelect:
    sql: str
    make: Callable[[Iterable[Any]], Any] | None  # the row class's constructor; None: tuples
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]  # (column, text -> date/time)


class _Parsed(dict[Any, Any]):
    """text -> date (or datetime) for the texts seen so far. Dates repeat across thousands
    of rows, so most lookups are a C-level dict hit: faster than parsing every value, and
    rows share one date object each instead of allocating ~40,000."""

    def __init__(self, parse: Callable[[str], Any]):
        super().__init__({None: None})
        self.parse = parse

    def __missing__(self, text: str) -> Any:
        if len(self) > 100_000:  # an unusual data set: do not grow without bound
            self.clear()
            self[None] = None
        value = self[text] = self.parse(text)
        return value


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


_dates = _Parsed(dt.date.fromisoformat)
_datetimes = _Parsed(_utc)
_compiled: dict[str, CompiledSelect] = {}


def compile_select(statement: Any, row: type[tuple[Any, ...]] | None = None) -> CompiledSelect:
    """The select's SQL, and how to turn its raw rows into ``row`` (a named tuple whose
    fields are the selected columns, in order) or plain tuples."""
    columns = list(statement.selected_columns)
    names = tuple(c.key for c in columns)
    if row is not None and getattr(row, "_fields", None) != names:
        raise ValueError(f"{row.__name__} has the fields {getattr(row, '_fields', ())}, "
                         f"but the select has the columns {names}")
    converters: list[tuple[int, Callable[[Any], Any]]] = []
    for i, c in enumerate(columns):
        kind = getattr(c.type, "impl", c.type)  # sqlmodel wraps DateTime in a decorator
        if isinstance(kind, DateTime):
            converters.append((i, _datetimes.__getitem__))
        elif isinstance(kind, Date):
            converters.append((i, _dates.__getitem__))
    # tuple.__new__ bound to the row class builds each row in C (namedtuple's own _make is
    # a Python function that also re-checks the length).
    make = partial(tuple.__new__, row) if row is not None else None
    return CompiledSelect(
        str(statement.compile(compile_kwargs={"literal_binds": True})), make, tuple(converters)
    )


class RowReader:
    """Runs selects on one cursor; ``cache_key`` keeps the compiled SQL of a select that
    never changes for the next reader (the check runs the same twenty every time)."""

    def __init__(self, cursor: Any):
        self.cursor = cursor

    def rows(self, build: Callable[[], Any], *, row: type[tuple[Any, ...]] | None = None,
             cache_key: str | None = None) -> list[Any]:
        """The rows of the select ``build()`` makes, as ``row`` tuples (or plain ones)."""
        compiled = _compiled.get(cache_key) if cache_key is not None else None
        if compiled is None:
            compiled = compile_select(build(), row)
            if cache_key is not None:
                _compiled[cache_key] = compiled
        self.cursor.execute(compiled.sql)
        fetched: list[Any] = self.cursor.fetchall()
        if not fetched:
            return fetched
        rows: Iterable[Any] = fetched
        # Column by column with map/zip, so the loops run in C: it matters at 10,000s of rows.
        if compiled.converters:
            columns: list[Iterable[Any]] = list(zip(*fetched, strict=True))
            for i, convert in compiled.converters:
                columns[i] = map(convert, columns[i])
            rows = zip(*columns, strict=True)
        return list(map(compiled.make, rows)) if compiled.make else list(rows)


@contextlib.contextmanager
def row_reader(session: Any) -> Iterator[RowReader]:
    cursor = session.connection().connection.cursor()
    try:
        yield RowReader(cursor)
    finally:
        cursor.close()
