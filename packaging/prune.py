"""What the frozen build leaves out, kept apart from the spec so it can be read (and changed)
in one place. The budget is a Linux onedir under 150 MB; an untuned build is about 217 MB.

RegenLog uses QtCore, QtGui, QtWidgets, QtSvg (icons), QtCharts (the dashboard), QtPdf and
QtPdfWidgets (the document preview) and QtNetwork (only its local socket, which lets a second
launch hand over to the open window); QPdfWriter is part of QtGui. A test walks regenlog/'s
imports and fails if one of them is excluded here. PyInstaller's Qt hooks
collect every plugin type those modules *could* load and every Qt library those plugins link;
most of that is for devices, embedded screens and networks a desktop records app never uses.
"""

from __future__ import annotations

import fnmatch
import os
import re

# Python modules never needed at run time. Qt modules first: the PySide6 wheels ship them all.
EXCLUDED_MODULES = [
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuickControls2",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel", "PySide6.QtWebSockets", "PySide6.QtWebView",
    "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "PySide6.QtSpatialAudio",
    "PySide6.Qt3DCore", "PySide6.Qt3DRender", "PySide6.Qt3DInput", "PySide6.Qt3DLogic",
    "PySide6.Qt3DAnimation", "PySide6.Qt3DExtras", "PySide6.QtQuick3D",
    "PySide6.QtDesigner", "PySide6.QtUiTools", "PySide6.QtHelp", "PySide6.QtTest",
    "PySide6.QtSql", "PySide6.QtBluetooth", "PySide6.QtNfc", "PySide6.QtSerialPort",
    "PySide6.QtSerialBus", "PySide6.QtPositioning", "PySide6.QtLocation", "PySide6.QtSensors",
    "PySide6.QtTextToSpeech", "PySide6.QtRemoteObjects", "PySide6.QtScxml",
    "PySide6.QtStateMachine", "PySide6.QtDataVisualization", "PySide6.QtGraphs",
    "PySide6.QtGraphsWidgets", "PySide6.QtHttpServer", "PySide6.QtNetworkAuth",
    "PySide6.QtSvgWidgets", "PySide6.QtConcurrent", "PySide6.QtXml", "PySide6.QtAxContainer",
    "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtPrintSupport",
    # Development tools and the code-set source (the app reads its own condensed index).
    "simple_icd_10_cm", "pytest", "_pytest", "hypothesis", "fhir", "fhir_core", "pypdf",
    "ruff", "PyInstaller", "regenlog.core.codes._build_index",
    # Standard library parts nothing here imports on purpose.
    "tkinter", "_tkinter", "unittest", "pydoc", "pydoc_data", "lib2to3", "idlelib",
    "ensurepip", "venv", "xmlrpc", "curses", "turtle", "turtledemo", "doctest",
    "readline", "ssl", "_ssl",  # no terminal editing, no network
    # No worker processes; left in, PyInstaller's multiprocessing start-up hook would import
    # the whole package before the window opens.
    "multiprocessing", "concurrent.futures.process",
    # Optional extras of dependencies: syntax colouring (Mako), build tools (setuptools).
    "pygments", "setuptools", "distutils", "pkg_resources", "_distutils_hack",
    # Pillow reads receipts' photos and scans (JPEG, PNG, TIFF); AVIF would bring a 5 MB codec
    # and Tk support a toolkit RegenLog does not use. Pillow imports both only if present.
    "PIL._avif", "PIL.AvifImagePlugin", "PIL._imagingtk", "PIL.ImageTk",
    # Database drivers PyInstaller's SQLAlchemy hook asks for. (The dialect modules stay:
    # Alembic imports all of them.)
    "psycopg2", "MySQLdb", "pysqlite2",
]

# Qt plugins kept, by folder. Everything else under plugins/ goes.
KEEP_PLUGINS = {
    # xcb and wayland draw the window on Linux desktops, windows/cocoa on the others;
    # offscreen lets `--self-test` run on a machine with no screen (CI).
    "platforms": ["*qxcb*", "*qwayland*", "*qwindows*", "*qcocoa*", "*qoffscreen*"],
    # The desktop portal gives native file dialogs on GNOME and KDE. The GTK 3 theme is left
    # out: it would bring a copy of the build machine's GTK, Cairo and Pango (about 8 MB)
    # that clashes with the user's own.
    "platformthemes": ["*qxdgdesktopportal*"],
    "platforminputcontexts": ["*compose*", "*ibus*"],  # dead keys, accents, Asian input
    "xcbglintegrations": ["*"],  # the xcb plugin loads one of these to draw
    "wayland-decoration-client": ["*"],
    "wayland-shell-integration": ["*xdg-shell*"],
    "wayland-graphics-integration-client": [],
    # SVG icons; photos of receipts (JPEG, HEIC is not in Qt); scans (TIFF); ICO/GIF/WebP seen
    # as attachments. PNG and BMP are built into QtGui.
    "imageformats": ["*qsvg*", "*qjpeg*", "*qtiff*", "*qgif*", "*qico*", "*qwebp*"],
    "iconengines": ["*qsvgicon*"],
    "styles": ["*"],  # the native look on Windows (qmodernwindowsstyle) and macOS
}

# Qt libraries (and other shared objects) that the kept modules and plugins do not need.
DROPPED_LIBRARIES = [
    "*Qt6Qml*", "*Qt6Quick*", "*Qt6WebEngine*", "*Qt6WebChannel*", "*Qt6WebSockets*",
    "*Qt6Multimedia*", "*Qt63D*", "*Qt6Designer*", "*Qt6Help*", "*Qt6Sql*", "*Qt6Test*",
    "*Qt6VirtualKeyboard*", "*Qt6EglFS*", "*Qt6ShaderTools*", "*Qt6Graphs*", "*Qt6Location*",
    "*Qt6Positioning*", "*Qt6Sensors*", "*Qt6Bluetooth*", "*Qt6Nfc*", "*Qt6Lottie*",
    "*Qt6Labs*", "*Qt6SpatialAudio*", "*Qt6TextToSpeech*", "*Qt6DataVisualization*",
    "*Qt6CanvasPainter*", "*Qt6HttpServer*", "*Qt6NetworkAuth*", "*Qt6Scxml*",
    "*Qt6StateMachine*", "*Qt6RemoteObjects*", "*Qt6SerialPort*", "*Qt6SerialBus*",
    "*Qt6PdfQuick*", "*Qt6ChartsQml*", "*Qt6WaylandCompositor*", "*Qt6FFmpeg*",
    "*avcodec*", "*avformat*", "*avutil*", "*swresample*", "*swscale*",
    # The software OpenGL renderer (Windows): Qt falls back to it only where no driver exists.
    "opengl32sw.dll", "d3dcompiler_*.dll",
]

# Qt's translations (the buttons of its standard dialogs) all go: RegenLog is in English,
# Qt's own source language. So do QML files and WebEngine's resources, should any come along.
DROPPED_DATA = ["*/translations/*.qm", "*PySide6/*qml/*", "*PySide6/*resources/qtwebengine*"]


def _matches(name: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(name.lower(), pattern.lower())


def _plugin_parts(dest: str) -> tuple[str, str] | None:
    """('platforms', 'libqxcb.so') for a file under a Qt plugins folder, else None."""
    match = re.search(r"[/\\]plugins[/\\]([^/\\]+(?:[/\\]darwin)?)[/\\]([^/\\]+)$", dest)
    if match is None or "PySide6" not in dest:
        return None
    return match.group(1).replace("\\", "/").removesuffix("/darwin"), match.group(2)


def _library_name(dest: str) -> str:
    """libQt6Quick.so.6, Qt6Quick.dll, or for a macOS framework (QtQuick.framework/...) Qt6Quick,
    so one pattern names a Qt library on every platform."""
    framework = re.search(r"(?:^|[/\\])Qt([A-Za-z0-9]+)\.framework[/\\]", dest)
    return f"Qt6{framework.group(1)}" if framework else re.split(r"[/\\]", dest)[-1]


def keep_binary(dest: str) -> bool:
    """Whether a binary, by its path inside the bundle, stays in the build."""
    plugin = _plugin_parts(dest)
    if plugin is not None:
        folder, file_name = plugin
        return any(_matches(file_name, p) for p in KEEP_PLUGINS.get(folder, []))
    return not any(_matches(_library_name(dest), p) for p in DROPPED_LIBRARIES)


def keep_data(dest: str) -> bool:
    unix = dest.replace("\\", "/")
    return not any(_matches(unix, p) for p in DROPPED_DATA)


def prune(toc: list, keep) -> list:
    """The PyInstaller TOC (dest, source, kind) without the entries ``keep`` refuses."""
    return [entry for entry in toc if keep(entry[0])]


def drop_orphan_libraries(toc: list) -> list:
    """Linux: drop the shared libraries that only a pruned plugin needed.

    PyInstaller gathers each binary's link-time dependencies during the analysis, before the
    spec can prune plugins. Walk the dependencies again from what is loaded for its own sake
    (Python extension modules, Qt plugins, libpython) and keep only the libraries reached.
    """
    from PyInstaller.depend.bindepend import get_imports

    def is_library(dest: str) -> bool:  # a dependency, not loaded by name
        return "/" not in dest or dest.startswith("PySide6/Qt/lib/")

    libraries = {os.path.basename(e[0]): e for e in toc
                 if e[2] == "BINARY" and is_library(e[0]) and not e[0].startswith("libpython")}
    todo = [e[1] for e in toc
            if e[2] in ("BINARY", "EXTENSION") and os.path.basename(e[0]) not in libraries]
    reached: set[str] = set()
    while todo:
        for name, _path in get_imports(todo.pop()):
            base = os.path.basename(name)
            if base in libraries and base not in reached:
                reached.add(base)
                todo.append(libraries[base][1])
    return [e for e in toc if os.path.basename(e[0]) not in libraries
            or os.path.basename(e[0]) in reached]


def drop_dangling_links(binaries: list, datas: list) -> tuple[list, list]:
    """Drop the top-level links PyInstaller made to libraries that were pruned since."""
    kept = {e[0] for e in binaries + datas if e[2] != "SYMLINK"}

    def alive(entry) -> bool:
        return entry[2] != "SYMLINK" or entry[1].replace("\\", "/") in kept

    return [e for e in binaries if alive(e)], [e for e in datas if alive(e)]
