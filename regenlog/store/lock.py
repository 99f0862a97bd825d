"""One writer per data folder: an OS-level lock on ``regenlog.lock``.

The lock is ``fcntl.flock`` on POSIX and ``msvcrt.locking`` on Windows. Both belong to the
open file, so the operating system releases them the moment the holding process dies, even
under ``kill -9``: a lock left by a crashed RegenLog is simply free, and whoever comes next
takes it over and rewrites the holder line. The file itself is never deleted (deleting it
would let two processes lock two different files of the same name).

The file holds ``pid`` and host name so the refusal can say who holds the folder. Qt's
QLockFile is not used because ``store`` must not import Qt.
"""

import contextlib
import errno
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import RegenLogError
from .paths import DataPaths, folder_error, refuse_file

# Windows locks byte ranges; the holder line is written at the start of the file, so the
# locked byte lies far beyond it and other processes can still read who holds the folder.
_WINDOWS_LOCK_OFFSET = 1 << 30


def _host_name() -> str:
    """This computer's name; os.uname avoids importing socket (milliseconds at start-up)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


class DataFolderInUse(RegenLogError):  # noqa: N818 (a busy folder, not a fault)
    """Another RegenLog process holds the data folder."""


class LockUnavailableError(RegenLogError):
    """The file system refused to lock at all (some network or synced drives)."""


@dataclass(frozen=True)
class LockHolder:
    pid: int | None
    host: str

    def describe(self) -> str:
        if self.pid is None:
            return "another RegenLog"
        here = self.host == _host_name()
        where = "on this computer" if here or not self.host else f"on {self.host}"
        return f"another RegenLog (process {self.pid} {where})"


class WriterLock:
    """Held until ``release()``, the end of a ``with`` block, or the process. Dropping the
    object does not release it (no ``__del__``): a lock that vanished with a stray reference
    would let a second writer in."""

    def __init__(self, path: Path, fd: int):
        self.path = path
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)

    def __enter__(self) -> "WriterLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()



def acquire_writer_lock(paths: DataPaths) -> WriterLock:
    """Take the data folder for this process, or raise ``DataFolderInUse`` with who has it."""
    refuse_file(paths.root)
    path = paths.lock_file
    try:
        paths.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:  # a read-only disk, a file in the way, no permission
        raise folder_error(paths.root, error) from error
    try:
        if not _try_lock(fd):
            holder = read_lock_holder(paths)
            who = holder.describe() if holder else "another RegenLog"
            raise DataFolderInUse(
                f"The data folder {paths.root} is already open in {who}; close it there "
                "first, or choose another folder with --data-dir."
            )
        _write_holder(fd)
    except BaseException:
        os.close(fd)
        raise
    return WriterLock(path, fd)


def read_lock_holder(paths: DataPaths) -> LockHolder | None:
    """Who last took the lock (it may be gone already: only the lock itself is the truth)."""
    try:
        text = paths.lock_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    lines = text.splitlines()
    if not lines:
        return None
    try:
        pid = int(lines[0])
    except ValueError:
        pid = None
    return LockHolder(pid, lines[1].strip() if len(lines) > 1 else "")


def _write_holder(fd: int) -> None:
    line = f"{os.getpid()}\n{_host_name()}\n".encode()
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, line)


if sys.platform == "win32":  # pragma: no cover - exercised on the Windows CI runner
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as error:
            if error.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise LockUnavailableError(_unsupported(error)) from error
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise LockUnavailableError(_unsupported(error)) from error
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _unsupported(error: OSError) -> str:
    return (
        f"RegenLog could not lock its data folder ({error.strerror or error}); the drive may "
        "not support locks. Keep the data folder on this computer's own disk."
    )
