"""The data folder: where it is, how the database is opened, migrated and protected."""

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from regenlog.store import schema
from regenlog.store.database import DatabaseError, NewerDatabaseError, open_database, read_revision
from regenlog.store.paths import DataPaths, resolve_data_dir


def test_data_dir_comes_from_flag_then_environment_then_platform(tmp_path, monkeypatch):
    monkeypatch.setenv("REGENLOG_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir(tmp_path / "flag").root == tmp_path / "flag"
    assert resolve_data_dir(None).root == tmp_path / "env"
    monkeypatch.delenv("REGENLOG_DATA_DIR")
    assert "RegenLog" in str(resolve_data_dir(None).root)


def test_importing_regenlog_creates_nothing(tmp_path):
    import subprocess
    import sys

    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "xdg"))
    env.pop("REGENLOG_DATA_DIR", None)
    code = (
        "import regenlog, regenlog.cli, regenlog.core.models, regenlog.core.services, "
        "regenlog.store.database, regenlog.store.paths"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_new_database_has_the_safety_pragmas(db):
    with db.engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == 5000


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_data_folder_is_private_to_the_user(db, paths):
    assert stat.S_IMODE(paths.root.stat().st_mode) == 0o700
    assert stat.S_IMODE(paths.database.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.attachments.stat().st_mode) == 0o700


def test_migrations_bring_an_empty_database_to_head(db, paths):
    assert read_revision(paths.database) == schema.HEAD
    with sqlite3.connect(paths.database) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"person", "treatment", "receipt", "document_link"} <= tables
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_schema_matches_the_models(db):
    """Autogenerate finds nothing to do: the migrations describe exactly the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from regenlog.core.models import metadata

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "include_name": lambda name, kind, _p: kind != "table" or schema.is_model_table(name)
        })
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_revision_list_matches_the_migration_scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    import regenlog.store.database as database

    config = Config()
    config.set_main_option(
        "script_location", str(Path(database.__file__).parent / "migrations")
    )
    scripts = ScriptDirectory.from_config(config)
    chain = [s.revision for s in reversed(list(scripts.walk_revisions()))]
    assert tuple(chain) == schema.REVISIONS
    assert scripts.get_current_head() == schema.HEAD


def test_reopening_at_head_does_not_import_alembic(paths):
    import subprocess
    import sys

    open_database(paths).close()
    code = (
        "import sys; from regenlog.store.database import open_database;"
        "from regenlog.store.paths import DataPaths;"
        f"open_database(DataPaths({str(paths.root)!r})).close();"
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_a_database_from_a_newer_regenlog_is_refused_untouched(paths):
    open_database(paths).close()
    with sqlite3.connect(paths.database) as conn:
        conn.execute("UPDATE alembic_version SET version_num='9999'")
    before = paths.database.read_bytes()
    with pytest.raises(NewerDatabaseError, match="newer version of RegenLog"):
        open_database(paths)
    assert paths.database.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused_untouched(paths):
    paths.ensure()
    paths.database.write_bytes(os.urandom(4096))
    before = paths.database.read_bytes()
    with pytest.raises(DatabaseError, match="damaged or not a database"):
        open_database(paths)
    assert paths.database.read_bytes() == before


def test_an_older_schema_is_backed_up_before_it_is_migrated(paths, monkeypatch):
    """Pretend a second revision exists: the old database is copied before upgrading."""
    from regenlog.store import database

    open_database(paths).close()
    with sqlite3.connect(paths.database) as conn:
        conn.execute("INSERT INTO person (name, sex, address, notes, created_at, updated_at)"
                     " VALUES ('Dana', '', '', '', '2026-01-01', '2026-01-01')")
    monkeypatch.setattr(schema, "REVISIONS", ("0000", schema.HEAD))
    with sqlite3.connect(paths.database) as conn:
        conn.execute("UPDATE alembic_version SET version_num='0000'")
    calls = []
    monkeypatch.setattr(database, "migrate", lambda p, cur: calls.append(
        database.snapshot(p.database, p.backups / "pre-migration-test.sqlite3")))
    open_database(paths).close()
    backup = calls[0]
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT name FROM person").fetchall() == [("Dana",)]
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def test_migrate_makes_a_verified_copy_first(paths):
    """The real migrate() snapshots a database that already has a revision."""
    from regenlog.store.database import migrate

    open_database(paths).close()
    backup = migrate(paths, schema.HEAD)
    assert backup is not None and backup.parent == paths.backups
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.HEAD


def test_data_paths_are_inside_the_root(tmp_path):
    paths = DataPaths(tmp_path)
    for p in (paths.database, paths.attachments, paths.backups, paths.lock_file):
        assert p.parent == tmp_path


def test_search_index_follows_records_and_the_trash(services):

    from regenlog.core import models as m

    dana = services.records.create(m.Person, name="Dana Whitfield")
    call = services.records.create(m.InsurerCall, person_id=dana.id, rep_name="Angela Ruiz")

    def hits(text):
        with services.db.engine.connect() as conn:
            return conn.exec_driver_sql(
                "SELECT record_type, record_id FROM search_index WHERE search_index MATCH ?",
                (text,),
            ).fetchall()

    assert hits("angela") == [("insurer_call", call.id)]
    assert hits("ang*") == [("insurer_call", call.id)]
    services.records.update(m.InsurerCall, call.id, rep_name="Beatriz Oyelaran")
    assert hits("angela") == [] and hits("beatriz") == [("insurer_call", call.id)]
    services.records.delete(m.InsurerCall, call.id)
    assert hits("beatriz") == []
    services.records.restore(m.InsurerCall, call.id)
    assert hits("beatriz") == [("insurer_call", call.id)]
