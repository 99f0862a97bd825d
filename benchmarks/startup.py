"""Start-up with 5,000 treatments and 20,000 documents, against floors measured in the same run.

    uv run python benchmarks/startup.py [--runs 5] [--keep DIR]

Figures (milliseconds since each process started, medians of ``--runs`` runs, run
interleaved so load on the machine hits all of them alike):

- floor A: a bare PySide6 QMainWindow, shown and painted;
- floor B: floor A plus ``import sqlmodel`` after the paint (the dependencies' own cost);
- RegenLog "window painted" (bar: at most 1.5 x floor A) and "data ready" (lists filled,
  dashboard computed; bar: at most 1.3 x floor B), as ``--quit-after-startup`` prints them.

Bytecode caching is on (as in an installed app) with the cache outside the source tree; one
warm-up run of each fills it. The data folder is generated once with the core services.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FLOOR = textwrap.dedent("""
    import sys, time
    def uptime_ms():
        with open("/proc/self/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        import os
        return (time.clock_gettime(time.CLOCK_BOOTTIME)
                - int(fields[19]) / os.sysconf("SC_CLK_TCK")) * 1000
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv[:1])
    w = QMainWindow(); w.resize(1180, 760)
    class Watch(QObject):
        def eventFilter(self, obj, ev):
            if ev.type() == QEvent.Type.Paint and not hasattr(self, "done"):
                self.done = True
                print(f"window painted: {uptime_ms():.0f} ms", flush=True)
                QTimer.singleShot(0, after)
            return False
    def after():
        if WITH_SQLMODEL:
            import sqlmodel  # noqa: F401
            print(f"data ready: {uptime_ms():.0f} ms", flush=True)
        app.quit()
    watch = Watch(); w.installEventFilter(watch); w.show(); app.exec()
""")


def make_data(folder: Path, treatments: int = 5000, documents: int = 20000) -> None:
    sys.path.insert(0, str(ROOT))
    from regenlog.core import models as m
    from regenlog.store.database import open_database
    from regenlog.store.paths import DataPaths

    db = open_database(DataPaths(folder))
    day0 = dt.date(2022, 1, 1)
    with db.session() as session:
        people = [m.Person(name=f"Patient {i}") for i in range(1, 4)]
        session.add_all(people)
        session.flush()
        provider = m.Provider(name="Summit Regenerative Orthopedics", npi="1234567893")
        session.add(provider)
        session.flush()
        rows = []
        for i in range(treatments):
            rows.append(m.Treatment(
                person_id=people[i % 3].id, provider_id=provider.id, category="prp",
                date_of_service=day0 + dt.timedelta(days=i % 1500), body_site="knee",
                side="right", description=f"PRP injection number {i}",
            ))
        session.add_all(rows)
        session.flush()
        receipts = [m.Receipt(treatment_id=t.id, paid_on=t.date_of_service,
                              total_cents=95000) for t in rows[: treatments // 2]]
        session.add_all(receipts)
        session.flush()
        sha = "0" * 64
        docs = [m.Document(sha256=sha, original_name=f"scan-{i}.pdf", size=1000,
                           content_type="application/pdf", title=f"Scan {i}")
                for i in range(documents)]
        session.add_all(docs)
        session.flush()
        session.add_all(m.DocumentLink(document_id=d.id, record_type="treatment",
                                       record_id=rows[i % treatments].id)
                        for i, d in enumerate(docs))
        session.commit()
    db.close()


def run(args: list[str], env: dict) -> dict[str, float]:
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed:\n{done.stderr}")
    out = {}
    for line in done.stdout.splitlines():
        if ": " in line and line.endswith(" ms"):
            key, value = line.split(": ", 1)
            out[key] = float(value.split()[0])
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="reuse or keep the generated data folder")
    options = parser.parse_args()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="regenlog-bench-")) / "data"
    if not (folder / "regenlog.sqlite3").exists():
        print(f"Generating 5,000 treatments and 20,000 documents in {folder}…", flush=True)
        make_data(folder)
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "regenlog-bench-pycache")
    commands = {
        "bare": [sys.executable, "-c", "WITH_SQLMODEL = False\n" + FLOOR],
        "bare+sqlmodel": [sys.executable, "-c", "WITH_SQLMODEL = True\n" + FLOOR],
        "regenlog": [sys.executable, "-m", "regenlog", "--data-dir", str(folder),
                     "--quit-after-startup"],
    }
    for command in commands.values():  # warm-up: bytecode cache, file cache
        run(command, env)
    results: dict[str, list[dict[str, float]]] = {k: [] for k in commands}
    for _ in range(options.runs):
        for key, command in commands.items():
            results[key].append(run(command, env))

    def median(key: str, field: str) -> float:
        return statistics.median(r[field] for r in results[key])

    floor_a = median("bare", "window painted")
    floor_b = median("bare+sqlmodel", "data ready")
    painted = median("regenlog", "window painted")
    ready = median("regenlog", "data ready")
    print(f"\nmedians of {options.runs} runs (ms since process start)")
    print(f"{'':28}{'measured':>10}{'floor':>10}{'ratio':>8}{'bar':>6}")
    print(f"{'window painted':28}{painted:10.0f}{floor_a:10.0f}{painted / floor_a:8.2f}{'1.5':>6}")
    print(f"{'data ready':28}{ready:10.0f}{floor_b:10.0f}{ready / floor_b:8.2f}{'1.3':>6}")
    ok = painted <= 1.5 * floor_a and ready <= 1.3 * floor_b
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
