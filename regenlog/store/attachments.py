"""Content-addressed attachment store: each file kept once, named by its SHA-256.

Files are streamed in 1 MiB chunks (a 2 GB scan never sits in memory), written to a temporary
file in the store, fsynced and renamed, so a crash leaves either the whole file or nothing.
"""

import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import RegenLogError
from ..core.fileio import CHUNK, atomic_writer, fsync_dir

Progress = Callable[[int, int], None]  # (bytes done, bytes total)


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int


class AttachmentError(RegenLogError):
    pass


class AttachmentStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        # Two-level fan-out keeps folders small with tens of thousands of files.
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put_file(
        self, source: Path, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
    ) -> StoredFile:
        source = Path(source)
        try:
            total = source.stat().st_size
            with open(source, "rb") as handle:
                return self.put_stream(handle, total, progress, cancelled)
        except FileNotFoundError:
            raise AttachmentError(f"The file {source.name} does not exist.") from None
        except IsADirectoryError:
            raise AttachmentError(f"{source.name} is a folder, not a file.") from None
        except PermissionError:
            raise AttachmentError(f"RegenLog is not allowed to read {source.name}.") from None

    def put_bytes(self, data: bytes) -> StoredFile:
        return self.put_stream(io.BytesIO(data), len(data))

    def put_stream(
        self,
        handle,
        total: int = 0,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> StoredFile:
        """Copy ``handle`` into the store; the name is only known once the hash is."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", suffix=".tmp", dir=self.root)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := handle.read(CHUNK):
                    if cancelled and cancelled():
                        raise AttachmentError("The import was cancelled; nothing was stored.")
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                    if progress:
                        progress(size, total or size)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path_for(sha)
            if final.is_file():
                tmp.unlink()  # already stored once: content addressing deduplicates
            else:
                final.parent.mkdir(mode=0o700, exist_ok=True)
                if os.name == "posix":
                    os.chmod(tmp, 0o600)
                os.replace(tmp, final)
                fsync_dir(final.parent)
        except OSError as error:
            tmp.unlink(missing_ok=True)
            raise AttachmentError(_describe_os_error(error, "store the file")) from error
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return StoredFile(sha, size)

    def open(self, sha256: str):
        try:
            return open(self.path_for(sha256), "rb")
        except FileNotFoundError:
            raise AttachmentError(
                f"The attached file {sha256[:12]}… is missing from the data folder."
            ) from None

    def copy_to(self, sha256: str, target: Path) -> None:
        with self.open(sha256) as src, atomic_writer(Path(target)) as dst:
            shutil.copyfileobj(src, dst, CHUNK)

    def hash_of(self, sha256: str) -> str:
        digest = hashlib.sha256()
        with self.open(sha256) as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def verify(self, sha256: str) -> bool:
        try:
            return self.hash_of(sha256) == sha256
        except AttachmentError:
            return False

    def all_hashes(self) -> set[str]:
        if not self.root.is_dir():
            return set()
        return {
            p.name
            for sub in self.root.iterdir()
            if sub.is_dir() and len(sub.name) == 2
            for p in sub.iterdir()
            if len(p.name) == 64
        }

    def leftover_temporaries(self) -> list[Path]:
        """Partial uploads a killed process left behind (never referenced by the database)."""
        return sorted(self.root.glob(".incoming-*.tmp")) if self.root.is_dir() else []


def _describe_os_error(error: OSError, action: str) -> str:
    import errno

    if error.errno == errno.ENOSPC:
        return f"The disk is full, so RegenLog could not {action}; nothing was changed."
    if error.errno == errno.EIO:
        return f"The disk reported a read or write error, so RegenLog could not {action}; nothing was changed."
    return f"RegenLog could not {action} ({error.strerror or error}); nothing was changed."
