"""What the core asks of the open data folder, as Protocols: the store's ``Database`` fills
them, and the core never imports the store.

Layers run one way: ``core`` <- ``store`` <- ``bundle`` <- faces. The core's services and
functions take a ``Database`` (this Protocol); ``store.database.open_database`` returns the
store's class that satisfies it, and mypy checks that it does wherever one is handed over.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from sqlmodel import Session

Progress = Callable[[int, int], None]  # (bytes done, bytes total)


class StoredFile(Protocol):
    """A file the attachment store holds: its SHA-256 and size."""

    @property
    def sha256(self) -> str: ...

    @property
    def size(self) -> int: ...


class Attachments(Protocol):
    """The content-addressed file store of a data folder (by SHA-256)."""

    def path_for(self, sha256: str) -> Path: ...

    def put_file(
        self, source: Path, progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> StoredFile: ...

    def put_bytes(self, data: bytes) -> StoredFile: ...

    def open(self, sha256: str) -> IO[bytes]: ...

    def copy_to(self, sha256: str, target: Path) -> None: ...

    def verified_path(self, sha256: str) -> Path: ...


class RowReader(Protocol):
    """Fast bulk reads of compiled selects, rows as named tuples of the given class (or plain
    tuples) with dates converted."""

    def rows(
        self, build: Callable[[], Any], *, row: type[tuple[Any, ...]] | None = None,
        cache_key: str | None = None,
    ) -> list[Any]: ...


class FolderPaths(Protocol):
    """Where the data folder is."""

    @property
    def root(self) -> Path: ...


class Database(Protocol):
    """One open data folder as the core sees it: sessions, bulk reads, full-text matches,
    the attachments, and where it is."""

    @property
    def paths(self) -> FolderPaths: ...

    @property
    def attachments(self) -> Attachments: ...

    def session(self) -> Session: ...

    def row_reader(self) -> AbstractContextManager[RowReader]: ...

    def search_matches(
        self, words: list[str], *, window: int, limit: int
    ) -> list[tuple[str, int]]: ...

    def close(self) -> None: ...


class HasDatabase(Protocol):
    """Anything holding an open data folder: the services (``Services.db``)."""

    @property
    def db(self) -> Database: ...


def database_of(source: Database | HasDatabase) -> Database:
    """The open data folder behind ``source``: a few core functions take the services as
    well as the folder itself, as the window hands them its services."""
    return cast(Database, getattr(source, "db", source))
