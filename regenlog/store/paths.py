"""Where RegenLog keeps its data: one place decides, nothing is created on import."""

import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "REGENLOG_DATA_DIR"
APP_NAME = "RegenLog"


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
        """Create the folders, private to the user on POSIX (0700)."""
        for folder in (self.root, self.attachments, self.backups):
            folder.mkdir(parents=True, exist_ok=True)
            if os.name == "posix":
                os.chmod(folder, 0o700)
        return self


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
