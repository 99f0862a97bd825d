"""``regenlog --self-test``: prove that this installation works, end to end, in a scratch folder.

It is what CI runs on every frozen build and what support asks a patient to run: a missing
data file, Qt plugin, Qt module or migration script shows up here as one named step, not as a
crash the first time the patient opens a PDF. Beyond the parts one by one, it does what a
patient's first and second launch do: open a data folder in the window, take the day's
backup, listen for later launches, start this program again on the same folder and see it
hand over, preview a PDF and search.

A traceback anywhere fails the step that was running, even one the program survived: one
raised in a Qt slot (PySide prints it and carries on), in a worker thread, printed to stderr
or logged. Nothing touches the real data folder or the real window settings; everything
happens in a temporary folder that is removed afterwards.

Exit 0 with one line::

    RegenLog 0.1.0 self-test passed: migrations, FTS5, records, ... (1.8 s)

or exit 1 with ``RegenLog 0.1.0 self-test failed at <step>: <reason>`` (and the traceback,
for whoever reads a CI log or a support email).
"""

from __future__ import annotations

import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from .. import __version__
from .launches import (
    check_daily_backup,
    check_document_preview,
    check_main_window,
    check_search,
    check_second_launch,
)
from .parts import (
    check_attachments,
    check_encryption,
    check_fts5,
    check_icd10,
    check_migrations,
    check_pdf,
    check_reading,
    check_records,
    check_records_file,
)
from .scratch import Scratch, SelfTestFailure, expect, qt_application
from .watch import TracebackWatch

__all__ = ["STEPS", "Scratch", "SelfTestFailure", "expect", "qt_application", "run_self_test",
           "run_steps"]

# In order: the parts one by one, then the window on the demo household they imported.
STEPS: list[tuple[str, Callable[[Scratch], None]]] = [
    ("migrations", check_migrations),
    ("FTS5", check_fts5),
    ("records", check_records),
    ("attachments", check_attachments),
    ("records file", check_records_file),
    ("ICD-10-CM", check_icd10),
    ("PDF", check_pdf),
    ("reading", check_reading),
    ("AES-256 ZIP", check_encryption),
    ("main window", check_main_window),
    ("daily backup", check_daily_backup),
    ("second launch", check_second_launch),
    ("document preview", check_document_preview),
    ("search", check_search),
]


def run_steps(root: Path, steps=None, out=None, err=None) -> int:
    """Run ``steps`` (default: all) in the scratch folder ``root``; print one line; return
    0 when every step passed, else 1 naming the first that failed."""
    steps = STEPS if steps is None else steps
    out, err = out or sys.stdout, err or sys.stderr
    scratch = Scratch(root)
    started = time.perf_counter()
    with TracebackWatch(err) as watch:
        scratch.watch = watch
        failure = _run(scratch, steps, err)
    if failure is None:  # closing the window and the databases must be clean as well
        seen = watch.take()
        failure = ("closing", seen) if seen is not None else None
        if failure is not None:
            print(f"RegenLog {__version__} self-test failed at closing: {failure[1]}", file=err)
    if failure is not None:
        return 1
    seconds = time.perf_counter() - started
    names = ", ".join(name for name, _ in steps)
    notes = "".join(f"; {note}" for note in scratch.notes)
    print(f"RegenLog {__version__} self-test passed: {names} ({seconds:.1f} s){notes}", file=out)
    return 0


def _run(scratch: Scratch, steps, err) -> tuple[str, str] | None:
    """The steps, then the closers; the first failure as (step, reason), reported on err."""
    failure = None
    try:
        for name, step in steps:
            try:
                step(scratch)
                seen = scratch.watch.take() if scratch.watch is not None else None
                if seen is not None:
                    raise SelfTestFailure(f"a traceback was printed: {seen}")
            except Exception as error:  # any failure is reported by its step
                reason = str(error) or type(error).__name__
                print(f"RegenLog {__version__} self-test failed at {name}: {reason}", file=err)
                if not isinstance(error, SelfTestFailure):
                    traceback.print_exc(file=err)
                failure = (name, reason)
                return failure
    finally:
        for close in reversed(scratch.closers):
            try:
                close()
            except Exception:  # the watch reports it
                if scratch.watch is not None:
                    scratch.watch._excepthook(*sys.exc_info())
    return failure


def run_self_test() -> int:
    """What ``regenlog --self-test`` runs: every step in a temporary data folder."""
    with tempfile.TemporaryDirectory(prefix="regenlog-selftest-", ignore_cleanup_errors=True) as tmp:
        return run_steps(Path(tmp))
