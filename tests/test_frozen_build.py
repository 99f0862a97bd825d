"""The frozen build: what goes in, what is left out, and (slow) the real build passing its
own self-test. The fast tests check the pieces the build relies on; the slow one builds.

    uv run pytest tests/test_frozen_build.py -m slow    # the real build, a few minutes
"""

import ast
import importlib.util
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from regenlog import __version__

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"


def load(name: str):
    # By path: a folder called "packaging" would otherwise be shadowed by the PyPI package.
    spec = importlib.util.spec_from_file_location(f"regenlog_packaging_{name}",
                                                  PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(PACKAGING))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(PACKAGING))
    return module


prune = load("prune")
icu_trim = load("icu_trim")
build = load("build")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_left_out(module: str) -> bool:
    """PyInstaller leaves out an excluded module and everything beneath it."""
    return any(module == e or module.startswith(e + ".") for e in prune.EXCLUDED_MODULES)


def imports_of(path: Path) -> set[str]:
    """Every module the file imports, at the top or inside a function, relative imports
    resolved; ``from x import y`` counts both ``x`` and ``x.y`` (y may be a module). Blocks
    under ``if TYPE_CHECKING:`` are skipped: they never run."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()

    def visit(node) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


def test_nothing_regenlog_imports_is_left_out_of_the_build():
    shipped = [p for p in sorted((ROOT / "regenlog").rglob("*.py"))
               if not is_left_out(module_name(p))]  # the code-set builder stays home
    imported = {(module, p.relative_to(ROOT).as_posix())
                for p in shipped for module in imports_of(p)}
    # The walk sees imports made inside functions too (these three are).
    seen = {module for module, _file in imported}
    assert {"PySide6.QtPdf", "pyzipper", "regenlog.ui.safety.single_instance"} <= seen
    assert sorted((m, f) for m, f in imported if is_left_out(m)) == []


def test_the_import_walk_resolves_relative_imports_and_skips_type_checking(tmp_path,
                                                                          monkeypatch):
    package = tmp_path / "regenlog" / "ui"
    package.mkdir(parents=True)
    source = package / "viewer.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import tkinter\n"
        "def open_copy():\n    from ..store import lock\n    from . import pdf\n"
        "    import PySide6.QtNetwork\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    found = imports_of(source)
    assert {"regenlog.store.lock", "regenlog.ui.pdf", "PySide6.QtNetwork"} <= found
    assert "tkinter" not in found
    assert is_left_out("PySide6.QtNetwork.sub") == is_left_out("PySide6.QtNetwork")
    assert not is_left_out("PySide6.QtNetworkless")


def fake_program(tmp_path, stderr: str, code: int = 0) -> Path:
    """A stand-in for the built program: right version, self-test line, then ``stderr``."""
    program = tmp_path / "RegenLog"
    program.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        f"if sys.argv[1] == '--version': print('RegenLog {__version__}'); sys.exit(0)\n"
        f"print('RegenLog {__version__} self-test passed: migrations (0.1 s)')\n"
        f"sys.stderr.write({stderr!r})\n"
        f"sys.exit({code})\n",
        encoding="utf-8",
    )
    program.chmod(0o755)
    return program


@pytest.mark.skipif(os.name != "posix", reason="the stand-in program is a script")
def test_the_build_fails_when_the_self_test_prints_a_traceback_yet_exits_0(tmp_path, capsys,
                                                                           monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # no xvfb-run around the stand-in
    survived = ("Traceback (most recent call last):\n  File \"guard.py\", line 115\n"
                "ModuleNotFoundError: No module named 'PySide6.QtNetwork'\n")
    problems = build.check(fake_program(tmp_path, survived), __version__)
    assert problems == ["--self-test passed but printed a traceback (above)."]
    assert "ModuleNotFoundError: No module named 'PySide6.QtNetwork'" in capsys.readouterr().out
    # A warning on stderr without a traceback is shown, and is no failure.
    assert build.check(fake_program(tmp_path, "This plugin does not support raise()\n"),
                       __version__) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux download")
def test_the_linux_download_carries_the_menu_entry_script_the_guide_runs(tmp_path):
    import tarfile

    folder = tmp_path / "RegenLog"
    folder.mkdir()
    (folder / "RegenLog").write_bytes(b"\x7fELF")
    archive = build.package(tmp_path, "9.8.7")
    with tarfile.open(archive) as unpacked:
        script = unpacked.getmember("RegenLog-9.8.7/install-desktop-entry.sh")
        assert script.mode & 0o111 == 0o111  # runnable as the guide writes it
        assert unpacked.getmember("RegenLog-9.8.7/RegenLog").isfile()


def test_the_build_keeps_the_qt_parts_regenlog_draws_with_on_every_platform():
    kept = [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",  # the self-test on CI machines
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",  # every icon is an SVG
        "PySide6/plugins/imageformats/qjpeg.dll",  # photos of receipts
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "PySide6/Qt/lib/QtCharts.framework/Versions/A/QtCharts",
        "PySide6/Qt6Widgets.dll",
    ]
    assert [p for p in kept if not prune.keep_binary(p)] == []


def test_the_build_leaves_out_qml_web_engine_multimedia_and_unused_plugins():
    dropped = [
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/QtQml.framework/Versions/A/QtQml",
        "PySide6/Qt6WebEngineCore.dll",
        "PySide6/Qt/lib/libQt6Multimedia.so.6",
        "PySide6/Qt/lib/libQt63DCore.so.6",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
        "PySide6/opengl32sw.dll",
    ]
    assert [p for p in dropped if prune.keep_binary(p)] == []
    assert not prune.keep_data("PySide6/Qt/translations/qtbase_de.qm")
    assert prune.keep_data("resources/demo/demo.json")
    assert prune.keep_data("regenlog/store/migrations/versions/0001_initial_schema.py")


def test_icu_data_keeps_the_root_and_english_and_drops_other_languages():
    for name in ("coll/root.res", "coll/ucadata.icu", "zoneinfo64.res", "en_US.res",
                 "curr/pool.res", "res_index.res", "brkitr/word.brk", "es_MX.res",
                 "supplementalData.res", "uts46.nrm"):
        assert icu_trim.keep_item(name), name
    for name in ("coll/sv.res", "zh_Hant_TW.res", "translit/root.res", "brkitr/cjdict.dict",
                 "ibm-1390_P110-2003.cnv", "unames.icu", "zone/de.res"):
        assert not icu_trim.keep_item(name), name


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ICU ships only on Linux")
def test_the_icu_data_package_is_rewritten_byte_for_byte():
    import PySide6

    library = next((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    elf = library.read_bytes()
    _symbol, offset, size = icu_trim.find_symbol(elf)
    package = elf[offset:offset + size]
    header, items = icu_trim.read_package(package)
    assert len(items) > 1000
    assert icu_trim.write_package(header, items) == package
    kept = [(n, d) for n, d in items if icu_trim.keep_item(n.split("/", 1)[1])]
    smaller = icu_trim.write_package(header, kept)
    assert len(smaller) < len(package) / 5
    assert [n for n, _ in icu_trim.read_package(smaller)[1]] == [n for n, _ in kept]


def test_the_windows_icon_holds_every_size_as_png():
    data = (ICONS / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        width, _h, _c, _r, _planes, _bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        assert data[offset:offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(data)
        sizes.append(width or 256)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_the_macos_icon_holds_the_retina_sizes():
    data = (ICONS / "app.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack_from(">I", data, 4)[0] == len(data)
    kinds, at = [], 8
    while at < len(data):
        kind, length = data[at:at + 4], struct.unpack_from(">I", data, at + 4)[0]
        assert data[at + 8:at + 16] == b"\x89PNG\r\n\x1a\n"
        kinds.append(kind.decode())
        at += length
    assert at == len(data)
    assert {"ic07", "ic08", "ic09", "ic10", "ic13", "ic14"} <= set(kinds)


@pytest.fixture(scope="module")
def frozen(tmp_path_factory):
    """The real build, made once for the slow tests (or, with REGENLOG_BUILT_DIST set to a
    dist folder, that build checked again without rebuilding): build.py's result and dist."""
    built = os.environ.get("REGENLOG_BUILT_DIST")
    dist = Path(built) if built else tmp_path_factory.mktemp("frozen") / "dist"
    command = [sys.executable, str(PACKAGING / "build.py"), "--dist", str(dist),
               "--work", str(dist.parent / "work")]
    # The self-test should draw with the platform's own plugin (xcb under xvfb-run, Windows,
    # Cocoa), not the offscreen one the other tests use.
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run(command + (["--no-build"] if built else []), capture_output=True,
                            text=True, timeout=1800, cwd=ROOT, env=env)
    return result, dist


@pytest.mark.slow
def test_the_frozen_build_starts_and_passes_its_self_test(frozen):
    result, dist = frozen
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    assert f"--version: RegenLog {__version__}" in result.stdout
    assert f"--self-test: RegenLog {__version__} self-test passed:" in result.stdout
    assert "second launch" in result.stdout and "Traceback" not in result.stdout
    if sys.platform == "darwin":
        shipped = dist / "RegenLog.app"
        inside = shipped / "Contents" / "Resources"  # where a .app keeps data files
        assert "org.regenlog.RegenLog" in (shipped / "Contents" / "Info.plist").read_text()
    else:
        shipped = dist / "RegenLog"
        inside = shipped / "_internal"
    if sys.platform == "win32":  # the windowed program and its console companion, one folder
        assert {"RegenLog.exe", "regenlog-cli.exe"} <= {p.name for p in shipped.iterdir()}
    # Alembic reads the migrations as files, and the demo and schemas are data files.
    assert (inside / "regenlog/store/migrations/env.py").is_file()
    assert (inside / "regenlog/store/migrations/versions/0002_search_index.py").is_file()
    assert (inside / "resources/demo/demo.json").is_file()
    assert list((inside / "regenlog/core/codes/data").glob("*.gz"))
    # Neither Qt Quick nor WebEngine (libQt6Quick.so.6, Qt6Quick.dll, QtQuick.framework).
    assert [p.name for p in shipped.rglob("*") if re.search(r"Qt6?(Quick|WebEngine)", p.name)] == []


def wait_for(condition, timeout_s: float) -> bool:
    import time

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


@pytest.mark.slow
def test_the_frozen_app_started_twice_on_one_folder_hands_over_and_backs_up(frozen, tmp_path):
    """A patient's day with the installed app: the first start opens the household and takes
    the daily backup; starting it again (a second click on the icon) brings that window
    forward and exits, with no error of its own."""
    from regenlog.store.lock import read_lock_holder
    from regenlog.store.paths import DataPaths

    result, dist = frozen
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    program, terminal = build.executable(dist), build.command_line_program(dist)
    household = DataPaths(tmp_path / "household")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", APPDATA=str(tmp_path / "appdata"))
    made = subprocess.run([str(terminal), "--data-dir", str(household.root), "demo"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert made.returncode == 0, made.stderr

    errors = tmp_path / "first-launch.err"
    with errors.open("w") as first_err:
        first = subprocess.Popen([str(program), "--data-dir", str(household.root)],
                                 stdout=subprocess.DEVNULL, stderr=first_err, env=env)
        try:
            assert wait_for(lambda: list(household.backups.glob("daily-*.sqlite3")), 90), (
                f"no daily backup; the first launch said: {errors.read_text()}")
            assert first.poll() is None
            second = subprocess.run([str(program), "--data-dir", str(household.root)],
                                    capture_output=True, text=True, timeout=60, env=env)
            log = household.logs / "regenlog.log"
            handed_over = "a later launch on this folder handed over to this window"
            assert wait_for(lambda: log.is_file() and handed_over in log.read_text(), 10), (
                log.read_text() if log.is_file() else "no log")
            assert first.poll() is None  # the first window stays, with the folder
            assert read_lock_holder(household).pid == first.pid
        finally:
            first.terminate()
            first.wait(timeout=30)
    assert second.returncode == 0, second.stderr
    assert "Traceback" not in second.stderr + second.stdout
    assert "daily backup written" in log.read_text()
    assert "Traceback" not in errors.read_text(), errors.read_text()
    backups = list(household.backups.glob("daily-*.sqlite3"))
    assert len(backups) == 1 and backups[0].stat().st_size > 0
