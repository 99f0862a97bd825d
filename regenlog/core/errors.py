"""Errors the services raise: each carries one sentence a patient can act on."""


class RegenLogError(Exception):
    """Base class: ``str(error)`` is the sentence shown to the user, cleaned for any screen
    (no control characters, no value quoted at a length no sentence has)."""

    def __str__(self) -> str:
        from .text import clipped, printable

        return printable(clipped(super().__str__()))


class ValidationError(RegenLogError):
    """User input was rejected; nothing was stored."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFoundError(RegenLogError):
    """A record id does not exist (or is in the trash when a live one was asked for)."""


class InUseError(RegenLogError):
    """A record cannot be deleted because other records depend on it."""
