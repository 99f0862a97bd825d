"""Dana runs `regenlog verify` before sending an appeal: it tells her, in plain words, what is
wrong with her records and files, and changes nothing. Her log files never hold her data."""

import datetime as dt
import logging
import os
import sqlite3
import stat

import pytest

from regenlog.core import models as m
from regenlog.core.enums import Category
from regenlog.store.logging_setup import LOG_FILE, Safe, configure_logging, stop_logging
from regenlog.store.paths import DataPaths
from regenlog.store.verify import VerifyError, verify_data_folder


@pytest.fixture
def appeal_file(services):
    dana = services.records.create(m.Person, name="Dana Whitfield")
    visit = services.records.create(
        m.Treatment, person_id=dana.id, date_of_service=dt.date(2025, 3, 4),
        category=Category.prp, description="PRP, right knee",
    )
    denial = services.documents.attach_bytes(
        b"%PDF denial: experimental and investigational", "denial-letter.pdf",
        links=[("treatment", visit.id)],
    )
    services.db.close()  # verify reads the folder the way the command line does
    return visit, denial


def test_a_healthy_folder_is_reported_in_order(paths, appeal_file):
    report = verify_data_folder(paths)
    assert report.ok and report.problems == []
    assert report.summary() == (
        "Checked the database (3 records) and 1 attached file: everything is in order."
    )


def test_a_file_deleted_behind_the_apps_back_is_named(paths, appeal_file):
    visit, denial = appeal_file
    (paths.attachments / denial.sha256[:2] / denial.sha256).unlink()
    before = paths.database.read_bytes()
    report = verify_data_folder(paths)
    assert report.problems == [
        f"The file of document {denial.id} “denial-letter.pdf” is missing from the data "
        "folder; restore a backup with `regenlog restore FILE`, or attach the file again."
    ]
    assert report.summary().endswith("found 1 problem.")
    assert paths.database.read_bytes() == before  # verify changed nothing


def test_a_file_changed_on_disk_is_called_damaged(paths, appeal_file):
    visit, denial = appeal_file
    path = paths.attachments / denial.sha256[:2] / denial.sha256
    os.chmod(path, 0o600)
    path.write_bytes(b"%PDF denial: overwritten by a sync tool")
    [problem] = verify_data_folder(paths).problems
    assert "“denial-letter.pdf” is damaged: its contents are no longer what was attached" in problem


def test_records_pointing_at_nothing_are_listed(paths, appeal_file):
    visit, denial = appeal_file
    with sqlite3.connect(paths.database) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute(
            "INSERT INTO receipt (treatment_id, paid_on, total_cents, payment_method, "
            "receipt_number, notes, created_at, updated_at) "
            "VALUES (999, '2025-03-04', 185000, 'card', '', '', '2025-03-04', '2025-03-04')"
        )
        conn.execute("UPDATE document_link SET record_id = 777")
    problems = verify_data_folder(paths).problems
    assert "Receipt 1 refers to a treatment that does not exist." in problems
    assert f"Document {denial.id} is attached to treatment 777, which does not exist." in problems


def test_a_damaged_database_is_reported_without_a_traceback(paths, appeal_file):
    with sqlite3.connect(paths.database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_person_deleted_at'"
        ).fetchone()[0]
    with open(paths.database, "r+b") as handle:  # scribble over an index page
        handle.seek((root - 1) * page + 8)
        handle.write(b"\xff" * 64)
    [problem] = verify_data_folder(paths).problems
    assert problem.startswith("The database file is damaged: SQLite found")
    assert "newest good automatic backup, or restore a backup archive with `regenlog restore FILE`" in problem


def test_random_bytes_instead_of_a_database(paths):
    paths.ensure()
    paths.database.write_bytes(os.urandom(8192))
    [problem] = verify_data_folder(paths).problems
    assert problem.startswith("The database file is damaged or is not a database at all")


def test_an_empty_folder_has_nothing_to_verify(tmp_path):
    with pytest.raises(VerifyError, match="There is no RegenLog database in"):
        verify_data_folder(DataPaths(tmp_path / "empty"))


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_folder_other_users_can_open_is_reported(paths, appeal_file):
    os.chmod(paths.root, 0o755)
    [problem] = verify_data_folder(paths).problems
    assert problem.startswith(f"Other users of this computer can open the folder {paths.root}")


# -- the log file ---------------------------------------------------------------------------
@pytest.fixture
def log(paths):
    paths.ensure()
    configure_logging(paths)
    yield logging.getLogger("regenlog.test")
    stop_logging()


def log_text(paths) -> str:
    for handler in logging.getLogger("regenlog").handlers:
        handler.flush()
    return (paths.logs / LOG_FILE).read_text()


def test_logging_creates_nothing_until_the_first_line(paths, log):
    assert not paths.logs.exists()
    log.info("app started")
    assert (paths.logs / LOG_FILE).is_file()
    if os.name == "posix":
        assert stat.S_IMODE(paths.logs.stat().st_mode) == 0o700
        assert stat.S_IMODE((paths.logs / LOG_FILE).stat().st_mode) == 0o600


def test_the_log_keeps_ids_and_counts_but_never_what_dana_typed(paths, log):
    log.info("attached document %s to %s %s", 12, Safe("treatment"), 7)
    log.info("created person %s named %s", 3, "Dana Whitfield")
    log.info("member id %(member)s", {"member": "XKJ123456789"})
    log.warning(m.Person(name="Dana Whitfield", address="12 Elm St"))
    try:
        raise ValueError("UNIQUE constraint failed; parameters: ('Dana Whitfield', 'M17.11')")
    except ValueError:
        log.exception("saving failed for treatment %s", 7)
    text = log_text(paths)
    assert "attached document 12 to treatment 7" in text
    assert "created person 3 named <redacted>" in text
    assert "member id <redacted>" in text
    assert "ValueError" in text and "saving failed for treatment 7" in text
    for secret in ("Dana", "Whitfield", "XKJ123456789", "Elm", "M17.11"):
        assert secret not in text


def test_other_libraries_never_write_to_the_log(paths, log):
    log.info("opened")
    logging.getLogger("sqlalchemy.engine").warning("INSERT INTO person VALUES ('Dana')")
    assert "Dana" not in log_text(paths)


def test_the_log_rotates_and_keeps_three_old_files(paths, log):
    handler = configure_logging(paths)  # the same handler again: configuring is idempotent
    assert handler.maxBytes == 1024 * 1024
    handler.maxBytes = 4096  # rotate sooner than 1 MiB to keep the test quick
    for i in range(1000):
        log.info("sync step %s of %s done in %s ms", i, 1000, 0.25)
    files = sorted(p.name for p in paths.logs.iterdir())
    assert files == [LOG_FILE, f"{LOG_FILE}.1", f"{LOG_FILE}.2", f"{LOG_FILE}.3"]
    assert all(p.stat().st_size <= 4096 for p in paths.logs.iterdir())
    assert "sync step 999 of 1000" in log_text(paths)
    assert len(logging.getLogger("regenlog").handlers) == 1
