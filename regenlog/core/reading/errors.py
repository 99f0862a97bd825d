"""The one sentence a file that cannot be read ends in."""

from regenlog.core.errors import RegenLogError


class ReadingError(RegenLogError):
    """The file cannot be read at all (unsupported, damaged, encrypted, too large)."""


class ReadingCancelled(RegenLogError):  # noqa: N818 (a choice, not an error)
    """The patient cancelled reading; nothing was proposed."""

    def __init__(self) -> None:
        super().__init__("Reading was cancelled.")
