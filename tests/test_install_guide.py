"""docs/install.md's commands are the ones the release runs on the installed program, word for
word, so a command in the guide that does not work as written stops the release first."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
RELEASE = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
# Where the installed program is, on each system, as the guide writes it.
INSTALLED = ("regenlog-cli.exe", "/Applications/RegenLog.app/Contents/MacOS/RegenLog",
             "~/Applications/RegenLog-")


def guide_commands() -> list[str]:
    """Commands the guide gives for the installed program's checks: in `code` or in a shell
    block, with a trailing # comment dropped."""
    candidates = re.findall(r"`([^`\n]+)`", GUIDE)
    for block in re.findall(r"```sh\n(.*?)```", GUIDE, flags=re.S):
        candidates += [line.split("  #")[0].strip() for line in block.splitlines()]
    return [c for c in candidates if any(p in c for p in INSTALLED)
            and re.search(r" --(self-test|version)$|install-desktop-entry\.sh$", c)]


def same_version(text: str) -> str:
    for written in ("${{ env.VERSION }}", "${VERSION}", "$VERSION", "%VERSION%", VERSION):
        text = text.replace(written, "{version}")
    return text


def test_every_check_the_guide_gives_is_run_by_the_release_as_written():
    commands = guide_commands()
    assert len(commands) >= 9  # self-test and version on four terminals, and the menu entry
    release = same_version(RELEASE)
    assert [c for c in commands if same_version(c) not in release] == []


def test_the_guide_sends_windows_terminals_to_the_console_program():
    """RegenLog.exe is windowed: a terminal neither waits for it nor shows its output."""
    windows = [c for c in re.findall(r"`([^`\n]+)`", GUIDE) if "LOCALAPPDATA" in c]
    assert windows and all("regenlog-cli.exe" in c for c in windows if " " in c.strip('"'))
    assert not re.search(r"RegenLog\.exe\"? (--|backup|restore|verify)", GUIDE)


def test_the_guide_names_this_version():
    assert f"RegenLog-{VERSION}-windows-setup.exe" in GUIDE
    assert f"~/Applications/RegenLog-{VERSION}/RegenLog --self-test" in GUIDE
    assert not (set(re.findall(r"RegenLog-(\d+\.\d+\.\d+)", GUIDE)) - {VERSION})


def test_the_guide_opens_an_unnotarized_copy_on_macos_14_and_15():
    mac = " ".join(GUIDE[GUIDE.index("## macOS"):GUIDE.index("## Linux")].split())
    assert "Open Anyway" in mac and "Privacy & Security" in mac  # macOS 15 and newer
    assert "macOS 14" in mac and "macOS 15" in mac
