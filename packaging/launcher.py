"""The frozen app's entry point: the same ``regenlog.cli.main`` as ``uv run regenlog``.

PyInstaller needs a script, not a package's ``__main__`` (whose relative import has no
package when run as a script). On Windows the app is a windowed program, so a command typed
in a terminal (``RegenLog.exe --self-test``) would print nowhere: there, and only when the
command line asks for more than the window, reattach to the terminal that started it.
"""

import sys


def _attach_parent_console() -> None:
    if sys.platform != "win32" or sys.stdout is not None or len(sys.argv) < 2:
        return  # redirected output (a CI pipe, "> file") already works
    try:
        import ctypes

        if not ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
            return  # started from Explorer or a shortcut: no terminal to write to
        sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
        sys.stderr = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError:
        pass


if __name__ == "__main__":
    _attach_parent_console()
    # Stays lazy, as in the source: the CLI imports heavy modules only for the command given.
    from regenlog.cli import main

    sys.exit(main())
