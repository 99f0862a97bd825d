"""Files: atomic writes (a temporary file in the target's folder, fsynced, then renamed), and
the sentence for a file that cannot be read.

Plain file handling with no database in it, so every layer (records format, store, bundle)
writes files, and says why one could not be read, the same way.
"""

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(target: Path, mode: int = 0o600) -> Iterator[BinaryIO]:
    """Yield a binary file; on success it replaces ``target`` whole, on error nothing is left."""
    target = Path(target)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if os.name == "posix":
            os.chmod(tmp, mode)
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def write_bytes_atomic(target: Path, data: bytes) -> None:
    with atomic_writer(target) as handle:
        handle.write(data)


def refuse_inside(target: Path, folder: Path | None) -> None:
    """Refuse an export written into RegenLog's own data folder: ``-o`` pointed at the
    database (or beside it) would overwrite or tangle the records it exports."""
    if folder is None:
        return
    target, folder = Path(target).resolve(), Path(folder).resolve()
    if target == folder or folder in target.parents:
        from .errors import ValidationError

        raise ValidationError(
            f"RegenLog does not write exports inside its own data folder ({folder}); "
            "choose another place."
        )


def unreadable(path: Path, error: OSError, what: str) -> str | None:
    """The sentence for a file that could not be read because it is missing, a folder or not
    the patient's to read; None for any other failure (the caller's own sentence says it).
    ``what`` is what the file should have been: "a records file", "a spreadsheet"."""
    path = Path(path)
    if isinstance(error, FileNotFoundError):
        return f"There is no file {path}."
    if isinstance(error, IsADirectoryError):
        return f"{path.name} is a folder, not {what}."
    if isinstance(error, PermissionError):
        return f"RegenLog is not allowed to read {path.name}."
    return None


@contextlib.contextmanager
def reading(path: Path, what: str, error: type[Exception] | None = None) -> Iterator[None]:
    """Turn a missing file, a folder or a refused read inside the block into ``error`` (the
    core's ``ValidationError`` unless given) with its one sentence; other failures pass."""
    try:
        yield
    except OSError as failure:
        sentence = unreadable(path, failure, what)
        if sentence is None:
            raise
        if error is None:
            from .errors import ValidationError

            error = ValidationError
        raise error(sentence) from None


def format_size(n_bytes: int) -> str:
    """A file size as people read it ("698.5 KB"), in 1024s like the file managers do."""
    value = float(n_bytes)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{n_bytes} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n_bytes} bytes"
