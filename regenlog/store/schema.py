"""The schema revisions this RegenLog knows, readable without importing Alembic.

Start-up compares the database's revision with ``HEAD`` using plain sqlite3, and pays for
Alembic's import only when the schema is behind. A test keeps this list equal to the
migration scripts.
"""

REVISIONS = ("0001", "0002", "0003", "0004")
HEAD = REVISIONS[-1]


def is_model_table(name: str | None) -> bool:
    """Tables the models describe; the FTS5 search index is maintained by SQL triggers."""
    return not (name or "").startswith("search_index")
