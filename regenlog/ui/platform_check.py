"""Before Qt starts on a Linux X11 desktop: are the system libraries of Qt's X11 ("xcb")
platform plugin installed?

Without them Qt aborts the whole process ("could not load the Qt platform plugin "xcb"",
exit 134) before RegenLog can say anything; a fresh Debian or Ubuntu desktop lacks
libxcb-cursor0 and a few others. Checked first, the patient gets one sentence naming the
command that installs what is missing, and exit code 2.

The list is what the PySide6 wheel's plugin needs and does not ship (``readelf -d`` of
Qt/plugins/platforms/libqxcb.so and Qt/lib/libQt6XcbQpa.so.6; tests/test_platform_check.py
keeps it in step with the installed wheel). The check is one dlopen of Qt's own xcb library,
which loads everything it needs, as QApplication would a moment later: measured, loading the
xcb stack costs 9.6 ms with or without the check before it, within 1 ms. Only when that
dlopen fails is each library looked for by its soname, to name every missing one. On
Windows, macOS, with QT_QPA_PLATFORM set or without an X display it does nothing. This module
imports no Qt: it runs before anything of Qt is loaded.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

# soname -> the Debian/Ubuntu package that installs it.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libGL.so.1": "libgl1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}


_XCB_QPA = "libQt6XcbQpa.so.6"  # Qt's xcb library, which the plugin is a thin shell around


def loadable(soname: str) -> bool:
    """Can the dynamic loader find and load ``soname``, as Qt's plugin loader would?"""
    # The C function ctypes.CDLL calls: importing all of ctypes would cost 2 ms more.
    from _ctypes import dlopen

    try:
        dlopen(soname)
    except OSError:
        return "/" not in soname and _bundled(soname)
    return True


def _qt_lib_folders() -> list[Path]:
    """Where Qt's own libraries are: the PySide6 package's Qt/lib, and in a frozen build the
    bundle's folder too. PySide6 is found, not imported (that would load Qt)."""
    folders = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        folders += [Path(frozen) / "PySide6" / "Qt" / "lib", Path(frozen)]
    try:
        import importlib.util

        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        folders.append(Path(location) / "Qt" / "lib")
    return folders


def _bundled(soname: str) -> bool:
    """A frozen build or a wheel may carry the library beside Qt's own (found there through
    the plugin's run path, which a plain dlopen does not search)."""
    return any((folder / soname).exists() for folder in _qt_lib_folders())


def missing_libraries(
    platform: str | None = None,
    environ: Mapping[str, str] | None = None,
    can_load: Callable[[str], bool] | None = None,
) -> list[str]:
    """The sonames the xcb plugin needs and this system lacks; empty wherever the xcb
    plugin is not what Qt will load (Windows, macOS, QT_QPA_PLATFORM set, no X display, a
    Wayland session)."""
    platform = sys.platform if platform is None else platform
    environ = os.environ if environ is None else environ
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return []
    if not environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return []
    can_load = can_load or loadable
    # One dlopen of Qt's xcb library loads everything it needs: when it succeeds, all is
    # there. Only when it fails is each library looked for, to name every missing one.
    for folder in _qt_lib_folders():
        if (folder / _XCB_QPA).exists():
            if can_load(str(folder / _XCB_QPA)):
                return []
            break
    return [soname for soname in XCB_LIBRARIES if not can_load(soname)]


def missing_libraries_sentence(missing: list[str]) -> str:
    """One sentence: what is missing and the command that installs it."""
    packages = " ".join(dict.fromkeys(XCB_LIBRARIES[soname] for soname in missing))
    files = ", ".join(missing)
    return (
        f"RegenLog cannot open its window: Qt needs {files}, which this Linux system lacks; "
        f"install {'it' if len(missing) == 1 else 'them'} with "
        f"“sudo apt-get install {packages}” (other distributions: the packages that provide "
        "those files), then start RegenLog again."
    )


def platform_problem() -> str | None:
    """The sentence to print instead of letting Qt abort, or None when Qt can start."""
    missing = missing_libraries()
    return missing_libraries_sentence(missing) if missing else None
