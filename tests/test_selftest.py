"""``regenlog --self-test``: what support asks a patient to run, and what CI runs on every build."""

import io
import logging
import os
import re
import subprocess
import sys
import threading
import traceback
from pathlib import Path

import pytest

from regenlog import __version__
from regenlog.selftest import STEPS, SelfTestFailure, run_steps


def test_a_working_installation_passes_every_step_and_leaves_nothing_behind(tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    data = tmp_path / "my-records"
    env = dict(os.environ, TMPDIR=str(scratch), REGENLOG_DATA_DIR=str(data))
    result = subprocess.run(
        [sys.executable, "-m", "regenlog", "--self-test"],
        capture_output=True, text=True, timeout=180, env=env,
    )
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert re.fullmatch(
        rf"RegenLog {re.escape(__version__)} self-test passed: migrations, FTS5, records, "
        r"attachments, records file, ICD-10-CM, PDF, reading, AES-256 ZIP, main window, "
        r"daily backup, second launch, document preview, search \(\d+\.\d s\); "
        r"OCR (available \(.+\)|not available)",
        line,
    ), line
    # The patient's own data folder and window settings are never created; the scratch
    # folder is removed.
    assert not data.exists()
    home = os.environ["HOME"]  # a fresh folder per test (conftest)
    assert [p for p in Path(home).rglob("*") if "regenlog" in p.name.lower()] == []
    assert list(scratch.iterdir()) == []
    assert "Traceback" not in result.stderr


def run_self_test_without(module: str, tmp_path) -> subprocess.CompletedProcess:
    """The self-test of an installation that lacks ``module``, as a build that pruned it."""
    code = (f"import sys; sys.modules[{module!r}] = None\n"
            "from regenlog.cli import main; sys.exit(main(['--self-test']))")
    env = dict(os.environ, TMPDIR=str(tmp_path))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=180, env=env)


def test_a_build_without_the_single_instance_socket_fails_the_self_test(tmp_path):
    """The window survives the missing module (the error is raised in a Qt slot and only
    printed), but its daily backup and the hand-over never happen: the self-test says so."""
    result = run_self_test_without("PySide6.QtNetwork", tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert (f"RegenLog {__version__} self-test failed at main window: a traceback was "
            "printed: ModuleNotFoundError: import of PySide6.QtNetwork halted") in result.stderr


def test_a_build_without_the_pdf_library_fails_at_reading(tmp_path):
    """PDFium is a compiled library a build can leave out: reading a receipt names it."""
    result = run_self_test_without("pypdfium2", tmp_path)
    assert result.returncode == 1
    assert f"RegenLog {__version__} self-test failed at reading" in result.stderr


def step_that(do_badly):
    ran = []

    def step(_scratch):
        do_badly()
        ran.append("carried on")

    return step, ran


def qt_slot_raises():
    from PySide6.QtCore import QTimer

    from regenlog.selftest import qt_application

    app = qt_application()
    QTimer.singleShot(0, lambda: {}["listener"])
    app.processEvents()
    app.processEvents()


def worker_thread_raises():
    worker = threading.Thread(target=lambda: 1 / 0)
    worker.start()
    worker.join()


def traceback_printed():
    try:
        raise OSError("backups/ is read-only")
    except OSError:
        traceback.print_exc()


def exception_logged():
    try:
        raise OSError("backups/ is read-only")
    except OSError:
        logging.getLogger("regenlog.ui.safety").warning("daily backup failed", exc_info=True)


@pytest.mark.parametrize("do_badly, last_line", [
    (qt_slot_raises, "KeyError: 'listener'"),
    (worker_thread_raises, "ZeroDivisionError: division by zero"),
    (traceback_printed, "OSError: backups/ is read-only"),
    (exception_logged, "OSError: backups/ is read-only"),
], ids=["in a Qt slot", "in a worker thread", "printed to stderr", "logged"])
def test_a_traceback_the_program_survived_still_fails_its_step(tmp_path, capsys, do_badly,
                                                                  last_line):
    step, ran = step_that(do_badly)
    out, err = io.StringIO(), io.StringIO()
    assert run_steps(tmp_path, [("daily backup", step)], out, err) == 1
    assert ran == ["carried on"]  # nothing was raised to the step itself
    assert out.getvalue() == ""
    assert err.getvalue().splitlines()[-1] == (
        f"RegenLog {__version__} self-test failed at daily backup: a traceback was printed: "
        f"{last_line}"
    )
    printed = err.getvalue() + capsys.readouterr().err
    assert "Traceback (most recent call last):" in printed  # kept for support


def test_a_traceback_while_closing_fails_the_self_test(tmp_path):
    def leaves_a_broken_closer(scratch):
        scratch.closers.append(lambda: [][0])

    err = io.StringIO()
    assert run_steps(tmp_path, [("records", leaves_a_broken_closer)], io.StringIO(), err) == 1
    assert err.getvalue().splitlines()[-1] == (
        f"RegenLog {__version__} self-test failed at closing: IndexError: list index out of range"
    )


def test_a_window_that_never_answers_a_second_launch_fails_the_self_test(tmp_path, monkeypatch):
    from regenlog.ui.safety import single_instance

    # Connections are accepted (the kernel does that) but the window never answers.
    monkeypatch.setattr(single_instance.InstanceServer, "_read", lambda _self, _socket: None)
    steps = [(name, step) for name, step in STEPS
             if name in ("migrations", "records file", "main window", "second launch")]
    out, err = io.StringIO(), io.StringIO()
    assert run_steps(tmp_path, steps, out, err) == 1
    assert out.getvalue() == ""
    failure = err.getvalue().splitlines()[-1]
    assert failure.startswith(
        f"RegenLog {__version__} self-test failed at second launch: the second launch exited 2: "
        "regenlog: The data folder "), failure
    assert "is already open in another RegenLog" in failure


def test_a_broken_step_is_named_and_the_run_stops_there(tmp_path):
    ran = []

    def pdf_writer_missing(_scratch):
        raise SelfTestFailure("Qt's PDF writer wrote no PDF")

    steps = [
        ("ICD-10-CM", dict(STEPS)["ICD-10-CM"]),
        ("PDF", pdf_writer_missing),
        ("main window", lambda _s: ran.append("main window")),
    ]
    out, err = io.StringIO(), io.StringIO()
    assert run_steps(tmp_path, steps, out, err) == 1
    assert err.getvalue() == (
        f"RegenLog {__version__} self-test failed at PDF: Qt's PDF writer wrote no PDF\n"
    )
    assert out.getvalue() == ""
    assert ran == []


def test_an_unexpected_error_is_named_with_its_traceback_for_support(tmp_path):
    def missing_plugin(_scratch):
        raise FileNotFoundError("platforms/libqxcb.so")

    err = io.StringIO()
    assert run_steps(tmp_path, [("main window", missing_plugin)], io.StringIO(), err) == 1
    first, *rest = err.getvalue().splitlines()
    assert first == (
        f"RegenLog {__version__} self-test failed at main window: platforms/libqxcb.so"
    )
    assert rest[0] == "Traceback (most recent call last):"
    assert rest[-1] == "FileNotFoundError: platforms/libqxcb.so"
