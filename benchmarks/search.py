"""Global search over 50,000 treatments: 95th percentile of search_all (bar: under 50 ms).

    uv run python benchmarks/search.py [--keep DIR]

Queries mix words that match many records, few records and none, typed as people type them
(prefixes included); each is run once warm, then timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES = [
    "knee", "prp", "elbow right", "injection 4711", "alyssa", "GPH-2511", "shoulder",
    "bone marrow", "nothing-matches-this", "osteo", "tennis elbow", "reference 99",
    "plasma", "vitamin b12", "jordan", "kn", "right knee prp 12", "dana",
]


def make_data(folder: Path, n: int = 50_000) -> None:
    from regenlog.core import models as m
    from regenlog.store.database import open_database
    from regenlog.store.paths import DataPaths

    db = open_database(DataPaths(folder))
    sites = ["knee", "shoulder", "elbow", "hip", "ankle"]
    with db.session() as session:
        person = m.Person(name="Dana Whitfield")
        session.add(person)
        session.flush()
        session.add_all(
            m.Treatment(person_id=person.id, category="prp", body_site=sites[i % 5],
                        side="right", date_of_service=dt.date(2020, 1, 1)
                        + dt.timedelta(days=i % 2000),
                        description=f"Platelet-rich plasma injection {i}",
                        indication="osteoarthritis" if i % 3 else "tendinopathy")
            for i in range(n)
        )
        session.add_all(
            m.InsurerCall(person_id=person.id, rep_name=f"Rep {i}", reference_number=f"REF-{i}",
                          answer="not currently denied")
            for i in range(2000)
        )
        session.commit()
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path)
    options = parser.parse_args()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="regenlog-search-")) / "data"
    if not (folder / "regenlog.sqlite3").exists():
        print(f"Generating 50,000 treatments in {folder}…", flush=True)
        make_data(folder)
    from regenlog.core.search import search_all
    from regenlog.store.database import open_database
    from regenlog.store.paths import DataPaths

    db = open_database(DataPaths(folder))
    print("index:", "FTS5 search_index" if db.has_search_index() else "missing")
    for q in QUERIES:
        search_all(db, q)
    timings = []
    for _round in range(5):
        for q in QUERIES:
            started = time.perf_counter()
            search_all(db, q)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{len(timings)} searches: median {statistics.median(timings):.1f} ms, "
          f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms (bar: p95 < 50 ms)")
    db.close()
    sys.exit(0 if p95 < 50 else 1)


if __name__ == "__main__":
    main()
