"""Reading every stored value the way the app reads it, to find damage SQLite cannot see.

``integrity_check`` proves the file's structure; it does not look inside a value. A flipped
bit in a name leaves a text that is not UTF-8, in a date one that is no date, in a plan type
a word no enum has: the app then fails at the first screen that shows the record. Here every
row of every model table is read through the same steps the app uses (sqlite3's strict UTF-8,
SQLAlchemy's processors for enums, booleans, dates and times, and ``date.fromisoformat`` as the
fast row reader does), and each value is checked against the storage class its column
declares. ``verify`` reports what this finds, a backup refuses a database that fails it, and
recovery only offers a backup that passes it.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path

from .schema import is_model_table

MAX_FOUND = 20
# The storage classes each declared type allows (NULL only where the column is nullable).
_ALLOWED = {"INTEGER": ("integer",), "BOOLEAN": ("integer",), "BIGINT": ("integer",),
            "SMALLINT": ("integer",), "VARCHAR": ("text",), "TEXT": ("text",),
            "DATE": ("text",), "DATETIME": ("text",), "FLOAT": ("real", "integer"),
            "REAL": ("real", "integer")}
# Shapes the app reads back with date.fromisoformat / datetime.fromisoformat (and SQLAlchemy).
_SHAPE = {
    # '+0 days' makes SQLite normalise the day (Feb 30 becomes Mar 2), so a day no month has
    # shows as a difference.
    "DATE": "(date({c}, '+0 days') IS NULL OR date({c}, '+0 days') != {c})",
    "DATETIME": "(datetime({c}) IS NULL OR substr({c}, 1, 10) != date({c}, '+0 days') "
                "OR length({c}) NOT IN (10, 16, 19, 23, 26))",
}


class DamagedValue(sqlite3.DatabaseError):
    """A stored value the app cannot read; counts as damage (``sqlite_errorcode`` CORRUPT)."""

    sqlite_errorcode = sqlite3.SQLITE_CORRUPT


def unreadable_values(conn: sqlite3.Connection, limit: int = MAX_FOUND) -> list[str]:
    """Where stored values cannot be read as the app reads them: "person 3 (name): ...".

    The storage classes, dates and enum words are checked in SQL; texts are decoded as one
    block per column (in C, by sqlite3), and only a column that fails is read row by row to
    say where. ``conn`` keeps its text factory.
    """
    found: list[str] = []
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").fetchall()]
    for table in tables:
        if not is_model_table(table) or table.startswith("sqlite_"):
            continue
        _check_table(conn, table, found, limit)
        if len(found) >= limit:
            break
    return found[:limit]


def _check_table(conn: sqlite3.Connection, table: str, found: list[str], limit: int) -> None:
    """One scan for every SQL check of the table, one for its texts."""
    info = conn.execute('SELECT name, type, "notnull" FROM pragma_table_info(?)', (table,)).fetchall()
    enums = _enum_words(table)
    label = table.replace("_", " ")
    key = '"id"' if any(name == "id" for name, _, _ in info) else "rowid"
    checks: list[tuple[str, str]] = []  # (SQL condition, "column: problem")
    texts: list[str] = []
    for name, declared, notnull in info:
        kind = (declared or "").upper().split("(")[0]
        c = f'"{name}"'
        if notnull:
            checks.append((f"{c} IS NULL", f"{name}: an empty value where one is required"))
        allowed = _ALLOWED.get(kind)
        if allowed:
            listed = ", ".join(f"'{a}'" for a in (*allowed, "null"))
            checks.append((f"typeof({c}) NOT IN ({listed})", f"{name}: a value that is no {kind.lower()}"))
        if allowed == ("text",):
            texts.append(name)
        if kind in _SHAPE:
            checks.append((f"(typeof({c}) = 'text' AND {_SHAPE[kind].format(c=c)})",
                           f"{name}: a {kind.lower()} that cannot be read"))
        if name in enums:
            words = ", ".join("'" + w.replace("'", "''") + "'" for w in enums[name])
            checks.append((f"(typeof({c}) = 'text' AND {c} NOT IN ({words}))",
                           f"{name}: a word RegenLog never writes there"))
    if checks:
        which = " ".join(f"WHEN {cond} THEN {i}" for i, (cond, _) in enumerate(checks))
        anywhere = " OR ".join(cond for cond, _ in checks)
        for row_id, i in conn.execute(
            f'SELECT {key}, CASE {which} END FROM "{table}" WHERE {anywhere} LIMIT ?',
            (limit - len(found),),
        ):
            column, problem = checks[i][1].split(": ", 1)
            found.append(f"{label} {row_id} ({column}): {problem}")
    for name in texts if len(found) < limit and not _decodes(conn, table, texts) else ():
        _find_undecodable(conn, table, key, name, label, found, limit)
        if len(found) >= limit:
            return


def _decodes(conn: sqlite3.Connection, table: str, columns: list[str]) -> bool:
    """Every text of these columns decoded strictly, in C, as one block per column. The
    newline between values keeps a broken sequence at the end of one value from pairing
    with the start of the next."""
    if not columns:
        return True
    blocks = ", ".join(f"""group_concat("{c}", char(10))""" for c in columns)
    try:
        conn.execute(f'SELECT {blocks} FROM "{table}"').fetchone()
    except sqlite3.OperationalError as error:
        if str(error).startswith("Could not decode"):
            return False
        raise
    return True


def _find_undecodable(conn, table, key, name, label, found, limit) -> None:
    previous = conn.text_factory
    conn.text_factory = bytes
    try:
        for row_id, value in conn.execute(
            f'SELECT {key}, "{name}" FROM "{table}" WHERE typeof("{name}") = \'text\''
        ):
            try:
                value.decode("utf-8")
            except UnicodeDecodeError:
                found.append(f"{label} {row_id} ({name}): a text that is not valid UTF-8")
                if len(found) >= limit:
                    return
    finally:
        conn.text_factory = previous


@lru_cache(maxsize=128)
def _enum_words(table: str) -> dict[str, tuple[str, ...]]:
    """The words the model's enum columns store (the members' names, as SQLAlchemy writes)."""
    from sqlalchemy import Enum

    from ..core.models import Base

    model = Base.metadata.tables.get(table)
    if model is None:
        return {}
    return {
        column.name: tuple(column.type.enums)
        for column in model.columns if isinstance(column.type, Enum)
    }


def soundness_problem(path: Path) -> str | None:
    """Why the database file at ``path`` is not sound (structure or values), or None."""
    from .sqlite_backup import connect_read_only, damage_reason

    try:
        conn = connect_read_only(path)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                return str(result)[:200]
            found = unreadable_values(conn, limit=1)
            return found[0] if found else None
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError) as error:
        return damage_reason(error)


def check_values(conn: sqlite3.Connection) -> None:
    """Raise ``DamagedValue`` for the first value the app could not read."""
    found = unreadable_values(conn, limit=1)
    if found:
        raise DamagedValue(found[0])
