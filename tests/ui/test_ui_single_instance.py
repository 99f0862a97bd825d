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


def test_a_second_launch_brings_the_open_window_forward_and_exits(app, qtbot, paths):
    qtbot.waitUntil(lambda: app.safety.server is not None and bool(app.safety.server.name))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    second = subprocess.Popen(
        [sys.executable, "-m", "regenlog", "--data-dir", str(paths.root)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        # The first window keeps running its event loop while the second one asks.
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=60_000)
        out, err = second.communicate()
    finally:
        second.kill()
    assert second.returncode == 0, err
    assert app.safety.activations == 1
    assert app.window.isVisible()
    assert read_lock_holder(paths).pid == os.getpid()  # the folder stayed with the first


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
