"""One RegenLog per data folder: a second launch brings the first window forward and exits; a
folder held by something that cannot answer is refused with a sentence; a lock left by a
crashed RegenLog is taken over; the lock follows the window to the demo and back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtNetwork import QLocalServer
from PySide6.QtWidgets import QMessageBox

from regenlog.store.lock import DataFolderInUse, acquire_writer_lock, read_lock_holder
from regenlog.ui.safety import single_instance
from regenlog.ui.safety.single_instance import server_name

from .conftest import start_app

HOLDER = textwrap.dedent("""
    import sys, time
    from regenlog.store.lock import acquire_writer_lock
    from regenlog.store.paths import DataPaths
    lock = acquire_writer_lock(DataPaths(sys.argv[1]))
    print("locked", flush=True)
    time.sleep(60)
""")


@pytest.fixture
def holder(paths):
    """Another process that holds the folder and has no window: the command line restoring
    a backup, say."""
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(paths.root)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "locked"
    yield child
    child.kill()
    child.wait(timeout=10)
    child.stdout.close()


@pytest.fixture
def refusals(monkeypatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a, **k: (
        said.append(text), QMessageBox.StandardButton.Ok)[1])
    return said


def second_launch(qtbot, folder) -> tuple[int, str]:
    """``regenlog --data-dir folder`` while this test's window keeps its event loop running."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    second = subprocess.Popen(
        [sys.executable, "-m", "regenlog", "--data-dir", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=60_000)
        _out, err = second.communicate()
    finally:
        second.kill()
    return second.returncode, err


def test_a_second_launch_brings_the_open_window_forward_and_exits(app, qtbot, paths):
    qtbot.waitUntil(lambda: app.safety.server is not None and bool(app.safety.server.name))
    code, err = second_launch(qtbot, paths.root)
    assert code == 0, err
    assert app.safety.activations == 1
    assert app.window.isVisible()
    assert read_lock_holder(paths).pid == os.getpid()  # the folder stayed with the first


def test_the_folder_typed_another_way_still_hands_over(app, qtbot, paths, tmp_path):
    """A link to the folder, or on Windows and macOS the same folder in other letter cases
    (C:\\Data, c:\\data): the writer lock is one file for all of them, so the hand-over
    must be one listener too, or the second launch waits and then says "already open"."""
    qtbot.waitUntil(lambda: app.safety.server is not None and bool(app.safety.server.name))
    link = tmp_path / "records-link"
    try:
        link.symlink_to(paths.root, target_is_directory=True)
    except OSError:
        pytest.skip("this system does not let the user make links")
    code, err = second_launch(qtbot, link)
    assert code == 0, err
    assert app.safety.activations == 1


def test_one_folder_has_one_instance_name_however_its_path_is_written(tmp_path, monkeypatch):
    folder = tmp_path / "Records"
    folder.mkdir()
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "link"
    link.symlink_to(folder, target_is_directory=True)
    name = server_name(folder)
    assert server_name(tmp_path / "elsewhere" / ".." / "Records") == name
    assert server_name(link) == name
    if (tmp_path / "records").exists():  # a case-insensitive disk (Windows, macOS)
        assert server_name(tmp_path / "RECORDS") == name
    other = tmp_path / "Records-2"
    other.mkdir()
    assert server_name(other) != name
    monkeypatch.setattr(single_instance.getpass, "getuser", lambda: "someone-else")
    assert server_name(folder) != name  # another user never meets this window


def test_a_folder_held_by_the_command_line_is_refused_with_its_sentence(
        qtbot, paths, holder, refusals, monkeypatch):
    from regenlog.ui.app import run_gui

    monkeypatch.setattr(single_instance, "HANDOVER_WAIT_S", 0.3)
    assert run_gui(str(paths.root)) == 2
    assert refusals == [
        f"The data folder {paths.root} is already open in another RegenLog (process "
        f"{holder.pid} on this computer); close it there first, or choose another folder "
        "with --data-dir."
    ]


def test_a_regenlog_that_hangs_while_holding_the_folder_does_not_hang_the_next_launch(
        qtbot, paths, holder, refusals, monkeypatch):
    """Its listener still accepts connections (the kernel does that) but never answers."""
    from regenlog.ui.app import run_gui

    monkeypatch.setattr(single_instance, "HANDOVER_WAIT_S", 0.3)
    monkeypatch.setattr(single_instance, "ANSWER_WAIT_MS", 300)
    silent = QLocalServer()
    QLocalServer.removeServer(server_name(paths.root))
    assert silent.listen(server_name(paths.root))
    try:
        assert run_gui(str(paths.root)) == 2
    finally:
        silent.close()
    assert "is already open in another RegenLog" in refusals[0]


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_lock_left_by_a_crashed_regenlog_is_taken_over(qtbot, paths, ui_settings, holder):
    os.kill(holder.pid, signal.SIGKILL)  # it crashes while holding the folder
    holder.wait(timeout=10)
    assert read_lock_holder(paths).pid == holder.pid  # its line is still in the file
    app = start_app(qtbot, paths, ui_settings)
    try:
        assert app.session is not None
        assert read_lock_holder(paths).pid == os.getpid()
        with pytest.raises(DataFolderInUse):
            acquire_writer_lock(paths)
    finally:
        app._quitting = True
        app.window.close()
    acquire_writer_lock(paths).release()  # closing the window let the folder go


def test_the_lock_follows_the_window_to_the_demo_and_back(app, qtbot, paths):
    def free(folder) -> bool:
        try:
            acquire_writer_lock(folder).release()
        except DataFolderInUse:
            return False
        return True

    assert not free(paths)
    app.open_demo()
    assert app.session.is_demo
    assert free(paths) and not free(app.paths)
    demo = app.paths
    app.back_to_my_records()
    assert app.paths == paths
    assert not free(paths) and free(demo)
