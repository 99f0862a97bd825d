"""The frozen app's entry point: the same ``regenlog.cli.main`` as ``uv run regenlog``.

PyInstaller needs a script, not a package's ``__main__`` (whose relative import has no
package when run as a script). On Windows it is built twice: as RegenLog.exe, the windowed
program a patient starts, and as regenlog-cli.exe, a console program for the command line
(the terminal waits for it, shows its output and gets its exit code). Should someone type a
command to RegenLog.exe all the same, it reattaches to the terminal so the output shows
somewhere, though the prompt has come back by then.
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
