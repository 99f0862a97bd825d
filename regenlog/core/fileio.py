"""Atomic file writes: a temporary file in the target's folder, fsynced, then renamed.

Plain file handling with no database in it, so every layer (records format, store, bundle)
writes files the same way.
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


def format_size(n_bytes: int) -> str:
    """A file size as people read it ("698.5 KB"), in 1024s like the file managers do."""
    value = float(n_bytes)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{n_bytes} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n_bytes} bytes"
