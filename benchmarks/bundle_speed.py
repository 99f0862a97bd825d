"""Bundle export speed and memory against ``zip -0 -r`` on the same files, in the same run.

    uv run python benchmarks/bundle_speed.py [--files 400] [--size-mb 5] [--runs 3]

Fills a temporary data folder with ``--files`` random (incompressible) attachments through
the attachment store, then alternates ``zip -0 -r`` over the attachment folder and
``export_bundle`` (each export in a fresh subprocess, which reports its own peak RSS), and
prints the median times, the throughput ratio (bar: >= 0.7) and the peak RSS (bar: < 250 MB).
It also times deflating a slice of the same files, which is why documents are stored.
Not part of the test run (too slow, and it measures the machine as much as the code).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPEED_BAR = 0.7
MEMORY_BAR_MB = 250

CHILD = r"""
import datetime as dt, json, resource, sys, time
from pathlib import Path
from regenlog.bundle import BundleSelection, ensure_qt_app, export_bundle
from regenlog.store.database import open_database
from regenlog.store.paths import DataPaths

data, target, password = sys.argv[1], Path(sys.argv[2]), sys.argv[3] or None
db = open_database(DataPaths(Path(data)))
ensure_qt_app()
start = time.perf_counter()
report = export_bundle(db, BundleSelection(treatment_ids=(1,)), "hsa", target,
                       password=password, today=dt.date(2026, 7, 1))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "bytes": report.total_bytes,
                  "documents": report.documents,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def fill(data: Path, files: int, size: int) -> int:
    """One patient, one treatment, one receipt with ``files`` scans attached."""
    from regenlog.core import models as m
    from regenlog.core.services import ProcedureInput, ReceiptLineInput, Services
    from regenlog.store.database import open_database
    from regenlog.store.paths import DataPaths

    db = open_database(DataPaths(data))
    s = Services(db)
    person = s.records.create(m.Person, name="Benchmark Patient")
    s.records.create(m.Account, person_id=person.id, kind="hsa", opened_on=dt.date(2025, 1, 1))
    clinic = s.records.create(m.Provider, name="Clinic", npi="1234567893", place_of_service="11")
    visit = s.records.create(m.Treatment, person_id=person.id, provider_id=clinic.id,
                             date_of_service=dt.date(2026, 3, 10), category="prp")
    s.details.set_diagnoses(visit.id, ["M17.11"])
    s.details.set_procedure_lines(visit.id, [ProcedureInput("0232T", 150000)])
    receipt = s.records.create(m.Receipt, treatment_id=visit.id, paid_on=dt.date(2026, 3, 10),
                               total_cents=150000)
    s.details.set_receipt_lines(receipt.id, [ReceiptLineInput("procedure", 150000)])
    total = 0
    for i in range(files):
        s.documents.attach_bytes(os.urandom(size), f"scan-{i:04d}.jpg", kind="receipt",
                                 links=[("receipt", receipt.id)])
        total += size
    db.close()
    assert visit.id == 1
    return total


def run_zip(attachments: Path, out: Path) -> float:
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(["zip", "-q", "-0", "-r", str(out), "."], cwd=attachments, check=True)
    return time.perf_counter() - start


def run_export(data: Path, out: Path, password: str = "") -> dict:
    out.unlink(missing_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(data), str(out), password],
                          check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def deflate_vs_store(attachments: Path, budget: int, work: Path) -> tuple[float, float, int]:
    """Seconds to store and to deflate the first ``budget`` bytes of attachments."""
    files = sorted(p for p in attachments.rglob("*") if p.is_file())
    chosen, size = [], 0
    for p in files:
        if size >= budget:
            break
        chosen.append(p)
        size += p.stat().st_size
    times = []
    for method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        target = work / "slice.zip"
        start = time.perf_counter()
        with zipfile.ZipFile(target, "w", method) as archive:
            for p in chosen:
                archive.write(p, p.name)
        times.append(time.perf_counter() - start)
        target.unlink()
    return times[0], times[1], size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--size-mb", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--aes", action="store_true", help="also time an encrypted export")
    args = parser.parse_args()
    if shutil.which("zip") is None:
        print("`zip` is not installed (apt-get install -y zip); it is the floor we compare to.")
        return 2

    work = Path(tempfile.mkdtemp(prefix="regenlog-bundle-bench-"))
    try:
        data = work / "data"
        size = int(args.size_mb * 1024 * 1024)
        start = time.perf_counter()
        total = fill(data, args.files, size)
        print(f"attachments: {args.files} x {size / 2**20:.1f} MiB = {total / 1e9:.2f} GB "
              f"(filled in {time.perf_counter() - start:.0f} s)")
        attachments = data / "attachments"
        zip_times, export_times, rss = [], [], []
        for run in range(args.runs):
            zip_times.append(run_zip(attachments, work / "floor.zip"))
            result = run_export(data, work / "bundle.zip")
            export_times.append(result["seconds"])
            rss.append(result["maxrss_kb"] / 1024)
            print(f"  run {run + 1}: zip -0 -r {zip_times[-1]:.2f} s, export "
                  f"{export_times[-1]:.2f} s, peak RSS {rss[-1]:.0f} MB, "
                  f"{result['documents']} documents, {result['bytes'] / 1e9:.2f} GB")
        floor_size = (work / "floor.zip").stat().st_size
        bundle_size = (work / "bundle.zip").stat().st_size
        zip_median, export_median = statistics.median(zip_times), statistics.median(export_times)
        ratio = (bundle_size / export_median) / (floor_size / zip_median)
        print(f"median zip -0 -r: {zip_median:.2f} s ({floor_size / zip_median / 1e6:.0f} MB/s)")
        print(f"median export:    {export_median:.2f} s ({bundle_size / export_median / 1e6:.0f} MB/s)")
        print(f"throughput ratio export / zip -0: {ratio:.2f} (bar >= {SPEED_BAR})")
        print(f"peak RSS of the export: {max(rss):.0f} MB (bar < {MEMORY_BAR_MB} MB)")
        (work / "floor.zip").unlink()
        stored, deflated, sliced = deflate_vs_store(attachments, 256 * 2**20, work)
        print(f"storing vs deflating {sliced / 2**20:.0f} MiB of the same scans: "
              f"{stored:.2f} s vs {deflated:.2f} s ({deflated / stored:.1f}x slower)")
        if args.aes:
            result = run_export(data, work / "bundle.zip", password="benchmark password")
            print(f"encrypted (AES-256) export: {result['seconds']:.2f} s "
                  f"({result['bytes'] / result['seconds'] / 1e6:.0f} MB/s), "
                  f"peak RSS {result['maxrss_kb'] / 1024:.0f} MB")
        ok = ratio >= SPEED_BAR and max(rss) < MEMORY_BAR_MB
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
