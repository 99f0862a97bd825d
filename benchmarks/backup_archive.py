"""Backup archive, restore and verify: speed against ``zip -0 -r`` and peak memory.

    uv run python benchmarks/backup_archive.py [--files 200] [--size-mb 5]

Fills a temporary data folder with ``--files`` random (incompressible) attachments, then
times ``zip -0 -r`` over the attachment folder, ``write_archive``, ``restore_archive`` into a
fresh folder and ``verify_data_folder``; each RegenLog step runs in its own subprocess, which
reports its peak RSS. Streaming keeps memory flat whatever the attachments weigh (1 MiB
chunks); the archive should run at a good fraction of ``zip -0`` (it also hashes every
byte). Not part of the test run: it measures the machine as much as the code.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from regenlog.store.paths import DataPaths
step, data, other = sys.argv[1], DataPaths(sys.argv[2]), Path(sys.argv[3])
started = time.perf_counter()
if step == "archive":
    from regenlog.store.archive import write_archive
    write_archive(data, other)
elif step == "restore":
    from regenlog.store.archive import restore_archive
    restore_archive(DataPaths(other.parent / "restored"), other)
else:
    from regenlog.store.verify import verify_data_folder
    assert verify_data_folder(data).ok
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
print(json.dumps({"seconds": seconds, "peak_mb": peak}))
"""


def fill(data_dir: Path, files: int, size_mb: int) -> int:
    from regenlog.core import models as m
    from regenlog.core.services import Services
    from regenlog.store.database import open_database
    from regenlog.store.paths import DataPaths

    services = Services(open_database(DataPaths(data_dir)))
    person = services.records.create(m.Person, name="Benchmark")
    total = 0
    scratch = data_dir.parent / "scratch.bin"
    for i in range(files):
        scratch.write_bytes(os.urandom(size_mb * 1024 * 1024))
        services.documents.attach_file(scratch, links=[("person", person.id)],
                                       original_name=f"scan-{i}.pdf")
        total += size_mb * 1024 * 1024
    scratch.unlink()
    services.db.close()
    return total


def child(step: str, data: Path, other: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, step, str(data), str(other)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--size-mb", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="regenlog-bench-"))
    try:
        data = tmp / "data"
        total = fill(data, args.files, args.size_mb)
        gb = total / 1e9
        started = time.perf_counter()
        subprocess.run(["zip", "-0", "-r", "-q", str(tmp / "zip0.zip"), "attachments"],
                       cwd=data, check=True)
        zip_seconds = time.perf_counter() - started
        archive = child("archive", data, tmp / "backup.zip")
        restore = child("restore", data, tmp / "backup.zip")
        verify = child("verify", data, tmp)
        print(f"attachments: {args.files} x {args.size_mb} MB = {gb:.2f} GB")
        print(f"zip -0 -r:       {zip_seconds:6.2f} s  ({gb / zip_seconds:.2f} GB/s)")
        for name, r in (("write_archive", archive), ("restore_archive", restore),
                        ("verify", verify)):
            print(f"{name + ':':16} {r['seconds']:6.2f} s  ({gb / r['seconds']:.2f} GB/s), "
                  f"peak RSS {r['peak_mb']:.0f} MB")
        print(f"archive / zip -0 throughput: {zip_seconds / archive['seconds']:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
