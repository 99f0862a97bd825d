"""Data safety in the window: a damaged or newer database at start-up, the cloud and
permission warnings, the daily backup, and the Data menu's back up, restore and verify."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from regenlog.core import models as m
from regenlog.core.services import Services
from regenlog.store.backups import daily_backup, damaged_copies, list_backups
from regenlog.store.database import open_database
from regenlog.store.paths import DataPaths
from regenlog.ui.safety.recovery_dialog import DamagedDatabaseDialog
from regenlog.ui.safety.verify_dialog import VerifyResultDialog

from .conftest import TODAY, start_app
from .helpers import TINY_PDF


# -- helpers --------------------------------------------------------------------------------
def when_shown(qtbot, matches, act) -> list:
    """Answer the first visible top-level widget ``matches(widget)`` accepts, once it is up
    (a modal dialog runs its own event loop, so the answer has to come from a timer)."""
    handled: list = []
    timer = QTimer()
    timer.setInterval(20)

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and matches(widget):
                timer.stop()
                handled.append(widget)
                act(widget)
                return

    timer.timeout.connect(look)
    timer.start()
    qtbot.timer_keepalive = timer  # lives as long as the test
    return handled


def screenshot(widget, name: str, tmp_path: Path) -> Path:
    folders = [tmp_path / "screenshots"]
    if os.environ.get("REGENLOG_SCREENSHOTS"):
        folders.append(Path(os.environ["REGENLOG_SCREENSHOTS"]))
    image = widget.grab()
    assert not image.isNull() and image.width() > 300
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        assert image.save(str(folder / f"{name}.png"))
    return folders[0] / f"{name}.png"


def close(controller) -> None:
    controller._quitting = True
    if controller.pages is not None:
        controller.pages.documents.wait_for_jobs()
    controller.window.close()


def with_records(paths: DataPaths, fill) -> None:
    db = open_database(paths)
    try:
        fill(Services(db))
    finally:
        db.close()


def dana(services) -> None:
    person = services.records.create(m.Person, name="Dana Whitfield")
    services.records.create(m.Treatment, person_id=person.id, category="prp",
                            date_of_service=dt.date(2026, 3, 2), body_site="knee")


@pytest.fixture
def told(monkeypatch) -> list[tuple[str, str]]:
    """Every information and warning box, as (title, text), answered OK."""
    said: list[tuple[str, str]] = []
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, title, text, *a, **k: (
            said.append((title, text)), QMessageBox.StandardButton.Ok)[1])
    return said


# -- a damaged database at start-up ---------------------------------------------------------
def damage(database: Path) -> bytes:
    """A disk error overwrote the file's first page: SQLite no longer recognises it."""
    with open(database, "r+b") as handle:
        handle.write(b"\x00garbled sector\x00" * 16)
    return database.read_bytes()


def test_a_damaged_database_offers_the_newest_backup_and_restoring_brings_dana_back(
        qtbot, paths, ui_settings, tmp_path, told):
    with_records(paths, dana)
    daily_backup(paths, now=dt.datetime(2026, 11, 24, 9, 12))
    damaged_bytes = damage(paths.database)
    seen = {}

    def restore(dialog) -> None:
        seen["text"] = dialog.text()
        seen["buttons"] = (dialog.restore_button.text(), dialog.quit_button.text())
        seen["shot"] = screenshot(dialog, "recovery-dialog", tmp_path)
        dialog.restore_button.click()

    when_shown(qtbot, lambda w: isinstance(w, DamagedDatabaseDialog), restore)
    app = start_app(qtbot, paths, ui_settings)
    try:
        text = seen["text"]
        assert "The database in your data folder is damaged" in text
        assert "has not changed it" in text and "set aside" in text
        assert "Automatic daily backup of 11/24/2026 at 09:12" in text
        assert "daily-20261124-091200-000000.sqlite3" in text
        assert seen["buttons"] == ("Restore from this backup", "Quit")
        # Dana is back, and the window says where her records came from.
        people = app.session.services.records.list(m.Person)
        assert [p.name for p in people] == ["Dana Whitfield"]
        assert app.session.services.records.count(m.Treatment) == 1
        assert "restored the backup taken 2026-11-24 09:12" in app.safety.notices.text("recovered")
        # The damaged file is kept beside the data, byte for byte.
        [kept] = damaged_copies(paths)
        assert kept.read_bytes() == damaged_bytes
        assert not told  # no error box on the way
    finally:
        close(app)


def flipped_schema_byte(database: Path) -> bytes:
    from damage import flip_in_schema

    return flip_in_schema(database)


def flipped_name_bit(database: Path) -> bytes:
    from damage import flip_in_text

    return flip_in_text(database, b"Dana Whitfield")


@pytest.mark.parametrize("harm", [flipped_schema_byte, flipped_name_bit])
def test_one_damaged_byte_offers_the_newest_good_backup_instead_of_waiting_forever(
        qtbot, paths, ui_settings, tmp_path, told, harm):
    with_records(paths, dana)
    daily_backup(paths, now=dt.datetime(2026, 11, 24, 9, 12))
    damaged_bytes = harm(paths.database)
    seen = {}

    def restore(dialog) -> None:
        seen["text"] = dialog.text()
        seen["shot"] = screenshot(dialog, f"recovery-{harm.__name__}", tmp_path)
        dialog.restore_button.click()

    when_shown(qtbot, lambda w: isinstance(w, DamagedDatabaseDialog), restore)
    app = start_app(qtbot, paths, ui_settings)
    try:
        assert "The database in your data folder is damaged" in seen["text"]
        assert "Automatic daily backup of 11/24/2026 at 09:12" in seen["text"]
        assert "Whitfield" not in seen["text"]
        people = app.session.services.records.list(m.Person)
        assert [p.name for p in people] == ["Dana Whitfield"]
        [kept] = damaged_copies(paths)
        assert kept.read_bytes() == damaged_bytes
        assert not told
    finally:
        close(app)


def test_quit_at_the_damaged_database_leaves_the_file_as_it_was(qtbot, paths, ui_settings):
    from regenlog.ui.controller import AppController

    with_records(paths, dana)
    daily_backup(paths)
    damaged_bytes = damage(paths.database)
    when_shown(qtbot, lambda w: isinstance(w, DamagedDatabaseDialog),
               lambda dialog: dialog.quit_button.click())
    app = AppController(paths, ui_settings, today=lambda: TODAY)
    qtbot.addWidget(app.window)
    with qtbot.waitSignal(app.failed, timeout=20000) as failed:
        app.start()
    assert "damaged" in failed.args[0]
    qtbot.waitUntil(lambda: not app.window.isVisible())  # Quit closes the window
    assert paths.database.read_bytes() == damaged_bytes
    assert damaged_copies(paths) == []


# -- a database from a newer RegenLog -------------------------------------------------------
def test_a_database_from_a_newer_regenlog_is_refused_untouched(qtbot, paths, ui_settings):
    from regenlog.ui.controller import AppController

    conn = sqlite3.connect(paths.database)
    conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.commit()
    conn.close()
    before = paths.database.read_bytes()
    seen = {}

    def quit_(box) -> None:
        seen["text"] = box.text()
        seen["buttons"] = [b.text() for b in box.buttons()]
        box.buttons()[0].click()

    when_shown(qtbot, lambda w: w.objectName() == "newerDatabaseBox", quit_)
    app = AppController(paths, ui_settings, today=lambda: TODAY)
    qtbot.addWidget(app.window)
    with qtbot.waitSignal(app.failed, timeout=20000):
        app.start()
    assert seen["text"] == (
        "This data folder was written by a newer version of RegenLog; install that version "
        "to open it (nothing was changed)."
    )
    assert seen["buttons"] == ["Quit"]
    qtbot.waitUntil(lambda: not app.window.isVisible())
    assert paths.database.read_bytes() == before
    assert list_backups(paths) == [] and damaged_copies(paths) == []


# -- warnings at start-up -------------------------------------------------------------------
def test_a_data_folder_inside_dropbox_is_warned_about_once(qtbot, paths, ui_settings, tmp_path):
    synced = DataPaths(tmp_path / "Dropbox" / "RegenLog").ensure()
    shutil.copyfile(paths.database, synced.database)
    os.chmod(synced.database, 0o600)
    app = start_app(qtbot, synced, ui_settings)
    try:
        warning = app.safety.notices.text("cloud")
        assert warning.startswith(f"Your RegenLog data folder {synced.root} is inside Dropbox.")
        assert "save your backups to Dropbox instead" in warning
        assert app.safety.notices.shown["cloud"].isVisible()
        app.window.resize(1180, 760)
        screenshot(app.window, "cloud-notice", tmp_path)
        app.safety.notices.shown["cloud"].dismiss_button.click()
        app.open_folder(synced)  # e.g. after an import: the patient has read it already
        assert app.safety.notices.text("cloud") is None
    finally:
        close(app)


def test_a_folder_without_a_cloud_service_draws_no_warning(app):
    assert app.safety.notices.text("cloud") is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_records_other_users_could_read_are_made_private_when_the_patient_agrees(
        qtbot, paths, ui_settings, monkeypatch):
    os.chmod(paths.root, 0o755)
    os.chmod(paths.database, 0o644)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, **k: (
        asked.append(text), QMessageBox.StandardButton.Yes)[1])
    app = start_app(qtbot, paths, ui_settings)
    try:
        assert "Other people who use this computer could read" in asked[0]
        assert f"{paths.database}" in asked[0]
        assert stat.S_IMODE(paths.root.stat().st_mode) == 0o700
        assert stat.S_IMODE(paths.database.stat().st_mode) == 0o600
    finally:
        close(app)


# -- the daily backup -----------------------------------------------------------------------
def after_maintenance(qtbot, app) -> None:
    """The daily backup and clean-up run on a worker once the data is on screen."""
    with qtbot.waitSignal(app.safety.maintenanceDone, timeout=20000):
        pass


def test_the_daily_backup_is_made_after_start_up_and_listed(qtbot, paths, ui_settings,
                                                            tmp_path):
    app = start_app(qtbot, paths, ui_settings)
    after_maintenance(qtbot, app)
    try:
        [backup] = list_backups(paths)
        assert backup.kind == "daily"
        app.safety.menu.view.automatic_action.trigger()
        qtbot.waitUntil(app.safety.menu.dialog.isVisible)
        screenshot(app.safety.menu.dialog, "automatic-backups", tmp_path)
        rows = app.safety.menu.dialog.rows()
        assert len(rows) == 1
        taken, kind, size = rows[0]
        assert kind == "Automatic daily backup" and size.endswith("KB")
        assert taken.startswith(f"{backup.taken_at:%m/%d/%Y} at ")
    finally:
        close(app)


def test_a_daily_backup_that_fails_is_a_notice_not_a_blocked_start(qtbot, paths, ui_settings,
                                                                   monkeypatch):
    from regenlog.store import backups
    from regenlog.store.sqlite_backup import BackupError

    def full_disk(_paths, now=None):
        raise BackupError("RegenLog could not copy the database (database or disk is full).")

    monkeypatch.setattr(backups, "daily_backup", full_disk)
    app = start_app(qtbot, paths, ui_settings)
    after_maintenance(qtbot, app)
    try:
        assert app.session is not None
        notice = app.safety.notices.text("backup")
        assert notice.startswith("RegenLog could not make today's automatic backup: RegenLog "
                                 "could not copy the database (database or disk is full).")
    finally:
        close(app)


# -- the Data menu --------------------------------------------------------------------------
def test_back_up_change_a_record_restore_and_it_is_as_it_was(
        qtbot, paths, ui_settings, tmp_path, monkeypatch, told):
    with_records(paths, dana)
    app = start_app(qtbot, paths, ui_settings)
    try:
        archive = tmp_path / "away" / "dana-backup"
        archive.parent.mkdir()
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(archive), ""))
        titles = [a.text() for a in app.window.menuBar().actions()]
        assert titles[-2:] == ["&Data", "&Help"]  # the Data menu sits before Help
        app.safety.menu.view.backup_action.trigger()
        qtbot.waitUntil(lambda: len(told) == 1, timeout=20000)
        assert told[-1][0] == "Backup written"
        assert told[-1][1].startswith(f"Wrote {archive}.zip: the database and 0 attached files")

        person = app.session.services.records.list(m.Person)[0]
        app.session.services.records.update(m.Person, person.id, name="Dana W. Cruz")

        asked: list[str] = []
        monkeypatch.setattr(QFileDialog, "getOpenFileName",
                            lambda *a, **k: (f"{archive}.zip", ""))
        monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, **k: (
            asked.append(text), QMessageBox.StandardButton.Yes)[1])
        app.safety.menu.view.restore_action.trigger()
        qtbot.waitUntil(lambda: len(told) == 2, timeout=20000)
        assert "kept first, as a backup" in asked[0]
        assert told[-1][0] == "Backup restored", told[-1]
        assert "The data as it was before is kept as backups/pre-restore-" in told[-1][1]
        # The window shows the folder again, with Dana as she was.
        assert app.pages is not None and app.pages.current_key == "dashboard"
        assert [p.name for p in app.session.services.records.list(m.Person)] == [
            "Dana Whitfield"]
        assert any(b.kind == "pre-restore" for b in list_backups(paths))
    finally:
        close(app)


def test_a_cancelled_backup_leaves_no_file_and_no_warning(
        qtbot, paths, ui_settings, tmp_path, monkeypatch, told):
    import threading

    with_records(paths, dana)
    app = start_app(qtbot, paths, ui_settings)
    try:
        target = tmp_path / "dana-backup.zip"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
        # Hold the (one-thread) job runner so Cancel is surely pressed before the copy starts.
        gate = threading.Event()
        app.safety.runner.start(lambda _p, _c: gate.wait(10), lambda _v: None, lambda _t: None)
        app.safety.menu.view.backup_action.trigger()
        progress = app.safety.runner.dialog
        assert progress.isVisible() and progress.labelText() == "Writing dana-backup.zip…"
        cancel = progress.findChild(QPushButton)
        assert cancel.text() == "Cancel"
        cancel.click()
        gate.set()
        qtbot.waitUntil(lambda: not app.safety.busy_with_user_job(), timeout=20000)
        assert app.safety.menu.last_message == "The backup was cancelled; no file was written."
        assert not told
        assert list(tmp_path.glob("dana-backup*")) == []
    finally:
        close(app)


def test_verify_says_all_is_well_then_names_the_scan_whose_file_is_gone(
        qtbot, paths, ui_settings, tmp_path):
    def receipt_scan(services):
        dana(services)
        services.documents.attach_bytes(TINY_PDF, "receipt-march.pdf")

    with_records(paths, receipt_scan)
    app = start_app(qtbot, paths, ui_settings)
    try:
        menu = app.safety.menu
        menu.view.verify_action.trigger()
        qtbot.waitUntil(lambda: isinstance(menu.dialog, VerifyResultDialog), timeout=20000)
        assert menu.dialog.title.text() == "Everything is in order"
        assert menu.dialog.summary.text().endswith("1 attached file: everything is in order.")
        menu.dialog.reject()

        doc = app.session.services.records.list(m.Document)[0]
        app.session.services.db.attachments.path_for(doc.sha256).unlink()
        menu.dialog = None
        menu.view.verify_action.trigger()
        qtbot.waitUntil(lambda: isinstance(menu.dialog, VerifyResultDialog), timeout=20000)
        dialog = menu.dialog
        qtbot.waitUntil(dialog.isVisible)
        screenshot(dialog, "verify-result", tmp_path)
        assert dialog.title.text() == "RegenLog found 1 problem"
        listed = dialog.listed()
        assert f"The file of document {doc.id} “receipt-march.pdf” is missing" in listed
        assert "restore a backup (Data ▸ Restore from a backup…), or attach the file again" in listed
        assert "`" not in listed
        dialog.reject()
    finally:
        close(app)
