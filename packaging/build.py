"""Build RegenLog for the platform this runs on, then prove the build works.

    uv run python packaging/build.py             # build, then --version and --self-test
    uv run python packaging/build.py --package   # ... and the installer: .exe setup (Inno
                                                 #     Setup), .dmg (macOS) or .tar.gz (Linux)
    uv run python packaging/build.py --no-build  # check an existing build only

The build is PyInstaller's onedir (``packaging/regenlog.spec``), in ``dist/``; PyInstaller's
working files go to ``build/pyinstaller``. The built program must print its version and
pass its own self-test without a single traceback (even one it survived), or this exits 1.
On Windows both are run through ``regenlog-cli.exe``, the console companion the install
guide tells patients to use. On Linux the folder must also stay under the size budget
(150 MB), so a dependency that drags in half of Qt is noticed at once.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
APP_NAME = "RegenLog"
CLI_NAME = "regenlog-cli"  # Windows: the console companion (regenlog.spec)
LINUX_BUDGET_MB = 150.0
TRACEBACK = "Traceback (most recent call last)"


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def built_folder(dist: Path) -> Path:
    """What ships: the .app on macOS, the onedir folder elsewhere."""
    return dist / f"{APP_NAME}.app" if sys.platform == "darwin" else dist / APP_NAME


def executable(dist: Path) -> Path:
    """The program a patient starts."""
    if sys.platform == "darwin":
        return dist / f"{APP_NAME}.app" / "Contents" / "MacOS" / APP_NAME
    return dist / APP_NAME / (f"{APP_NAME}.exe" if sys.platform == "win32" else APP_NAME)


def command_line_program(dist: Path) -> Path:
    """The program for a terminal: the same one, except on Windows (a console companion)."""
    if sys.platform == "win32":
        return dist / APP_NAME / f"{CLI_NAME}.exe"
    return executable(dist)


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def run_pyinstaller(dist: Path, work: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(PACKAGING / "regenlog.spec")],
        check=True, cwd=ROOT,
    )
    return time.perf_counter() - started


def self_test_command(program: Path) -> list[str]:
    """On a Linux machine without a screen, use a virtual X server when there is one, so the
    real xcb platform plugin is tested; else the self-test falls back to offscreen itself."""
    command = [str(program), "--self-test"]
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if headless and shutil.which("xvfb-run") and "QT_QPA_PLATFORM" not in os.environ:
        return ["xvfb-run", "-a", *command]
    return command


def check(program: Path, expected_version: str) -> list[str]:
    """Run --version and --self-test; return the problems found (empty when all is well).
    A traceback in either one's output is a problem even when it exited 0."""
    problems = []
    if not program.is_file():
        return [f"{program} was not built."]
    result = subprocess.run([str(program), "--version"], capture_output=True, text=True,
                            timeout=120)
    shown = (result.stdout + result.stderr).strip()
    print(f"--version: {shown}")
    if result.returncode != 0 or shown != f"{APP_NAME} {expected_version}":
        problems.append(f"--version printed {shown!r} (exit {result.returncode}).")
    result = subprocess.run(self_test_command(program), capture_output=True, text=True,
                            timeout=600)
    print(f"--self-test: {result.stdout.strip()}")
    if result.stderr.strip():
        print(f"--self-test printed on stderr:\n{result.stderr.rstrip()}")
    if result.returncode != 0 or "self-test passed" not in result.stdout:
        problems.append(f"--self-test failed (exit {result.returncode}):\n{result.stderr}")
    elif TRACEBACK in result.stdout + result.stderr:
        problems.append("--self-test passed but printed a traceback (above).")
    return problems


def package(dist: Path, ver: str) -> Path:
    """The file a patient downloads."""
    raw = platform.machine().lower()
    machine = {"amd64": "x86_64", "aarch64": "arm64"}.get(raw, raw or "x86_64")
    if sys.platform == "darwin":
        target = dist / f"{APP_NAME}-{ver}-macos-{machine}.dmg"
        script = PACKAGING / "macos" / "make_dmg.sh"
        subprocess.run(["bash", str(script), str(dist / f"{APP_NAME}.app"), str(target)],
                       check=True)
        return target
    if sys.platform == "win32":
        # ISCC: the compiler the release pins (release.yml sets it); else the one installed.
        default = Path(os.environ.get("PROGRAMFILES(X86)", "C:/Program Files (x86)"))
        iscc = (os.environ.get("ISCC") or shutil.which("iscc") or shutil.which("ISCC")
                or str(default / "Inno Setup 6" / "ISCC.exe"))
        subprocess.run([iscc, f"/DAppVersion={ver}", f"/DSourceDir={dist / APP_NAME}",
                        f"/O{dist}", str(PACKAGING / "windows" / "regenlog.iss")], check=True)
        return dist / f"{APP_NAME}-{ver}-windows-setup.exe"
    target = dist / f"{APP_NAME}-{ver}-linux-{machine}.tar.gz"
    top = f"{APP_NAME}-{ver}"
    with tarfile.open(target, "w:gz") as archive:
        archive.add(dist / APP_NAME, arcname=top)
        # Beside the program, as the install guide says: it adds RegenLog to the app menu.
        script = archive.gettarinfo(PACKAGING / "linux" / "install-desktop-entry.sh",
                                    arcname=f"{top}/install-desktop-entry.sh")
        script.mode = 0o755
        with (PACKAGING / "linux" / "install-desktop-entry.sh").open("rb") as source:
            archive.addfile(script, source)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true", help="check the existing build only")
    parser.add_argument("--package", action="store_true", help="also build the installer")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    args = parser.parse_args(argv)
    ver = version()

    if not args.no_build:
        seconds = run_pyinstaller(args.dist, args.work)
        print(f"Built {built_folder(args.dist)} in {seconds:.0f} s.")
    folder = built_folder(args.dist)
    size_mb = folder_size(folder) / 1e6 if folder.exists() else 0.0
    print(f"Size: {size_mb:.1f} MB ({size_mb * 1e6 / 2**20:.1f} MiB) in {folder}")

    problems = check(command_line_program(args.dist), ver)
    if not executable(args.dist).is_file():
        problems.append(f"{executable(args.dist)} was not built.")
    if sys.platform.startswith("linux") and size_mb > LINUX_BUDGET_MB:
        problems.append(f"The build is {size_mb:.1f} MB, over the {LINUX_BUDGET_MB:.0f} MB budget.")
    if problems:
        for problem in problems:
            print(f"build.py: {problem}", file=sys.stderr)
        return 1
    if args.package:
        print(f"Installer: {package(args.dist, ver)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
