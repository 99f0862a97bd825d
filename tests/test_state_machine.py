"""Any sequence of what a patient does (add, edit, trash, attach, restore from the trash,
back up, restore a backup) leaves a sound data folder that holds exactly what was done.

A Hypothesis state machine drives the real services and keeps a plain model of the expected
records beside them; after every step the database passes ``integrity_check``, the counts
and texts match the model, and every live document's file is present and hashes right.
"""

import copy
import datetime as dt
import os
import shutil
import tempfile
from contextlib import closing
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from regenlog.core import models as m
from regenlog.core.enums import Category
from regenlog.core.errors import InUseError, ValidationError
from regenlog.core.record_kinds import RECORD_KINDS
from regenlog.core.services import Services
from regenlog.store.archive import restore_archive, write_archive
from regenlog.store.backups import connect_read_only
from regenlog.store.database import open_database
from regenlog.store.paths import DataPaths

FAST_TMP = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
words = st.text("abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=12).filter(str.strip)


class Model:
    """What the patient did, in plain dictionaries: id -> fields, and the trashed ids."""

    def __init__(self):
        self.people: dict[int, str] = {}
        self.treatments: dict[int, dict] = {}  # id -> {"person", "description"}
        self.documents: dict[int, bytes] = {}  # id -> content
        self.trash: dict[str, set[int]] = {"person": set(), "treatment": set(), "document": set()}

    def live(self, kind: str) -> list[int]:
        table = {"person": self.people, "treatment": self.treatments, "document": self.documents}
        return sorted(set(table[kind]) - self.trash[kind])


class DataFolderMachine(RuleBasedStateMachine):
    TEMPLATE: Path  # an empty database at the head revision, copied for each run

    def __init__(self):
        super().__init__()
        # In memory when the system offers it: durability is the crash test's job, and
        # without fsync costs twice as many steps fit in the time budget.
        self.tmp = Path(tempfile.mkdtemp(prefix="regenlog-sm-", dir=FAST_TMP))
        self.paths = DataPaths(self.tmp / "data").ensure()
        shutil.copyfile(self.TEMPLATE, self.paths.database)  # skips re-running migrations
        self.services = Services(open_database(self.paths))
        self.model = Model()
        self.archives: list[tuple[Path, Model]] = []

    def teardown(self):
        self.services.db.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- what the patient does --------------------------------------------------------------
    @rule(name=words)
    def add_person(self, name):
        person = self.services.records.create(m.Person, name=name)
        self.model.people[person.id] = name.strip()

    @precondition(lambda self: self.model.live("person"))
    @rule(data=st.data(), description=words)
    def add_treatment(self, data, description):
        person = data.draw(st.sampled_from(self.model.live("person")))
        treatment = self.services.records.create(
            m.Treatment, person_id=person, date_of_service=dt.date(2025, 3, 4),
            category=Category.prp, description=description,
        )
        self.model.treatments[treatment.id] = {"person": person, "description": description.strip()}

    @precondition(lambda self: self.model.live("treatment"))
    @rule(data=st.data(), description=words)
    def edit_treatment(self, data, description):
        treatment = data.draw(st.sampled_from(self.model.live("treatment")))
        self.services.records.update(m.Treatment, treatment, description=description)
        self.model.treatments[treatment]["description"] = description.strip()

    @precondition(lambda self: self.model.live("treatment"))
    @rule(data=st.data(), content=st.binary(min_size=1, max_size=2048))
    def attach(self, data, content):
        treatment = data.draw(st.sampled_from(self.model.live("treatment")))
        doc = self.services.documents.attach_bytes(content, "scan.pdf",
                                                   links=[("treatment", treatment)])
        self.model.documents[doc.id] = content

    @rule(data=st.data(), kind=st.sampled_from(["person", "treatment", "document"]))
    def move_to_trash(self, data, kind):
        live = self.model.live(kind)
        if not live:
            return
        record_id = data.draw(st.sampled_from(live))
        model = RECORD_KINDS[kind].model
        in_use = kind == "person" and any(
            t["person"] == record_id for i, t in self.model.treatments.items()
            if i not in self.model.trash["treatment"]
        )
        try:
            self.services.records.delete(model, record_id)
        except InUseError:
            assert in_use, "a record nothing depends on was refused"
            return
        assert not in_use, "a person with live treatments went to the trash"
        self.model.trash[kind].add(record_id)

    @rule(data=st.data(), kind=st.sampled_from(["person", "treatment", "document"]))
    def restore_from_trash(self, data, kind):
        trashed = sorted(self.model.trash[kind])
        if not trashed:
            return
        record_id = data.draw(st.sampled_from(trashed))
        owner_trashed = (
            kind == "treatment"
            and self.model.treatments[record_id]["person"] in self.model.trash["person"]
        )
        try:
            self.services.records.restore(RECORD_KINDS[kind].model, record_id)
        except ValidationError:
            assert owner_trashed, "a restorable record was refused"
            return
        assert not owner_trashed, "a treatment came back while its person is in the trash"
        self.model.trash[kind].discard(record_id)

    @rule()
    def back_up(self):
        target = self.tmp / f"backup-{len(self.archives)}.zip"
        write_archive(self.paths, target)
        self.archives.append((target, copy.deepcopy(self.model)))

    @precondition(lambda self: self.archives)
    @rule(data=st.data())
    def restore_backup(self, data):
        archive, then = data.draw(st.sampled_from(self.archives))
        self.services.db.close()
        restore_archive(self.paths, archive)
        self.services = Services(open_database(self.paths))
        self.model = copy.deepcopy(then)

    # -- what must always hold --------------------------------------------------------------
    @invariant()
    def database_is_sound(self):
        with closing(connect_read_only(self.paths.database)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

    @invariant()
    def records_match_what_was_done_and_files_are_whole(self):
        records = {
            kind: self.services.records.list(RECORD_KINDS[kind].model, include_deleted=True)
            for kind in ("person", "treatment", "document")
        }
        for kind, rows in records.items():
            assert [r.id for r in rows if r.deleted_at is None] == self.model.live(kind)
            assert {r.id for r in rows if r.deleted_at is not None} == self.model.trash[kind]
        for person in records["person"]:
            assert person.name == self.model.people[person.id]
        for treatment in records["treatment"]:
            assert treatment.description == self.model.treatments[treatment.id]["description"]
        store = self.services.db.attachments
        for doc in records["document"]:
            if doc.deleted_at is None:
                assert store.verify(doc.sha256)
                with store.open(doc.sha256) as handle:
                    assert handle.read() == self.model.documents[doc.id]


def test_any_sequence_of_actions_keeps_the_data_folder_sound(tmp_path_factory):
    template = DataPaths(tmp_path_factory.mktemp("template") / "data")
    open_database(template).close()

    class Machine(DataFolderMachine):
        TEMPLATE = template.database

    Machine.TestCase.settings = settings(
        max_examples=20, stateful_step_count=15, deadline=None,
        suppress_health_check=[HealthCheck.too_slow], derandomize=True,
    )
    Machine.TestCase().runTest()
