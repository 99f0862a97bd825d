"""Before the window is built: take the data folder, or hand over to the window that has it.

Taking a lock costs well under a millisecond, and a second launch must not flash a window
before it hands over, so this runs before the first paint; everything else waits until
after it (``startup_checks``).
"""

from __future__ import annotations

import sys

TITLE = "RegenLog cannot open the data folder"


class Claim:
    """``lock``: the WriterLock to hand to the window, None when not going on; ``exit_code``:
    0 to go on (or another window came forward), 2 when refused. (A plain class: a dataclass
    costs a millisecond before the first paint.)"""

    def __init__(self, lock, exit_code: int = 0):
        self.lock, self.exit_code = lock, exit_code


def claim_folder(paths, *, interactive: bool = True) -> Claim:
    """Take ``paths``' writer lock. If another RegenLog window has the folder, ask it to come
    forward and give ``Claim(None, 0)``; if nobody answers (a hung RegenLog, or the command
    line restoring a backup), say so and give ``Claim(None, 2)``."""
    from ...core.errors import RegenLogError
    from ...store.lock import DataFolderInUse, acquire_writer_lock

    try:
        return Claim(acquire_writer_lock(paths))
    except DataFolderInUse as busy:
        from .single_instance import hand_over

        if hand_over(paths.root):
            return Claim(None, 0)
        message = str(busy)
    except RegenLogError as error:  # the drive cannot lock at all
        message = str(error)
    except OSError as error:
        message = f"RegenLog could not open {paths.root}: {error.strerror or error}."
    print(f"regenlog: {message}", file=sys.stderr, flush=True)
    if interactive:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, TITLE, message)
    return Claim(None, 2)
