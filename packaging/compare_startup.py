"""Frozen start-up against source start-up, side by side (the budget: frozen <= 1.1 x source).

    uv run python packaging/compare_startup.py [--runs 5] [--program dist/RegenLog/RegenLog]

Both are started with ``--quit-after-startup``, which prints "window painted: N ms" and
"data ready: N ms" counted from the process's own start; the source runs as
``uv run regenlog``, exactly as a developer starts it. Runs alternate (source, frozen, frozen,
source, ...) so that a busy moment of the machine falls on both, and medians are compared.
Two data folders: one with no records and the demo household. The wall time seen from
outside is printed too (for the source it includes ``uv run`` itself).

Run it after ``packaging/build.py`` (on a machine with a screen, or it uses offscreen); it reports and does not judge (it exits 0 unless a run
fails), because timings on a shared machine are for people to read, not for CI to gate on.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ("window painted", "data ready")


def run_once(command: list[str], data: Path, env: dict) -> dict[str, float]:
    started = time.perf_counter()
    result = subprocess.run([*command, "--data-dir", str(data), "--quit-after-startup"],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    wall = (time.perf_counter() - started) * 1000
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    figures = {"wall": wall}
    for name in FIGURES:
        match = re.search(rf"^{name}: (\d+) ms$", result.stdout, re.MULTILINE)
        if match is None:
            raise SystemExit(f"{' '.join(command)} printed no '{name}':\n{result.stdout}")
        figures[name] = float(match.group(1))
    return figures


def compare(source: list[str], frozen: list[str], data: Path, runs: int, env: dict) -> dict:
    for command in (source, frozen):  # warm the disk cache and compiled bytecode first
        run_once(command, data, env)
    seen: dict[str, list[dict]] = {"source": [], "frozen": []}
    for i in range(runs):
        order = [("source", source), ("frozen", frozen)]
        for label, command in order if i % 2 == 0 else reversed(order):
            seen[label].append(run_once(command, data, env))
    return {
        label: {key: statistics.median(r[key] for r in results) for key in results[0]}
        for label, results in seen.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    exe = "RegenLog.exe" if sys.platform == "win32" else "RegenLog"
    parser.add_argument("--program", type=Path, default=ROOT / "dist" / "RegenLog" / exe)
    args = parser.parse_args(argv)
    uv = shutil.which("uv") or "uv"
    source = [uv, "run", "regenlog"]
    frozen = [str(args.program)]

    with tempfile.TemporaryDirectory(prefix="regenlog-startup-") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, HOME=str(tmp / "home"), XDG_CONFIG_HOME=str(tmp / "config"))
        # Like any developer's machine, the source runs from compiled bytecode (written on
        # the warm-up run); without it every run would compile 600 modules again.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if sys.platform.startswith("linux") and not env.get("DISPLAY"):
            env.setdefault("QT_QPA_PLATFORM", "offscreen")
        subprocess.run([*source, "--data-dir", str(tmp / "demo"), "demo"], check=True,
                       capture_output=True, env=env, cwd=ROOT)
        folders = {"no records": tmp / "empty", "demo household": tmp / "demo"}
        print(f"Medians of {args.runs} alternating runs (ms); ratio = frozen / source")
        print(f"{'data folder':<16}{'figure':<16}{'source':>8}{'frozen':>8}{'ratio':>7}")
        for label, folder in folders.items():
            medians = compare(source, frozen, folder, args.runs, env)
            for key in (*FIGURES, "wall"):
                s, f = medians["source"][key], medians["frozen"][key]
                name = "wall (outside)" if key == "wall" else key
                print(f"{label:<16}{name:<16}{s:>8.0f}{f:>8.0f}{f / s:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
