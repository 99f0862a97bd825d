"""How fast and how big is the ICD-10-CM index? Prints load time, lookup/search medians, memory,
and the median and 95th percentile of the first page of a search as a patient types it
(target: under 20 ms).

    uv run python benchmarks/codes_lookup.py [--with-library]

Timings run in this process; memory is measured in fresh child processes (tracemalloc slows
everything down, and the first load must not be already cached). ``--with-library`` also
times importing simple_icd_10_cm itself, the cost the shipped index avoids.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time

SEARCHES = [
    "M17", "m17.1", "T15.01X", "S46.011", "knee", "osteoarthritis knee right", "tennis elbow",
    "plantar fasciitis", "b12", "pernicious anemia", "hypomagnesemia", "diabetes foot ulcer",
    "strain rotator cuff initial", "initial encounter", "left", "fracture femur nonunion",
    "vein occlusion bilateral stable", "zzzz",
]  # fmt: skip

# What a patient types into the diagnosis box, keystroke by keystroke (the box searches from
# the second character), with the household's codes ranked first as the window does.
TYPED = [
    "knee", "knee pain", "osteoarthritis knee", "tennis elbow", "rotator cuff tear",
    "achilles", "plantar fasciitis", "b12 deficiency", "pernicious anemia", "low back pain",
    "hip osteoarthritis", "shoulder pain right", "magnesium", "lateral epicondylitis",
    "M17.11", "m7711", "S46.011A", "D51.0",
]  # fmt: skip
HOUSEHOLD = ["M17.11", "M77.11", "D51.0", "M75.111", "E83.42"]
FIRST_PAGE = 20
TARGET_MS = 20.0


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def timings() -> None:
    start = time.perf_counter()
    from regenlog.core.codes import icd10

    print(f"import regenlog.core.codes.icd10: {_ms(time.perf_counter() - start)}")
    start = time.perf_counter()
    icd10.lookup("M17.11")
    print(f"first lookup (loads the index):  {_ms(time.perf_counter() - start)}")
    start = time.perf_counter()
    icd10.search("knee")
    print(f"first search (builds word index): {_ms(time.perf_counter() - start)}")

    codes = icd10._code_set()
    sample = random.Random(1).sample(codes.sorted_codes, 1000)
    sample += [
        codes.expansions(base)[0] for base in random.Random(2).sample(sorted(codes.ext), 1000)
    ]
    lookups = []
    for code in sample:
        start = time.perf_counter()
        icd10.check_icd10(code)
        lookups.append(time.perf_counter() - start)
    print(f"check_icd10, {len(sample)} codes: median {statistics.median(lookups) * 1e6:.1f} µs, "
          f"max {_ms(max(lookups))}")  # fmt: skip

    per_query = {}
    for query in SEARCHES:
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            icd10.search(query)
            runs.append(time.perf_counter() - start)
        per_query[query] = statistics.median(runs)
    print(f"search, {len(SEARCHES)} queries: median {_ms(statistics.median(per_query.values()))}")
    slowest = sorted(per_query.items(), key=lambda item: -item[1])[:3]
    print("  slowest: " + ", ".join(f"{q!r} {_ms(t)}" for q, t in slowest))
    first_page(icd10)


def first_page(icd10) -> None:
    """Every keystroke of TYPED, 5 times each: median and 95th percentile of one page."""
    samples: list[float] = []
    per_query: dict[str, float] = {}
    for text in TYPED:
        for end in range(2, len(text) + 1):
            query, runs = text[:end], []
            for _ in range(5):
                start = time.perf_counter()
                icd10.search(query, FIRST_PAGE, preferred=HOUSEHOLD)
                runs.append(time.perf_counter() - start)
            samples += runs
            per_query[query] = statistics.median(runs)
    samples.sort()
    p95 = samples[int(0.95 * (len(samples) - 1))]
    verdict = "under" if p95 * 1000 < TARGET_MS else "OVER"
    print(f"first page ({FIRST_PAGE} hits) as typed, {len(samples)} searches: "
          f"median {_ms(statistics.median(samples))}, 95th percentile {_ms(p95)} "
          f"({verdict} the {TARGET_MS:.0f} ms target)")  # fmt: skip
    slowest = sorted(per_query.items(), key=lambda item: -item[1])[:3]
    print("  slowest (median of 5): " + ", ".join(f"{q!r} {_ms(t)}" for q, t in slowest))


def memory() -> None:
    """Run in a child: resident size after loading and after the first search."""
    rss_before = _rss_mb()
    from regenlog.core.codes import icd10

    icd10.lookup("M17.11")
    rss_loaded = _rss_mb()
    icd10.search("knee")
    print(f"resident size: +{rss_loaded - rss_before:.1f} MB after load, "
          f"+{_rss_mb() - rss_before:.1f} MB after the first search")  # fmt: skip


def traced() -> None:
    """Run in a child: Python allocations (tracemalloc) after loading and after searching."""
    import tracemalloc

    tracemalloc.start()
    from regenlog.core.codes import icd10

    icd10.lookup("M17.11")
    held, peak = tracemalloc.get_traced_memory()
    print(
        f"allocated: {held / 2**20:.1f} MB held after load (peak {peak / 2**20:.1f} MB), ", end=""
    )
    icd10.search("knee")
    held, peak = tracemalloc.get_traced_memory()
    print(f"{held / 2**20:.1f} MB after the first search (peak {peak / 2**20:.1f} MB)")


def library() -> None:
    start = time.perf_counter()
    rss_before = _rss_mb()
    import simple_icd_10_cm  # noqa: F401

    print(f"import simple_icd_10_cm: {time.perf_counter() - start:.2f} s, "
          f"resident size grew by {_rss_mb() - rss_before:.0f} MB")  # fmt: skip


def _rss_mb() -> float:
    try:  # Linux: current resident size
        with open("/proc/self/statm") as statm:
            import os

            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # elsewhere: peak resident size (bytes on macOS)
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--with-library", action="store_true")
    parts = {"memory": memory, "traced": traced, "library": library}
    parser.add_argument("--part", choices=sorted(parts), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part:
        parts[args.part]()
        return
    timings()
    for part in ["memory", "traced"]:
        subprocess.run([sys.executable, __file__, "--part", part], check=True)
    if args.with_library:
        subprocess.run([sys.executable, __file__, "--part", "library"], check=True)


if __name__ == "__main__":
    main()
