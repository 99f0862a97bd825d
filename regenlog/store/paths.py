"""Where RegenLog keeps its data: one place decides, nothing is created on import."""

import contextlib
import errno
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import RegenLogError

ENV_VAR = "REGENLOG_DATA_DIR"
APP_NAME = "RegenLog"


class DataFolderError(RegenLogError):
    """The data folder cannot be used at all: a file, a read-only disk, no permission."""


@dataclass(frozen=True)
class DataPaths:
    root: Path

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root))

    @property
    def database(self) -> Path:
        return self.root / "regenlog.sqlite3"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def lock_file(self) -> Path:
        return self.root / "regenlog.lock"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def ensure(self) -> "DataPaths":
        """Create the folders, private to the user on POSIX (0700), or raise DataFolderError."""
        refuse_file(self.root)
        try:
            for folder in (self.root, self.attachments, self.backups):
                folder.mkdir(parents=True, exist_ok=True)
                # Only when the mode differs: on a read-only disk even a no-op chmod fails.
                if os.name == "posix" and stat.S_IMODE(folder.stat().st_mode) != 0o700:
                    os.chmod(folder, 0o700)
        except OSError as error:
            raise folder_error(self.root, error) from error
        self.check_writable()
        return self

    def check_writable(self) -> None:
        """Raise DataFolderError unless RegenLog can write in the (existing) folder: SQLite
        writes beside the database even to read it, so this is asked before, not after."""
        if on_read_only_disk(self.root):
            raise folder_error(self.root, OSError(errno.EROFS, os.strerror(errno.EROFS)))
        if not os.access(self.root, os.W_OK):
            raise folder_error(self.root, OSError(errno.EACCES, os.strerror(errno.EACCES)))


def refuse_file(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise DataFolderError(f"The data folder {root} is a file, not a folder.")


def first_missing(root: Path) -> Path | None:
    """The topmost of ``root`` and its parents that does not exist yet (None if root does)."""
    missing = None
    for folder in (root, *root.parents):
        if folder.exists():
            break
        missing = folder
    return missing


def clear_new_folder(paths: "DataPaths") -> None:
    """Empty a data folder this process created, all but its lock file. Called while the
    writer lock is held, so no other RegenLog can be writing there."""
    for entry in paths.root.iterdir() if paths.root.is_dir() else ():
        if entry == paths.lock_file:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def remove_empty_folders(paths: "DataPaths", top: Path) -> None:
    """After the lock is released: the lock file, then each folder from the data folder up
    to ``top`` that is empty. rmdir never removes a folder something else has written to."""
    with contextlib.suppress(OSError):
        paths.lock_file.unlink(missing_ok=True)
    for folder in (paths.root, *paths.root.parents):
        try:
            folder.rmdir()
        except OSError:
            return
        if folder == top:
            return


def on_read_only_disk(folder: Path) -> bool:
    """True when ``folder`` lies on a file system mounted read-only (never on Windows)."""
    if not hasattr(os, "statvfs"):
        return False
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def folder_error(root: Path, error: OSError) -> DataFolderError:
    """One sentence for what the operating system refused while RegenLog set up ``root``."""
    if error.errno == errno.EROFS:
        return DataFolderError(
            f"The data folder {root} is on a read-only disk; RegenLog needs to write there."
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return DataFolderError(
            f"RegenLog is not allowed to write in the data folder {root}; it needs to write there."
        )
    if error.errno in (errno.EEXIST, errno.ENOTDIR):
        where = error.filename or root  # the file may be root itself, a parent or attachments/
        return DataFolderError(f"{where} is a file, not a folder; RegenLog needs a folder there.")
    if error.errno == errno.ENOSPC:
        return DataFolderError(f"The disk holding the data folder {root} is full.")
    return DataFolderError(
        f"RegenLog could not set up the data folder {root} ({error.strerror or error})."
    )


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(explicit: str | os.PathLike | None = None) -> DataPaths:
    """``--data-dir`` wins, then ``REGENLOG_DATA_DIR``, then the platform's user data folder."""
    if explicit:
        return DataPaths(Path(explicit).expanduser().absolute())
    env = os.environ.get(ENV_VAR)
    if env:
        return DataPaths(Path(env).expanduser().absolute())
    return DataPaths(default_data_dir())
