"""Finding records as a service: global search over every kind, and the queries behind the
list pages and choice boxes (``RecordLists``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..search import RecordLists

if TYPE_CHECKING:
    from ..ports import Database
    from ..search import SearchHit


class Search:
    def __init__(self, db: Database):
        self.db = db
        self.lists = RecordLists(db)

    def everywhere(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Live records of every kind holding every word of ``text`` (see
        ``search.search_all``)."""
        from ..search import search_all

        return search_all(self.db, text, limit)
