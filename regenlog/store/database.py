"""Opening the database: pragmas, the schema check and migrations at start-up.

The revision is read with plain sqlite3 so that Alembic (a quarter of a second to import) is
loaded only when a migration is actually due. A database written by a newer RegenLog is
refused untouched; before any migration a verified copy goes to ``backups/``.
"""

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine
from sqlmodel import Session, create_engine

from ..core.errors import RegenLogError
from . import schema, search_index
from .attachments import AttachmentStore
from .paths import DataPaths
from .readable import check_values
from .row_reader import RowReader, row_reader
from .sqlite_backup import (
    RECOVER,
    connect_read_only,
    damage_reason,
    is_damage,
    snapshot,
    timestamped_name,
)


class DatabaseError(RegenLogError):
    pass


class NewerDatabaseError(DatabaseError):
    pass


class DamagedDatabaseError(DatabaseError):
    pass


def damaged_database_error(
    error: BaseException | None, name: str = "regenlog.sqlite3"
) -> DamagedDatabaseError | None:
    """The sentence for damage met in the middle of a read, or None for any other error.

    Opening reads only the first page, so a file damaged further in opens fine and fails at the
    first query that reaches a bad page, as a bare sqlite3 error or one SQLAlchemy wrapped.
    """
    for _ in range(8):  # SQLAlchemy keeps the sqlite3 error in .orig; others chain __cause__
        if error is None:
            return None
        if is_damage(error):
            return DamagedDatabaseError(
                f"The database {name} is damaged ({damage_reason(error)}); RegenLog left it "
                f"untouched: {RECOVER}"
            )
        error = getattr(error, "orig", None) or error.__cause__
    return None


def sqlite_url(path: Path) -> URL:
    """An engine URL for ``path`` that survives "#" and "?" in folder names."""
    return URL.create("sqlite", database=str(path))


def _set_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@dataclass
class Database:
    """The open data folder: the engine, the attachment store and the paths."""

    paths: DataPaths
    engine: Engine
    attachments: AttachmentStore

    def session(self) -> Session:
        # expire_on_commit=False: records returned by services stay readable after commit.
        return Session(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def row_reader(self) -> Iterator[RowReader]:
        """Fast bulk reads of compiled selects (see ``row_reader``), in one session."""
        with self.session() as session, row_reader(session) as reader:
            yield reader

    def search_matches(self, words: list[str], *, window: int, limit: int) -> list[tuple[str, int]]:
        """Full-text matches, best first (see ``search_index.matches``)."""
        return search_index.matches(self.engine, words, window=window, limit=limit)

    def has_search_index(self) -> bool:
        return search_index.exists(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def check_readable(self) -> None:
        """Raise DamagedDatabaseError if any stored value could not be read (``readable``):
        the window asks this before it shows anything, so damage leads to the newest good
        backup instead of a page that fails half drawn."""
        try:
            with self.engine.connect() as connection:
                check_values(cast(sqlite3.Connection, connection.connection.dbapi_connection))
        except Exception as error:
            damage = damaged_database_error(error, self.paths.database.name)
            if damage is None:
                raise
            raise damage from error


def read_revision(path: Path) -> str | None:
    """The schema revision stored in ``path``; None for an empty or new file."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        conn = connect_read_only(path)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables:
                if tables:
                    raise DatabaseError(
                        f"{path.name} is not a RegenLog database; RegenLog left it untouched."
                    )
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        finally:
            conn.close()
    except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
        if isinstance(error, UnicodeDecodeError) and not is_damage(error):
            raise
        raise DamagedDatabaseError(
            f"The database {path.name} is damaged or not a database ({damage_reason(error)}); "
            f"RegenLog left it untouched: {RECOVER}"
        ) from error


def _create_private_file(path: Path) -> None:
    """Create the database file 0600 so SQLite's -wal and -shm files inherit that mode."""
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


def migrate(paths: DataPaths, current: str | None) -> Path | None:
    """Bring the schema to head; returns the pre-migration backup, if one was made."""
    backup = None
    if current is not None:
        backup = snapshot(
            paths.database, paths.backups / timestamped_name(f"pre-migration-{current}")
        )
    _upgrade(paths.database, "head", backup)
    return backup


def _upgrade(database: Path, revision: str, backup: Path | None = None) -> None:
    """Run the migrations up to ``revision`` as one transaction, then check references."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    engine = create_engine(sqlite_url(database))
    # Python's sqlite3 commits before every CREATE/ALTER on its own; take transaction control
    # so the whole migration is one transaction a crash cannot leave half done.
    event.listen(engine, "connect", _migration_connection)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        with engine.connect() as connection:
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise DatabaseError(
                    f"The schema update left {len(problems)} broken references; "
                    f"restore the copy in {backup}."
                )
    finally:
        engine.dispose()


def schema_objects(conn: sqlite3.Connection) -> frozenset[tuple[str, str, str, str]]:
    """Every table, index, trigger and view of a database as (type, name, table, SQL), the SQL
    with its spacing evened out. SQLite's statistics tables are left out: not ours, harmless."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return frozenset(
        (kind, name, table, _normalized(kind, sql or ""))
        for kind, name, table, sql in rows if not name.startswith("sqlite_stat")
    )


def _normalized(kind: str, sql: str) -> str:
    """Spacing evened out; a table's columns and constraints sorted, since a batch migration
    writes the constraints of a copied table in no fixed order."""
    sql = " ".join(sql.split())
    start, end = sql.find("("), sql.rfind(")")
    if kind != "table" or start < 0 or end < start:
        return sql
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in sql[start + 1:end]:
        if char == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            continue
        depth += (char == "(") - (char == ")")
        current.append(char)
    items.append("".join(current).strip())
    return f"{sql[:start]}({', '.join(sorted(items))}){sql[end + 1:]}"


_SCHEMAS: dict[str, frozenset] = {}


def schema_of_revision(revision: str) -> frozenset[tuple[str, str, str, str]]:
    """The schema objects the migrations create at ``revision``, from an empty database
    migrated there (once per process): whatever migrations are added, this stays the truth."""
    if revision not in schema.REVISIONS:
        raise DatabaseError(f"RegenLog does not know the schema revision {revision!r}.")
    if revision not in _SCHEMAS:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="regenlog-schema-") as folder:
            database = Path(folder) / "fresh.sqlite3"
            _create_private_file(database)
            _upgrade(database, revision)
            conn = sqlite3.connect(database)
            try:
                _SCHEMAS[revision] = schema_objects(conn)
            finally:
                conn.close()
    return _SCHEMAS[revision]


def _migration_connection(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # no implicit commits; BEGIN is ours
    # Batch migrations copy tables; foreign keys are checked after, not during. The pragma
    # must be set outside a transaction, so here, before BEGIN.
    dbapi_connection.execute("PRAGMA foreign_keys=OFF")


def open_database(paths: DataPaths) -> Database:
    """Open (creating or migrating as needed) the database of a data folder."""
    paths.ensure()
    current = read_revision(paths.database)
    if current is not None and current not in schema.REVISIONS:
        raise NewerDatabaseError(
            "This data folder was written by a newer version of RegenLog; "
            "install that version to open it (nothing was changed)."
        )
    if current != schema.HEAD:
        _create_private_file(paths.database)
        migrate(paths, current)
    engine = create_engine(sqlite_url(paths.database))
    event.listen(engine, "connect", _set_pragmas)
    return Database(paths=paths, engine=engine, attachments=AttachmentStore(paths.attachments))
