"""The write workload that test_crash_safety.py kills with SIGKILL at random moments.

It does what a patient's session does, through the real services: start up (writer lock,
open, daily backup, garbage collection), then add people and treatments, attach small files,
edit descriptions, move documents to the trash and take pre-import backups. After each call
returns it prints one acknowledgement line; a line is written only once the commit is
durable, so every ``ACK`` line is a promise the data folder must keep after the kill.

    python crash_workload.py run DATA_DIR SEED     one workload, until killed
    python crash_workload.py serve                 a zygote: imports once, then for each
                                                   "run DATA_DIR SEED" line on stdin forks a
                                                   workload, printing "FORKED <pid>" and,
                                                   once it has died, "EXIT <pid> <status>"

The zygote exists because importing sqlmodel takes over a second: forking a preloaded
process lets the default test run kill twenty workloads in a few seconds each.

Lines (one ``os.write`` each, so lines from the forked child never interleave):
``READY <pid>``, ``ACK person <id>``, ``ACK treatment <id>``, ``ACK document <id> <sha256>``,
``TRY edit <treatment id> <text>`` then ``ACK edit <treatment id> <text>``,
``ACK trash <document id>``, ``ACK backup <file name>``.
"""

import datetime as dt
import os
import random
import sys
import traceback
from pathlib import Path

# Runnable as a script from any folder: make the project importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from regenlog.core import models as m
from regenlog.core.enums import Category, DocumentKind
from regenlog.core.services import Services
from regenlog.store.backups import backup_before, collect_garbage, daily_backup
from regenlog.store.database import open_database
from regenlog.store.lock import acquire_writer_lock
from regenlog.store.paths import DataPaths


def say(*words) -> None:
    os.write(1, (" ".join(str(w) for w in words) + "\n").encode())


def workload(data_dir: Path, seed: int) -> None:
    paths = DataPaths(data_dir)
    lock = acquire_writer_lock(paths)  # noqa: F841 - held until the process dies
    services = Services(open_database(paths))
    daily_backup(paths)
    collect_garbage(paths, min_age=dt.timedelta(0))
    sources = data_dir.parent / "sources"
    sources.mkdir(exist_ok=True)
    rng = random.Random(seed)
    people = [p.id for p in services.records.list(m.Person)]
    treatments = [t.id for t in services.records.list(m.Treatment)]
    documents = [d.id for d in services.records.list(m.Document)]
    say("READY", os.getpid())
    step = 0
    while True:
        step += 1
        op = rng.choices(
            ["person", "treatment", "attach", "edit", "trash", "backup"],
            weights=[2, 4, 5, 4, 1, 1 if step % 7 == 0 else 0],
        )[0]
        if op == "person" or not people:
            person = services.records.create(m.Person, name=f"Patient {seed}-{step}")
            people.append(person.id)
            say("ACK person", person.id)
        elif op == "treatment" or not treatments:
            treatment = services.records.create(
                m.Treatment, person_id=rng.choice(people), category=Category.prp,
                date_of_service=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                description="knee injection",
            )
            treatments.append(treatment.id)
            say("ACK treatment", treatment.id)
        elif op == "attach":
            source = sources / f"scan-{seed}-{step}.pdf"
            source.write_bytes(rng.randbytes(rng.randrange(1, 64 * 1024)))
            doc = services.documents.attach_file(
                source, kind=DocumentKind.receipt,
                links=[("treatment", rng.choice(treatments))],
            )
            documents.append(doc.id)
            say("ACK document", doc.id, doc.sha256)
        elif op == "edit":
            treatment_id = rng.choice(treatments)
            text = f"edit-{seed}-{step}"
            say("TRY edit", treatment_id, text)
            services.records.update(m.Treatment, treatment_id, description=text)
            say("ACK edit", treatment_id, text)
        elif op == "trash" and documents:
            doc_id = documents.pop(rng.randrange(len(documents)))
            services.records.delete(m.Document, doc_id)
            say("ACK trash", doc_id)
        elif op == "backup":
            made = backup_before(paths, "import")
            say("ACK backup", made.name if made else "-")


def serve() -> None:
    """Fork one workload per command line; report each one's death."""
    for line in sys.stdin:
        command, data_dir, seed = line.split()
        assert command == "run"
        pid = os.fork()
        if pid == 0:  # the workload: never returns into the zygote's loop
            try:
                workload(Path(data_dir), int(seed))
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(1)
        say("FORKED", pid)
        _, status = os.waitpid(pid, 0)
        say("EXIT", pid, status)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve()
    else:
        workload(Path(sys.argv[2]), int(sys.argv[3]))
