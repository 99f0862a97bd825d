"""Milliseconds since this process started, for the start-up figures.

The operating system's own process start time is used where it is cheap to read (Linux,
Windows), so the figures include the interpreter and import time the user waits through.
"""

import os
import sys
import time

_FALLBACK_START = time.monotonic()


def _linux_uptime_ms() -> float | None:
    try:
        with open("/proc/self/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of stat, counted after the "(comm)" field
        ticks = os.sysconf("SC_CLK_TCK")
        since_boot = time.clock_gettime(time.CLOCK_BOOTTIME)
        return (since_boot - start_ticks / ticks) * 1000.0
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _windows_uptime_ms() -> float | None:
    try:
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.windll.kernel32
        created, exited, kernel, user = (wintypes.FILETIME() for _ in range(4))
        handle = kernel32.GetCurrentProcess()
        if not kernel32.GetProcessTimes(
            handle, ctypes.byref(created), ctypes.byref(exited), ctypes.byref(kernel),
            ctypes.byref(user),
        ):
            return None
        now = wintypes.FILETIME()
        kernel32.GetSystemTimePreciseAsFileTime(ctypes.byref(now))

        def value(ft) -> int:
            return (ft.dwHighDateTime << 32) | ft.dwLowDateTime

        return (value(now) - value(created)) / 10_000.0
    except (AttributeError, OSError):
        return None


def uptime_ms() -> float:
    found = None
    if sys.platform.startswith("linux"):
        found = _linux_uptime_ms()
    elif sys.platform == "win32":
        found = _windows_uptime_ms()
    if found is None:  # macOS and others: from when the app module was imported
        found = (time.monotonic() - _FALLBACK_START) * 1000.0
    return found
