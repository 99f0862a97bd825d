"""``regenlog --self-test``: what support asks a patient to run, and what CI runs on every build."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

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
        r"attachments, records file, ICD-10-CM, PDF, AES-256 ZIP, main window \(\d+\.\d s\)",
        line,
    ), line
    # The patient's own data folder and window settings are never created; the scratch
    # folder is removed.
    assert not data.exists()
    home = os.environ["HOME"]  # a fresh folder per test (conftest)
    assert [p for p in Path(home).rglob("*") if "regenlog" in p.name.lower()] == []
    assert list(scratch.iterdir()) == []


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
