"""Queries over the FTS5 search index that migration 0002 keeps current with triggers."""

from sqlalchemy.engine import Engine

TABLE = "search_index"


def exists(engine: Engine) -> bool:
    with engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)
        ).first()
    return row is not None


def matches(engine: Engine, words: list[str], *, window: int, limit: int) -> list[tuple[str, int]]:
    """(record_type, record_id) of index rows holding every word as a prefix, best first.

    Ranking every match of a common word ("knee" in 10,000 treatments) is what costs, so
    only the first ``window`` matches are ranked: each search stays in milliseconds. A
    ``diagnosis_code`` row's id is its treatment's.
    """
    # Each word is quoted, so FTS5 operators typed by a user are searched as plain text.
    query = " ".join('"{}"*'.format(w.replace('"', " ")) for w in words)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            f"SELECT record_type, record_id FROM (SELECT record_type, record_id, "
            f"bm25({TABLE}) AS score FROM {TABLE} WHERE {TABLE} MATCH ? LIMIT ?) "
            "ORDER BY score LIMIT ?",
            (query, window, limit),
        ).all()
    return [(record_type, int(record_id)) for record_type, record_id in rows]
