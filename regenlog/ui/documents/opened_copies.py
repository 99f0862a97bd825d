"""Copies of documents handed to the system viewer, in the system's temporary folder.

They are medical paperwork, so none may outlive the RegenLog that made it. The folder goes
when its RegenLog quits. When the viewer still holds a file then (Windows will not delete an
open file), or RegenLog did not quit cleanly, what is left is removed by the next RegenLog to
start. Each folder holds a writer lock while its RegenLog runs, so a sweep never takes the
copies another open window is showing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import weakref
from pathlib import Path

PREFIX = "regenlog-open-"
# A folder this young may be one whose RegenLog has not locked it yet: leave it for now.
FRESH_S = 60.0


class OpenedCopies:
    """The folder (made on first use) one window copies documents into for the viewer."""

    def __init__(self):
        self._folder: Path | None = None

    def folder(self) -> Path:
        if self._folder is None:
            from ...store.lock import acquire_writer_lock
            from ...store.paths import DataPaths

            folder = Path(tempfile.mkdtemp(prefix=PREFIX))
            lock = acquire_writer_lock(DataPaths(folder))
            # Runs when this object goes, or at the latest when the program exits.
            weakref.finalize(self, _discard, folder, lock)
            self._folder = folder
        return self._folder


def _discard(folder: Path, lock) -> None:
    lock.release()  # first: Windows cannot delete a file that is still open
    shutil.rmtree(folder, ignore_errors=True)  # a file the viewer holds waits for a sweep


def sweep_leftovers() -> int:
    """Remove the copies no running RegenLog holds any more; return how many folders went.
    Never raises: a leftover that cannot go yet is tried again at the next start."""
    from ...core.errors import RegenLogError
    from ...store.lock import acquire_writer_lock
    from ...store.paths import DataPaths

    removed = 0
    try:
        candidates = list(Path(tempfile.gettempdir()).glob(f"{PREFIX}*"))
    except OSError:
        return 0
    for folder in candidates:
        try:
            info = folder.lstat()
            if not folder.is_dir() or folder.is_symlink():
                continue
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                continue  # another user's, in a temporary folder shared by all (Linux, macOS)
            if time.time() - info.st_mtime < FRESH_S:
                continue
            lock = acquire_writer_lock(DataPaths(folder))
        except (RegenLogError, OSError):  # in use by a running RegenLog, or not ours to touch
            continue
        lock.release()
        shutil.rmtree(folder, ignore_errors=True)
        removed += not folder.exists()
    return removed
