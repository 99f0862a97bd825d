"""A patient's laptop loses power mid-save, again and again: nothing promised is ever lost.

``crash_workload.py`` runs a real write workload (records, attachments, edits, trash,
backups) and prints a line after each commit returns. It is killed with SIGKILL at random
moments, from its start-up to deep in the workload; after every kill the data folder must
pass ``integrity_check``, hold every acknowledged change, have no document whose file is
missing or altered, reopen with ``open_database`` and let the next process take the lock.
"""

import os
import queue
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from regenlog.core import models as m
from regenlog.core.services import Services
from regenlog.store.attachments import AttachmentStore
from regenlog.store.backups import list_backups
from regenlog.store.database import open_database
from regenlog.store.lock import acquire_writer_lock
from regenlog.store.paths import DataPaths
from regenlog.store.recovery import passes_quick_check

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork"), reason="SIGKILL and a forking workload need POSIX"
)

WORKLOAD = Path(__file__).with_name("crash_workload.py")


class Workloads:
    """The zygote process and the lines its forked workloads print."""

    def __init__(self, log: Path):
        self.stderr = open(log, "wb")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKLOAD), "serve"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self.stderr, text=True, bufsize=1,
        )
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.split())
        self.lines.put(["EOF"])

    def next_line(self, timeout: float = 60) -> list[str]:
        line = self.lines.get(timeout=timeout)
        assert line != ["EOF"], "the workload zygote died; see its stderr log"
        return line

    def run_and_kill(self, data_dir: Path, seed: int, acks: int, delay: float) -> list[list[str]]:
        """Start a workload; SIGKILL it ``delay`` seconds after its ``acks``-th acknowledgement
        (or after it forked, when ``acks`` is negative: a kill during start-up)."""
        self.proc.stdin.write(f"run {data_dir} {seed}\n")
        self.proc.stdin.flush()
        printed = []
        while (line := self.next_line())[0] != "FORKED":
            printed.append(line)
        pid = int(line[1])
        seen = 0
        while acks >= 0 and seen < acks:  # counting progress, not seconds: load-proof
            line = self.next_line()
            printed.append(line)
            seen += line[0] == "ACK"
            assert line[0] != "EXIT", f"the workload died on its own; see {self.stderr.name}"
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        while (line := self.next_line())[0] != "EXIT":
            printed.append(line)
        status = int(line[2])
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
            f"the workload stopped on its own before the kill (status {status}); "
            f"see {self.stderr.name}"
        )
        return printed

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.stderr.close()


class Ledger:
    """What the workloads were promised (ACK lines) and what may be in flight (TRY lines)."""

    def __init__(self):
        self.people: set[int] = set()
        self.treatments: set[int] = set()
        self.documents: dict[int, str] = {}
        self.trashed: set[int] = set()
        self.descriptions: dict[int, str] = {}
        self.in_flight: dict[int, str] = {}
        self.acks = 0
        self.hashed: set[str] = set()  # files already re-hashed (they never change)

    def absorb(self, lines: list[list[str]]) -> None:
        for line in lines:
            if line[0] == "TRY":
                self.in_flight[int(line[2])] = line[3]
            if line[0] != "ACK":
                continue
            self.acks += 1
            kind, *rest = line[1:]
            if kind == "person":
                self.people.add(int(rest[0]))
            elif kind == "treatment":
                self.treatments.add(int(rest[0]))
            elif kind == "document":
                self.documents[int(rest[0])] = rest[1]
            elif kind == "edit":
                self.descriptions[int(rest[0])] = rest[1]
                self.in_flight.pop(int(rest[0]), None)
            elif kind == "trash":
                self.trashed.add(int(rest[0]))

    def check(self, paths: DataPaths) -> None:
        with sqlite3.connect(paths.database) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db = open_database(paths)
        try:
            services = Services(db)
            people = {p.id for p in services.records.list(m.Person, include_deleted=True)}
            assert self.people <= people, "an acknowledged person is gone"
            treatments = {
                t.id: t.description
                for t in services.records.list(m.Treatment, include_deleted=True)
            }
            assert self.treatments <= set(treatments), "an acknowledged treatment is gone"
            for treatment_id in set(self.descriptions) | set(self.in_flight):
                before = self.descriptions.get(treatment_id, "knee injection")  # as created
                allowed = {before, self.in_flight.get(treatment_id)}
                assert treatments[treatment_id] in allowed, "an acknowledged edit was lost"
                self.descriptions[treatment_id] = treatments[treatment_id]
            self.in_flight.clear()
            documents = services.records.list(m.Document, include_deleted=True)
            stored = {d.id: d for d in documents}
            for doc_id, sha in self.documents.items():
                assert stored[doc_id].sha256 == sha, "an acknowledged attachment is gone"
            assert all(stored[i].deleted_at is not None for i in self.trashed)
            store = AttachmentStore(paths.attachments)
            for doc in documents:  # acknowledged or not: no row may point at a bad file
                if doc.sha256 not in self.hashed:
                    assert store.verify(doc.sha256), f"document {doc.id}'s file is bad"
                    self.hashed.add(doc.sha256)
                assert store.exists(doc.sha256)
        finally:
            db.close()
        for backup in list_backups(paths):  # a backup is renamed into place whole, or absent
            assert passes_quick_check(backup.path)
        acquire_writer_lock(paths).release()  # the dead process's lock is free


def _kill_repeatedly(tmp_path: Path, kills: int, seed: int) -> tuple[Ledger, int]:
    """Returns the ledger and how many acknowledgements the kills waited for at least."""
    rng = random.Random(seed)
    paths = DataPaths(tmp_path / "data")
    open_database(paths).close()  # first-run migration: see the mid-migration tests below
    ledger = Ledger()
    waited = 0
    workloads = Workloads(tmp_path / "workload-stderr.txt")
    try:
        for round_ in range(kills):
            # One kill in five lands in start-up (lock, open, daily backup, clean-up); the
            # rest after a random number of commits plus a fraction of one operation.
            acks = -1 if rng.random() < 0.2 else rng.randrange(0, 16)
            delay = rng.uniform(0, 0.05) if acks < 0 else rng.uniform(0, 0.015)
            ledger.absorb(workloads.run_and_kill(paths.root, seed * 1000 + round_, acks, delay))
            ledger.check(paths)
            waited += max(acks, 0)
    finally:
        workloads.close()
    return ledger, waited


def test_twenty_kills_lose_no_acknowledged_change(tmp_path):
    ledger, waited = _kill_repeatedly(tmp_path, kills=20, seed=7)
    assert ledger.acks >= waited > 40
    assert ledger.documents and ledger.descriptions and ledger.trashed


@pytest.mark.slow
def test_two_hundred_kills_lose_no_acknowledged_change(tmp_path):
    ledger, waited = _kill_repeatedly(tmp_path, kills=200, seed=11)
    assert ledger.acks >= waited > 400 and len(ledger.documents) > 50


# -- the power fails during a schema migration ----------------------------------------------
CRASH_MID_MIGRATION = """
import os, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
from regenlog.store.database import open_database
from regenlog.store.paths import DataPaths
statements = 0
@event.listens_for(Engine, "after_cursor_execute")
def power_cut(*_):
    global statements
    statements += 1
    if statements == int(sys.argv[2]):
        os._exit(9)
open_database(DataPaths(sys.argv[1])).close()
"""


@pytest.mark.parametrize("fixture", [None, "schema-0001.sqlite3"], ids=["new", "from-0001"])
def test_a_crash_in_the_middle_of_a_migration_leaves_a_folder_that_opens(tmp_path, fixture):
    statements = 40  # well inside both migrations (about 140 statements new, 65 from 0001)
    paths = DataPaths(tmp_path / "data").ensure()
    if fixture:
        shutil.copyfile(Path(__file__).with_name("fixtures") / fixture, paths.database)
    child = subprocess.run(
        [sys.executable, "-c", CRASH_MID_MIGRATION, str(paths.root), str(statements)],
        capture_output=True, text=True, timeout=120,
    )
    assert child.returncode == 9, child.stderr  # it did die mid-migration
    db = open_database(paths)  # the next start finishes the job
    try:
        treatments = Services(db).records.count(m.Treatment)
    finally:
        db.close()
    assert treatments == (11 if fixture else 0)
