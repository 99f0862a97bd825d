"""The data folder is private to its user on POSIX: folders 0700, files 0600.

Health records and insurance numbers must not be readable by other accounts on a shared Mac
or Linux machine. RegenLog creates everything private; this check catches what a copy, an
unzip or a restore from another tool left open. On Windows the profile folder's ACLs already
keep other users out, so there is nothing to check there.
"""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from .paths import DataPaths

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def check_permissions(paths: DataPaths, *, deep: bool = False) -> list[str]:
    """Sentences naming what other users can read or change; empty when all is private.

    Start-up checks the folders and the files at the top (a 0700 folder already hides all
    it contains); ``deep`` also walks every attached file, for ``regenlog verify``.
    """
    if os.name != "posix" or not paths.root.exists():
        return []
    problems = []
    # Fan-out folders (attachments/ab/) hold only hash-named 0600 files inside a 0700
    # folder: their mode is fixed quietly, not reported.
    open_folders = [p for p in _folders(paths, False) if _too_open(p, FOLDER_MODE)]
    open_files = [p for p in _files(paths, deep) if _too_open(p, FILE_MODE)]
    for folder in open_folders:
        problems.append(
            f"Other users of this computer can open the folder {folder} "
            f"(permissions {_mode(folder)}); it should be private to you."
        )
    if len(open_files) <= 3:
        for file in open_files:
            problems.append(
                f"Other users of this computer can read {file} (permissions {_mode(file)}); "
                "it should be private to you."
            )
    else:
        problems.append(
            f"Other users of this computer can read {len(open_files)} files in {paths.root}; "
            "they should be private to you."
        )
    return problems


def fix_permissions(paths: DataPaths, *, deep: bool = True) -> int:
    """Make every folder 0700 and every file 0600; returns how many were changed."""
    if os.name != "posix" or not paths.root.exists():
        return 0
    changed = 0
    for path, mode in [
        *((p, FOLDER_MODE) for p in _folders(paths, deep)),
        *((p, FILE_MODE) for p in _files(paths, deep)),
    ]:
        if _too_open(path, mode):
            os.chmod(path, mode)
            changed += 1
    return changed


def _too_open(path: Path, allowed: int) -> bool:
    try:
        return bool(stat.S_IMODE(path.lstat().st_mode) & ~allowed & 0o777)
    except FileNotFoundError:
        return False


def _mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.lstat().st_mode))[2:].zfill(3)


def _folders(paths: DataPaths, deep: bool) -> Iterator[Path]:
    for folder in (paths.root, paths.attachments, paths.backups, paths.logs):
        if folder.is_dir() and not folder.is_symlink():
            yield folder
    if deep and paths.attachments.is_dir():
        yield from (p for p in paths.attachments.iterdir() if p.is_dir() and not p.is_symlink())


def _files(paths: DataPaths, deep: bool) -> Iterator[Path]:
    # Symlinks are skipped: chmod would follow them out of the data folder.
    def regular(folder: Path) -> Iterator[Path]:
        if folder.is_dir():
            yield from (p for p in folder.iterdir() if p.is_file() and not p.is_symlink())

    yield from regular(paths.root)
    yield from regular(paths.backups)
    yield from regular(paths.logs)
    if deep and paths.attachments.is_dir():
        for sub in paths.attachments.iterdir():
            if sub.is_dir() and not sub.is_symlink():
                yield from regular(sub)
