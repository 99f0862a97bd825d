"""Damaging a database the way a bad sector or a flipped bit would, for the damage tests.

Every helper first folds the -wal into the file (as a clean close does), so the bytes
changed are the ones SQLite reads; a WAL database stays one.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

# SQLite's b-tree page types (the first byte of a page's header).
TABLE_PAGES, INDEX_PAGES = (0x05, 0x0D), (0x02, 0x0A)


def fold_wal(database: Path) -> None:
    conn = sqlite3.connect(database)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the journal mode stays as it was
    finally:
        conn.close()


def flip_in_schema(database: Path, text: bytes = b"REFERENCES insurance_plan") -> bytes:
    """One byte of the schema text becomes 0xFF: SQLite quotes it in an undecodable message."""
    fold_wal(database)
    data = bytearray(database.read_bytes())
    at = data.index(text)
    data[at + 3] = 0xFF
    database.write_bytes(bytes(data))
    return bytes(data)


def flip_in_text(database: Path, text: bytes, bit: int = 0x80) -> bytes:
    """One bit of the first stored copy of ``text`` (a name, say): no longer UTF-8."""
    fold_wal(database)
    data = bytearray(database.read_bytes())
    at = data.index(text)
    data[at + 1] ^= bit
    database.write_bytes(bytes(data))
    return bytes(data)


def regions(database: Path) -> dict[str, list[int]]:
    """Byte offsets by where they lie: the file header, the schema page, table (record) pages,
    index pages."""
    data = database.read_bytes()
    page_size = int.from_bytes(data[16:18], "big") or 65536
    found: dict[str, list[int]] = {"header": list(range(100)), "schema": [], "records": [],
                                   "indexes": []}
    found["schema"] = list(range(100, page_size))
    for page in range(1, len(data) // page_size):
        start = page * page_size
        kind = data[start]
        span = list(range(start, start + page_size))
        if kind in TABLE_PAGES:
            found["records"] += span
        elif kind in INDEX_PAGES:
            found["indexes"] += span
    return found


def flip_random(database: Path, rng: random.Random, region: str, flips: int = 1) -> list[int]:
    """Flip one random bit in each of ``flips`` random bytes of ``region``; the offsets."""
    fold_wal(database)
    offsets = rng.sample(regions(database)[region], flips)
    data = bytearray(database.read_bytes())
    for at in offsets:
        data[at] ^= 1 << rng.randrange(8)
    database.write_bytes(bytes(data))
    return offsets
