"""packaging/macos/sign_and_notarize.sh, run against stand-ins for Apple's tools (codesign,
notarytool, stapler...) that only record what they were asked: the order Apple documents
for signing, a rejected notarization that stops the release with Apple's reasons, and the
ticket stapled to the app itself."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "packaging" / "macos" / "sign_and_notarize.sh"
REJECTION = "The signature of the binary is invalid."

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or shutil.which("bash") is None, reason="a bash script")

STANDINS = {
    "codesign": 'echo "codesign $*" >> "$CALLS"',
    "security": textwrap.dedent('''\
        echo "security $*" >> "$CALLS"
        if [ "$1" = list-keychains ] && [ "$3" != -s ]; then
          echo '    "/Users/patient/Library/Keychains/login.keychain-db"'
        fi'''),
    "uuidgen": "echo 0F6A2B1C-7D4E-4F00-9C1B-2E3D4C5B6A79",
    "file": textwrap.dedent('''\
        if [ "$(head -c 5 "$2")" = MACHO ]; then echo "Mach-O 64-bit bundle arm64"
        else echo "ASCII text"; fi'''),
    "ditto": 'echo "ditto $*" >> "$CALLS"; for last in "$@"; do :; done; touch "$last"',
    "spctl": 'echo "spctl $*" >> "$CALLS"',
    "xcrun": textwrap.dedent(f'''\
        echo "xcrun $*" >> "$CALLS"
        case "$1 $2" in
          "notarytool submit")
            echo '{{"id": "7e3a-submission", "status": "'"$NOTARY_STATUS"'", "message": "Processing complete"}}' ;;
          "notarytool log")
            echo '{{"issues": [{{"severity": "error", "message": "{REJECTION}"}}]}}' ;;
        esac'''),
}


def app_bundle(root: Path) -> Path:
    """RegenLog.app as PyInstaller lays it out, with markers for what is Mach-O code."""
    app = root / "RegenLog.app"
    contents = app / "Contents"
    framework = contents / "Frameworks/PySide6/Qt/lib/QtCore.framework"
    files = {
        "MacOS/RegenLog": b"MACHO main program",
        "Frameworks/libpython3.11.dylib": b"MACHO python",
        "Frameworks/PySide6/QtCore.abi3.so": b"MACHO extension",
        "Frameworks/PySide6/Qt/plugins/platforms/libqcocoa.dylib": b"MACHO plugin",
        "Frameworks/PySide6/Qt/lib/QtCore.framework/Versions/A/QtCore": b"MACHO framework",
        "Frameworks/PySide6/Qt/lib/QtCore.framework/Versions/A/Resources/Info.plist": b"<plist/>",
        "Resources/resources/demo/demo.json": b"{}",
        "Info.plist": b"<plist/>",
    }
    for name, data in files.items():
        (contents / name).parent.mkdir(parents=True, exist_ok=True)
        (contents / name).write_bytes(data)
    (framework / "Versions/Current").symlink_to("A")
    (framework / "QtCore").symlink_to("Versions/Current/QtCore")
    return app


def run_script(tmp_path: Path, mode: str, target: Path, *, status="Accepted", secrets=True):
    tools = tmp_path / "tools"
    tools.mkdir(exist_ok=True)
    for name, body in STANDINS.items():
        (tools / name).write_text(f"#!/usr/bin/env bash\n{body}\n", encoding="utf-8")
        (tools / name).chmod(0o755)
    calls = tmp_path / "calls.log"
    calls.write_text("")
    env = {k: v for k, v in os.environ.items() if k != "RUNNER_TEMP"}
    env.update(PATH=f"{tools}{os.pathsep}{env['PATH']}", CALLS=str(calls), NOTARY_STATUS=status)
    if secrets:
        env.update(
            MACOS_CERTIFICATE_P12_BASE64=base64.b64encode(b"not a real p12").decode(),
            MACOS_CERTIFICATE_PASSWORD="p12 password",
            MACOS_SIGNING_IDENTITY="Developer ID Application: RegenLog (ABCDE12345)",
            APPLE_ID="release@example.org", APPLE_TEAM_ID="ABCDE12345",
            APPLE_APP_PASSWORD="app-specific",
        )
    result = subprocess.run(["bash", str(SCRIPT), mode, str(target)], capture_output=True,
                            text=True, timeout=60, env=env)
    return result, calls.read_text().splitlines()


def signed_items(calls: list[str], app: Path) -> list[str]:
    """What codesign signed, in order, relative to the app ("." for the app itself)."""
    items = []
    for line in calls:
        if line.startswith("codesign ") and "--sign" in line and "--verify" not in line:
            path = Path(line.rsplit(" ", 1)[1])
            items.append("." if path == app else path.relative_to(app).as_posix())
    return items


def test_the_app_is_signed_inside_out_frameworks_by_their_version_folder(tmp_path):
    app = app_bundle(tmp_path)
    result, calls = run_script(tmp_path, "app", app)
    assert result.returncode == 0, result.stderr
    signed = signed_items(calls, app)
    assert signed[-1] == "."  # the app last, sealing everything inside
    assert sorted(signed) == sorted([
        ".",
        "Contents/Frameworks/PySide6/Qt/lib/QtCore.framework/Versions/A",
        "Contents/Frameworks/PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "Contents/Frameworks/PySide6/QtCore.abi3.so",
        "Contents/Frameworks/libpython3.11.dylib",
    ])  # not the framework's own binary, the main program, data or links
    depths = [item.count("/") for item in signed[:-1]]
    assert depths == sorted(depths, reverse=True)  # deepest first
    with_entitlements = [line for line in calls if "--entitlements" in line]
    assert len(with_entitlements) == 1 and with_entitlements[0].endswith(str(app))
    assert all("--options runtime" in line and "--timestamp" in line
               for line in calls if line.startswith("codesign --force"))
    assert not [line for line in calls if "--deep" in line and "--verify" not in line]


def test_the_app_is_notarized_and_stapled_before_it_goes_into_the_disk_image(tmp_path):
    app = app_bundle(tmp_path)
    result, calls = run_script(tmp_path, "app", app)
    assert result.returncode == 0, result.stderr
    steps = [line.split(" ")[0] + " " + line.split(" ")[1] for line in calls
             if line.split(" ")[0] in ("ditto", "xcrun", "spctl")]
    assert steps == ["ditto -c", "xcrun notarytool", "xcrun stapler", "xcrun stapler",
                     "spctl --assess"]
    assert f"xcrun stapler staple {app}" in calls
    assert "notarytool: RegenLog.app.zip: Accepted (submission 7e3a-submission)" in result.stdout


@pytest.mark.parametrize("status", ["Invalid", "Rejected", ""])
def test_a_notarization_apple_does_not_accept_fails_with_apples_reasons(tmp_path, status):
    dmg = tmp_path / "RegenLog-0.1.0-macos-arm64.dmg"
    dmg.write_bytes(b"disk image")
    result, calls = run_script(tmp_path, "dmg", dmg, status=status)
    assert result.returncode == 1
    assert f"Apple did not accept {dmg}" in result.stderr
    assert REJECTION in result.stderr  # notarytool log, printed for whoever reads the CI log
    assert any(line.startswith("xcrun notarytool log 7e3a-submission") for line in calls)
    assert not [line for line in calls if "stapler" in line]


def test_without_the_secrets_nothing_is_signed_and_the_build_goes_on(tmp_path):
    app = app_bundle(tmp_path)
    result, calls = run_script(tmp_path, "app", app, secrets=False)
    assert result.returncode == 0
    assert "skipping app signing and notarization" in result.stdout
    assert calls == []
