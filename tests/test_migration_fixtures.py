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
from regenlog.core.errors import InUseError
from regenlog.core.record_kinds import RECORD_KINDS
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
    assert all(before[model.__tablename__] > 0 for model in (kind.model for kind in RECORD_KINDS.values()))
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


@pytest.mark.parametrize("fixture", [f for f in FIXTURES if f.stem < f"schema-{schema.HEAD}"],
                         ids=lambda f: f.stem)
def test_after_migrating_treatments_stay_searchable_and_take_a_referring_provider(
    fixture, paths
):
    # 0003 rebuilds the treatment table; SQLite drops a table's triggers with it, so the
    # migration must put the search-index triggers back.
    from regenlog.core.search import search_all

    paths.ensure()
    shutil.copyfile(fixture, paths.database)
    db = open_database(paths)
    try:
        services = Services(db)
        old = services.records.list(m.Treatment)[0]
        doctor = services.records.list(m.Provider)[0]
        new = services.records.create(
            m.Treatment, person_id=old.person_id, date_of_service=old.date_of_service,
            category="prp", description="Zanzibar protocol", referring_provider_id=doctor.id,
        )
        assert [(h.record_type, h.record_id) for h in search_all(db, "zanzibar")] == [
            ("treatment", new.id)]
        services.records.update(m.Treatment, new.id, description="Quokka protocol")
        assert search_all(db, "zanzibar") == []
        assert [h.record_id for h in search_all(db, "quokka")] == [new.id]
        with pytest.raises(InUseError):
            services.records.delete(m.Provider, doctor.id)
        services.records.delete(m.Treatment, new.id)
        assert search_all(db, "quokka") == []
    finally:
        db.close()


@pytest.mark.parametrize("fixture", [f for f in FIXTURES if f.stem < "schema-0004"],
                         ids=lambda f: f.stem)
def test_after_migrating_claims_and_eobs_record_payments_to_the_provider_and_stay_searchable(
    fixture, paths
):
    # 0004 adds the column in place: a batch copy would drop the search triggers of both
    # tables (see 0003), and older claims and EOBs must read "nothing paid to the provider".
    from regenlog.core.search import search_all

    paths.ensure()
    shutil.copyfile(fixture, paths.database)
    db = open_database(paths)
    try:
        services = Services(db)
        assert {c.amount_paid_to_provider_cents for c in services.records.list(m.Claim)} == {0}
        assert {d.amount_paid_to_provider_cents
                for d in services.records.list(m.Determination)} == {None}
        claim = services.records.list(m.Claim)[0]
        services.records.update(m.Claim, claim.id, notes="Wombat reference")
        assert [(h.record_type, h.record_id) for h in search_all(db, "wombat")] == [
            ("claim", claim.id)]
        eob = services.records.list(m.Determination)[0]
        services.records.update(m.Determination, eob.id, notes="Numbat letter",
                                amount_paid_to_provider_cents=48_992)
        assert [(h.record_type, h.record_id) for h in search_all(db, "numbat")] == [
            ("determination", eob.id)]
        assert services.records.get(m.Determination, eob.id).amount_paid_to_provider_cents == 48_992
    finally:
        db.close()
