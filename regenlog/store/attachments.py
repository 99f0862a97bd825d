"""Content-addressed attachment store: each file kept once, named by its SHA-256.

Files are streamed in 1 MiB chunks (a 2 GB scan never sits in memory), written to a temporary
file in the store, fsynced and renamed, so a crash leaves either the whole file or nothing.
"""

import hashlib
import io
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import RegenLogError
from ..core.fileio import CHUNK, atomic_writer, fsync_dir, reading

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
        # A name that is not 64 hex digits was never ours (a tampered backup can hold
        # "../../etc/passwd"): it must never become a path.
        if not is_sha256(sha256):
            raise AttachmentError(
                "A document names its file in a way RegenLog never does, so the record was "
                "changed or damaged; run `regenlog verify` and restore a backup."
            )
        # Two-level fan-out keeps folders small with tens of thousands of files.
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return is_sha256(sha256) and self.path_for(sha256).is_file()

    def put_file(
        self, source: Path, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
    ) -> StoredFile:
        source = Path(source)
        with reading(source, "a file", AttachmentError):
            total = source.stat().st_size
            with open(source, "rb") as handle:
                return self.put_stream(handle, total, progress, cancelled)

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
        path = self.path_for(sha256)
        try:
            # Only a regular file: a FIFO or device in its place would hang or never end.
            if not stat.S_ISREG(os.lstat(path).st_mode):
                raise AttachmentError(
                    f"The attached file {sha256[:12]}… in the data folder is not a file; run "
                    "`regenlog verify` and restore a backup."
                )
            return open(path, "rb")
        except FileNotFoundError:
            raise AttachmentError(
                f"The attached file {sha256[:12]}… is missing from the data folder."
            ) from None

    def copy_to(self, sha256: str, target: Path) -> None:
        """Copy the file out, checking on the way that it is still what was attached."""
        digest = hashlib.sha256()
        with self.open(sha256) as src, atomic_writer(Path(target)) as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
            if digest.hexdigest() != sha256:  # inside the writer: no partial copy is left
                raise AttachmentError(
                    f"The attached file {sha256[:12]}… is no longer what was attached, so "
                    "RegenLog did not copy it; run `regenlog verify` and restore a backup."
                )

    def verified_path(self, sha256: str) -> Path:
        """The file's path once it is checked to be what was attached (for a viewer that
        reads the path itself); AttachmentError when it is missing, not a file or changed."""
        if self.hash_of(sha256) != sha256:
            raise AttachmentError(
                f"The attached file {sha256[:12]}… is no longer what was attached; run "
                "`regenlog verify` and restore a backup."
            )
        return self.path_for(sha256)

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
            if is_sha256(p.name)
        }

    def leftover_temporaries(self) -> list[Path]:
        """Partial uploads a killed process left behind (never referenced by the database)."""
        return sorted(self.root.glob(".incoming-*.tmp")) if self.root.is_dir() else []


def is_sha256(text) -> bool:
    return isinstance(text, str) and len(text) == 64 and all(c in _HEX for c in text)


_HEX = frozenset("0123456789abcdef")


def _describe_os_error(error: OSError, action: str) -> str:
    import errno

    if error.errno == errno.ENOSPC:
        return f"The disk is full, so RegenLog could not {action}; nothing was changed."
    if error.errno == errno.EIO:
        return f"The disk reported a read or write error, so RegenLog could not {action}; nothing was changed."
    return f"RegenLog could not {action} ({error.strerror or error}); nothing was changed."
