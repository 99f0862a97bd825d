"""A patient updates RegenLog: a data folder written by any released version still opens,
whole, and one from an older schema is backed up before it is migrated.

Every ``tests/fixtures/schema-<revision>.sqlite3`` (written once by make_fixture.py, from the
demo household) is copied into a fresh data folder and opened by today's code.
"""

import shutil
import sqlite3
from pathlib import Path

import pytest

from regenlog.core import models as m
from regenlog.core.services import Services
from regenlog.store import schema
from regenlog.store.backups import connect_read_only, list_backups
from regenlog.store.database import open_database, read_revision

FIXTURES = sorted(Path(__file__).with_name("fixtures").glob("schema-*.sqlite3"))


def row_counts(database: Path) -> dict[str, int]:
    conn = connect_read_only(database)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version'"
        )]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def test_there_is_a_fixture_for_every_released_revision_and_the_head():
    revisions = {f.stem.removeprefix("schema-") for f in FIXTURES}
    assert schema.HEAD in revisions
    assert revisions <= set(schema.REVISIONS)


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_a_data_folder_from_this_revision_opens_with_every_record(fixture, paths):
    revision = fixture.stem.removeprefix("schema-")
    before = row_counts(fixture)
    # The fixture is rich: every kind of record is there, so a lost table would show.
    assert all(before[model.__tablename__] > 0 for model in m.RECORD_TYPES.values())
    paths.ensure()
    shutil.copyfile(fixture, paths.database)

    db = open_database(paths)
    try:
        services = Services(db)
        assert services.records.count(m.Treatment) == before["treatment"]
        assert services.records.count(m.Provider, include_deleted=True) == before["provider"]
        assert len(services.records.trash()) >= 1  # deleted_at survived
    finally:
        db.close()

    assert read_revision(paths.database) == schema.HEAD
    after = row_counts(paths.database)
    assert {t: after.get(t) for t in before} == before
    with sqlite3.connect(paths.database) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

    backups = [b for b in list_backups(paths) if b.kind.startswith("pre-migration")]
    if revision == schema.HEAD:
        assert backups == []
    else:
        assert [b.kind for b in backups] == [f"pre-migration-{revision}"]
        assert row_counts(backups[0].path) == before  # the copy is of the data as it was
