"""A fresh Linux desktop without Qt's X11 libraries: RegenLog says, in one sentence, which
command installs them, instead of letting Qt abort the process (exit 134)."""

import struct
import sys
from pathlib import Path

import pytest

from regenlog.ui import platform_check
from regenlog.ui.platform_check import (
    XCB_LIBRARIES,
    missing_libraries,
    missing_libraries_sentence,
)

X11 = {"DISPLAY": ":0"}


def _refuse(soname: str) -> bool:
    raise AssertionError(f"{soname} was looked for where Qt does not use its xcb plugin")


def _lacking(*sonames: str):
    """A loader on a system without ``sonames``: Qt's xcb library (a path) fails to load."""
    return lambda name: "/" not in name and name not in sonames


def test_a_missing_library_is_named_with_the_command_that_installs_it():
    missing = missing_libraries(
        "linux", X11, _lacking("libxcb-cursor.so.0", "libxkbcommon-x11.so.0")
    )
    assert missing == ["libxkbcommon-x11.so.0", "libxcb-cursor.so.0"]
    assert missing_libraries_sentence(missing) == (
        "RegenLog cannot open its window: Qt needs libxkbcommon-x11.so.0, libxcb-cursor.so.0, "
        "which this Linux system lacks; install them with “sudo apt-get install "
        "libxkbcommon-x11-0 libxcb-cursor0” (other distributions: the packages that provide "
        "those files), then start RegenLog again."
    )


def test_one_package_is_named_once_for_two_of_its_files():
    sentence = missing_libraries_sentence(["libglib-2.0.so.0", "libgthread-2.0.so.0"])
    assert "“sudo apt-get install libglib2.0-0”" in sentence


@pytest.mark.parametrize(("platform", "environ"), [
    ("win32", X11), ("darwin", X11),
    ("linux", {**X11, "QT_QPA_PLATFORM": "offscreen"}),
    ("linux", {**X11, "QT_QPA_PLATFORM": "wayland"}),
    ("linux", {}),  # no X display: Qt will not load the xcb plugin
    ("linux", {**X11, "WAYLAND_DISPLAY": "wayland-0"}),  # Qt prefers its Wayland plugin
])
def test_nothing_is_checked_where_qt_does_not_load_the_xcb_plugin(platform, environ):
    assert missing_libraries(platform, environ, _refuse) == []


def test_a_complete_system_is_let_through_with_one_dlopen():
    asked = []
    assert missing_libraries("linux", X11, lambda name: asked.append(name) or True) == []
    assert len(asked) == 1 and asked[0].endswith("/Qt/lib/libQt6XcbQpa.so.6")


def test_the_window_is_not_opened_and_the_exit_code_is_2(monkeypatch, capsys):
    from regenlog.ui import app

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(platform_check, "loadable", _lacking("libxcb-cursor.so.0"))
    monkeypatch.setattr(app, "create_application", _refuse)
    assert app.run_gui(None) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "regenlog: RegenLog cannot open its window: Qt needs libxcb-cursor.so.0, which this "
        "Linux system lacks; install it with “sudo apt-get install libxcb-cursor0” (other "
        "distributions: the packages that provide those files), then start RegenLog again.\n"
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the dynamic loader is Linux's")
def test_the_loader_finds_a_real_library_and_not_an_invented_one():
    assert platform_check.loadable("libc.so.6")
    assert not platform_check.loadable("libregenlog-absent.so.0")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the dynamic loader is Linux's")
def test_a_library_qt_cannot_load_is_found_missing(tmp_path, monkeypatch):
    """An empty file where the loader looks first is what a broken install looks like."""
    (tmp_path / "libxcb-cursor.so.0").write_bytes(b"")
    assert not platform_check.loadable(str(tmp_path / "libxcb-cursor.so.0"))


def _needed(path: Path) -> list[str]:
    """The DT_NEEDED entries of a 64-bit little-endian ELF file (what ``readelf -d`` lists)."""
    data = path.read_bytes()
    assert data[:6] == b"\x7fELF\x02\x01", "a 64-bit little-endian ELF file"
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + n * shentsize) for n in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, *_ in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strings = sections[link][4]
        needed = []
        for entry in range(offset, offset + size, 16):
            tag, value = struct.unpack_from("<qQ", data, entry)
            if tag == 1:  # DT_NEEDED
                needed.append(data[strings + value : data.index(b"\0", strings + value)].decode())
        return needed
    return []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
def test_every_library_the_installed_plugin_needs_and_pyside_does_not_ship_is_checked():
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    plugin = qt / "plugins" / "platforms" / "libqxcb.so"
    needed = set(_needed(plugin)) | set(_needed(qt / "lib" / "libQt6XcbQpa.so.6"))
    shipped = {p.name for p in (qt / "lib").iterdir()}
    system = {"libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libdl.so.2",
              "libpthread.so.0", "librt.so.1"}
    assert "libxcb-cursor.so.0" in needed  # the parser reads what readelf reads
    assert needed - shipped - system <= set(XCB_LIBRARIES)
